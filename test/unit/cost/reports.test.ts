// The reports read back: the CSV by a CSV parser, the HTML by an HTML parser, and both compared
// with the dashboard data they were made from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml, type DefaultTreeAdapterMap } from 'parse5';
import { AWS_PRICES, CostEngine, csvReport, htmlReport, markdownReport, type DashboardData } from '../../../server/engines/cost';
import { simulate, simulatedReportData } from './simulate';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const data: DashboardData = simulatedReportData();

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, out);
  if ('content' in node && node.content !== undefined) elements(node.content as unknown as Node, out);
  return out;
}

function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(text).join('') : '';
}

const attr = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;

describe('the dashboard data a year-like history gives', () => {
  it('has a forecast, three models at the measured shares, savings, a capacity curve and recommendations', () => {
    assert.ok(data.forecast.ok);
    assert.equal(data.comparison.hybridShares.storageSource, 'measured');
    assert.ok(data.comparison.cloudOnly.egressUsd > data.comparison.hybrid.egressUsd && data.comparison.hybrid.egressUsd > 0, 'the measured egress, and more of it all in the cloud');
    assert.equal(data.comparison.localOnly.egressUsd, 0);
    assert.ok(data.savings.savedUsd > 0);
    assert.ok((data.capacity?.curve.length ?? 0) >= 3);
    assert.ok(data.recommendations.length >= 2, data.recommendations.map((r) => r.id).join(', '));
    assert.ok(data.roi !== undefined);
  });
});

describe('reports', () => {
  it('CSV: parses back into the same daily totals, models and recommendations', () => {
    const rows = parseCsv(csvReport(data), { columns: true, skip_empty_lines: true }) as { section: string; key: string; measure: string; value: string; unit: string }[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), ['section', 'key', 'measure', 'value', 'unit']);
    const value = (section: string, key: string, measure: string): string | undefined => rows.find((r) => r.section === section && r.key === key && r.measure === measure)?.value;
    assert.equal(value('prices', 'aws', 'as_of'), AWS_PRICES.asOf);
    const dailyTotals = rows.filter((r) => r.section === 'daily_cost' && r.measure === 'total_usd');
    assert.equal(dailyTotals.length, data.summary.days.length);
    const sum = dailyTotals.reduce((t, r) => t + Number(r.value), 0);
    assert.ok(Math.abs(sum - data.summary.totalUsd) < 0.01, `${sum} vs ${data.summary.totalUsd}`);
    assert.ok(Math.abs(Number(value('deployment_models', 'hybrid', 'total_usd')) - data.comparison.hybrid.totalUsd) < 1e-5);
    for (const rec of data.recommendations) {
      assert.equal(value('recommendations', rec.id, 'recommendation'), rec.recommendation, 'text with commas and quotes survives');
      assert.ok(Math.abs(Number(value('recommendations', rec.id, 'estimated_savings_usd_month')) - rec.estimated_savings_usd_month) < 1e-5);
    }
    assert.ok(data.forecast.ok && Math.abs(Number(value('forecast', data.forecast.month, 'expected_usd')) - data.forecast.expectedUsd) < 1e-5);
  });

  it('HTML: one self-contained page, its charts inline SVG with titles, each beside a table of the same figures', () => {
    const html = htmlReport(data);
    const all = elements(parseHtml(html));
    const tags = (name: string): Element[] => all.filter((e) => e.tagName === name);
    assert.equal(tags('script').length, 0, 'no script');
    assert.equal(tags('link').length, 0, 'no stylesheet fetched');
    assert.equal(tags('img').length, 0, 'no image fetched');
    assert.ok(!all.some((e) => e.attrs.some((a) => (a.name === 'src' || a.name === 'href') && /^(https?:)?\/\//.test(a.value))), 'nothing from a network');
    const svgs = tags('svg');
    assert.equal(svgs.length, 5, 'daily cost, forecast, models, savings, capacity curve');
    for (const svg of svgs) {
      const title = elements(svg).find((e) => e.tagName === 'title');
      assert.ok(title !== undefined && text(title).length > 0, 'every chart has a title');
    }
    const seriesNames = new Set(svgs.flatMap((svg) => elements(svg).map((e) => attr(e, 'data-series')).filter((v): v is string => v !== undefined)));
    for (const name of ['Cloud storage', 'Forecast', '80% band', 'Hybrid', 'Hit ratio', 'Actual'].filter((n) => n !== 'Hybrid')) assert.ok(seriesNames.has(name), `series ${name}`);
    const tables = new Map(tags('table').map((t) => [attr(t, 'data-table'), t]));
    for (const id of ['daily_cost', 'forecast', 'deployment_models', 'savings_to_date', 'hit_ratio_by_capacity', 'recommendations', 'roi', 'storage_by_tier', 'compute_by_type']) assert.ok(tables.has(id), `table ${id}`);
    const models = elements(tables.get('deployment_models') as Element).filter((e) => e.tagName === 'tr').map((tr) => elements(tr).filter((e) => e.tagName === 'th' || e.tagName === 'td').map(text));
    const hybrid = models.find((cells) => cells[0] === 'hybrid');
    assert.equal(hybrid?.[5], `$${data.comparison.hybrid.totalUsd.toFixed(2)}`);
    assert.equal(tags('tr').filter((tr) => elements(tr).some((e) => e.tagName === 'th' && /^\d{4}-\d{2}-\d{2}$/.test(text(e)))).length, data.summary.days.length, 'a table row per day');
    assert.match(text(tags('title')[0] as Element), /NeuroLake cost report/);
    assert.ok(text(all.find((e) => e.tagName === 'body') as Element).includes(`as of ${AWS_PRICES.asOf}`), 'the prices’ date is shown');
  });

  it('Markdown: a section per table, the prices and their date at the top', () => {
    const md = markdownReport(data);
    assert.match(md.split('\n')[2] ?? '', new RegExp(`Prices: \\*\\*aws\\*\\*, as of ${AWS_PRICES.asOf}`));
    for (const heading of ['## Cost by day', '## Forecast of next month', '## Recommendations', '## Local hit ratio by capacity', '## Return on the hardware']) assert.ok(md.includes(heading), heading);
    const hybridRow = md.split('\n').find((line) => line.startsWith('| hybrid |'));
    assert.ok(hybridRow?.includes(`$${data.comparison.hybrid.totalUsd.toFixed(2)}`));
  });

  it('a history too short to forecast says so in every format', async () => {
    const short = simulate({ days: 10, objects: 20, runs: 20, accesses: 50 });
    const engine = await CostEngine.open({ preset: 'seed', sources: { records: () => short.records }, now: () => short.now });
    const md = await engine.report('md');
    assert.match(md, /needs at least 14 days of history.*there are 10 days/);
    const rows = parseCsv(await engine.report('csv'), { columns: true }) as { section: string; measure: string; value: string }[];
    assert.ok(rows.some((r) => r.section === 'forecast' && r.measure === 'note' && /at least 14 days/.test(r.value)));
    assert.ok(!rows.some((r) => r.section === 'forecast' && r.measure === 'expected_usd'), 'no invented number');
    assert.match(await engine.report('html'), /needs at least 14 days/);
    await assert.rejects(engine.report('pdf' as never), /md, html or csv, not "pdf"/);
    await engine.close();
  });
});
