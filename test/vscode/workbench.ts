// What the integration suites share about driving the workbench: bounded commands, fresh SQL
// editors, the indentation they expect, and leaving no editor or picker behind.
import * as vscode from 'vscode';

/**
 * Runs a command, bounded: a command still waiting after `ms` is most likely showing a prompt
 * nobody answers, so fail saying so instead of hanging until mocha's timeout.
 */
export function run<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
  const ms = 15_000;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not finish within ${ms / 1000} s (is it asking a question the test did not answer?)`)), ms);
    vscode.commands.executeCommand<T>(command, ...args).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

let scratchEditors = 0;

/**
 * A new untitled SQL editor holding `content`, focused. Each has its own name: VS Code reuses
 * "Untitled-1" as soon as the previous test closed it, and on a busy machine the extension host
 * may still hold that closed document and hand it out again, old text and all.
 */
export async function sqlEditor(content = ''): Promise<vscode.TextEditor> {
  scratchEditors += 1;
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/scratch-${scratchEditors}.sql` });
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'sql');
  const editor = await vscode.window.showTextDocument(document);
  if (content !== '' && !(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content)))) {
    throw new Error(`the scratch editor ${uri.toString()} refused its content`);
  }
  // The cursor where a fresh document would have it: at the start.
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

/** Inserted SQL is indented like the editor it lands in; the suites' expectations use two spaces. */
export async function indentWithTwoSpaces(): Promise<void> {
  await vscode.workspace.getConfiguration('editor').update('tabSize', 2, vscode.ConfigurationTarget.Global);
  await vscode.workspace.getConfiguration('editor').update('insertSpaces', true, vscode.ConfigurationTarget.Global);
}

/** Closes pickers, suggestions and every editor (reverting it), so the next test starts clean. */
export async function closeEverything(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await vscode.commands.executeCommand('hideSuggestWidget');
  for (let i = 0; i < 50 && vscode.window.tabGroups.all.some((group) => group.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}
