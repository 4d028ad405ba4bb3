// `neurolake catalog register <kind>`: turns shell options into the entry the catalog validates.
// The catalog names bad fields itself; here we only name bad options (JSON that does not parse,
// an option that does not belong to the kind, two sources for one field).
import type { EntryKind } from '../engines/catalog';
import { kindName, parseJsonOption, readInputFile } from './catalogContext';
import { EXIT } from './exitCodes';
import { CliError } from './output';

export interface RegisterOptions {
  readonly name?: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly logic?: string;
  readonly logicFile?: string;
  readonly expression?: string;
  readonly domain?: string;
  readonly body?: string;
  readonly bodyFile?: string;
  readonly templateKind?: string;
  readonly dialects?: string[];
  readonly var?: string[];
  readonly variablesFile?: string;
}

/** Which kind each kind-specific option belongs to, and how it is spelled on the command line. */
const KIND_OPTIONS: readonly [keyof RegisterOptions, string, EntryKind][] = [
  ['logic', '--logic', 'pipeline'],
  ['logicFile', '--logic-file', 'pipeline'],
  ['expression', '--expression', 'businessLogic'],
  ['domain', '--domain', 'businessLogic'],
  ['body', '--body', 'template'],
  ['bodyFile', '--body-file', 'template'],
  ['templateKind', '--template-kind', 'template'],
  ['dialects', '--dialects', 'template'],
  ['var', '--var', 'template'],
  ['variablesFile', '--variables-file', 'template'],
];

export async function registerInput(kind: EntryKind, options: RegisterOptions): Promise<{ kind: EntryKind } & Record<string, unknown>> {
  for (const [key, flag, owner] of KIND_OPTIONS) {
    if (options[key] !== undefined && owner !== kind) throw new CliError(`${flag} is for a ${kindName(owner)}, not a ${kindName(kind)}`, EXIT.usage);
  }
  const common = { kind, name: options.name, description: options.description, tags: options.tags };
  switch (kind) {
    case 'pipeline':
      return { ...common, logic: await oneOf(options.logic, options.logicFile, '--logic', '--logic-file', (text, flag) => parseJsonOption(text, flag)) };
    case 'businessLogic':
      return { ...common, expression: options.expression, domain: options.domain };
    case 'template':
      return {
        ...common,
        body: await oneOf(options.body, options.bodyFile, '--body', '--body-file', (text) => text),
        templateKind: options.templateKind,
        dialects: options.dialects,
        variables: await variables(options),
      };
  }
}

/** A field given inline or from a file, never both. */
async function oneOf<T>(
  inline: string | undefined,
  file: string | undefined,
  inlineFlag: string,
  fileFlag: string,
  parse: (text: string, flag: string) => T,
): Promise<T | undefined> {
  if (inline !== undefined && file !== undefined) throw new CliError(`give ${inlineFlag} or ${fileFlag}, not both`, EXIT.usage);
  if (inline !== undefined) return parse(inline, inlineFlag);
  if (file !== undefined) return parse(await readInputFile(file, fileFlag), `${fileFlag} ${file}`);
  return undefined;
}

async function variables(options: RegisterOptions): Promise<unknown> {
  if (options.var !== undefined && options.variablesFile !== undefined) throw new CliError('give --var or --variables-file, not both', EXIT.usage);
  if (options.variablesFile !== undefined) {
    return parseJsonOption(await readInputFile(options.variablesFile, '--variables-file'), `--variables-file ${options.variablesFile}`);
  }
  return options.var?.map(parseVariable);
}

/**
 * `name:type[:default][:required|optional]`, e.g. `table:identifier:required`,
 * `limit:number:100`, `columns:column_list:id,email:optional`. A default may itself contain `:`.
 */
export function parseVariable(spec: string): Record<string, unknown> {
  const parts = spec.split(':');
  if (parts.length < 2 || parts[0]!.trim() === '' || parts[1]!.trim() === '') {
    throw new CliError(`--var ${spec}: write name:type[:default][:required|optional], e.g. table:identifier:required`, EXIT.usage);
  }
  const [name, type, ...rest] = parts.map((part) => part.trim()) as [string, string, ...string[]];
  const flag = rest.length > 0 && (rest[rest.length - 1] === 'required' || rest[rest.length - 1] === 'optional') ? rest.pop() : undefined;
  const variable: Record<string, unknown> = { name, type };
  if (rest.length > 0) variable['default'] = typedDefault(rest.join(':'), type, spec);
  if (flag !== undefined) variable['required'] = flag === 'required';
  return variable;
}

function typedDefault(text: string, type: string, spec: string): unknown {
  switch (type) {
    case 'number': {
      const number = Number(text);
      if (text === '' || !Number.isFinite(number)) throw new CliError(`--var ${spec}: the default "${text}" is not a number`, EXIT.invalidInput);
      return number;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new CliError(`--var ${spec}: the default "${text}" is not true or false`, EXIT.invalidInput);
      return text === 'true';
    case 'column_list':
      return text.split(',').map((column) => column.trim()).filter((column) => column !== '');
    default:
      return text;
  }
}
