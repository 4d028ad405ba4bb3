// Cost insight through the real server over LSP, as the cost dashboard and "Export Cost Report…"
// use it: prices chosen by the settings, the comparison, reports, price imports saved as presets,
// and errors that name the problem.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { ResponseError } from 'vscode-languageserver-protocol';
import {
  CostApplyRequest,
  CostCompareRequest,
  CostDashboardRequest,
  CostImportPricesRequest,
  CostPricesRequest,
  CostReportRequest,
  CostRoiRequest,
  DidChangeCostNotification,
  DidChangeSettingsNotification,
  type CostErrorData,
  type NeuroLakeSettings,
} from '../../server/protocol';
import { rdsOffer, s3Offer } from '../unit/cost/offerFiles';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-cost-'));
const dataFolder = join(scratch, 'data');
let server: RunningServer;
before(async () => {
  server = await startServer({ settings: settingsWith(dataFolder) });
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function rejection(work: Promise<unknown>): Promise<ResponseError<CostErrorData>> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error as ResponseError<CostErrorData>;
  }
  assert.fail('the request should have failed');
}

/** Sends new cost settings and waits for the figures-changed notification they cause. */
async function useCostSettings(cost: Partial<NeuroLakeSettings['cost']>): Promise<void> {
  const changed = new Promise<{ reason: string }>((resolve) => {
    const subscription = server.onNotification(DidChangeCostNotification, (params) => {
      subscription.dispose();
      resolve(params);
    });
  });
  const base = settingsWith(dataFolder);
  await server.notify(DidChangeSettingsNotification, { ...base, cost: { ...base.cost, ...cost } });
  assert.deepEqual(await changed, { reason: 'prices' });
}

describe('cost insight over LSP', () => {
  it('answers a dashboard with the aws prices and no usage while storage and compute have recorded nothing', async () => {
    const data = await server.request(CostDashboardRequest, {});
    assert.equal(data.prices.name, 'aws');
    assert.match(data.prices.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(data.recordsFrom, ['storage', 'compute']);
    assert.deepEqual(data.days, []);
    assert.equal(data.totals.totalUsd, 0);
    assert.equal(data.forecast.ok, false);
    assert.ok(!data.forecast.ok && /history/.test(data.forecast.message), 'says why there is no forecast');
    assert.deepEqual(data.recommendations, []);
  });

  it('compares the three models with the seed prices the settings chose, and the ROI of a machine', async () => {
    await useCostSettings({ preset: 'seed' });
    const storage = await server.request(CostCompareRequest, { monthlyDataGb: 500, monthlyComputeHours: 0, storageLocalShare: 0.7 });
    assert.equal(storage.prices.name, 'seed');
    assert.ok(Math.abs(storage.cloudOnly.storageUsd - 11.5) < 0.01, `cloud-only 500 GB: ${storage.cloudOnly.storageUsd}`);
    assert.ok(Math.abs(storage.hybrid.storageUsd - 4.25) < 0.01, `hybrid 500 GB: ${storage.hybrid.storageUsd}`);
    assert.equal(Math.round(storage.savingsVsCloudPct.hybridStorage), 63);

    await useCostSettings({ preset: 'seed', hardwareUsd: 1800, hardwareLifeMonths: 24 });
    const bought = await server.request(CostCompareRequest, { monthlyDataGb: 500, monthlyComputeHours: 200 });
    assert.ok(Math.abs(bought.localOnly.hardwareUsd - 75) < 0.01, 'the machine from the settings, over the life from the settings');

    const roi = await server.request(CostRoiRequest, { hardwareUsd: 3000 });
    assert.equal(roi.hardwareUsd, 3000);
    assert.equal(roi.paybackMonths, null, 'no usage recorded: nothing saved, no payback');
    await useCostSettings({ preset: 'aws' });
  });

  it('refuses an override that is not a price, names it, and keeps the prices in use', async () => {
    // The server shows the problem to the user as a warning with actions: a showMessage request.
    const warned = new Promise<string>((resolve) =>
      server.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
        resolve(params.message);
        return null;
      }),
    );
    const base = settingsWith(dataFolder);
    await server.notify(DidChangeSettingsNotification, { ...base, cost: { ...base.cost, preset: 'seed', overrides: { storage: { cloud: { usdPerGbMonth: -1 } } } } });
    assert.match(await warned, /neurolake\.cost settings were not applied: prices\.storage\.cloud\.usdPerGbMonth must be a number of at least 0/);
    assert.equal((await server.request(CostPricesRequest, {})).prices.name, 'aws');
  });

  it('writes the report in each format, the CSV one a CSV parser reads back', async () => {
    const md = await server.request(CostReportRequest, { format: 'md' });
    assert.match(md.text, /^# /m);
    const html = await server.request(CostReportRequest, { format: 'html' });
    assert.match(html.text, /^<!doctype html>/i);
    const csv = await server.request(CostReportRequest, { format: 'csv' });
    const rows = parseCsv(csv.text, { columns: true }) as { section: string; measure: string; value: string }[];
    assert.ok(rows.some((r) => r.section === 'prices' && r.measure === 'as_of'));
    const bad = await rejection(server.request(CostReportRequest, { format: 'pdf' as 'md' }));
    assert.equal(bad.data?.code, 'invalid-input');
    assert.match(bad.message, /md, html or csv/);
  });

  it('imports an AWS offer file as a saved preset, and refuses another service\'s file changing nothing', async () => {
    const refused = await rejection(server.request(CostImportPricesRequest, { text: JSON.stringify(rdsOffer()), fileName: 'AmazonRDS.json', saveAs: 'rds' }));
    assert.equal(refused.data?.code, 'invalid-offer-file');
    assert.equal(existsSync(join(dataFolder, 'cost', 'prices', 'rds.json')), false);

    const changed = new Promise<unknown>((resolve) => server.onNotification(DidChangeCostNotification, resolve));
    const imported = await server.request(CostImportPricesRequest, { text: JSON.stringify(s3Offer()), fileName: 'AmazonS3.json', saveAs: 'aws-2026-05' });
    assert.equal(imported.offerCode, 'AmazonS3');
    assert.ok(imported.changes.some((c) => c.path === 'storage.cloud.usdPerGbMonth'));
    await changed;
    const prices = await server.request(CostPricesRequest, {});
    assert.equal(prices.prices.name, 'aws-2026-05');
    assert.equal(prices.storage.cloud.usdPerGbMonth, 0.021);
    assert.ok(prices.presets.includes('aws-2026-05') && prices.presets.includes('seed'));
    assert.ok(existsSync(join(dataFolder, 'cost', 'prices', 'aws-2026-05.json')), 'saved in the data folder');
  });

  it('refuses to apply a recommendation that does not exist, saying which do', async () => {
    const error = await rejection(server.request(CostApplyRequest, { id: 'archive-unread-90d' }));
    assert.equal(error.data?.code, 'not-found');
    assert.match(error.message, /no recommendation "archive-unread-90d" now; there are none/);
  });
});
