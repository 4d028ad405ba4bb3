// The cost dashboard's webview script: draws what the extension sends (the server's figures) with
// uPlot, in the theme's colours, each chart with the table it is drawn from, so the figures stay
// readable when a chart cannot be drawn. Buttons only post messages; the extension does the work.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CostComparison, CostComputeCharges, CostDashboard, CostModel, CostRecommendation, CostWorkloadType } from '../../server/protocol/cost';
import type { FromDashboard, ToDashboard } from './messages';
import { table } from '../webview/table';

declare function acquireVsCodeApi(): { postMessage(message: FromDashboard): void };
const vscode = acquireVsCodeApi();
const post = (message: FromDashboard): void => vscode.postMessage(message);

let current: CostDashboard | undefined;
let comparison: CostComparison | undefined;
const charts: uPlot[] = [];

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The dashboard page has no #${id}.`);
  return element as T;
};

/** Dollars to the cent; an amount that is not nothing but rounds to it says so ("<$0.01"). */
const usd = (n: number): string => (n > 0 && n < 0.005 ? '<$0.01' : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const pct = (n: number): string => `${n.toFixed(0)}%`;
const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 2)} GB`;
const dayTime = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;

/** A theme colour by its VS Code variable, so charts follow light, dark and high-contrast themes. */
function themeColour(variable: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return value === '' ? fallback : value;
}

const palette = (): Record<string, string> => ({
  blue: themeColour('--vscode-charts-blue', '#3794ff'),
  green: themeColour('--vscode-charts-green', '#89d185'),
  orange: themeColour('--vscode-charts-orange', '#d18616'),
  purple: themeColour('--vscode-charts-purple', '#b180d7'),
  red: themeColour('--vscode-charts-red', '#f14c4c'),
  yellow: themeColour('--vscode-charts-yellow', '#cca700'),
  text: themeColour('--vscode-foreground', '#cccccc'),
  grid: themeColour('--vscode-editorWidget-border', '#454545'),
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

/** Puts a chart (when it can be drawn) and its table, behind a "Show table" toggle, into a section. */
function section(id: string, chart: ((into: HTMLElement) => void) | undefined, figures: HTMLTableElement, note?: string): void {
  const host = $(id);
  host.querySelector('.content')?.remove();
  const content = element('div', undefined, 'content');
  if (note !== undefined) content.append(element('p', note, 'note'));
  const plot = chart === undefined ? undefined : element('div', undefined, 'chart');
  if (plot !== undefined) {
    plot.dataset['chart'] = id;
    content.append(plot);
  }
  const details = element('details');
  details.open = chart === undefined;
  details.append(element('summary', 'Table'), figures);
  content.append(details);
  // In the page before the chart is drawn, so the chart takes the width its section has.
  host.append(content);
  if (chart === undefined || plot === undefined) return;
  try {
    chart(plot);
  } catch (error) {
    plot.remove();
    details.before(element('p', `The chart could not be drawn (${String(error)}); the figures are in the table.`, 'note'));
  }
}

function plot(into: HTMLElement, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): void {
  const colours = palette();
  const axis = { stroke: colours.text, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid } };
  const chart = new uPlot(
    { width: Math.max(320, into.clientWidth || 600), height: 220, ...options, axes: (options.axes ?? [{}, {}]).map((a) => ({ ...axis, ...a })) },
    data,
    into,
  );
  charts.push(chart);
}

/** Dollars on an axis: whole above $10, cents above one, and two significant digits below (a small lake's daily cost). */
const money: uPlot.Axis = {
  values: (_u, ticks) => ticks.map((t) => (t === 0 ? '$0' : t >= 10 ? `$${t.toFixed(0)}` : t >= 0.01 ? `$${t.toFixed(2)}` : `$${Number(t.toPrecision(2))}`)),
  // Room for "$0.000015".
  size: 84,
};

function render(data: CostDashboard): void {
  for (const chart of charts.splice(0)) chart.destroy();
  const colours = palette();
  $('prices').textContent = `${data.prices.name} prices as of ${data.prices.asOf} (${data.prices.region}): ${data.prices.source}`;
  $('records').textContent =
    data.recordsFrom.length === 0 ? 'No storage or compute engine is running, so there is no recorded usage yet.' : `Records from the ${data.recordsFrom.join(' and ')} engine${data.recordsFrom.length > 1 ? 's' : ''}.`;
  $('total').textContent = usd(data.totals.totalUsd);
  $('saved').textContent = usd(data.savings.savedUsd);
  $('forecastTotal').textContent = data.forecast.ok ? usd(data.forecast.expectedUsd) : 'not yet';

  // Compute by workload type: what each kind of work ran, where, and cost.
  const types: readonly [CostWorkloadType, string][] = [['query', 'Queries'], ['etl', 'ETL'], ['ml', 'ML training'], ['migration', 'Migrations']];
  const runsCell = (c: CostComputeCharges): string => (c.runs === 0 ? '–' : `${c.runs} run${c.runs === 1 ? '' : 's'}, ${c.hours.toFixed(2)} h, ${usd(c.usd)}`);
  section(
    'byType',
    undefined,
    table('byType', 'Runs by workload type and where they ran', ['Type', 'Local', 'Cloud'], types.map(([type, label]) => [label, runsCell(data.totals.computeByType[type].local), runsCell(data.totals.computeByType[type].cloud)])),
  );

  // Cost by tier over time.
  const tiers = [
    { label: 'Local storage', pick: (d: CostDashboard['days'][number]) => d.storage.local, stroke: colours.green },
    { label: 'Cloud storage', pick: (d: CostDashboard['days'][number]) => d.storage.cloud, stroke: colours.blue },
    { label: 'Archive', pick: (d: CostDashboard['days'][number]) => d.storage.archive, stroke: colours.purple },
    { label: 'Local compute', pick: (d: CostDashboard['days'][number]) => d.compute.local, stroke: colours.yellow },
    { label: 'Cloud compute', pick: (d: CostDashboard['days'][number]) => d.compute.cloud, stroke: colours.orange },
  ];
  section(
    'byTier',
    data.days.length < 2
      ? undefined
      : (into) => plot(into, { series: [{}, ...tiers.map((t) => ({ label: t.label, stroke: t.stroke, width: 2 }))], axes: [{}, money] }, [data.days.map((d) => dayTime(d.day)), ...tiers.map((t) => data.days.map(t.pick))]),
    table('byTier', 'Cost by tier and day', ['Day', ...tiers.map((t) => t.label), 'Total'], data.days.map((d) => [d.day, ...tiers.map((t) => usd(t.pick(d))), usd(d.totalUsd)])),
    data.days.length < 2 ? 'Costs by day appear here once two days have records.' : undefined,
  );

  // Forecast with its band.
  const f = data.forecast;
  if (f.ok) {
    const history = data.days.slice(-28);
    const days = [...history.map((d) => d.day), ...f.daily.map((d) => d.day)];
    const pad = <T,>(before: number, values: readonly T[], after: number): (T | null)[] => [...Array<null>(before).fill(null), ...values, ...Array<null>(after).fill(null)];
    section(
      'forecast',
      (into) =>
        plot(
          into,
          {
            series: [
              {},
              { label: 'Recorded', stroke: colours.blue, width: 2 },
              { label: 'Expected', stroke: colours.orange, width: 2, dash: [6, 4] },
              { label: `Low (${Math.round(f.confidence * 100)}%)`, stroke: colours.orange, width: 1 },
              { label: 'High', stroke: colours.orange, width: 1 },
            ],
            bands: [{ series: [4, 3], fill: `${colours.orange}33` }],
            axes: [{}, money],
          },
          [
            days.map(dayTime),
            pad(0, history.map((d) => d.totalUsd), f.daily.length),
            pad(history.length, f.daily.map((d) => d.expectedUsd), 0),
            pad(history.length, f.daily.map((d) => d.lowUsd), 0),
            pad(history.length, f.daily.map((d) => d.highUsd), 0),
          ],
        ),
      table('forecast', `Forecast for ${f.month}: ${usd(f.expectedUsd)} (${usd(f.lowUsd)} to ${usd(f.highUsd)})`, ['Day', 'Expected', 'Low', 'High'], f.daily.map((d) => [d.day, usd(d.expectedUsd), usd(d.lowUsd), usd(d.highUsd)])),
      `${f.method}, from ${f.historyDays} days of history; the band holds ${Math.round(f.confidence * 100)}% of outcomes.`,
    );
  } else {
    section('forecast', undefined, table('forecast', 'Forecast', ['History days', 'Needed'], [[String(f.historyDays), String(f.neededDays)]]), f.message);
  }

  renderComparison(comparison ?? data.comparison);

  // Savings to date.
  const s = data.savings;
  section(
    'savings',
    s.days.length < 2
      ? undefined
      : (into) =>
          plot(
            into,
            { series: [{}, { label: 'All in the cloud', stroke: colours.red, width: 2 }, { label: 'Actual', stroke: colours.green, width: 2 }], axes: [{}, money] },
            [s.days.map((d) => dayTime(d.day)), s.days.map((d) => d.cloudOnlyUsd), s.days.map((d) => d.actualUsd)],
          ),
    table('savings', `Saved to date: ${usd(s.savedUsd)} (${usd(s.actualUsd)} spent, ${usd(s.cloudOnlyUsd)} all in the cloud)`, ['Day', 'All in the cloud', 'Actual'], s.days.map((d) => [d.day, usd(d.cloudOnlyUsd), usd(d.actualUsd)])),
    s.days.length < 2 ? 'Savings build up here as days are recorded.' : undefined,
  );

  // Hit ratio against capacity.
  const c = data.capacity;
  if (c === undefined || c.curve.length === 0) {
    section('capacity', undefined, table('capacity', 'Local hit ratio by capacity', ['Capacity', 'Hit ratio'], []), 'The curve appears once the storage engine has recorded reads of the local tier.');
  } else {
    section(
      'capacity',
      (into) =>
        plot(
          into,
          {
            scales: { x: { time: false } },
            series: [{ label: 'Capacity (GB)' }, { label: 'Hit ratio', stroke: colours.blue, width: 2, points: { show: true, size: 6 } }],
            axes: [{ values: (_u, ticks) => ticks.map((t) => `${t.toFixed(1)} GB`) }, { values: (_u, ticks) => ticks.map((t) => `${t.toFixed(0)}%`) }],
          },
          [c.curve.map((p) => p.capacityBytes / 1024 ** 3), c.curve.map((p) => p.hitRatio * 100)],
        ),
      table('capacity', `Local hit ratio by capacity (now ${gb(c.currentBytes)})`, ['Capacity', 'Hit ratio', 'Reads', 'From the cloud'], c.curve.map((p) => [`${gb(p.capacityBytes)}${p.capacityBytes === c.currentBytes ? ' (now)' : ''}`, pct(p.hitRatio * 100), String(p.reads), gb(p.missBytes)])),
    );
  }

  renderRecommendations(data.recommendations);
  post({
    type: 'rendered',
    summary: {
      charts: [...document.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => e.dataset['chart'] ?? ''),
      tables: [...document.querySelectorAll<HTMLElement>('[data-table]')].map((e) => e.dataset['table'] ?? ''),
      recommendations: data.recommendations.map((r) => r.id),
      totalUsd: data.totals.totalUsd,
      pricesName: data.prices.name,
    },
  });
}

function renderComparison(c: CostComparison): void {
  const models: [string, CostModel, number | undefined][] = [
    ['Cloud only', c.cloudOnly, undefined],
    ['Hybrid', c.hybrid, c.savingsVsCloudPct.hybrid],
    ['Local only', c.localOnly, c.savingsVsCloudPct.localOnly],
  ];
  const max = Math.max(...models.map(([, m]) => m.totalUsd), 0.01);
  section(
    'models',
    (into) => {
      into.classList.add('bars');
      for (const [label, m, saving] of models) {
        const row = element('div', undefined, 'bar-row');
        row.append(element('span', label, 'bar-label'));
        const track = element('span', undefined, 'bar-track');
        const bar = element('span', undefined, `bar ${label.split(' ')[0]!.toLowerCase()}`);
        bar.style.width = `${Math.max(0.5, (m.totalUsd / max) * 100)}%`;
        track.append(bar);
        row.append(track, element('span', `${usd(m.totalUsd)}${saving === undefined ? '' : ` (saves ${pct(saving)})`}`, 'bar-value'));
        into.append(row);
      }
    },
    table('models', `A month of ${c.monthlyDataGb.toFixed(0)} GB and ${c.monthlyComputeHours.toFixed(0)} compute hours (${c.computeSize})`, ['Model', 'Storage', 'Compute', 'Egress', 'Hardware', 'Total'], models.map(([label, m]) => [label, usd(m.storageUsd), usd(m.computeUsd), usd(m.egressUsd), usd(m.hardwareUsd), usd(m.totalUsd)])),
    `Hybrid keeps ${pct(c.hybridShares.storage * 100)} of data (${c.hybridShares.storageSource}) and ${pct(c.hybridShares.compute * 100)} of compute hours (${c.hybridShares.computeSource}) local.`,
  );
}

function renderRecommendations(list: readonly CostRecommendation[]): void {
  const host = $('recommendations');
  host.querySelector('.content')?.remove();
  const content = element('div', undefined, 'content');
  if (list.length === 0) content.append(element('p', 'Nothing to recommend from the records yet.', 'note'));
  for (const r of list) {
    const card = element('div', undefined, `recommendation ${r.priority}`);
    card.dataset['recommendation'] = r.id;
    const title = element('div', undefined, 'title');
    title.append(element('span', r.priority, 'priority'), element('span', r.recommendation), element('span', `${usd(r.estimated_savings_usd_month)}/month`, 'saving'));
    card.append(title, element('p', r.impact));
    if (r.action !== undefined) {
      const button = element('button', 'Apply');
      button.dataset['apply'] = r.id;
      button.addEventListener('click', () => post({ type: 'apply', id: r.id }));
      card.append(button);
    }
    content.append(card);
  }
  host.append(content);
}

function readComparisonForm(): void {
  const dataGb = Number($<HTMLInputElement>('dataGb').value);
  const hours = Number($<HTMLInputElement>('computeHours').value);
  if (!Number.isFinite(dataGb) || dataGb < 0 || !Number.isFinite(hours) || hours < 0) {
    $('formError').textContent = 'Data and hours must be numbers of at least 0.';
    return;
  }
  $('formError').textContent = '';
  post({ type: 'compare', params: { monthlyDataGb: dataGb, monthlyComputeHours: hours } });
}

window.addEventListener('message', (event: MessageEvent<ToDashboard>) => {
  const message = event.data;
  switch (message.type) {
    case 'data':
      current = message.dashboard;
      $('error').textContent = '';
      render(message.dashboard);
      // With no recorded usage the measured comparison is all zeros: price the form's figures instead.
      if (comparison === undefined && message.dashboard.comparison.monthlyDataGb === 0 && message.dashboard.comparison.monthlyComputeHours === 0) readComparisonForm();
      break;
    case 'comparison':
      comparison = message.comparison;
      renderComparison(message.comparison);
      break;
    case 'applied':
      $('status').textContent = message.done;
      break;
    case 'busy':
      for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-apply]')) button.disabled = message.id !== undefined;
      break;
    case 'error':
      $('error').textContent = message.message;
      break;
  }
});

$('compare').addEventListener('click', readComparisonForm);
$('useMeasured').addEventListener('click', () => {
  comparison = undefined;
  if (current !== undefined) renderComparison(current.comparison);
});
$('export').addEventListener('click', () => post({ type: 'export' }));
$('refresh').addEventListener('click', () => post({ type: 'refresh' }));
// The theme changes the body's class; redraw so the charts take the new colours.
new MutationObserver(() => {
  if (current !== undefined) render(current);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => current !== undefined && render(current), 150);
});
post({ type: 'ready' });
