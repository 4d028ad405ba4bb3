// The cost report as Markdown: a heading per table, the price book and its date at the top.
import type { DashboardData } from '../dashboard';
import { cellText, reportTables, type ReportTable } from './tables';

export function markdownReport(data: DashboardData): string {
  const lines = [
    '# NeuroLake cost report',
    '',
    `Generated ${new Date(data.generatedAt).toISOString()}. Prices: **${data.prices.name}**, as of ${data.prices.asOf} (${data.prices.source}; ${data.prices.region}).`,
    '',
  ];
  for (const table of reportTables(data)) lines.push(...markdownTable(table), '');
  return lines.join('\n');
}

function markdownTable(table: ReportTable): string[] {
  const out = [`## ${table.title}`, ''];
  if (table.rows.length > 0) {
    out.push(`| ${[table.keyLabel, ...table.columns.map((c) => c.label)].map(cell).join(' | ')} |`);
    out.push(`| --- |${table.columns.map((c) => (c.unit === 'text' ? ' --- |' : ' ---: |')).join('')}`);
    for (const row of table.rows) out.push(`| ${[row.key, ...row.cells.map((v, i) => cellText(v, table.columns[i]?.unit ?? 'text'))].map(cell).join(' | ')} |`);
  }
  if (table.note !== undefined) out.push(...(table.rows.length > 0 ? [''] : []), table.note);
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
