// The cost lens over neurolake tasks in a real VS Code: a tasks.json in the workspace gets a lens
// above each neurolake task (and none above other tasks) with the compute engine's local and
// cluster estimate, and the lens's command runs that task.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'neurolake.neurolake';

const TASKS = {
  version: '2.0.0',
  tasks: [
    { label: 'say hello', type: 'shell', command: 'echo hello' },
    { type: 'neurolake', name: 'Count rows', workloadType: 'query', command: 'exit 0', cpus: 1, memoryGb: 0.1, estimatedMinutes: 30, tier: 'local' },
    { type: 'neurolake', name: 'Train model', workloadType: 'ml', command: 'exit 0', tier: 'cluster' },
  ],
};

suite('Cost lenses over neurolake tasks', () => {
  let tasksFile: vscode.Uri;
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension);
    await (await extension.activate()).ready();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a workspace folder');
    tasksFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'tasks.json');
    await vscode.workspace.fs.writeFile(tasksFile, new TextEncoder().encode(`// Workloads of this workspace\n${JSON.stringify(TASKS, null, 2)}\n`));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(tasksFile);
  });

  test('shows each neurolake task\'s local and cluster estimate above it, and runs it on a click', async () => {
    const document = await vscode.workspace.openTextDocument(tasksFile);
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tasksFile);
    const ours = lenses.filter((lens) => lens.command?.command === 'neurolake.runWorkloadTask');
    assert.equal(ours.length, 2, `one lens per neurolake task: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    const lines = ours.map((lens) => document.lineAt(lens.range.start.line).text.trim());
    assert.deepEqual(lines, ['{', '{']);
    assert.match(document.getText(new vscode.Range(ours[0]!.range.start, document.lineAt(ours[0]!.range.start.line + 2).range.end)), /"Count rows"/);
    const figure = /(<\$0\.01|\$\d+\.\d{2})/.source;
    // Half an hour of one CPU here costs the machine's power; no cluster is set up in this workbench.
    // The task asks for this machine, so the decision does not depend on how busy the machine is.
    assert.match(ours[0]!.command!.title, new RegExp(`^\\$\\(play\\) Run · local ${figure} · cluster ${figure} \\(unavailable\\)$`));
    assert.match(ours[0]!.command!.tooltip ?? '', /Runs on this machine now, as asked/);
    // This one asks for the cluster, so this machine is no option for it either.
    assert.match(ours[1]!.command!.title, new RegExp(`local ${figure} \\(unavailable\\) · cluster ${figure} \\(unavailable\\)$`));
    assert.match(ours[1]!.command!.tooltip ?? '', /bursting to a cluster is turned off|cluster/i);

    const ended = waitFor(vscode.tasks.onDidEndTaskProcess, (e) => e.execution.task.definition['name'] === 'Count rows', 60_000, 'the task the lens runs never ended');
    await vscode.commands.executeCommand(ours[0]!.command!.command, ...(ours[0]!.command!.arguments ?? []));
    const { exitCode } = await ended;
    // An untrusted workspace runs no workload: the task then ends at once with a failure.
    assert.equal(exitCode, vscode.workspace.isTrusted ? 0 : 1);
  });
});
