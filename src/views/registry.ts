// Creates the three NeuroLake views. Each engine issue replaces its view's loader with rows from
// the server; until an engine has data, the view shows its welcome content.
import * as vscode from 'vscode';
import { LoadingTreeProvider, type RowLoader } from './loadingTree';

export const VIEW_IDS = ['neurolake.catalog', 'neurolake.storage', 'neurolake.workloads'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export class ViewRegistry implements vscode.Disposable {
  private readonly providers = new Map<ViewId, LoadingTreeProvider>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(loaders: Record<ViewId, RowLoader>) {
    for (const id of VIEW_IDS) {
      const provider = new LoadingTreeProvider(loaders[id]);
      this.providers.set(id, provider);
      this.disposables.push(provider, vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true }));
    }
  }

  refreshAll(): void {
    for (const provider of this.providers.values()) provider.refresh();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/** No engine stores rows for these views yet, so each is empty and shows its welcome content. */
export const emptyLoaders: Record<ViewId, RowLoader> = {
  'neurolake.catalog': async () => [],
  'neurolake.storage': async () => [],
  'neurolake.workloads': async () => [],
};
