// `neurolake cost …` as a script uses it: the seed's comparison from the command line, JSON and
// text, reports written to files and parsed back, price imports saved as presets later commands
// name, and one-line failures with their exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import type { DeploymentComparison, MonthForecast, PriceBook, Recommendation, Roi } from '../../server/engines/cost';
import { rdsOffer, s3Offer } from './cost/offerFiles';
import { runCaptured, type CliRun } from './support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-cost-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let dataFolder: string;
let count = 0;
beforeEach(() => {
  dataFolder = join(scratch, `data-${(count += 1)}`);
});

const cost = (...argv: string[]): Promise<CliRun> => runCaptured(['cost', ...argv, '--data-folder', dataFolder]);

async function json<T>(...argv: string[]): Promise<T> {
  const run = await cost(...argv, '--json');
  assert.equal(run.code, 0, run.err);
  return JSON.parse(run.out) as T;
}

function assertFails(run: CliRun, code: number, reason: RegExp): void {
  assert.equal(run.code, code, `exit code (stderr: ${run.err})`);
  assert.equal(run.out, '');
  const lines = run.err.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.err);
  assert.match(lines[0]!, /^neurolake: /);
  assert.match(lines[0]!, reason);
}

describe('neurolake cost', () => {
  it('compare prices 500 GB and 200 hours three ways, with the seed prices when asked', async () => {
    const c = await json<DeploymentComparison>('compare', '--data-gb', '500', '--compute-hours', '200', '--preset', 'seed', '--storage-local-share', '0.7', '--compute-local-share', '0.8');
    assert.equal(c.prices.name, 'seed');
    assert.ok(Math.abs(c.cloudOnly.storageUsd - 11.5) < 0.01);
    assert.ok(Math.abs(c.hybrid.storageUsd - 4.25) < 0.01);
    assert.ok(c.localOnly.totalUsd < c.hybrid.totalUsd && c.hybrid.totalUsd < c.cloudOnly.totalUsd);
    const text = await cost('compare', '--data-gb', '500', '--compute-hours', '200');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^A month of 500 GB and 200 compute hours \(\w+\) \(aws prices as of \d{4}-\d{2}-\d{2}\):/);
    assert.match(text.out, /\n {2}hybrid +\$[\d,.]+ .* saves \d+%/);
  });

  it('forecast, recommend and roi say plainly what they cannot tell without records', async () => {
    const forecast = await json<MonthForecast>('forecast');
    assert.equal(forecast.ok, false);
    assert.match((await cost('forecast')).out, /history/);
    assert.deepEqual(await json<Recommendation[]>('recommend'), []);
    assert.match((await cost('recommend')).out, /^Nothing to recommend from the records \(aws prices as of/);
    const roi = await json<Roi>('roi', '--hardware-usd', '3000');
    assert.equal(roi.hardwareUsd, 3000);
    assert.equal(roi.paybackMonths, null);
    assert.match((await cost('roi', '--hardware-usd', '3000')).out, /payback: never/);
  });

  it('report writes each format to a file; the CSV reads back with a CSV parser', async () => {
    const csvFile = join(scratch, `report-${count}.csv`);
    const wrote = await cost('report', '--format', 'csv', '-o', csvFile, '--preset', 'seed');
    assert.equal(wrote.code, 0, wrote.err);
    assert.match(wrote.out, /Wrote the csv report to /);
    const rows = parseCsv(readFileSync(csvFile, 'utf8'), { columns: true }) as { section: string; key: string; measure: string; value: string }[];
    assert.deepEqual(rows.find((r) => r.section === 'prices' && r.measure === 'as_of')?.key, 'seed');
    const md = await cost('report');
    assert.match(md.out, /^# /m);
    const htmlFile = join(scratch, `report-${count}.html`);
    assert.equal((await cost('report', '--format', 'html', '-o', htmlFile)).code, 0);
    assert.match(readFileSync(htmlFile, 'utf8'), /<svg/);
  });

  it('prices --import saves the offer file as a preset a later command names; a wrong file changes nothing', async () => {
    const rds = join(scratch, 'AmazonRDS.json');
    writeFileSync(rds, JSON.stringify(rdsOffer()));
    assertFails(await cost('prices', '--import', rds, '--save-as', 'x'), 5, /AmazonRDS/);
    const s3 = join(scratch, 'AmazonS3.json');
    writeFileSync(s3, JSON.stringify(s3Offer()));
    const imported = await cost('prices', '--import', s3, '--save-as', 'aws-2026-05');
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /saved as preset "aws-2026-05"/);
    assert.match(imported.out, /storage\.cloud\.usdPerGbMonth: 0\.023 → 0\.021/);
    const book = await json<PriceBook & { presets: string[] }>('prices', '--preset', 'aws-2026-05');
    assert.equal(book.storage.cloud.usdPerGbMonth, 0.021);
    assert.deepEqual(book.presets.slice(0, 2), ['aws', 'seed']);
    assert.ok(book.presets.includes('aws-2026-05'));
    assert.match((await cost('prices')).out, /^aws prices as of \d{4}-\d{2}-\d{2}, us-east-1/);
  });

  it('fails in one line with an exit code: unknown preset, unknown recommendation, bad number, missing file', async () => {
    assertFails(await cost('compare', '--data-gb', '1', '--compute-hours', '1', '--preset', 'nope'), 3, /no price preset "nope"; the presets are aws, seed/);
    assertFails(await cost('apply', 'archive-unread-90d'), 3, /no recommendation "archive-unread-90d"/);
    assertFails(await cost('compare', '--data-gb', '-5', '--compute-hours', '1'), 2, /expected a number of at least 0, not "-5"/);
    assertFails(await cost('report', '--format', 'pdf'), 2, /expected md, html, csv, not "pdf"/);
    assertFails(await cost('prices', '--import', join(scratch, 'missing.json')), 3, /no such file/);
  });
});
