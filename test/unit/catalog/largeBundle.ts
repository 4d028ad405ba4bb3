// A bundle of many templates, as a team's shared catalog grows: big enough that importing or
// exporting it reports progress over many steps, so a test can watch it and cancel it part-way.
import { randomUUID } from 'node:crypto';

/** `entries` templates named `<prefix>_0`, `<prefix>_1`, …, each with a fresh id. */
export function largeBundleText(entries: number, prefix = 'orders_rollup'): string {
  const at = '2026-01-01T00:00:00.000Z';
  const bundleEntries = Array.from({ length: entries }, (_, index) => ({
    versions: [
      {
        id: randomUUID(),
        kind: 'template',
        name: `${prefix}_${index}`,
        description: `Orders per day for shop ${index}`,
        owner: 'ana',
        tags: ['orders', `shop-${index % 40}`],
        templateKind: 'etl',
        dialects: ['postgresql', 'duckdb'],
        body: 'SELECT CAST({{ident date_column}} AS DATE) AS day, COUNT(*) AS orders FROM {{ident table}} GROUP BY 1',
        variables: [
          { name: 'table', type: 'identifier', description: 'orders table', required: true },
          { name: 'date_column', type: 'identifier', description: 'order time', default: 'ordered_at' },
        ],
        version: '1.0.0',
        createdAt: at,
        updatedAt: at,
      },
    ],
  }));
  return JSON.stringify({ format: 'neurolake-catalog-bundle', formatVersion: 1, exportedAt: at, entries: bundleEntries }, null, 2);
}
