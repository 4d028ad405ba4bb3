// Creates the three NeuroLake views. The Catalog view shows the catalog engine's entries; Storage
// and Workloads show their welcome content until their engines land.
import * as vscode from 'vscode';
import { CatalogRefreshRequest } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { CatalogTreeProvider } from './catalogView';
import { EmptyTreeProvider } from './emptyTree';

export class ViewRegistry implements vscode.Disposable {
  readonly catalog: CatalogTreeProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.catalog = new CatalogTreeProvider(ctx);
    this.disposables.push(
      this.catalog,
      vscode.window.createTreeView('neurolake.catalog', { treeDataProvider: this.catalog, showCollapseAll: true }),
      vscode.window.createTreeView('neurolake.storage', { treeDataProvider: new EmptyTreeProvider() }),
      vscode.window.createTreeView('neurolake.workloads', { treeDataProvider: new EmptyTreeProvider() }),
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
    return this.catalog.topRows();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
