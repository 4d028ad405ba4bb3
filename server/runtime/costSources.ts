// Where the cost engine gets its records in a running data folder: the storage and compute
// engines of the same runtime, read through their own index.ts when they are open and running,
// and nothing when they are not (the figures then show no usage rather than failing). Each
// reader turns one engine's own shapes into the plain records the cost engine prices.
import type { ComputeLimits, ComputeRunRecord, CostRecords, CostSources, EngineAction } from '../engines/cost';
import type { LocalTierPolicyFactory } from '../engines/storage';
import type { Engine, EngineContext } from './engine';

/** What the cost engine needs from the storage engine. */
export interface StorageForCost {
  records(): Promise<Pick<CostRecords, 'storage' | 'objects' | 'accesses'>> | Pick<CostRecords, 'storage' | 'objects' | 'accesses'>;
  localTier?(): { readonly capacityBytes: number; readonly policyFor: LocalTierPolicyFactory; readonly maxCapacityBytes?: number } | undefined;
  /** Moves the keys to the archive tier; answers what was done. */
  archiveKeys(keys: readonly string[]): Promise<string>;
  setLocalCapacity(capacityBytes: number): Promise<string>;
}

/** What the cost engine needs from the compute engine. */
export interface ComputeForCost {
  runs(): Promise<readonly ComputeRunRecord[]> | readonly ComputeRunRecord[];
  limits?(): ComputeLimits | undefined;
  setLimit(limit: keyof ComputeLimits, value: number): Promise<string>;
}

/** How a running engine is read for costs; undefined when the engine cannot be (not that engine). */
export interface CostReaders {
  readonly storage: (engine: Engine) => StorageForCost | undefined;
  readonly compute: (engine: Engine) => ComputeForCost | undefined;
}

/**
 * Until the storage and compute engines are registered in this runtime there is nothing to read;
 * an engine that already offers the cost view (a test's, say) is used as it is.
 */
export const DEFAULT_COST_READERS: CostReaders = {
  storage: (engine) => (hasFunctions<StorageForCost>(engine, 'records', 'archiveKeys', 'setLocalCapacity') ? engine : undefined),
  compute: (engine) => (hasFunctions<ComputeForCost>(engine, 'runs', 'setLimit') ? engine : undefined),
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
      const [stored, runs] = await Promise.all([storage()?.records(), compute()?.runs()]);
      return {
        storage: stored?.storage ?? [],
        runs: runs ?? [],
        ...(stored?.objects !== undefined ? { objects: stored.objects } : {}),
        ...(stored?.accesses !== undefined ? { accesses: stored.accesses } : {}),
      };
    },
    localTier: () => storage()?.localTier?.(),
    computeLimits: () => compute()?.limits?.(),
    apply: (action) => applyAction(action, storage(), compute()),
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

function hasFunctions<T>(value: object, ...names: string[]): value is T & Engine {
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}
