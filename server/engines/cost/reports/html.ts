// The cost report as one self-contained HTML page: inline styles, charts as inline SVG, no script
// and nothing fetched, each chart followed by its table for readers and printers without images.
import { GB } from '../records';
import type { DashboardData } from '../dashboard';
import { escapeXml, lineChart, stackedAreaChart, stackedBarChart } from './svg';
import { cellText, fmt, reportTables, type ReportTable } from './tables';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
  --chart-1: #0969da; --chart-2: #1a7f37; --chart-3: #8250df; --chart-4: #bf8700; --chart-5: #cf222e; --chart-6: #57606a; --chart-band: rgba(9,105,218,0.18); }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d;
  --chart-1: #4493f8; --chart-2: #3fb950; --chart-3: #ab7df8; --chart-4: #d29922; --chart-5: #f85149; --chart-6: #9198a1; --chart-band: rgba(68,147,248,0.25); } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 960px; padding: 0 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note, .meta { color: var(--muted); }
svg.chart { max-width: 100%; height: auto; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg text { fill: var(--muted); font-size: 11px; }
svg .chart-title { fill: var(--fg); font-size: 13px; font-weight: 600; }
svg .value { fill: var(--fg); }
details.daily > summary { cursor: pointer; color: var(--muted); }
`;

export function htmlReport(data: DashboardData): string {
  const tables = new Map(reportTables(data).map((t) => [t.id, t]));
  const section = (id: string, chart?: string): string => {
    const table = tables.get(id);
    if (table === undefined) return '';
    const body = id === 'daily_cost' ? `<details class="daily"><summary>Every day</summary>${tableHtml(table)}</details>` : tableHtml(table);
    return `<section id="${id}"><h2>${escapeXml(table.title)}</h2>${chart === undefined ? '' : `<figure>${chart}</figure>`}${body}${noteHtml(table)}</section>`;
  };
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>NeuroLake cost report</title><style>${STYLE}</style></head><body>`,
    '<h1>NeuroLake cost report</h1>',
    `<p class="meta">Generated ${escapeXml(new Date(data.generatedAt).toISOString())}. Prices: <strong>${escapeXml(data.prices.name)}</strong>, as of ${escapeXml(data.prices.asOf)} (${escapeXml(data.prices.source)}; ${escapeXml(data.prices.region)}).</p>`,
    section('daily_cost', dailyChart(data)),
    section('forecast', forecastChart(data)),
    section('deployment_models', modelsChart(data)),
    section('savings_to_date', savingsChart(data)),
    section('hit_ratio_by_capacity', capacityChart(data)),
    section('recommendations'),
    section('roi'),
    section('storage_by_tier'),
    section('compute_by_type'),
    '</body></html>',
    '',
  ].join('\n');
}

function tableHtml(table: ReportTable): string {
  if (table.rows.length === 0) return '';
  const head = `<tr><th scope="col">${escapeXml(table.keyLabel)}</th>${table.columns.map((c) => `<th scope="col">${escapeXml(c.label)}</th>`).join('')}</tr>`;
  const rows = table.rows
    .map(
      (row) =>
        `<tr><th scope="row">${escapeXml(row.key)}</th>${row.cells
          .map((v, i) => {
            const unit = table.columns[i]?.unit ?? 'text';
            return `<td${unit === 'text' ? '' : ' class="num"'}>${escapeXml(cellText(v, unit))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<table data-table="${table.id}"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function noteHtml(table: ReportTable): string {
  return table.note === undefined ? '' : `<p class="note">${escapeXml(table.note)}</p>`;
}

const money = (v: number): string => `$${fmt(v, v >= 100 ? 0 : 2)}`;

function dailyChart(data: DashboardData): string | undefined {
  const days = data.summary.days;
  if (days.length === 0) return undefined;
  const series = [
    { name: 'Local storage', values: days.map((d) => d.storage.local) },
    { name: 'Cloud storage', values: days.map((d) => d.storage.cloud) },
    { name: 'Archive storage', values: days.map((d) => d.storage.archive) },
    { name: 'Local compute', values: days.map((d) => d.compute.local) },
    { name: 'Cloud compute', values: days.map((d) => d.compute.cloud) },
  ];
  return stackedAreaChart(series, { title: 'Cost by tier per day', xLabels: days.map((d) => d.day), yFormat: money });
}

function forecastChart(data: DashboardData): string | undefined {
  const f = data.forecast;
  if (!f.ok) return undefined;
  const history = data.summary.days.slice(-56);
  const labels = [...history.map((d) => d.day), ...f.daily.map((d) => d.day)];
  const pad = <T>(n: number, v: T): T[] => new Array<T>(n).fill(v);
  return lineChart(
    [
      { name: 'Recorded', values: [...history.map((d) => d.totalUsd), ...pad(f.daily.length, Number.NaN)] },
      { name: 'Forecast', values: [...pad(history.length, Number.NaN), ...f.daily.map((d) => d.expectedUsd)], colour: 'var(--chart-4)' },
    ],
    {
      title: `Daily cost: recorded and forecast (${Math.round(f.confidence * 100)}% band)`,
      xLabels: labels,
      yFormat: money,
      band: { name: `${Math.round(f.confidence * 100)}% band`, low: [...pad(history.length, null), ...f.daily.map((d) => d.lowUsd)], high: [...pad(history.length, null), ...f.daily.map((d) => d.highUsd)] },
    },
  );
}

function modelsChart(data: DashboardData): string {
  const c = data.comparison;
  const models = [c.cloudOnly, c.hybrid, c.localOnly];
  return stackedBarChart(
    [
      { name: 'Storage', values: models.map((m) => m.storageUsd) },
      { name: 'Compute', values: models.map((m) => m.computeUsd) },
      { name: 'Egress', values: models.map((m) => m.egressUsd) },
      { name: 'Hardware', values: models.map((m) => m.hardwareUsd) },
    ],
    { title: 'A month in each deployment model', xLabels: ['Cloud only', 'Hybrid', 'Local only'], yFormat: money },
  );
}

function savingsChart(data: DashboardData): string | undefined {
  const days = data.savings.days;
  if (days.length === 0) return undefined;
  return lineChart(
    [
      { name: 'All in the cloud', values: days.map((d) => d.cloudOnlyUsd), colour: 'var(--chart-5)' },
      { name: 'Actual', values: days.map((d) => d.actualUsd), colour: 'var(--chart-2)' },
    ],
    { title: 'Cost to date', xLabels: days.map((d) => d.day), yFormat: money },
  );
}

function capacityChart(data: DashboardData): string | undefined {
  const curve = data.capacity?.curve;
  if (curve === undefined || curve.length === 0) return undefined;
  return lineChart([{ name: 'Hit ratio', values: curve.map((p) => p.hitRatio * 100) }], {
    title: 'Local hit ratio by capacity (replayed history)',
    xLabels: curve.map((p) => `${fmt(p.capacityBytes / GB, 1)} GB`),
    yFormat: (v) => `${fmt(v, 0)}%`,
  });
}
