// What every `neurolake catalog` and `neurolake template` subcommand shares: the catalog of the
// runtime, always closed afterwards (closing compacts the journal into the snapshot), catalog
// failures turned into exit codes, and the parsing of options they have in common.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { CatalogError, type Catalog, type EntryKind } from '../engines/catalog';
import { EngineUnavailableError } from '../runtime';
import { EXIT, exitCodeFor } from './exitCodes';
import { CliError } from './output';
import { withRuntime, type CliContext } from './runtimeContext';

export type CatalogCliContext = CliContext;

/** Opens the runtime's catalog (and nothing else), runs `work`, and closes it whatever happened. */
export function withCatalog<T>(ctx: CatalogCliContext, work: (catalog: Catalog) => Promise<T> | T): Promise<T> {
  return asCliError(() => withRuntime(ctx, { only: ['catalog'], warnings: true }, (runtime) => work(runtime.engine('catalog'))));
}

export async function asCliError<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CatalogError) throw new CliError(oneLine(error.message), exitCodeFor(error.code));
    if (error instanceof EngineUnavailableError) {
      const cause = error.cause;
      throw new CliError(oneLine(error.message), cause instanceof CatalogError ? exitCodeFor(cause.code) : EXIT.general);
    }
    throw error;
  }
}

/** Reads a file named by an option; a missing file is "not found", not a stack trace. */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what}: no such file ${path}`, EXIT.notFound);
    if (code === 'EISDIR') throw new CliError(`${what}: ${path} is a folder, not a file`, EXIT.usage);
    throw new CliError(`${what}: cannot read ${path}: ${(error as Error).message}`, EXIT.general);
  }
}

/** Parses JSON typed on the command line or read from a file, naming the option when it does not parse. */
export function parseJsonOption(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${option} is not valid JSON: ${(error as Error).message}`, EXIT.invalidInput);
  }
}

/** Kinds as the shell spells them; the engine's camelCase spelling is accepted too. */
const KINDS: Readonly<Record<string, EntryKind>> = {
  pipeline: 'pipeline',
  'business-logic': 'businessLogic',
  businessLogic: 'businessLogic',
  template: 'template',
};
export const KIND_CHOICES = ['pipeline', 'business-logic', 'template'] as const;

export function parseKind(value: string): EntryKind {
  const kind = KINDS[value];
  if (kind === undefined) throw new InvalidArgumentError(`unknown kind "${value}"; use one of ${KIND_CHOICES.join(', ')}.`);
  return kind;
}

export function kindName(kind: EntryKind): string {
  return kind === 'businessLogic' ? 'business-logic' : kind;
}

/** For repeatable list options: `--tag a --tag b` and `--tag a,b` both give [a, b]. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((item) => item.trim()).filter((item) => item !== '')];
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
  return number;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
