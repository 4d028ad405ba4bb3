// The status bar item: shows whether the server runs and whether an engine failed; a click
// opens the log, where the reason is.
import * as vscode from 'vscode';
import type { ServerStatus } from '../server/protocol';
import type { ServerState } from './api';
import { type Ctx } from './ctx';

export function createStatusBar(ctx: Ctx): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('neurolake.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'NeuroLake';
  item.command = 'neurolake.showLog';
  let lastStatus: ServerStatus | undefined;

  const render = (state: ServerState): void => {
    const failed = state === 'running' ? (lastStatus?.engines.filter((engine) => engine.state === 'failed' || engine.state === 'degraded') ?? []) : [];
    item.text = `${iconFor(state, failed.length > 0)} NeuroLake`;
    item.backgroundColor =
      state === 'stopped' || failed.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip = tooltipFor(state, lastStatus);
  };

  render(ctx.state);
  item.show();
  return vscode.Disposable.from(
    item,
    ctx.onDidChangeState(render),
    ctx.onDidChangeStatus((status) => {
      lastStatus = status;
      render(ctx.state);
    }),
  );
}

function iconFor(state: ServerState, anyFailed: boolean): string {
  if (state === 'starting') return '$(sync~spin)';
  if (state === 'stopped') return '$(error)';
  return anyFailed ? '$(warning)' : '$(database)';
}

function tooltipFor(state: ServerState, status: ServerStatus | undefined): vscode.MarkdownString {
  const text = new vscode.MarkdownString(`**NeuroLake** server ${state}`);
  if (status !== undefined && state === 'running') {
    text.appendMarkdown(` — version ${status.version}\n\nData folder: \`${status.dataFolder}\`\n\n`);
    for (const engine of status.engines) {
      text.appendMarkdown(`- ${engine.name}: ${engine.state}${engine.detail === undefined ? '' : ` — ${engine.detail}`}\n`);
    }
  }
  text.appendMarkdown('\n\nClick to show the NeuroLake log.');
  return text;
}
