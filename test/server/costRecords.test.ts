// Cost insight from real records, end to end through the real server: objects kept by the storage
// engine in a real S3 server (s3rver, the embedded cloud tier) over months, workloads run by the
// compute engine on this machine, and the archive recommendation they lead to applied through the
// server, which archives exactly the objects nobody read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it, mock } from 'node:test';
import { DAY_MS, dayOf } from '../../server/engines/cost';
import { StorageEngine } from '../../server/engines/storage';
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

describe('cost insight from the engines\' real records, over LSP', () => {
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
});
