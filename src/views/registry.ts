// Creates the three NeuroLake views. The Catalog view shows the catalog engine's entries; Storage
// and Workloads show their welcome content until their engines land.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { CatalogTreeProvider } from './catalogView';
import { EmptyTreeProvider } from './emptyTree';

export class ViewRegistry implements vscode.Disposable {
  readonly catalog: CatalogTreeProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(ctx: Ctx) {
    this.catalog = new CatalogTreeProvider(ctx);
    this.disposables.push(
      this.catalog,
      vscode.window.createTreeView('neurolake.catalog', { treeDataProvider: this.catalog, showCollapseAll: true }),
      vscode.window.createTreeView('neurolake.storage', { treeDataProvider: new EmptyTreeProvider() }),
      // The compute engine's view, titled Workloads: what a user sees are the jobs it runs.
      vscode.window.createTreeView('neurolake.compute', { treeDataProvider: new EmptyTreeProvider() }),
    );
  }

  refreshAll(): void {
    this.catalog.refresh();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
