// Cost insight from real records: objects kept by the storage engine in a real S3 server (s3rver,
// the embedded cloud tier) over months and workloads run by the compute engine on this machine,
// end to end through the real server, where the archive recommendation they lead to is applied
// and archives exactly the objects nobody read; and reads replayed through the placement policy
// at other capacities, where applying the capacity recommendation changes the storage configuration.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it, mock } from 'node:test';
import { CostEngine, DAY_MS, GB, dayOf } from '../../server/engines/cost';
import { StorageEngine, readStorageConfig, writeStorageConfig } from '../../server/engines/storage';
import { runtimeCostSources } from '../../server/runtime/costSources';
import {
  ComputeGetRequest,
  ComputeSubmitRequest,
  CostApplyRequest,
  CostDashboardRequest,
  DidChangeComputeNotification,
  StorageStatRequest,
  type WireWorkloadSpec,
} from '../../server/protocol';
import { startEmbeddedCloud } from '../harness/s3Services.mjs';
import { settingsWith, withServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-cost-records-'));
const dataFolder = join(scratch, 'data');
let cloud: Awaited<ReturnType<typeof startEmbeddedCloud>>;
before(async () => {
  cloud = await startEmbeddedCloud({ directory: join(scratch, 's3'), dataFolder });
});
after(async () => {
  await cloud?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const NOW = Date.now();
const COLD = ['cold/2025-q1.csv', 'cold/2025-q2.csv'];

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** The storage engine of the data folder, its clock at `at` (the engine stamps what it does with the time of day). */
async function withStorageAt<T>(at: number | undefined, work: (storage: StorageEngine) => Promise<T>): Promise<T> {
  if (at !== undefined) mock.timers.enable({ apis: ['Date'], now: at });
  try {
    const storage = await StorageEngine.open({ dataFolder, env: {}, credentials: cloud.credentials });
    try {
      return await work(storage);
    } finally {
      await storage.close();
    }
  } finally {
    if (at !== undefined) mock.timers.reset();
  }
}

async function runToEnd(server: RunningServer, spec: WireWorkloadSpec): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    const subscription = server.onNotification(DidChangeComputeNotification, ({ runId }) => {
      if (runId === undefined) return;
      void server.request(ComputeGetRequest, { id: runId }).then((run) => {
        if (run.workload.name !== spec.name || run.state !== 'completed') return;
        subscription.dispose();
        resolve();
      });
    });
  });
  await server.request(ComputeSubmitRequest, spec);
  await ended;
}

describe('cost insight from the engines\' real records', () => {
  it('prices months of storage and the runs, recommends archiving exactly the unread objects, and archives them on Apply', async () => {
    // Four months ago three files were stored on the local tier; one was read ten days ago.
    await withStorageAt(NOW - 120 * DAY_MS, async (storage) => {
      for (const key of [...COLD, 'warm/2025-q3.csv']) await storage.store(key, Buffer.alloc(1_000_000, key.length));
    });
    await withStorageAt(NOW - 10 * DAY_MS, (storage) => storage.retrieve('warm/2025-q3.csv', discard()));
    // Today they go to the cloud tier, and a new file is stored and read back from it.
    await withStorageAt(undefined, async (storage) => {
      assert.equal((await storage.flushUploads()).uploaded, 3);
      for (const key of [...COLD, 'warm/2025-q3.csv']) assert.deepEqual((await storage.demote(key)).tiers, ['cloud']);
      await storage.store('hot/today.csv', Buffer.alloc(100_000, 9));
      await storage.flushUploads();
      await storage.demote('hot/today.csv');
      await storage.retrieve('hot/today.csv', discard());
    });

    // A few MB save less than the cent a recommendation must be worth at S3's own price: priced
    // here as a provider charging $50 a GB-month would charge, which the settings may say.
    const settings = settingsWith(dataFolder);
    const pricey = { ...settings, cost: { ...settings.cost, overrides: { storage: { cloud: { usdPerGbMonth: 50 } } } } };
    await withServer(
      { settings: pricey, workspaceFolder: scratch },
      async (server) => {
        const job = (name: string, type: WireWorkloadSpec['type']): WireWorkloadSpec => ({ name, type, run: { kind: 'shell', command: 'exit 0' }, cpus: 1, memoryGb: 0.1, tier: 'local' });
        await runToEnd(server, job('Load quarter', 'etl'));
        await runToEnd(server, job('Count rows', 'query'));

        const data = await server.request(CostDashboardRequest, {});
        assert.deepEqual(data.recordsFrom, ['storage', 'compute']);
        assert.equal(data.days[0]?.day, dayOf(NOW - 120 * DAY_MS), 'the history starts when the data was first stored');
        assert.equal(data.days.at(-1)?.day, dayOf(Date.now()));
        assert.ok(data.totals.storageByTier.local.gbMonths > 0, 'four months on the local disk');
        assert.ok(data.totals.storageByTier.cloud.gbMonths > 0, 'the copies in the bucket since today');
        assert.ok(Math.abs(data.totals.storageByTier.cloud.egressGb - 100_000 / 1024 ** 3) < 1e-9, 'the one read out of the bucket');
        assert.equal(data.totals.computeByTier.local.runs, 2);
        assert.deepEqual(
          { etl: data.totals.computeByType.etl.local.runs, query: data.totals.computeByType.query.local.runs, ml: data.totals.computeByType.ml.local.runs },
          { etl: 1, query: 1, ml: 0 },
          'each run under its workload type',
        );
        assert.ok(data.forecast.ok, 'four months of daily records are enough to forecast from');

        const archive = data.recommendations.find((r) => r.action?.kind === 'archive-keys');
        assert.equal(archive?.id, 'archive-unread-90d', 'the storage configuration archives after 90 days');
        assert.deepEqual(archive?.action?.kind === 'archive-keys' ? [...archive.action.keys].sort() : [], COLD, 'the two files nobody read for four months, not the one read ten days ago');

        const applied = await server.request(CostApplyRequest, { id: archive!.id });
        assert.equal(applied.done, 'Archived 2 objects to GLACIER.');
        for (const key of COLD) assert.equal((await server.request(StorageStatRequest, { key })).tier, 'archive');
        assert.equal((await server.request(StorageStatRequest, { key: 'warm/2025-q3.csv' })).tier, 'cloud');
        assert.equal(applied.dashboard.recommendations.find((r) => r.id === archive!.id), undefined, 'nothing is left to archive');
      },
      cloud.env,
    );
  });

  it('replays the recorded reads through the placement policy at other capacities, and Apply sets the one that reads least from the bucket', async () => {
    // A local tier of about 2.9 MB (3 MB under the 0.9 watermark) in front of the same bucket, and
    // five 1 MB files read round and round: two fit, so most reads go to the bucket.
    const folder = join(scratch, 'small-local');
    const embedded = await readStorageConfig(dataFolder);
    await writeStorageConfig(folder, { ...embedded, local: { ...embedded.local, capacityGb: 0.003 }, cloud: { ...embedded.cloud!, prefix: 'small-local/' } });
    const storage = await StorageEngine.open({ dataFolder: folder, env: {}, credentials: cloud.credentials });
    try {
      const keys = ['a', 'b', 'c', 'd', 'e'].map((name) => `cycle/${name}.parquet`);
      for (const key of keys) await storage.store(key, Buffer.alloc(1024 * 1024, key.charCodeAt(6)));
      await storage.flushUploads();
      for (let round = 0; round < 3; round++) for (const key of keys) await storage.retrieve(key, discard());

      const peers = { storage } as Record<string, StorageEngine | undefined>;
      const cost = await CostEngine.open({ sources: runtimeCostSources({ peer: (name) => peers[name] }) });
      // Egress without the account's free allowance (other use of the account takes it), so the misses cost something.
      cost.usePrices('aws', { egress: { bands: [{ upToGb: null, usdPerGb: 0.09 }] } });
      const data = await cost.dashboard();
      const curve = data.capacity!.curve;
      const current = curve.find((point) => point.capacityBytes === data.capacity!.currentBytes)!;
      const everything = curve.at(-1)!;
      assert.equal(current.capacityBytes, Math.floor(0.003 * GB * 0.9));
      assert.equal(current.reads, 15, 'the fifteen reads of the access log');
      assert.equal(everything.capacityBytes, 5 * 1024 * 1024, 'the largest point is the working set');
      assert.ok(current.hitRatio < 0.5, `two of five files fit: ${current.hitRatio}`);
      assert.equal(everything.hits, 15, 'with room for all five every read is local');

      const capacity = data.recommendations.find((r) => r.id === 'local-capacity');
      assert.ok(capacity?.action?.kind === 'set-local-capacity', `a capacity recommendation: ${data.recommendations.map((r) => r.id).join(', ')}`);
      assert.match(capacity.recommendation, /^Raise the local tier's capacity/);
      const applied = await cost.apply('local-capacity');
      const expectedGb = Math.ceil((capacity.action.capacityBytes / 0.9 / GB) * 1000) / 1000;
      assert.match(applied.done, new RegExp(`capacity is now ${expectedGb} GB`));
      assert.equal((await readStorageConfig(folder)).local.capacityGb, expectedGb, 'written to the storage configuration');
      await cost.close();
    } finally {
      await storage.close();
    }
    const reopened = await StorageEngine.open({ dataFolder: folder, env: {}, credentials: cloud.credentials });
    try {
      assert.ok((await reopened.stats()).tiers.local.capacityBytes! > 0.003 * GB, 'the next start of storage uses the new capacity');
    } finally {
      await reopened.close();
    }
  });
});
