// Run Workload Task: what the cost lens above a neurolake task in tasks.json runs, the task
// of that name as VS Code resolved it (so it behaves as Run Task would).
import * as vscode from 'vscode';
import { RUN_WORKLOAD_TASK_COMMAND } from '../taskCostLenses';
import { TASK_TYPE } from '../workloadTasks';
import { type CommandFactories } from './registry';

export const workloadTaskCommands: CommandFactories = {
  [RUN_WORKLOAD_TASK_COMMAND]: () => async (name: string, folderUri?: string) => {
    const tasks = await vscode.tasks.fetchTasks({ type: TASK_TYPE });
    const task = tasks.find((t) => t.definition['name'] === name && (folderUri === undefined || (typeof t.scope === 'object' && t.scope.uri.toString() === folderUri)));
    if (task === undefined) throw new Error(`There is no neurolake task "${name}" in tasks.json.`);
    return vscode.tasks.executeTask(task);
  },
};
