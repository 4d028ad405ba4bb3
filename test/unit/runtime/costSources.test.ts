// The cost engine as the runtime opens it, over the real storage and compute engines of the same
// data folder: objects stored and read through the storage engine and workloads run on this
// machine by the compute engine are what the figures are computed from; a change in either
// engine means new figures. The cloud and archive tiers (and applying an archive
// recommendation) are tested against a real S3 server in test/server/costRecords.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it, mock } from 'node:test';
import { DAY_MS, MIN_HISTORY_DAYS, dayOf, type CostChange } from '../../../server/engines/cost';
import { StorageEngine } from '../../../server/engines/storage';
import { resolveLocation, Runtime } from '../../../server/runtime';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cost-runtime-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const context = { env: {}, home: scratch, base: scratch };
let count = 0;
const location = (): ReturnType<typeof resolveLocation> => resolveLocation({ dataFolder: join(scratch, `data-${(count += 1)}`), catalogFile: '' }, context);
/** No AWS variables from this machine's shell: a local-only storage engine. */
const LOCAL_ONLY = { AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '' };

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function nextChange(cost: { onDidChange(listener: (change: CostChange) => void): { dispose(): void } }): Promise<CostChange> {
  return new Promise((resolve) => {
    const subscription = cost.onDidChange((change) => {
      subscription.dispose();
      resolve(change);
    });
  });
}

describe('the cost engine over the runtime\'s real storage and compute engines', () => {
  it('shows no usage when neither storage nor compute runs, and says an action needs them', async () => {
    const runtime = await Runtime.open({ location: location(), only: ['cost'] });
    try {
      const cost = runtime.engine('cost');
      assert.deepEqual(cost.status().recordsFrom, []);
      const data = await cost.dashboard();
      assert.equal(data.summary.totalUsd, 0);
      assert.equal(data.forecast.ok, false);
      assert.deepEqual(data.recommendations, []);
      await assert.rejects(cost.apply('archive-unread-90d'), /There is no recommendation "archive-unread-90d" now; there are none/);
    } finally {
      await runtime.close();
    }
  });

  it('prices what storage holds and what compute ran, replays the recorded reads, and follows each change', async () => {
    const before = process.env;
    process.env = { ...before, ...LOCAL_ONLY };
    const runtime = await Runtime.open({ location: location(), only: ['dataFolder', 'storage', 'compute', 'cost'] }).finally(() => (process.env = before));
    try {
      const storage = runtime.engine('storage');
      const compute = runtime.engine('compute');
      const cost = runtime.engine('cost');
      cost.usePrices('seed');
      assert.deepEqual(cost.status().recordsFrom, ['storage', 'compute']);

      const changed = nextChange(cost);
      await storage.store('sales/2026.csv', Buffer.alloc(300_000, 1));
      assert.deepEqual(await changed, { reason: 'records' }, 'a store means new figures');
      await storage.store('sales/2025.csv', Buffer.alloc(200_000, 2));
      await storage.retrieve('sales/2026.csv', discard());
      await storage.retrieve('sales/2026.csv', discard());
      // Each run lasts over a second: a run of no measurable length would rightly cost nothing.
      const shell = (name: string, type: 'etl' | 'query') => ({ name, type, run: { kind: 'shell' as const, command: 'sleep 1.1' }, cpus: 1, memoryGb: 0.1, tier: 'local' as const });
      for (const spec of [shell('Load sales', 'etl'), shell('Count sales', 'query')]) {
        const submitted = await compute.submit(spec);
        assert.equal((await compute.waitFor(submitted.id)).state, 'completed');
      }

      const data = await cost.dashboard();
      const today = dayOf(Date.now());
      assert.equal(data.summary.days.at(-1)?.day, today);
      const expectedGb = 500_000 / 1024 ** 3;
      const held = data.summary.storageByTier.local.gbMonths;
      assert.ok(held > 0 && held < expectedGb / 28, `the 500 kB held since today are a small part of a GB-month: ${held}`);
      assert.equal(data.summary.storageByTier.cloud.gbMonths, 0, 'no cloud tier, nothing priced there');
      assert.equal(data.summary.computeByTier.local.runs, 2);
      assert.equal(data.summary.computeByType.etl.local.runs, 1);
      assert.equal(data.summary.computeByType.query.local.runs, 1);
      assert.ok(data.summary.computeByTier.local.usd > 0, 'the runs cost what the compute engine recorded');
      const atCurrent = data.capacity?.curve.find((point) => point.capacityBytes === data.capacity?.currentBytes);
      assert.equal(data.capacity?.currentBytes, Math.floor(10 * 1024 ** 3 * 0.9), 'the policy\'s share of the configured 10 GB');
      assert.deepEqual({ reads: atCurrent?.reads, hits: atCurrent?.hits }, { reads: 2, hits: 2 }, 'the two reads of the access log, both local');
      assert.equal(data.recommendations.find((r) => r.action?.kind === 'archive-keys'), undefined, 'nothing is in the cloud tier to archive');
    } finally {
      await runtime.close();
    }
  });

  it('computes the daily history from when storage first held the data, enough for a forecast', async () => {
    const where = location();
    const longAgo = Date.now() - 40 * DAY_MS;
    // Objects stored 40 days ago: the storage engine stamps them with the clock of that day.
    mock.timers.enable({ apis: ['Date'], now: longAgo });
    try {
      const old = await StorageEngine.open({ dataFolder: where.dataFolder, env: LOCAL_ONLY });
      await old.store('archive/2025.parquet', Buffer.alloc(1_000_000, 3));
      await old.close();
    } finally {
      mock.timers.reset();
    }
    const before = process.env;
    process.env = { ...before, ...LOCAL_ONLY };
    const runtime = await Runtime.open({ location: where, only: ['dataFolder', 'storage', 'cost'] }).finally(() => (process.env = before));
    try {
      const data = await runtime.engine('cost').dashboard();
      assert.equal(data.summary.days[0]?.day, dayOf(longAgo));
      assert.equal(data.summary.days.length, 41);
      assert.ok(data.summary.days.length >= MIN_HISTORY_DAYS);
      assert.ok(data.forecast.ok, 'forty days of records are enough to forecast from');
      const gbMonths = data.summary.storageByTier.local.gbMonths;
      const expected = ((1_000_000 / 1024 ** 3) * 40) / 30.4;
      assert.ok(Math.abs(gbMonths - expected) / expected < 0.05, `a MB held forty days: ${gbMonths} GB-months, about ${expected}`);
    } finally {
      await runtime.close();
    }
  });

  it('keeps an imported price book in the data folder as a preset later processes can name', async () => {
    const where = location();
    const first = await Runtime.open({ location: where, only: ['cost'] });
    try {
      const cost = first.engine('cost');
      cost.usePrices('aws', { storage: { cloud: { usdPerGbMonth: 0.02 } } });
      await cost.savePrices('team');
      await assert.rejects(cost.savePrices('aws'), /"aws" is a built-in preset/);
    } finally {
      await first.close();
    }
    const saved = join(where.dataFolder, 'cost', 'prices', 'team.json');
    assert.equal((JSON.parse(readFileSync(saved, 'utf8')) as { storage: { cloud: { usdPerGbMonth: number } } }).storage.cloud.usdPerGbMonth, 0.02);
    writeFileSync(join(where.dataFolder, 'cost', 'prices', 'broken.json'), '{"name":');
    const warnings: string[] = [];
    const second = await Runtime.open({ location: where, only: ['cost'], onWarning: (m) => warnings.push(m) });
    try {
      const cost = second.engine('cost');
      assert.ok(cost.presetNames().includes('team'));
      assert.ok(!cost.presetNames().includes('broken'));
      assert.equal(cost.usePrices('team').storage.cloud.usdPerGbMonth, 0.02);
      assert.match(warnings.join('\n'), /broken\.json was skipped/);
    } finally {
      await second.close();
    }
  });
});
