// The cost report as one CSV in long form (section, key, measure, value, unit): every table in a
// single file a spreadsheet can pivot, with numbers unformatted so they read back exactly.
import { stringify } from 'csv-stringify/sync';
import type { DashboardData } from '../dashboard';
import { reportTables } from './tables';

export const CSV_COLUMNS = ['section', 'key', 'measure', 'value', 'unit'] as const;

export function csvReport(data: DashboardData): string {
  const rows: (string | number)[][] = [
    ['prices', data.prices.name, 'as_of', data.prices.asOf, 'text'],
    ['prices', data.prices.name, 'source', data.prices.source, 'text'],
    ['prices', data.prices.name, 'region', data.prices.region, 'text'],
  ];
  for (const table of reportTables(data)) {
    for (const row of table.rows) {
      table.columns.forEach((column, i) => {
        const value = row.cells[i];
        if (value === null || value === undefined || value === '') return;
        rows.push([table.id, row.key, column.id, typeof value === 'number' ? Number(value.toFixed(6)) : value, column.unit]);
      });
    }
    if (table.note !== undefined) rows.push([table.id, '', 'note', table.note, 'text']);
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
