// Renders a template entry to SQL: check the body, resolve the values, run it in an isolated,
// strict Handlebars environment with NeuroLake's helpers only, then format for the dialect.
import Handlebars from 'handlebars';
import { SQL_DIALECTS, type SqlDialect, type TemplateEntry, type VariableValue } from '../catalog';
import { TemplateError } from './errors';
import { checkTemplate } from './check';
import { formatSql, type FormatOptions } from './format';
import { createHelpers, HELPERS, RenderBudget } from './helpers';
import { DIALECT_VARIABLE, problemToError } from './parse';
import { resolveValues } from './values';

export const MAX_EACH_ITERATIONS = 10_000;
export const MAX_OUTPUT_CHARS = 1_000_000;

export interface RenderOptions {
  /** Defaults to the template's first dialect. */
  readonly dialect?: SqlDialect;
  /** Layout of the SQL; `false` returns it as rendered (trimmed). */
  readonly format?: Partial<FormatOptions> | false;
}

export interface RenderResult {
  readonly sql: string;
  readonly dialect: SqlDialect;
  /** Things the user should know that did not stop the render, e.g. the formatter gave up. */
  readonly warnings: readonly string[];
}

/**
 * An environment of our own: nothing registered on the global Handlebars reaches it, and the
 * built-ins a template must not use are removed, not just left unlisted.
 */
const env = Handlebars.create();
for (const name of ['lookup', 'with', 'log']) env.unregisterHelper(name);
env.unregisterDecorator('inline');

const KNOWN_HELPERS = Object.fromEntries(HELPERS.map((helper) => [helper.name, true]));

export function render(template: TemplateEntry, values: Readonly<Record<string, VariableValue | undefined>>, options: RenderOptions = {}): RenderResult {
  const dialect = options.dialect ?? template.dialects[0];
  if (dialect === undefined || !SQL_DIALECTS.includes(dialect)) {
    throw new TemplateError('unsupported-dialect', `Unknown dialect ${JSON.stringify(dialect)}; NeuroLake knows ${SQL_DIALECTS.join(', ')}.`);
  }
  if (!template.dialects.includes(dialect)) {
    throw new TemplateError('unsupported-dialect', `Template "${template.name}" is written for ${template.dialects.join(', ')}, not ${dialect}.`);
  }

  const checked = checkTemplate(template);
  const first = checked.problems[0];
  if (first || !checked.program) throw first ? problemToError(first) : new TemplateError('syntax', 'The template could not be read.');

  const resolved = resolveValues(template.variables, values);
  // No prototype: a name the template does not declare is simply absent, never Object's.
  const context: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of resolved) context[name] = value;
  context[DIALECT_VARIABLE] = dialect;

  const budget = new RenderBudget(MAX_EACH_ITERATIONS, MAX_OUTPUT_CHARS);
  let sql: string;
  try {
    const compiled = env.compile(checked.program, {
      strict: true,
      noEscape: true,
      knownHelpersOnly: true,
      knownHelpers: KNOWN_HELPERS,
      preventIndent: true,
    });
    sql = compiled(context, {
      helpers: createHelpers(dialect, budget),
      partials: {},
      decorators: {},
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
  } catch (error) {
    throw asTemplateError(error);
  }
  budget.checkOutput(sql.length);

  if (options.format === false) return { sql: sql.trim(), dialect, warnings: [] };
  const formatted = formatSql(sql, dialect, options.format);
  return { sql: formatted.sql, dialect, warnings: formatted.warnings };
}

function asTemplateError(error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  if (error instanceof RangeError) return new TemplateError('too-large', 'The template is nested too deeply to render.');
  const message = error instanceof Error ? error.message : String(error);
  // Strict mode's words for a name that is not there: checkTemplate should have caught it first.
  const missing = /^"([^"]+)" not defined/.exec(message);
  if (missing?.[1]) return new TemplateError('undeclared-variable', `The template uses "${missing[1]}", which has no value.`, { variables: [missing[1]] });
  return new TemplateError('invalid-value', `The template could not be rendered: ${message}`);
}
