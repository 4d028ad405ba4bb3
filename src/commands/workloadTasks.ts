// Run Workload Task: what the cost lens above a neurolake task in tasks.json runs, the task
// of that name as VS Code resolved it (so it behaves as Run Task would).
import * as vscode from 'vscode';
import { RUN_WORKLOAD_TASK_COMMAND } from '../taskCostLenses';
import { assertTrusted } from '../trust';
import { TASK_TYPE } from '../workloadTasks';
import { type CommandFactories } from './registry';

/** How long a just-saved tasks.json may take to reach VS Code's task list. */
const TASKS_RELOAD_MS = 5000;

async function findTask(name: string, folderUri: string | undefined): Promise<vscode.Task | undefined> {
  const tasks = await vscode.tasks.fetchTasks({ type: TASK_TYPE });
  return tasks.find((t) => t.definition['name'] === name && (folderUri === undefined || (typeof t.scope === 'object' && t.scope.uri.toString() === folderUri)));
}

/** Resolves when VS Code has read tasks.json again, or after `ms` if it does not. */
function tasksReloaded(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('tasks')) done();
    });
    const timer = setTimeout(done, ms);
  });
}

export const workloadTaskCommands: CommandFactories = {
  [RUN_WORKLOAD_TASK_COMMAND]: () => async (name: string, folderUri?: string) => {
    // Said here, in NeuroLake's words: VS Code would otherwise answer the task lookup with its own trust dialog.
    assertTrusted('runs no workloads here');
    // The lens reads the editor's text, which can be ahead of the task list VS Code built from the
    // saved file: a task added a moment ago may only be there once VS Code has read the file again.
    const task = (await findTask(name, folderUri)) ?? (await tasksReloaded(TASKS_RELOAD_MS).then(() => findTask(name, folderUri)));
    if (task === undefined) throw new Error(`There is no neurolake task "${name}" in tasks.json (is the file saved?).`);
    return vscode.tasks.executeTask(task);
  },
};
