// The few places the dialects differ that helpers paper over: string literals, intervals, the
// current timestamp and type names. Kept here so a new dialect is one table row per concern.
import { type SqlDialect } from '../catalog';

/** Dialects whose string literals treat a backslash as an escape (and `''` is not an escape). */
const BACKSLASH_ESCAPES: ReadonlySet<SqlDialect> = new Set(['bigquery', 'spark']);

/**
 * A single-quoted string literal. Snowflake reads backslash escapes but also doubles quotes;
 * BigQuery and Spark read only backslash escapes (Spark would read `'a''b'` as two literals run
 * together: `ab`), so the quote is escaped with a backslash there.
 */
export function stringLiteral(text: string, dialect: SqlDialect): string {
  if (BACKSLASH_ESCAPES.has(dialect)) {
    const escaped = text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r');
    return `'${escaped}'`;
  }
  if (dialect === 'snowflake') {
    const escaped = text.replaceAll('\\', '\\\\').replaceAll("'", "''").replaceAll('\n', '\\n').replaceAll('\r', '\\r');
    return `'${escaped}'`;
  }
  return `'${text.replaceAll("'", "''")}'`;
}

export const INTERVAL_UNITS = ['minute', 'hour', 'day'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** An interval literal of `amount` units, in the form the dialect documents. */
export function intervalLiteral(amount: number, unit: IntervalUnit, dialect: SqlDialect): string {
  switch (dialect) {
    case 'postgresql':
    case 'snowflake':
    case 'duckdb':
      return `INTERVAL '${amount} ${unit}s'`;
    case 'bigquery':
      return `INTERVAL ${amount} ${unit.toUpperCase()}`;
    case 'spark':
      return `INTERVAL ${amount} ${unit.toUpperCase()}S`;
    case 'sql':
      return `INTERVAL '${amount}' ${unit.toUpperCase()}`;
  }
}

export function currentTimestamp(dialect: SqlDialect): string {
  // CURRENT_TIMESTAMP is ANSI and every dialect here has it; BigQuery and Spark document the call form.
  return dialect === 'bigquery' || dialect === 'spark' ? 'CURRENT_TIMESTAMP()' : 'CURRENT_TIMESTAMP';
}

export const SQL_TYPE_KINDS = ['string', 'integer', 'timestamp', 'boolean'] as const;
export type SqlTypeKind = (typeof SQL_TYPE_KINDS)[number];

const TYPE_NAMES: Record<SqlDialect, Record<SqlTypeKind, string>> = {
  postgresql: { string: 'TEXT', integer: 'BIGINT', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
  snowflake: { string: 'VARCHAR', integer: 'NUMBER(38, 0)', timestamp: 'TIMESTAMP_NTZ', boolean: 'BOOLEAN' },
  bigquery: { string: 'STRING', integer: 'INT64', timestamp: 'TIMESTAMP', boolean: 'BOOL' },
  spark: { string: 'STRING', integer: 'BIGINT', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
  duckdb: { string: 'VARCHAR', integer: 'BIGINT', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
  sql: { string: 'VARCHAR(4000)', integer: 'BIGINT', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
};

export function sqlTypeName(kind: SqlTypeKind, dialect: SqlDialect): string {
  return TYPE_NAMES[dialect][kind];
}
