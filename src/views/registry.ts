// Creates the three NeuroLake views. The Catalog view shows the catalog engine's entries; Storage
// and Workloads show their welcome content until their engines land.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CatalogTreeProvider } from './catalogView';
import { LoadingTreeProvider } from './loadingTree';

export class ViewRegistry implements vscode.Disposable {
  readonly catalog: CatalogTreeProvider;
  private readonly others: LoadingTreeProvider[];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(ctx: Ctx) {
    this.catalog = new CatalogTreeProvider(ctx);
    // No engine stores rows for these yet, so each is empty and shows its welcome content.
    const storage = new LoadingTreeProvider(async () => []);
    const workloads = new LoadingTreeProvider(async () => []);
    this.others = [storage, workloads];
    this.disposables.push(
      this.catalog,
      storage,
      workloads,
      vscode.window.createTreeView('neurolake.catalog', { treeDataProvider: this.catalog, showCollapseAll: true }),
      vscode.window.createTreeView('neurolake.storage', { treeDataProvider: storage }),
      vscode.window.createTreeView('neurolake.workloads', { treeDataProvider: workloads }),
    );
  }

  refreshAll(): void {
    this.catalog.refresh();
    for (const provider of this.others) provider.refresh();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
