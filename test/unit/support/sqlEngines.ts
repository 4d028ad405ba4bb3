// Real SQL engines to run rendered templates against, in-process and offline: PostgreSQL itself
// compiled to WebAssembly (PGlite) and DuckDB's native library shipped inside its npm package.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';
import { type SqlDialect } from '../../../server/engines/catalog/types';

export type Row = Record<string, unknown>;

export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** Runs one or more statements. */
  exec(sql: string): Promise<void>;
  /** Runs one query; BIGINTs come back as numbers, timestamps as 'YYYY-MM-DD HH:MM:SS' text. */
  query(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

export async function startPostgres(): Promise<SqlEngine> {
  const pg = new PGlite();
  await pg.waitReady;
  return {
    dialect: 'postgresql',
    exec: async (sql) => {
      await pg.exec(sql);
    },
    query: async (sql) => (await pg.query<Row>(sql)).rows.map(plain),
    close: () => pg.close(),
  };
}

export async function startDuckDb(): Promise<SqlEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  return {
    dialect: 'duckdb',
    exec: async (sql) => {
      await connection.run(sql);
    },
    query: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS().map((row) => plain(row as Row)),
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function plain(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') out[key] = Number(value);
    else if (value instanceof Date) out[key] = value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
    else out[key] = value;
  }
  return out;
}
