// NeuroLake's template helpers: the only functions a template body may call. HELPERS documents
// them (completion and hover show it); createHelpers builds the implementations for one render.
import type Handlebars from 'handlebars';
import { type SqlDialect } from '../catalog';
import { currentTimestamp, INTERVAL_UNITS, intervalLiteral, SQL_TYPE_KINDS, sqlTypeName, stringLiteral, type IntervalUnit, type SqlTypeKind } from './dialects';
import { TemplateError } from './errors';
import { parseIdentifier, quoteIdentifier } from './identifiers';

export interface HelperDoc {
  readonly name: string;
  /** How it is written in a template, e.g. `{{columns list "t."}}`. */
  readonly signature: string;
  readonly description: string;
  /** A block helper, written `{{#name …}}…{{/name}}`. */
  readonly block: boolean;
  readonly minArgs: number;
  readonly maxArgs: number;
  /**
   * Copies its arguments into the SQL unchanged. A `string` variable (free text) must never
   * reach the output that way: it may only be emitted through `literal`/`literals`.
   */
  readonly passesTextThrough: boolean;
}

const MANY = Number.POSITIVE_INFINITY;

export const HELPERS: readonly HelperDoc[] = [
  {
    name: 'ident',
    signature: '{{ident name}}',
    description:
      'An identifier, quoted for the dialect only when it must be: a reserved word or a name the user quoted ("" on PostgreSQL, Snowflake, DuckDB and generic SQL; backticks on BigQuery and Spark). Accepts dotted names such as `analytics.orders`.',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    passesTextThrough: false,
  },
  {
    name: 'literal',
    signature: '{{literal value}}',
    description: "A single-quoted string literal with quotes (and, where the dialect reads them, backslashes) escaped. The only way a `string` variable reaches the SQL.",
    block: false,
    minArgs: 1,
    maxArgs: 1,
    passesTextThrough: false,
  },
  {
    name: 'literals',
    signature: '{{literals values}}',
    description: 'A comma-separated list of string literals, from a list or a comma-separated string (a value cannot itself contain a comma). For `IN (…)`.',
    block: false,
    minArgs: 1,
    maxArgs: 1,
    passesTextThrough: false,
  },
  {
    name: 'columns',
    signature: '{{columns list "t."}}',
    description: 'A comma-separated list of identifiers from a column_list, each quoted as `ident` would, with an optional table-alias prefix such as `"t."`.',
    block: false,
    minArgs: 1,
    maxArgs: 2,
    passesTextThrough: false,
  },
  {
    name: 'join',
    signature: '{{join list ", "}}',
    description: 'The items of a list joined with a separator, unquoted.',
    block: false,
    minArgs: 2,
    maxArgs: 2,
    passesTextThrough: true,
  },
  {
    name: 'concat',
    signature: '{{concat a b …}}',
    description: 'Its arguments joined with nothing between them, e.g. `{{ident (concat target "_history")}}`.',
    block: false,
    minArgs: 1,
    maxArgs: MANY,
    passesTextThrough: true,
  },
  { name: 'eq', signature: '(eq a b)', description: 'True when a and b are equal, e.g. `{{#if (eq dialect "bigquery")}}`.', block: false, minArgs: 2, maxArgs: 2, passesTextThrough: false },
  { name: 'ne', signature: '(ne a b)', description: 'True when a and b differ.', block: false, minArgs: 2, maxArgs: 2, passesTextThrough: false },
  { name: 'and', signature: '(and a b …)', description: 'True when every argument is truthy (an empty list is falsy).', block: false, minArgs: 2, maxArgs: MANY, passesTextThrough: false },
  { name: 'or', signature: '(or a b …)', description: 'True when any argument is truthy.', block: false, minArgs: 2, maxArgs: MANY, passesTextThrough: false },
  { name: 'not', signature: '(not a)', description: 'True when a is falsy.', block: false, minArgs: 1, maxArgs: 1, passesTextThrough: false },
  {
    name: 'now',
    signature: '{{now}}',
    description: "The dialect's current-timestamp expression (`CURRENT_TIMESTAMP`, or `CURRENT_TIMESTAMP()` on BigQuery and Spark).",
    block: false,
    minArgs: 0,
    maxArgs: 0,
    passesTextThrough: false,
  },
  {
    name: 'interval',
    signature: '{{interval 24 "hour"}}',
    description: "An interval literal in the dialect's syntax; the amount is a whole number, the unit minute, hour or day.",
    block: false,
    minArgs: 2,
    maxArgs: 2,
    passesTextThrough: false,
  },
  {
    name: 'sqltype',
    signature: '{{sqltype "string"}}',
    description: "The dialect's name for a portable type: string, integer, timestamp or boolean (e.g. TEXT on PostgreSQL, STRING on BigQuery).",
    block: false,
    minArgs: 1,
    maxArgs: 1,
    passesTextThrough: false,
  },
  { name: 'if', signature: '{{#if cond}}…{{else}}…{{/if}}', description: 'Renders its body when cond is truthy.', block: true, minArgs: 1, maxArgs: 1, passesTextThrough: false },
  { name: 'unless', signature: '{{#unless cond}}…{{/unless}}', description: 'Renders its body when cond is falsy.', block: true, minArgs: 1, maxArgs: 1, passesTextThrough: false },
  {
    name: 'each',
    signature: '{{#each list as |item|}}…{{/each}}',
    description: 'Renders its body once per item of a column_list, with `this` (or the block parameter) set to the item and @index, @first, @last available.',
    block: true,
    minArgs: 1,
    maxArgs: 1,
    passesTextThrough: false,
  },
];

const HELPERS_BY_NAME: ReadonlyMap<string, HelperDoc> = new Map(HELPERS.map((helper) => [helper.name, helper]));

export function findHelper(name: string): HelperDoc | undefined {
  return HELPERS_BY_NAME.get(name);
}

/** Caps what one render may expand to, so a hostile `{{#each}}` nest cannot hang the server. */
export class RenderBudget {
  private iterations = 0;
  constructor(
    readonly maxIterations: number,
    readonly maxOutputChars: number,
  ) {}

  spendIteration(): void {
    this.iterations += 1;
    if (this.iterations > this.maxIterations) {
      throw new TemplateError('too-large', `The template expands {{#each}} more than ${this.maxIterations} times in total; it was stopped.`, { helper: 'each' });
    }
  }

  checkOutput(length: number): void {
    if (length > this.maxOutputChars) {
      throw new TemplateError('too-large', `The rendered SQL is longer than ${this.maxOutputChars} characters; it was stopped.`);
    }
  }
}

type Helper = Handlebars.HelperDelegate;

export function createHelpers(dialect: SqlDialect, budget: RenderBudget): Record<string, Helper> {
  const inline = (name: string, impl: (args: unknown[]) => unknown): Helper =>
    // Handlebars passes its options object last.
    (...args: unknown[]) => impl(args.slice(0, -1));

  return {
    ident: inline('ident', ([name]) => quoteIdentifier(identifierParts('ident', name), dialect)),
    literal: inline('literal', ([value]) => stringLiteral(scalarText('literal', value), dialect)),
    literals: inline('literals', ([values]) => {
      const items = listItems('literals', values);
      return items.map((item) => stringLiteral(item, dialect)).join(', ');
    }),
    columns: inline('columns', ([list, prefix]) => {
      const alias = prefix === undefined ? '' : scalarText('columns', prefix);
      if (!/^([\p{L}_][\p{L}\p{N}_]*\.)?$/u.test(alias)) {
        throw helperError('columns', `its prefix must be a table alias followed by a dot, such as "t."; got ${JSON.stringify(alias)}`);
      }
      return listItems('columns', list)
        .map((item) => alias + quoteIdentifier(identifierParts('columns', item), dialect))
        .join(', ');
    }),
    join: inline('join', ([list, separator]) => listItems('join', list).join(scalarText('join', separator))),
    concat: inline('concat', (parts) => parts.map((part) => scalarText('concat', part)).join('')),
    eq: inline('eq', ([a, b]) => a === b),
    ne: inline('ne', ([a, b]) => a !== b),
    and: inline('and', (args) => args.every(truthy)),
    or: inline('or', (args) => args.some(truthy)),
    not: inline('not', ([value]) => !truthy(value)),
    now: inline('now', () => currentTimestamp(dialect)),
    interval: inline('interval', ([amount, unit]) => {
      const count = typeof amount === 'string' && /^\d+$/.test(amount) ? Number(amount) : amount;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
        throw helperError('interval', `its amount must be a whole number of at least 0; got ${JSON.stringify(amount)}`);
      }
      const name = typeof unit === 'string' ? unit.toLowerCase().replace(/s$/, '') : unit;
      if (!INTERVAL_UNITS.includes(name as IntervalUnit)) {
        throw helperError('interval', `its unit must be one of ${INTERVAL_UNITS.join(', ')}; got ${JSON.stringify(unit)}`);
      }
      return intervalLiteral(count, name as IntervalUnit, dialect);
    }),
    sqltype: inline('sqltype', ([kind]) => {
      if (!SQL_TYPE_KINDS.includes(kind as SqlTypeKind)) {
        throw helperError('sqltype', `its type must be one of ${SQL_TYPE_KINDS.join(', ')}; got ${JSON.stringify(kind)}`);
      }
      return sqlTypeName(kind as SqlTypeKind, dialect);
    }),
    each: function each(this: unknown, list: unknown, options: Handlebars.HelperOptions): string {
      if (!Array.isArray(list)) throw helperError('each', 'it can only iterate over a column_list');
      if (list.length === 0) return options.inverse(this);
      let out = '';
      // A fresh frame per iteration, as Handlebars' own each does, so @index and friends nest.
      for (let index = 0; index < list.length; index += 1) {
        budget.spendIteration();
        const data: Record<string, unknown> = { ...(options.data as object), _parent: options.data, index, key: index, first: index === 0, last: index === list.length - 1 };
        out += options.fn(list[index], { data, blockParams: [list[index], index] });
        budget.checkOutput(out.length);
      }
      return out;
    },
  };
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function helperError(helper: string, problem: string): TemplateError {
  return new TemplateError('invalid-value', `{{${helper}}}: ${problem}.`, { helper });
}

function scalarText(helper: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw helperError(helper, `it needs a string, number or boolean; got ${describeValue(value)}`);
}

function listItems(helper: string, value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  if (!Array.isArray(items) || items.length === 0 || items.some((item) => typeof item !== 'string' || item === '')) {
    throw helperError(helper, `it needs a non-empty list; got ${describeValue(value)}`);
  }
  return items as string[];
}

function identifierParts(helper: string, value: unknown) {
  if (typeof value !== 'string') throw helperError(helper, `it needs an identifier; got ${describeValue(value)}`);
  const parsed = parseIdentifier(value);
  if ('problem' in parsed) throw helperError(helper, `${JSON.stringify(value)} is not a safe identifier: ${parsed.problem}`);
  return parsed.parts;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'no value';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}
