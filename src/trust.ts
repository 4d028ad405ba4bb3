// The one check before anything that runs code or changes data: VS Code's Workspace Trust. An
// untrusted workspace may still browse; the command says what it refused instead of failing later.
import * as vscode from 'vscode';

/**
 * Throws, naming what was refused, when the workspace is not trusted. `refused` completes
 * "NeuroLake …": "runs no workloads here", "stores and moves nothing here".
 */
export function assertTrusted(refused: string): void {
  if (!vscode.workspace.isTrusted) throw new Error(`This workspace is not trusted, so NeuroLake ${refused}. Trust the workspace to allow it.`);
}
