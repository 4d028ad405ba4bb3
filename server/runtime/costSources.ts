// Where the cost engine gets its records in a running data folder: the storage and compute
// engines of the same runtime, read through their own index.ts when they are open and running,
// and nothing when they are not (the figures then show no usage rather than failing). Each
// reader turns one engine's own records into the plain records the cost engine prices, and
// carries out the recommendations that engine owns.
import { statfs } from 'node:fs/promises';
import { ComputeEngine } from '../engines/compute';
import { GB, type ComputeLimits, type ComputeRunRecord, type CostRecords, type CostSources, type EngineAction } from '../engines/cost';
import { StorageEngine, createDefaultLocalTierPolicy, readStorageConfig, writeStorageConfig, type LocalTierPolicyFactory, type ObjectInfo } from '../engines/storage';
import { computeCostRecords } from './computeCostRecords';
import type { Engine, EngineContext } from './engine';
import { storageCostRecords } from './storageCostRecords';

export interface LocalTierView {
  /** What the placement policy is given: the capacity under the watermark. */
  readonly capacityBytes: number;
  readonly policyFor: LocalTierPolicyFactory;
  /** The most the disk under the local tier could give the policy (free space plus what it holds now). */
  readonly maxCapacityBytes?: number;
}

/** What the cost engine needs from the storage engine. */
export interface StorageForCost {
  records(): Promise<Pick<CostRecords, 'storage' | 'objects' | 'accesses'>>;
  localTier(): Promise<LocalTierView>;
  /** Days unread after which the storage configuration sends an object to the archive. */
  archiveAfterDays(): number;
  /** Moves the keys to the archive tier; answers what was done. */
  archiveKeys(keys: readonly string[]): Promise<string>;
  setLocalCapacity(capacityBytes: number): Promise<string>;
}

/** What the cost engine needs from the compute engine. */
export interface ComputeForCost {
  runs(): readonly ComputeRunRecord[];
  limits(): ComputeLimits | undefined;
  setLimit(limit: keyof ComputeLimits, value: number): Promise<string>;
}

/** How a running engine is read for costs; undefined when the engine cannot be (not that engine). */
export interface CostReaders {
  readonly storage: (engine: Engine) => StorageForCost | undefined;
  readonly compute: (engine: Engine) => ComputeForCost | undefined;
}

export const DEFAULT_COST_READERS: CostReaders = {
  storage: (engine) => (engine instanceof StorageEngine ? storageForCost(engine) : undefined),
  compute: (engine) => (engine instanceof ComputeEngine ? computeForCost(engine) : undefined),
};

/** The cost engine's sources over the runtime's other engines, looked up afresh on every call. */
export function runtimeCostSources(context: Pick<EngineContext, 'peer'>, readers: CostReaders = DEFAULT_COST_READERS): CostSources {
  const storage = (): StorageForCost | undefined => {
    const engine = context.peer('storage');
    return engine === undefined ? undefined : readers.storage(engine);
  };
  const compute = (): ComputeForCost | undefined => {
    const engine = context.peer('compute');
    return engine === undefined ? undefined : readers.compute(engine);
  };
  return {
    present: () => [...(storage() === undefined ? [] : ['storage']), ...(compute() === undefined ? [] : ['compute'])],
    records: async () => {
      const stored = await storage()?.records();
      return {
        storage: stored?.storage ?? [],
        runs: compute()?.runs() ?? [],
        ...(stored?.objects !== undefined ? { objects: stored.objects } : {}),
        ...(stored?.accesses !== undefined ? { accesses: stored.accesses } : {}),
      };
    },
    localTier: () => storage()?.localTier(),
    archiveAfterDays: () => storage()?.archiveAfterDays(),
    computeLimits: () => compute()?.limits(),
    apply: (action) => applyAction(action, storage(), compute()),
  };
}

/** The storage engine's index, access log and configuration, as the cost engine reads them. */
export function storageForCost(engine: StorageEngine): StorageForCost {
  return {
    records: async () => {
      await engine.refresh();
      const [objects, log] = [listAll(engine), await engine.accessHistory()];
      return storageCostRecords(objects, log, Date.now());
    },
    localTier: async () => {
      const { capacityGb, watermark } = engine.config.local;
      const view = { capacityBytes: Math.floor(capacityGb * GB * watermark), policyFor: createDefaultLocalTierPolicy };
      try {
        const disk = await statfs(engine.localRoot);
        const held = listAll(engine).reduce((sum, object) => sum + (object.tiers.includes('local') ? object.size : 0), 0);
        return { ...view, maxCapacityBytes: Math.floor((disk.bavail * disk.bsize + held) * watermark) };
      } catch {
        // The disk's free space is unknown: the curve is still shown, without an upper bound.
        return view;
      }
    },
    archiveAfterDays: () => engine.config.archive.afterDays,
    archiveKeys: async (keys) => {
      const failed: string[] = [];
      for (const key of keys) {
        try {
          await engine.archive(key);
        } catch (error) {
          failed.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const done = `Archived ${count(keys.length - failed.length, 'object')} to ${engine.config.archive.storageClass}.`;
      if (failed.length === 0) return done;
      throw new Error(`${done} ${count(failed.length, 'object')} could not be archived and kept every copy: ${failed.join('; ')}`);
    },
    setLocalCapacity: async (capacityBytes) => {
      const config = await readStorageConfig(engine.dataFolder);
      // Up to the next MB or so, never below what the policy was replayed with.
      const capacityGb = Math.ceil((capacityBytes / config.local.watermark / GB) * 1000) / 1000;
      await writeStorageConfig(engine.dataFolder, { ...config, local: { ...config.local, capacityGb } });
      return `The local tier's capacity is now ${capacityGb} GB in storage/config.json; storage uses it from its next start (a new window or CLI command).`;
    },
  };
}

/** The compute engine's run history, as the cost engine reads it. */
export function computeForCost(engine: ComputeEngine): ComputeForCost {
  return {
    runs: () => computeCostRecords(engine.list()),
    limits: () => ({ localCpuLimitPct: engine.localCpuLimitPct }),
    setLimit: (limit, value) => {
      const before = engine[limit];
      engine.setLocalCpuLimitPct(value);
      // The engine's own limit changes now; neurolake.compute.localCpuLimitPct (or --cpu-limit) is
      // what it starts with next time, so the message says where the lasting value lives.
      return Promise.resolve(`The local CPU limit is now ${value}% (was ${before}%) for the compute engine running now; set neurolake.compute.localCpuLimitPct (or --cpu-limit) to ${value} to keep it.`);
    },
  };
}

async function applyAction(action: EngineAction, storage: StorageForCost | undefined, compute: ComputeForCost | undefined): Promise<string> {
  switch (action.kind) {
    case 'archive-keys':
      if (storage === undefined) throw new Error('Archiving needs the storage engine, which is not running.');
      return storage.archiveKeys(action.keys);
    case 'set-local-capacity':
      if (storage === undefined) throw new Error("Changing the local tier's capacity needs the storage engine, which is not running.");
      return storage.setLocalCapacity(action.capacityBytes);
    case 'set-compute-limit':
      if (compute === undefined) throw new Error('Changing a compute limit needs the compute engine, which is not running.');
      return compute.setLimit(action.limit, action.value);
  }
}

function listAll(engine: StorageEngine): ObjectInfo[] {
  const objects: ObjectInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.list({ limit: 10_000, ...(cursor !== undefined ? { cursor } : {}) });
    objects.push(...page.objects);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return objects;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
