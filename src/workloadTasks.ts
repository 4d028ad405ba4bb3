// `"type": "neurolake"` tasks in tasks.json: a workload run from Run Task and usable in task
// dependencies. The terminal shows the decision, then the run's log as it grows, and the task
// ends with the run's exit code; closing the terminal cancels the run.
import * as vscode from 'vscode';
import { ComputeCancelRequest, ComputeGetRequest, ComputeLogRequest, ComputeSubmitRequest, type WireRun } from '../server/protocol';
import { type Ctx } from './ctx';
import { workloadSpec, type WorkloadTaskDefinition as BaseDefinition } from './workloadTaskSpec';
import { assertTrusted } from './trust';

export const TASK_TYPE = 'neurolake';

type WorkloadTaskDefinition = vscode.TaskDefinition & BaseDefinition;

const POLL_MS = 300;

export function registerWorkloadTasks(ctx: Ctx): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    // Workload tasks are written in tasks.json; there is nothing to detect.
    provideTasks: () => [],
    resolveTask: (task) => workloadTask(ctx, task.definition as WorkloadTaskDefinition, task.scope ?? vscode.TaskScope.Workspace),
  });
}

function workloadTask(ctx: Ctx, definition: WorkloadTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Task {
  const folder = typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const execution = new vscode.CustomExecution(async () => new WorkloadTerminal(ctx, definition, folder));
  return new vscode.Task(definition, scope, definition.name ?? 'workload', TASK_TYPE, execution);
}

class WorkloadTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private run: WireRun | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly definition: WorkloadTaskDefinition,
    private readonly folder: string | undefined,
  ) {}

  open(): void {
    void this.execute().catch((error: unknown) => {
      this.line(`NeuroLake: ${error instanceof Error ? error.message : String(error)}`);
      this.closed.fire(1);
    });
  }

  close(): void {
    this.stopped = true;
    if (this.run !== undefined) void this.ctx.request(ComputeCancelRequest, { id: this.run.id }).catch(() => undefined);
  }

  private async execute(): Promise<void> {
    assertTrusted('runs no workloads here');
    const spec = workloadSpec(this.definition, this.folder);
    this.run = await this.ctx.request(ComputeSubmitRequest, spec);
    this.line(`NeuroLake: ${this.run.id}: ${this.run.decision.reason}`);
    let offset = 0;
    for (;;) {
      const chunk = await this.ctx.request(ComputeLogRequest, { runId: this.run.id, offset });
      if (chunk.text !== '') this.written.fire(chunk.text.replace(/\r?\n/g, '\r\n'));
      offset = chunk.offset;
      if (chunk.complete || this.stopped) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ended = await this.ctx.request(ComputeGetRequest, { id: this.run.id });
    this.line(`NeuroLake: ${ended.id} ${ended.state}${ended.exitCode === undefined ? '' : ` (exit ${ended.exitCode})`}${ended.detail === undefined ? '' : `: ${ended.detail}`}`);
    this.closed.fire(ended.state === 'completed' ? 0 : (ended.exitCode ?? 1) || 1);
  }

  private line(text: string): void {
    this.written.fire(`${text}\r\n`);
  }
}
