// The engines a data folder runs, in the order the status lists them. Adding an engine is one
// entry here: its name (from ENGINE_NAMES in server/protocol/status.ts) and a line that opens it
// from the runtime's context, e.g.
//   storage: { open: (context) => Storage.open({ root: join(context.dataFolder, 'storage'), onWarning: context.warn }) },
// after `import { Storage } from '../engines/storage';`. Runtime.engine('storage') is then typed.
import { join } from 'node:path';
import { BUILTIN_TEMPLATES, Catalog } from '../engines/catalog';
import { ComputeEngine } from '../engines/compute';
import { CostEngine } from '../engines/cost';
import { runtimeCostSources } from './costSources';
import { engineComputeSettings } from './computeSettings';
import { cloudBurstTransfer } from './burstTransfer';
import { StorageEngine } from '../engines/storage';
import { DataFolderCheck } from './dataFolder';
import { type EngineContext, type EngineRegistry } from './engine';

export const ENGINES = {
  dataFolder: { open: (context) => DataFolderCheck.open(context) },
  catalog: { open: openCatalog },
  storage: { open: openStorage },
  compute: { open: openCompute },
  cost: { open: openCost },
} as const satisfies EngineRegistry;

export type DefaultEngines = typeof ENGINES;

/**
 * The catalog, with its watcher when the process stays up. A catalog in an unusable data folder
 * is still tried (it may be readable); when it cannot open, the data folder is named as the cause.
 */
async function openCatalog(context: EngineContext): Promise<Catalog> {
  const problem = context.catalogInDataFolder ? await context.dataFolderProblem() : undefined;
  let catalog: Catalog;
  try {
    catalog = await Catalog.open({ file: context.catalogFile, owner: context.owner, builtins: BUILTIN_TEMPLATES, store: { onWarning: context.warn } });
  } catch (error) {
    if (problem === undefined) throw error;
    throw new Error(`The catalog lives in the data folder, which cannot be used: ${problem}`, { cause: error });
  }
  // Other windows and the CLI write the same file; their changes reach this process's views.
  if (context.watch) context.track(catalog.watchForExternalChanges((error) => context.log(`Watching the catalog failed: ${String(error)}`)));
  return catalog;
}

/**
 * Compute with the `neurolake.compute.*` settings (the session applies later changes with
 * `configure`); a cluster the settings name but cannot use is reported, and the rest still works.
 */
async function openCompute(context: EngineContext): Promise<ComputeEngine> {
  const problem = await context.dataFolderProblem();
  if (problem !== undefined) throw new Error(`The run history lives in the data folder, which cannot be used: ${problem}`);
  const { settings, problem: clusterProblem } = engineComputeSettings(context.settings.compute);
  if (clusterProblem !== undefined) context.warn(clusterProblem);
  // A cluster without a shared folder gets its files through the cloud tier, when there is one.
  const burstTransfer = await cloudBurstTransfer(context.dataFolder, () => context.peer('storage') as StorageEngine | undefined, context.cloudCredentials === undefined ? {} : { credentials: context.cloudCredentials }).catch((error: unknown) => {
    context.log(`Burst jobs cannot use the cloud tier: ${String(error)}`);
    return undefined;
  });
  return ComputeEngine.open({ dataFolder: context.dataFolder, ...settings, ...(burstTransfer === undefined ? {} : { burstTransfer }), ...(context.watch ? {} : { refreshMs: 60_000 }) });
}

/**
 * The cost engine over this runtime's storage and compute engines, with the price books saved in
 * the data folder. It opens with the aws prices; the server and CLI choose the preset and
 * overrides the user set (`usePrices`). A change in storage or compute means new figures.
 */
async function openCost(context: EngineContext): Promise<CostEngine> {
  const cost = await CostEngine.open({ sources: runtimeCostSources(context), pricesFolder: join(context.dataFolder, 'cost', 'prices'), onWarning: context.warn });
  context.onPeerChange((name) => {
    if (name === 'storage' || name === 'compute') cost.recordsChanged();
  });
  return cost;
}

/**
 * The storage tiers of the data folder. A long-lived server uploads the write-back queue and polls
 * restores in the background; a CLI command only does what it was asked.
 */
async function openStorage(context: EngineContext): Promise<StorageEngine> {
  const problem = await context.dataFolderProblem();
  if (problem !== undefined) throw new Error(`Storage lives in the data folder, which cannot be used: ${problem}`);
  const storage = await StorageEngine.open({
    dataFolder: context.dataFolder,
    background: context.watch,
    onWarning: context.warn,
    ...(context.cloudCredentials ? { credentials: context.cloudCredentials } : {}),
  });
  if (context.watch) {
    // Other windows and the CLI change the same index; pick their changes up so views follow.
    const timer = setInterval(() => void storage.refresh().catch((error: unknown) => context.log(`Refreshing storage failed: ${String(error)}`)), 2000);
    timer.unref();
    context.track({ dispose: () => clearInterval(timer) });
  }
  return storage;
}
