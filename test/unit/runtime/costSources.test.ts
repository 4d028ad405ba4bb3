// The cost engine as the runtime opens it: records read from the storage and compute engines of
// the same runtime while they run (none when they do not), recommendations applied by the engine
// that owns them, and new figures announced when either engine changes. The storage and compute
// engines here are small in-memory ones written to the cost view (StorageForCost, ComputeForCost),
// standing in until the real engines are registered in the runtime.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DAY_MS, GB, type CostChange, type ObjectRecord, type StorageTier } from '../../../server/engines/cost';
import { ENGINES, resolveLocation, Runtime, type EngineStatus } from '../../../server/runtime';
import type { ComputeForCost, StorageForCost } from '../../../server/runtime/costSources';
import { run, usage } from '../cost/support';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cost-runtime-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const context = { env: {}, home: scratch, base: scratch };
let count = 0;
const location = (): ReturnType<typeof resolveLocation> => resolveLocation({ dataFolder: join(scratch, `data-${(count += 1)}`), catalogFile: '' }, context);

const NOW = Date.now();

/** Objects by key with their tier; archiving moves them, and every move is announced. */
class TieredObjects implements StorageForCost {
  readonly objects = new Map<string, ObjectRecord>();
  private readonly listeners = new Set<(event: unknown) => void>();

  put(key: string, tier: StorageTier, sizeBytes: number, lastAccessAt: number): void {
    this.objects.set(key, { key, tier, sizeBytes, storedAt: lastAccessAt, lastAccessAt });
    for (const listener of this.listeners) listener({ key });
  }

  records(): ReturnType<StorageForCost['records']> {
    const byTier = new Map<StorageTier, number>();
    for (const o of this.objects.values()) byTier.set(o.tier, (byTier.get(o.tier) ?? 0) + o.sizeBytes);
    const day = new Date(NOW).toISOString().slice(0, 10);
    return { storage: [...byTier].map(([tier, bytes]) => usage(day, tier, { gbMonths: bytes / GB / 30 })), objects: [...this.objects.values()] };
  }

  async archiveKeys(keys: readonly string[]): Promise<string> {
    for (const key of keys) {
      const o = this.objects.get(key);
      if (o !== undefined) this.put(key, 'archive', o.sizeBytes, o.lastAccessAt);
    }
    return `Archived ${keys.length} objects.`;
  }

  async setLocalCapacity(): Promise<string> {
    throw new Error('not used here');
  }

  status(): EngineStatus {
    return { state: 'ready' };
  }

  async close(): Promise<void> {}

  onDidChange(listener: (event: unknown) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

class RunHistory implements ComputeForCost {
  limit = 70;
  runs(): ReturnType<ComputeForCost['runs']> {
    const day = new Date(NOW).toISOString().slice(0, 10);
    return [run(day, { tier: 'cloud', type: 'etl', hours: 2, size: 'small', burstReason: 'local-busy' })];
  }
  limits(): { localCpuLimitPct: number } {
    return { localCpuLimitPct: this.limit };
  }
  async setLimit(_limit: 'localCpuLimitPct', value: number): Promise<string> {
    this.limit = value;
    return `The local CPU limit is now ${value}%.`;
  }
  status(): EngineStatus {
    return { state: 'ready' };
  }
  async close(): Promise<void> {}
}

describe('the cost engine in the runtime', () => {
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

  it('prices the running engines\' records, applies a recommendation through its engine, and announces new figures', async () => {
    const storage = new TieredObjects();
    storage.put('cold/a.parquet', 'cloud', 40 * GB, NOW - 200 * DAY_MS);
    storage.put('hot/b.parquet', 'cloud', 10 * GB, NOW - DAY_MS);
    const compute = new RunHistory();
    const engines = { storage: { open: async () => storage }, compute: { open: async () => compute }, cost: ENGINES.cost };
    const runtime = await Runtime.open({ location: location(), engines });
    try {
      const cost = runtime.engine('cost');
      cost.usePrices('seed');
      assert.deepEqual(cost.status().recordsFrom, ['storage', 'compute']);
      const before = await cost.dashboard();
      assert.ok(before.summary.storageByTier.cloud.gbMonths > 1.6, 'the 50 GB in the cloud tier are priced');
      assert.equal(before.summary.computeByTier.cloud.hours, 2);
      const archive = before.recommendations.find((r) => r.action?.kind === 'archive-keys');
      assert.deepEqual(archive?.action, { kind: 'archive-keys', keys: ['cold/a.parquet'] }, 'only the object unread for 90 days');
      assert.ok(before.recommendations.some((r) => r.id === 'compute-local-cpu-limit'));

      const changes: CostChange[] = [];
      cost.onDidChange((change) => changes.push(change));
      const applied = await cost.apply(archive!.id);
      assert.equal(applied.done, 'Archived 1 objects.');
      assert.equal(storage.objects.get('cold/a.parquet')?.tier, 'archive', 'the storage engine moved it');
      assert.ok(changes.some((c) => c.reason === 'records'), 'the storage change reached the cost engine');

      const after = await cost.dashboard();
      assert.equal(after.recommendations.find((r) => r.id === archive!.id), undefined, 'nothing left to archive');
      assert.ok(after.summary.storageByTier.archive.gbMonths > 1.3);

      await cost.apply('compute-local-cpu-limit');
      assert.equal(compute.limit, 80);
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
