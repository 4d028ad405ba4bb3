// `neurolake template …`: render a catalog template to formatted SQL, or list its variables, from
// the shell — the same engine and checks as "Insert into Editor".
import { type Command } from 'commander';
import { SQL_DIALECTS, type CatalogEntry, type SqlDialect, type TemplateEntry, type VariableDeclaration, type VariableValue } from '../engines/catalog';
import { readValueText, render, TemplateError } from '../engines/templates';
import { KEYWORD_CASES, type KeywordCase } from '../protocol/settings';
import { collect, withCatalog, type CatalogCliContext } from './catalogContext';
import { EXIT } from './exitCodes';
import { CliError, print } from './output';

interface RenderOptions {
  readonly dialect?: string;
  readonly var?: string[];
  readonly keywordCase?: string;
  readonly format?: boolean;
  readonly json?: boolean;
}

export function addTemplateCommands(program: Command, ctx: CatalogCliContext): Command {
  const template = program
    .command('template')
    .description('render catalog templates to SQL and list their variables')
    .option('--catalog-file <path>', 'catalog file (default: $NEUROLAKE_CATALOG_FILE, else <data folder>/catalog.json)')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .enablePositionalOptions(false)
    .addHelpText(
      'after',
      `
Examples:
  $ neurolake template vars builtin.dedup.latest --json
  $ neurolake template render builtin.dedup.latest --dialect snowflake --var source=raw.customers --var unique_key=customer_id --var tie_breaker=_loaded_at

A value refused by its declared type (an identifier like "x; DROP TABLE users") exits 1 with the reason.`,
    );

  template
    .command('render')
    .description('render a template (id or name) to formatted SQL on stdout')
    .argument('<template>', 'template id or name')
    .option('--dialect <dialect>', `SQL dialect: ${SQL_DIALECTS.join(', ')} (default: the template's first)`)
    .option('--var <name=value>', 'a variable value; repeat for each (lists: comma-separated)', collect, [])
    .option('--keyword-case <case>', `keyword case: ${KEYWORD_CASES.join(', ')}`, 'upper')
    .option('--no-format', 'print the SQL as rendered, without formatting')
    .option('--json', 'print JSON: { sql, dialect, warnings }')
    .action((idOrName: string, options: RenderOptions) =>
      withCatalog(ctx, async (catalog) => {
        const entry = asTemplate(catalog.resolve(idOrName));
        const dialect = parseDialect(options.dialect);
        if (!KEYWORD_CASES.includes(options.keywordCase as KeywordCase)) {
          throw new CliError(`--keyword-case must be one of ${KEYWORD_CASES.join(', ')}, not "${options.keywordCase}"`, EXIT.usage);
        }
        const values = parseValues(options.var ?? [], entry.variables);
        let result;
        try {
          result = render(entry, values, {
            ...(dialect === undefined ? {} : { dialect }),
            format: options.format === false ? false : { keywordCase: options.keywordCase as KeywordCase },
          });
        } catch (error) {
          // A refused value (or any render failure) exits 1 with the reason, like every engine failure.
          if (error instanceof TemplateError) throw new CliError(error.message, EXIT.general);
          throw error;
        }
        await catalog.recordUsage(entry.id, 'rendered');
        for (const warning of result.warnings) ctx.io.err(`neurolake: warning: ${warning}`);
        print(ctx.io, options, result, () => result.sql);
      }),
    );

  template
    .command('vars')
    .description("list a template's declared variables: name, type, required, default, description")
    .argument('<template>', 'template id or name')
    .option('--json', 'print JSON')
    .action((idOrName: string, options: { json?: boolean }) =>
      withCatalog(ctx, (catalog) => {
        const entry = asTemplate(catalog.resolve(idOrName));
        print(ctx.io, options, entry.variables, () => formatVariables(entry));
      }),
    );

  return template;
}

function asTemplate(entry: CatalogEntry): TemplateEntry {
  if (entry.kind !== 'template') throw new CliError(`"${entry.name}" is a ${entry.kind === 'pipeline' ? 'pipeline pattern' : 'business logic entry'}, not a template`, EXIT.usage);
  return entry;
}

function parseDialect(value: string | undefined): SqlDialect | undefined {
  if (value === undefined) return undefined;
  if (!SQL_DIALECTS.includes(value as SqlDialect)) throw new CliError(`--dialect must be one of ${SQL_DIALECTS.join(', ')}, not "${value}"`, EXIT.usage);
  return value as SqlDialect;
}

/**
 * `--var name=value` pairs, read by the engine's one rule for typed values (the rule the editor's
 * prompt uses too); a refused value exits 1 with the engine's sentence, before anything renders.
 */
export function parseValues(pairs: readonly string[], declarations: readonly VariableDeclaration[]): Record<string, VariableValue> {
  const values: Record<string, VariableValue> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliError(`--var takes name=value, not "${pair}"`, EXIT.usage);
    const name = pair.slice(0, equals).trim();
    const raw = pair.slice(equals + 1);
    const declaration = declarations.find((d) => d.name === name);
    if (declaration === undefined) {
      // Unknown names go through as text so the engine names them all in one message.
      values[name] = raw;
      continue;
    }
    const verdict = readValueText(declaration, raw);
    if (!verdict.ok) throw new CliError(verdict.problem, EXIT.general);
    if (verdict.value !== undefined) values[name] = verdict.value;
  }
  return values;
}

function formatVariables(entry: TemplateEntry): string {
  if (entry.variables.length === 0) return `${entry.name} has no variables.`;
  return entry.variables
    .map((v) => {
      const extra = [v.required ? 'required' : 'optional', v.default === undefined ? undefined : `default ${Array.isArray(v.default) ? v.default.join(', ') : String(v.default)}`]
        .filter(Boolean)
        .join(', ');
      return `${v.name.padEnd(20)} ${v.type.padEnd(12)} ${extra}${v.description === '' ? '' : `\n${' '.repeat(34)}${v.description}`}`;
    })
    .join('\n');
}
