// The Workloads view: Queued, Running and Finished groups with their counts, each run with a state
// icon, its tier, elapsed time and cost; a Machine node with CPU and memory now. Finished runs
// load 200 at a time. Refreshes (debounced) when the server says a run changed, in any process.
import * as vscode from 'vscode';
import { ComputeListRequest, ComputeMachineRequest, type RunStateName, type WireRun } from '../../server/protocol';
import { type Ctx } from '../ctx';

export const WORKLOAD_PAGE_SIZE = 200;

const GROUPS: readonly { key: 'queued' | 'running' | 'finished'; label: string; states: readonly RunStateName[] }[] = [
  { key: 'queued', label: 'Queued', states: ['queued'] },
  { key: 'running', label: 'Running', states: ['starting', 'running'] },
  { key: 'finished', label: 'Finished', states: ['completed', 'failed', 'cancelled', 'timed-out', 'lost', 'refused'] },
];

const STATE_ICONS: Readonly<Record<RunStateName, string>> = {
  queued: 'clock',
  starting: 'loading~spin',
  running: 'sync~spin',
  completed: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
  'timed-out': 'watch',
  lost: 'question',
  refused: 'circle-slash',
};

export type WorkloadNode =
  | { readonly type: 'machine' }
  | { readonly type: 'group'; readonly key: (typeof GROUPS)[number]['key']; readonly label: string; readonly states: readonly RunStateName[]; readonly count: number }
  | { readonly type: 'run'; readonly run: WireRun }
  | { readonly type: 'more'; readonly key: string; readonly remaining: number };

export class WorkloadsTreeProvider implements vscode.TreeDataProvider<WorkloadNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly pages = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      ctx.onDidChangeCompute(() => {
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => this.refresh(), 150);
      }),
    );
  }

  refresh(): void {
    this.changed.fire();
  }

  loadMore(key: string): void {
    this.pages.set(key, (this.pages.get(key) ?? 1) + 1);
    this.changed.fire();
  }

  async getChildren(node?: WorkloadNode): Promise<WorkloadNode[]> {
    if (node === undefined) {
      const groups = await Promise.all(
        GROUPS.map(async (group) => ({ type: 'group' as const, ...group, count: (await this.ctx.request(ComputeListRequest, { states: group.states, limit: 0 })).total })),
      );
      // No runs at all: only the welcome content.
      if (groups.every((group) => group.count === 0)) return [];
      return [{ type: 'machine' }, ...groups];
    }
    if (node.type !== 'group') return [];
    const shown = (this.pages.get(node.key) ?? 1) * WORKLOAD_PAGE_SIZE;
    const page = await this.ctx.request(ComputeListRequest, { states: node.states, offset: 0, limit: shown });
    const rows: WorkloadNode[] = page.runs.map((run) => ({ type: 'run', run }));
    if (page.total > page.runs.length) rows.push({ type: 'more', key: node.key, remaining: page.total - page.runs.length });
    return rows;
  }

  async getTreeItem(node: WorkloadNode): Promise<vscode.TreeItem> {
    switch (node.type) {
      case 'machine': {
        const machine = await this.ctx.request(ComputeMachineRequest, undefined);
        const item = new vscode.TreeItem('Machine', vscode.TreeItemCollapsibleState.None);
        item.description = `CPU ${machine.cpuBusyPct.toFixed(0)}% of ${machine.cpuCount}, memory ${(machine.memoryTotalGb - machine.memoryAvailableGb).toFixed(1)} of ${machine.memoryTotalGb.toFixed(1)} GB`;
        item.tooltip = `NeuroLake's workloads use ${machine.ownCores.toFixed(1)} cores and ${machine.ownMemoryGb.toFixed(2)} GB${machine.diskFreeGb === undefined ? '' : `; ${machine.diskFreeGb.toFixed(0)} GB free in the data folder`}`;
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'workloadMachine';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, node.count === 0 ? vscode.TreeItemCollapsibleState.None : node.key === 'finished' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.key}`;
        item.description = String(node.count);
        item.contextValue = `workloadGroup ${node.key}`;
        return item;
      }
      case 'run':
        return runItem(node.run);
      case 'more': {
        const item = new vscode.TreeItem(`Show more… (${node.remaining})`);
        item.command = { command: 'neurolake.compute.loadMore', title: 'Show more', arguments: [node.key] };
        return item;
      }
    }
  }

  /** Every run row as the view shows it, under its group's label (for the API and tests). */
  async rows(): Promise<{ group: string; runId: string; label: string; description: string; contextValue: string }[]> {
    const rows = [];
    for (const group of await this.getChildren()) {
      if (group.type !== 'group') continue;
      for (const node of await this.getChildren(group)) {
        if (node.type !== 'run') continue;
        const item = runItem(node.run);
        rows.push({ group: group.label, runId: node.run.id, label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '' });
      }
    }
    return rows;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function runItem(run: WireRun): vscode.TreeItem {
  const item = new vscode.TreeItem(run.workload.name, vscode.TreeItemCollapsibleState.None);
  item.id = `run:${run.id}`;
  const elapsed = run.startedAt === undefined ? undefined : formatDuration((run.endedAt ?? Date.now()) - run.startedAt);
  item.description = [run.tier ?? run.decision.tier ?? '', elapsed, run.costUsd === undefined ? undefined : `$${run.costUsd.toFixed(run.costUsd < 0.01 ? 4 : 2)}`, run.exitCode === undefined ? undefined : `exit ${run.exitCode}`]
    .filter((part) => part !== undefined && part !== '')
    .join(' · ');
  item.tooltip = new vscode.MarkdownString(`**${run.id}** ${run.state}\n\n${run.decision.reason}${run.detail === undefined ? '' : `\n\n${run.detail}`}`);
  item.iconPath = new vscode.ThemeIcon(STATE_ICONS[run.state]);
  // Menus match words: cancellable while queued or running, retryable once it ended.
  const words = ['workloadRun', run.state, run.state === 'queued' || run.state === 'starting' || run.state === 'running' ? 'cancellable' : 'ended', run.logFile === undefined ? '' : 'hasLog'];
  item.contextValue = words.filter(Boolean).join(' ');
  item.command = { command: 'neurolake.compute.showDetails', title: 'Show Details', arguments: [{ type: 'run', run }] };
  return item;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
