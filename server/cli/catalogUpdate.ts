// `neurolake catalog update <id-or-name>` and `register --upsert`: new versions from the shell, for
// a CI job that keeps a team's patterns in git. A save here is the same engine call as a save in
// the editor, so the version is bumped by the same rules (major when a template's variables or a
// pipeline's logic shape change, minor for other content, nothing when nothing changed).
import type { Catalog, CatalogEntry, EntryKind, SaveOutcome } from '../engines/catalog';
import { kindName, parseJsonOption, readInputFile, withCatalog, type CatalogCliContext } from './catalogContext';
import { registerInput, type RegisterOptions } from './catalogRegister';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';

export interface UpdateOptions extends RegisterOptions, OutputOptions {
  /** A JSON object with the fields to change, e.g. `catalog get --json` output, edited. */
  readonly file?: string;
}

/** The fields a person edits, per kind; anything else in a --file is refused by name. */
const EDITABLE: Readonly<Record<EntryKind, readonly string[]>> = {
  pipeline: ['logic'],
  businessLogic: ['expression', 'domain'],
  template: ['templateKind', 'dialects', 'body', 'variables'],
};
const COMMON = ['name', 'description', 'tags', 'owner'];
/** What `catalog get --json` prints besides the content: the catalog keeps these itself. */
const BOOKKEEPING = new Set(['version', 'createdAt', 'updatedAt', 'deprecated', 'deletedAt', 'builtin']);

export async function updateCommand(ctx: CatalogCliContext, idOrName: string, options: UpdateOptions): Promise<void> {
  const outcome = await withCatalog(ctx, async (catalog) => {
    const entry = catalog.resolve(idOrName);
    const changes = { ...(await changesFromFile(options.file, entry)), ...given(await registerInput(entry.kind, options)) };
    delete changes['kind'];
    if (Object.keys(changes).length === 0) {
      throw new CliError('nothing to change: give the fields to change (--description, --tags, --logic, --body, --var, …) or --file', EXIT.usage);
    }
    return catalog.revise(entry.id, changes);
  });
  printOutcome(ctx, options, outcome);
}

/** `register --upsert`: the options describe the whole entry; it is created, or saved as its next version. */
export async function upsertCommand(ctx: CatalogCliContext, kind: EntryKind, options: RegisterOptions & OutputOptions): Promise<void> {
  const outcome = await withCatalog(ctx, async (catalog: Catalog) => catalog.upsert(await registerInput(kind, options)));
  printOutcome(ctx, options, outcome);
}

function printOutcome(ctx: CatalogCliContext, options: OutputOptions, { entry, outcome, previousVersion }: SaveOutcome): void {
  const what = `${kindName(entry.kind)} ${entry.version}`;
  print(ctx.io, options, { outcome, ...(previousVersion === undefined ? {} : { previousVersion }), entry }, () => {
    switch (outcome) {
      case 'created':
        return `Registered ${entry.name} (${what}), id ${entry.id}`;
      case 'updated':
        return `Updated ${entry.name} (${kindName(entry.kind)} ${previousVersion} → ${entry.version}), id ${entry.id}`;
      case 'unchanged':
        return `${entry.name} is unchanged (${what}), id ${entry.id}`;
    }
  });
}

function given(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** Reads the changes a --file holds, checking it describes this entry and holds only fields a person edits. */
async function changesFromFile(file: string | undefined, entry: CatalogEntry): Promise<Record<string, unknown>> {
  if (file === undefined) return {};
  const flag = `--file ${file}`;
  const value = parseJsonOption(await readInputFile(file, '--file'), flag);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${flag} must hold one JSON object of the fields to change`, EXIT.invalidInput);
  const fields = { ...(value as Record<string, unknown>) };
  if (fields['id'] !== undefined && fields['id'] !== entry.id) {
    throw new CliError(`${flag} describes the entry ${String(fields['id'])}, not ${entry.name} (id ${entry.id})`, EXIT.invalidInput);
  }
  if (fields['kind'] !== undefined && fields['kind'] !== entry.kind) {
    throw new CliError(`${flag} describes a ${String(fields['kind'])}, but ${entry.name} is a ${kindName(entry.kind)}`, EXIT.invalidInput);
  }
  const editable = new Set([...COMMON, ...EDITABLE[entry.kind]]);
  const changes: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    if (key === 'id' || key === 'kind' || BOOKKEEPING.has(key)) continue;
    if (!editable.has(key)) throw new CliError(`${flag}: "${key}" is not a field of a ${kindName(entry.kind)}; it has ${[...editable].join(', ')}`, EXIT.invalidInput);
    // A body may be written as a list of lines, as the editor shows it.
    changes[key] = key === 'body' && Array.isArray(field) ? field.join('\n') : field;
  }
  return changes;
}
