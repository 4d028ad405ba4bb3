// Lays out rendered SQL with sql-formatter in the dialect's own grammar. Formatting is a nicety:
// when the formatter cannot read the SQL, the SQL is returned as rendered with a warning.
import { format, type SqlLanguage } from 'sql-formatter';
import { type SqlDialect } from '../catalog';

export interface FormatOptions {
  /** Case of SQL keywords; 'preserve' leaves them as the template wrote them. */
  readonly keywordCase: 'upper' | 'lower' | 'preserve';
  /** Spaces per indentation level (ignored when useTabs). */
  readonly tabWidth: number;
  readonly useTabs: boolean;
  /** Blank lines between statements. */
  readonly linesBetweenQueries: number;
}

export const FORMAT_DEFAULTS: FormatOptions = { keywordCase: 'upper', tabWidth: 2, useTabs: false, linesBetweenQueries: 1 };

const LANGUAGES: Record<SqlDialect, SqlLanguage> = {
  postgresql: 'postgresql',
  snowflake: 'snowflake',
  bigquery: 'bigquery',
  spark: 'spark',
  duckdb: 'duckdb',
  sql: 'sql',
};

export function formatSql(sql: string, dialect: SqlDialect, options: Partial<FormatOptions> = {}): { sql: string; warnings: string[] } {
  const settings = { ...FORMAT_DEFAULTS, ...options };
  try {
    const formatted = format(sql, {
      language: LANGUAGES[dialect],
      keywordCase: settings.keywordCase,
      // People read COUNT, CAST and DATE as keywords too; one setting sets all three.
      functionCase: settings.keywordCase,
      dataTypeCase: settings.keywordCase,
      tabWidth: clamp(settings.tabWidth, 1, 8),
      useTabs: settings.useTabs,
      linesBetweenQueries: clamp(settings.linesBetweenQueries, 0, 5),
    });
    return { sql: formatted, warnings: [] };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { sql: sql.trim(), warnings: [`The SQL was left unformatted: the ${dialect} formatter could not read it (${reason}).`] };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
