// Creates the three NeuroLake views: the catalog engine's entries, the storage tiers and their
// objects, and the compute engine's runs (titled Workloads).
import * as vscode from 'vscode';
import { CatalogRefreshRequest } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { CatalogTreeProvider } from './catalogView';
import { StorageDragAndDrop } from './storageDragAndDrop';
import { type StorageNode } from './storageNodes';
import { StorageTreeProvider } from './storageView';
import { WorkloadsTreeProvider } from './workloadsView';

export class ViewRegistry implements vscode.Disposable {
  readonly catalog: CatalogTreeProvider;
  readonly workloads: WorkloadsTreeProvider;
  readonly storage: StorageTreeProvider;
  /** The Storage view itself: commands run from the palette act on its selection. */
  readonly storageTree: vscode.TreeView<StorageNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.catalog = new CatalogTreeProvider(ctx);
    this.workloads = new WorkloadsTreeProvider(ctx);
    this.storage = new StorageTreeProvider(ctx);
    this.storageTree = vscode.window.createTreeView('neurolake.storage', {
      treeDataProvider: this.storage,
      canSelectMany: true,
      showCollapseAll: true,
      // Files dropped from the Explorer or the OS are stored; objects dropped on a tier move there.
      dragAndDropController: new StorageDragAndDrop(ctx),
    });
    this.disposables.push(
      this.catalog,
      this.workloads,
      this.storage,
      this.storageTree,
      vscode.window.createTreeView('neurolake.catalog', { treeDataProvider: this.catalog, showCollapseAll: true }),
      // The compute engine's view, titled Workloads: what a user sees are the jobs it runs.
      vscode.window.createTreeView('neurolake.compute', { treeDataProvider: this.workloads }),
    );
  }

  /**
   * Re-reads every view. The server first catches up on what other processes wrote to the
   * catalog, so the Catalog view shows it at once; resolves to the Catalog view's top rows.
   */
  async refreshAll(): Promise<{ label: string; count: number }[]> {
    try {
      await this.ctx.request(CatalogRefreshRequest, {});
    } catch (error) {
      // The views still repaint, showing what the server has; the log says why it is not newer.
      this.ctx.log.warn(`Reading the catalog file again failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.catalog.refresh();
    this.workloads.refresh();
    this.storage.refresh();
    return this.catalog.topRows();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
