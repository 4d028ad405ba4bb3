// A fresh catalog in a temporary folder per test, closed and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, type CatalogOptions } from '../../../server/engines/catalog/catalog';

export interface Scratch {
  readonly folder: string;
  readonly file: string;
  open(options?: Partial<CatalogOptions>): Promise<Catalog>;
  cleanup(): Promise<void>;
}

export function scratchCatalog(): Scratch {
  const folder = mkdtempSync(join(tmpdir(), 'nl-catalog-'));
  const file = join(folder, 'catalog.json');
  const opened: Catalog[] = [];
  return {
    folder,
    file,
    async open(options = {}) {
      const catalog = await Catalog.open({ file, owner: 'ana', ...options });
      opened.push(catalog);
      return catalog;
    },
    async cleanup() {
      for (const catalog of opened) await catalog.close().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The README's example pipeline: `customer_etl`, tagged etl, customer and daily. */
export const customerEtl = {
  kind: 'pipeline' as const,
  name: 'customer_etl',
  description: 'Load and transform customer data',
  logic: { source: 'postgres.customers', transformations: ['deduplicate', 'enrich'], target: 'dw.dim_customers' },
  tags: ['etl', 'customer', 'daily'],
};

export const revenueTemplate = {
  kind: 'template' as const,
  name: 'daily_revenue',
  description: 'Revenue per day from an orders table',
  templateKind: 'etl',
  dialects: ['postgresql', 'duckdb'],
  body: 'SELECT {{ident date_column}}::date AS day, SUM({{ident amount_column}}) FROM {{ident table}} GROUP BY 1',
  variables: [
    { name: 'table', type: 'identifier', description: 'orders table', required: true },
    { name: 'date_column', type: 'identifier', description: 'order date', default: 'ordered_at' },
    { name: 'amount_column', type: 'identifier', description: 'amount', default: 'amount' },
  ],
  tags: ['finance'],
};
