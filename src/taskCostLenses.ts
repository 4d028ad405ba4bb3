// A lens above each `"type": "neurolake"` task in tasks.json with what it would cost on this
// machine and on the cluster, as the compute engine decides it now without running anything;
// clicking it runs the task. The figures follow a change of prices.
import * as vscode from 'vscode';
import { ComputePreviewRequest } from '../server/protocol';
import { type Ctx } from './ctx';
import { estimateTitle, estimateTooltip } from './taskCostLensText';
import { findWorkloadTasks } from './tasksJson';
import { workloadSpec } from './workloadTaskSpec';

export const RUN_WORKLOAD_TASK_COMMAND = 'neurolake.runWorkloadTask';

export class TaskCostLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeCost((reason) => {
      if (reason === 'prices') this.changed.fire();
    });
  }

  static register(ctx: Ctx): vscode.Disposable {
    const lenses = new TaskCostLenses(ctx);
    return vscode.Disposable.from(lenses, vscode.languages.registerCodeLensProvider({ pattern: '**/.vscode/tasks.json' }, lenses));
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const tasks = findWorkloadTasks(document.getText());
    return Promise.all(
      tasks.map(async (task) => {
        const start = document.positionAt(task.offset);
        const range = new vscode.Range(start, start);
        const run = { title: '', command: RUN_WORKLOAD_TASK_COMMAND, arguments: [task.definition.name, folder?.uri.toString()] };
        try {
          const decision = await this.ctx.request(ComputePreviewRequest, workloadSpec(task.definition, folder?.uri.fsPath), token);
          return new vscode.CodeLens(range, { ...run, title: estimateTitle(decision), tooltip: estimateTooltip(decision) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return new vscode.CodeLens(range, { title: `NeuroLake: no cost estimate: ${message}`, command: '' });
        }
      }),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
