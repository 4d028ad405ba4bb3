// A tree whose rows come from a loader (usually a server request). While the loader has nothing,
// VS Code shows the view's welcome content from package.json.
import * as vscode from 'vscode';

export type RowLoader = () => Promise<vscode.TreeItem[]>;

export class LoadingTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: RowLoader) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(parent?: vscode.TreeItem): Promise<vscode.TreeItem[]> {
    return parent === undefined ? this.load() : [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
