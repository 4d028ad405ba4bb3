// Running workloads as a person does in a real VS Code: Schedule Workload answered step by step
// ends on the decision (where, why, and what each option costs), Run starts it, and the Workloads
// view shows it Running, then Finished with its exit code; Run Current File runs a shell script;
// a `"type": "neurolake"` task in tasks.json runs and ends with the workload's exit code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi, WorkloadRow } from '../../src/api';
import type { ScheduledWorkload } from '../../src/commands/computeRun';
import type { WireRun } from '../../server/protocol';
import { waitFor } from './waitFor';
import { closeEverything } from './workbench';

let api: NeuroLakeApi;
let workspace: string;

/** The run's row once the Workloads view shows it in `group` and `test` passes, checked now and on every change. */
async function rowIn(runId: () => string | undefined, group: string, test: (row: WorkloadRow) => boolean, what: string): Promise<WorkloadRow> {
  const find = async (): Promise<WorkloadRow | undefined> => {
    const id = runId();
    return id === undefined ? undefined : (await api.workloadRows()).find((row) => row.runId === id && row.group === group && test(row));
  };
  let found: WorkloadRow | undefined;
  const changed = new vscode.EventEmitter<void>();
  const subscription = api.onDidChangeWorkloads(() => void find().then((row) => row !== undefined && ((found = row), changed.fire())));
  try {
    found = await find();
    if (found === undefined) await waitFor(changed.event, () => true, 30_000, what);
    return found!;
  } finally {
    subscription.dispose();
    changed.dispose();
  }
}

suite('Compute: workloads from VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>('neurolake.neurolake');
    assert.ok(extension, 'the NeuroLake extension is installed');
    api = await extension.activate();
    await api.ready();
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.ok(vscode.workspace.isTrusted, 'the test workspace is trusted (workloads run only in trusted workspaces)');
  });
  teardown(closeEverything);

  test('Schedule Workload: the decision says where and why with each option\'s cost; Run shows it Running, then Finished with its exit code', async () => {
    const marker = path.join(workspace, 'scheduled.go');
    const script = path.join(workspace, 'scheduled.sh');
    fs.writeFileSync(script, `while [ ! -e '${marker}' ]; do sleep 0.05; done\necho "scheduled ran in $PWD"\nexit 0\n`);
    let runId: string | undefined;
    const seen = api.onDidChangeWorkloads((id) => {
      if (id?.startsWith('scheduled-report') === true) runId ??= id;
    });
    // A busy test machine may make the scheduler queue it: then choose "this machine" on the last step.
    const scheduled = Promise.resolve(
      vscode.commands.executeCommand<ScheduledWorkload>('neurolake.compute.schedule', {
        type: 'query',
        what: { kind: 'script', file: script },
        name: 'scheduled report',
        resources: '0.1 CPU, 0.1 GB, 1 min',
        priority: 7,
        maxWaitMinutes: 5,
        choice: 'local',
      }),
    );
    try {
      const running = await rowIn(() => runId, 'Running', (row) => /\blocal\b/.test(row.description), 'the scheduled run never showed in the Running group of the Workloads view');
      assert.equal(running.label, 'scheduled report');
      assert.match(running.contextValue, /\bcancellable\b/);
      fs.writeFileSync(marker, '');
      const finished = await rowIn(() => runId, 'Finished', () => true, 'the scheduled run never showed in the Finished group');
      assert.match(finished.description, /exit 0/);
      assert.match(finished.description, /\$0\.\d{2,4}/, 'the row shows its cost');

      const result = await scheduled;
      assert.equal(result.decision.options.length, 2);
      assert.equal(result.shown.placeholder, result.decision.reason, 'the last step shows the decision\'s reason');
      const local = result.shown.rows.find((row) => /This machine/.test(row.label));
      const cluster = result.shown.rows.find((row) => /Cluster/.test(row.label));
      assert.match(local?.description ?? '', /about \$\d+\.\d+/, 'this machine\'s option shows its cost');
      assert.match(cluster?.description ?? '', /not possible: .*about \$\d+\.\d+/, 'with no cluster configured, its option says why not and what it would cost');
      if (result.decision.verdict === 'local') assert.match(result.decision.reason, /^Runs on this machine now: it fits under the CPU and memory limits/);
      const run: WireRun = result.run!;
      assert.equal(run.state, 'completed');
      assert.equal(run.tier, 'local');
      assert.equal(run.exitCode, 0);
      assert.equal(run.workload.priority, 7);
      assert.equal(fs.readFileSync(run.logFile!, 'utf8'), `scheduled ran in ${workspace}\n`);
    } finally {
      seen.dispose();
      fs.writeFileSync(marker, '');
    }
  });

  test('Run Current File as Workload runs the shell script in the editor and ends with its exit code', async () => {
    const file = path.join(workspace, 'current.sh');
    fs.writeFileSync(file, 'echo "current file says hi"\nexit 5\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.equal(editor.document.languageId, 'shellscript');
    // From the palette, as a user runs it (no URI); forced to this machine, which a busy test machine might otherwise queue.
    const run = await vscode.commands.executeCommand<WireRun>('neurolake.compute.runCurrentFile', undefined, { tier: 'local' });
    assert.equal(run.workload.type, 'query');
    assert.equal(run.state, 'failed');
    assert.equal(run.exitCode, 5);
    assert.equal(run.workload.name, 'current.sh');
    assert.equal(fs.readFileSync(run.logFile!, 'utf8'), 'current file says hi\n');
    const row = (await api.workloadRows()).find((r) => r.runId === run.id);
    assert.equal(row?.group, 'Finished');
    assert.match(row?.description ?? '', /exit 5/);
  });

  test('a "neurolake" task from tasks.json runs the workload and ends with its exit code', async () => {
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'tasks.json'),
      JSON.stringify({ version: '2.0.0', tasks: [{ type: 'neurolake', label: 'nightly load', name: 'nightly load', workloadType: 'etl', command: 'echo loading; exit 4', cpus: 0.1, memoryGb: 0.1, tier: 'local' }] }),
    );
    const task = await waitForTask('nightly load');
    const ended = waitFor(vscode.tasks.onDidEndTaskProcess, (event) => event.execution.task.name === 'nightly load', 30_000, 'the nightly load task never ended');
    await vscode.tasks.executeTask(task);
    assert.equal((await ended).exitCode, 4);
    const row = (await api.workloadRows()).find((r) => r.label === 'nightly load');
    assert.equal(row?.group, 'Finished');
    assert.match(row?.description ?? '', /exit 4/);
  });

  test('Set Slurm Token refuses what is not a token, and keeps a good one secret: the server restarts to take it', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('neurolake.compute.setSlurmToken', { token: 'hunter2' })), /three parts separated by dots/);
    const before = (await api.status()).pid;
    const restarted = waitFor(api.onDidChangeState, (state) => state === 'starting', 30_000, 'the server did not restart after a new Slurm token');
    const claims = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600, sun: 'nlslurm' })).toString('base64url');
    assert.equal(await vscode.commands.executeCommand('neurolake.compute.setSlurmToken', { token: `SLURM_JWT=e30.${claims}.c2ln` }), true);
    await restarted;
    if (api.state !== 'running') await waitFor(api.onDidChangeState, (state) => state === 'running', 30_000, 'the server did not come back after the restart');
    assert.notEqual((await api.status()).pid, before, 'a new server process, started with the token in its environment');
  });
});

/** The task once VS Code has read the new tasks.json (it watches the file, and says so as a change of the `tasks` configuration). */
async function waitForTask(name: string): Promise<vscode.Task> {
  const reread = waitFor(vscode.workspace.onDidChangeConfiguration, (event) => event.affectsConfiguration('tasks'), 30_000, `VS Code never read the tasks.json offering "${name}"`);
  const find = async (): Promise<vscode.Task | undefined> => (await vscode.tasks.fetchTasks({ type: 'neurolake' })).find((t) => t.name === name);
  const already = await find();
  if (already !== undefined) {
    reread.catch(() => undefined);
    return already;
  }
  await reread;
  const task = await find();
  if (task === undefined) throw new Error(`the task "${name}" from tasks.json was never offered`);
  return task;
}
