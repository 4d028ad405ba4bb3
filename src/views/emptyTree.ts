// A view with no rows: VS Code then shows the view's welcome content from package.json. Storage
// and Workloads use it until their engines land and they get providers of their own.
import type * as vscode from 'vscode';

export class EmptyTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem> {
  getTreeItem(item: vscode.TreeItem): vscode.TreeItem {
    return item;
  }

  getChildren(): vscode.TreeItem[] {
    return [];
  }
}
