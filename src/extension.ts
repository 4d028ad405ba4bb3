// Extension entry: wiring only. Everything heavy runs in the language server (dist/server.js).
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ActivationTimings, NeuroLakeApi } from './api';
import { registerCommands } from './commands/registry';
import { Ctx } from './ctx';
import { createStatusBar, createWorkloadsStatusBar } from './statusBar';
import { ViewRegistry } from './views/registry';
import { registerWorkloadTasks } from './workloadTasks';
import { TaskCostLenses } from './taskCostLenses';
import { offerNewSlurmToken } from './commands/slurmToken';
import { CATALOG_SCHEME, CatalogFileSystem } from './catalogDocuments';
import { CatalogSearchRequest } from '../server/protocol';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): NeuroLakeApi {
  const started = performance.now();
  const current = new Ctx(context);
  ctx = current;
  const views = new ViewRegistry(current);
  const catalogDocuments = new CatalogFileSystem(current);
  context.subscriptions.push(
    views,
    catalogDocuments,
    vscode.workspace.registerFileSystemProvider(CATALOG_SCHEME, catalogDocuments, { isCaseSensitive: true }),
    createStatusBar(current),
    createWorkloadsStatusBar(current),
    registerWorkloadTasks(current),
    TaskCostLenses.register(current),
    offerNewSlurmToken(current),
    ...registerCommands({ ctx: current, views }),
  );

  let serverReadyMs: number | undefined;
  // The server starts in the background so the editor never waits on it; commands await it.
  const ready = current.start().then(
    () => {
      serverReadyMs = performance.now() - started;
      current.log.info(`Server ready ${serverReadyMs.toFixed(0)} ms after activation began.`);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      current.log.error(message);
      void current.offerLog('error', message);
      throw error;
    },
  );
  // Nobody may be awaiting `ready`; its failure has been shown above, so don't report it twice.
  ready.catch(() => undefined);

  const activateMs = performance.now() - started;
  return {
    get state() {
      return current.state;
    },
    onDidChangeState: current.onDidChangeState,
    ready: () => ready,
    status: () => current.status(),
    onDidChangeStatus: current.onDidChangeStatus,
    searchCatalog: (query) => current.request(CatalogSearchRequest, query),
    onDidChangeCatalog: current.onDidChangeCatalog,
    workloadRows: () => views.workloads.rows(),
    onDidChangeWorkloads: current.onDidChangeCompute,
    onDidChangeStorage: current.onDidChangeStorage,
    timings: (): ActivationTimings => ({ activateMs, serverReadyMs }),
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
