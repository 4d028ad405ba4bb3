// What every `neurolake catalog` subcommand shares: which catalog file, opening and always closing
// it (closing compacts the journal into the snapshot), and turning catalog failures into exit codes.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { BUILTIN_TEMPLATES } from '../engines/catalog/builtins';
import { Catalog } from '../engines/catalog/catalog';
import { CatalogError } from '../engines/catalog/errors';
import type { EntryKind } from '../engines/catalog/types';
import { defaultOwner } from '../runtime/catalogLocation';
import { EXIT, exitCodeFor } from './exitCodes';
import { CliError, type Io } from './output';

export interface CatalogCliContext {
  readonly io: Io;
  /** Resolved lazily: the options are only known once commander has parsed them. */
  catalogFile(): string;
}

/** Opens the catalog, runs `work`, and closes it whatever happened, so the snapshot is compacted. */
export async function withCatalog<T>(ctx: CatalogCliContext, work: (catalog: Catalog) => Promise<T> | T): Promise<T> {
  const catalog = await asCliError(() => Catalog.open({ file: ctx.catalogFile(), owner: defaultOwner(), builtins: BUILTIN_TEMPLATES }));
  let shown = 0;
  const showWarnings = (): void => {
    for (const warning of catalog.warnings.slice(shown)) ctx.io.err(`neurolake: warning: ${oneLine(warning)}`);
    shown = catalog.warnings.length;
  };
  showWarnings();
  let result: T;
  try {
    result = await asCliError(() => work(catalog));
  } catch (error) {
    // The failure is the one line to show; what closing finds is beside the point then.
    await catalog.close().catch(() => undefined);
    throw error;
  }
  // Closing compacts; if that fails (a full disk) the changes are still safe in the journal: a warning, not a failure.
  await asCliError(() => catalog.close());
  showWarnings();
  return result;
}

export async function asCliError<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CatalogError) throw new CliError(oneLine(error.message), exitCodeFor(error.code));
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
