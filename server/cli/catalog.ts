// `neurolake catalog …`: register, find, version, share and retire catalog entries from the shell,
// on the same catalog file the extension uses.
import { Argument, type Command } from 'commander';
import type { EntryKind } from '../engines/catalog';
import { exportCommand, importCommand, parseMode, type ExportOptions, type ImportOptions } from './catalogBundle';
import { collect, collectList, KIND_CHOICES, kindName, parseKind, positiveInteger, withCatalog, type CatalogCliContext } from './catalogContext';
import { formatDiff, formatEntry, formatList, formatSearch, formatStats, formatVersions } from './catalogFormat';
import { registerInput, type RegisterOptions } from './catalogRegister';
import { EXIT_CODES_HELP } from './exitCodes';
import { print, type OutputOptions } from './output';

interface FilterOptions extends OutputOptions {
  readonly kind?: EntryKind;
  readonly tag?: string[];
}

const EXAMPLES = `
Examples:
  $ neurolake catalog register pipeline --name customer_etl --description "Load and transform customer data" \\
      --logic '{"source":"postgres.customers","transformations":["deduplicate","enrich"],"target":"dw.dim_customers"}' \\
      --tags etl,customer,daily
  $ neurolake catalog search customer --tag etl --json
  $ neurolake catalog stats --json`;

export function addCatalogCommands(program: Command, ctx: CatalogCliContext): Command {
  const catalog = program
    .command('catalog')
    .description('the catalog of reusable pipeline patterns, business logic and SQL templates')
    .option('--catalog-file <path>', 'catalog file (default: $NEUROLAKE_CATALOG_FILE, else <data folder>/catalog.json)')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    // Unlike the program's, these options are recognised anywhere, e.g. after `catalog list`.
    .enablePositionalOptions(false)
    .addHelpText('after', `${EXIT_CODES_HELP}\n${EXAMPLES}`);

  const leaf = (name: string, description: string): Command => catalog.command(name).description(description).option('--json', 'print JSON');
  const kindOption = '--kind <kind>';
  const kindHelp = `only entries of this kind: ${KIND_CHOICES.join(', ')}`;

  leaf('register', 'register a new entry (version 1.0.0)')
    .addArgument(new Argument('<kind>', KIND_CHOICES.join(' | ')).argParser(parseKind))
    .requiredOption('--name <name>', 'unique name within its kind')
    .option('--description <text>', 'what it is for')
    .option('--tags <tags>', 'comma-separated tags, e.g. etl,customer,daily', collectList)
    .option('--logic <json>', 'pipeline: the logic as a JSON object')
    .option('--logic-file <file>', 'pipeline: read the logic JSON from a file')
    .option('--expression <sql>', 'business-logic: the SQL expression or predicate')
    .option('--domain <domain>', 'business-logic: the business domain, e.g. sales')
    .option('--body <text>', 'template: the Handlebars SQL body')
    .option('--body-file <file>', 'template: read the body from a file')
    .option('--template-kind <kind>', 'template: etl, data_quality, scd, dedup or custom')
    .option('--dialects <list>', 'template: comma-separated SQL dialects, the first is the default', collectList)
    .option('--var <spec>', 'template: a variable as name:type[:default][:required|optional]; repeatable', collect)
    .option('--variables-file <file>', 'template: read the variable declarations (a JSON list) from a file')
    .action((kind: EntryKind, options: RegisterOptions & OutputOptions) =>
      withCatalog(ctx, async (c) => {
        const entry = await c.register(await registerInput(kind, options));
        print(ctx.io, options, entry, () => `Registered ${entry.name} (${kindName(entry.kind)} ${entry.version}), id ${entry.id}`);
      }),
    );

  leaf('get', 'show an entry, its current version or the one asked for')
    .argument('<id-or-name>')
    .option('--version <x.y.z>', 'a past version')
    .action((idOrName: string, options: OutputOptions & { version?: string }) =>
      withCatalog(ctx, (c) => {
        const entry = c.resolve(idOrName, options.version);
        print(ctx.io, options, entry, () => formatEntry(entry));
      }),
    );

  leaf('list', 'list your entries, by name (--builtins adds the templates shipped with NeuroLake)')
    .option(kindOption, kindHelp, parseKind)
    .option('--tag <tag>', 'only entries with this tag; repeatable (all must match)', collectList)
    .option('--include-deleted', 'include deleted entries')
    .option('--builtins', 'include the built-in templates')
    .action((options: FilterOptions & { includeDeleted?: boolean; builtins?: boolean }) =>
      withCatalog(ctx, (c) => {
        const entries = c
          .list({ kind: options.kind, tags: options.tag, includeDeleted: options.includeDeleted === true })
          .filter((entry) => options.builtins === true || entry.builtin !== true);
        print(ctx.io, options, entries, () => formatList(entries));
      }),
    );

  leaf('search', 'search names, tags and descriptions, best match first; tolerates a typo per word')
    .argument('<text...>')
    .option(kindOption, kindHelp, parseKind)
    .option('--tag <tag>', 'only entries with this tag; repeatable (all must match)', collectList)
    .option('--limit <n>', 'at most this many results (default 50)', positiveInteger)
    .action((words: string[], options: FilterOptions & { limit?: number }) =>
      withCatalog(ctx, (c) => {
        const found = c.search({ text: words.join(' '), kind: options.kind, tags: options.tag, limit: options.limit });
        print(ctx.io, options, found, () => formatSearch(found));
      }),
    );

  leaf('versions', 'list the versions of an entry, oldest first')
    .argument('<id-or-name>')
    .action((idOrName: string, options: OutputOptions) =>
      withCatalog(ctx, (c) => {
        const versions = c.versions(c.resolve(idOrName).id);
        print(ctx.io, options, versions, () => formatVersions(versions));
      }),
    );

  leaf('diff', 'show what changed between two versions of an entry')
    .argument('<id-or-name>')
    .argument('<from>', 'older version, e.g. 1.0.0')
    .argument('<to>', 'newer version')
    .action((idOrName: string, from: string, to: string, options: OutputOptions) =>
      withCatalog(ctx, (c) => {
        const diff = c.diff(idOrName, from, to);
        print(ctx.io, options, diff, () => formatDiff(diff));
      }),
    );

  leaf('stats', 'count entries by kind and tag, and the most used')
    .action((options: OutputOptions) =>
      withCatalog(ctx, (c) => {
        const stats = c.stats();
        print(ctx.io, options, stats, () => formatStats(stats));
      }),
    );

  leaf('export', 'write entries (every version) as a bundle another catalog can import')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option(kindOption, kindHelp, parseKind)
    .option('--tag <tag>', 'only entries with this tag; repeatable (all must match)', collectList)
    .action((options: ExportOptions) => exportCommand(ctx, options));

  leaf('import', 'import a bundle, all or nothing; prints what was (or, with --dry-run, would be) done')
    .argument('<file>')
    .option('--mode <mode>', 'when an entry exists: skip, overwrite or new-version', parseMode, 'skip')
    .option('--dry-run', 'only report; change nothing')
    .action((file: string, options: ImportOptions) => importCommand(ctx, file, options));

  leaf('deprecate', 'mark an entry deprecated: still usable, shown with a warning')
    .argument('<id-or-name>')
    .requiredOption('--reason <text>', 'why, and what to use instead')
    .action((idOrName: string, options: OutputOptions & { reason: string }) =>
      withCatalog(ctx, async (c) => {
        const entry = await c.deprecate(idOrName, options.reason);
        print(ctx.io, options, entry, () => `Deprecated ${entry.name}: ${entry.deprecated?.reason}`);
      }),
    );

  leaf('delete', 'hide an entry from lists and search; restore brings it back')
    .argument('<id-or-name>')
    .action((idOrName: string, options: OutputOptions) =>
      withCatalog(ctx, async (c) => {
        const entry = await c.delete(idOrName);
        print(ctx.io, options, entry, () => `Deleted ${entry.name} (id ${entry.id}); restore brings it back`);
      }),
    );

  leaf('restore', 'bring back a deleted entry with all its versions')
    .argument('<id-or-name>')
    .action((idOrName: string, options: OutputOptions) =>
      withCatalog(ctx, async (c) => {
        const entry = await c.restore(idOrName);
        print(ctx.io, options, entry, () => `Restored ${entry.name} (${kindName(entry.kind)} ${entry.version})`);
      }),
    );

  leaf('copy', 'copy an entry (built-ins too) under a new name, as your own editable entry')
    .argument('<id-or-name>')
    .requiredOption('--name <name>', 'name of the copy')
    .action((idOrName: string, options: OutputOptions & { name: string }) =>
      withCatalog(ctx, async (c) => {
        const entry = await c.copy(idOrName, options.name);
        print(ctx.io, options, entry, () => `Copied to ${entry.name} (${kindName(entry.kind)} ${entry.version}), id ${entry.id}`);
      }),
    );

  return catalog;
}
