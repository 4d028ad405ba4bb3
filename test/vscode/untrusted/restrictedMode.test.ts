// NeuroLake in a workspace VS Code does not trust (Restricted Mode), in a real VS Code opened with
// Workspace Trust on and the folder never trusted: the Storage view still lists the tiers and an
// object stored by the CLI, while every command that would change storage, run a workload or
// change the configuration refuses, saying why in words, and leaves the data folder (the storage
// index and objects, the compute history) byte for byte as it was.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../../src/api';
import type { StorageRowSnapshot } from '../../../src/views/storageView';
import { waitFor } from '../waitFor';
import { closeEverything, run } from '../workbench';
import { runCli } from '../cli';

const KEY = 'restricted/readings.csv';
/** The refusal every changing command gives: what was not done and how to allow it. */
const REFUSAL = /^This workspace is not trusted, so NeuroLake [^.]+\. Trust the workspace to allow it\.$/;

let api: NeuroLakeApi;
let extensionPath: string;
let workspace: string;
const dataFolder = process.env.NEUROLAKE_HOME ?? '';

/** Runs the NeuroLake CLI of this build as another process would; rejects with its stderr on failure. */
const cli = (args: readonly string[]): Promise<string> => runCli(extensionPath, args);

/** Every file under the data folder's storage and compute folders, by path, with its SHA-256. */
function fingerprint(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files[path.relative(dataFolder, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(path.join(dataFolder, 'storage'));
  walk(path.join(dataFolder, 'compute'));
  return files;
}

function row(rows: readonly StorageRowSnapshot[] | undefined, label: string): StorageRowSnapshot | undefined {
  return rows?.find((candidate) => candidate.label === label);
}

function describeRows(rows: readonly StorageRowSnapshot[], indent = ''): string {
  return rows.map((r) => `${indent}${r.label} — ${r.description} [${r.contextValue}]\n${r.children ? describeRows(r.children, `${indent}  `) : ''}`).join('');
}

/** The object's row under Cloud once its write-back upload is done: checked now and at every storage change. */
async function uploaded(): Promise<StorageRowSnapshot> {
  const find = async (): Promise<StorageRowSnapshot | undefined> => {
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const object = row(row(row(rows, 'Cloud')?.children, 'restricted')?.children, 'readings.csv');
    return object !== undefined && !/\buploadPending\b/.test(object.contextValue) ? object : undefined;
  };
  for (let changes = 0; changes < 50; changes++) {
    const next = waitFor(api.onDidChangeStorage, () => true, 30_000, `${KEY} was never uploaded to the cloud tier`);
    const found = await find();
    if (found !== undefined) {
      next.catch(() => undefined);
      return found;
    }
    await next;
  }
  throw new Error(`${KEY} was still not uploaded after 50 storage changes`);
}

/** Rejects unless `work` is refused with the Restricted Mode sentence naming `refused`. */
async function refusedUntrusted(work: Thenable<unknown>, refused: RegExp, what: string): Promise<string> {
  let message: string | undefined;
  try {
    await work;
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  assert.ok(message !== undefined, `${what} was accepted in an untrusted workspace`);
  assert.match(message, REFUSAL, `${what}: the refusal does not say why in one sentence and how to allow it`);
  assert.match(message, refused, `${what}: the refusal does not say what was not done`);
  return message;
}

suite('Restricted Mode: an untrusted workspace browses but changes nothing', () => {
  let before: Record<string, string>;
  let runsBefore: number;

  suiteSetup(async () => {
    assert.ok(dataFolder !== '', 'the harness sets NEUROLAKE_HOME');
    const extension = vscode.extensions.getExtension<NeuroLakeApi>('neurolake.neurolake');
    assert.ok(extension, 'the NeuroLake extension is loaded in Restricted Mode (untrustedWorkspaces: limited)');
    extensionPath = extension.extensionPath;
    api = await extension.activate();
    await api.ready();
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    // An object the user stored earlier, from outside VS Code, fully in place (local and cloud).
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neurolake-restricted-')), 'readings.csv');
    fs.writeFileSync(file, 'sensor,value\na,1\nb,2\n');
    await cli(['storage', 'put', file, KEY]);
    await uploaded();
    before = fingerprint();
    assert.ok(before[path.join('storage', 'local', 'restricted', 'readings.csv')] !== undefined && Object.keys(before).some((file) => file.startsWith(path.join('storage', 'index.json'))), `the fingerprint misses the object or the index: ${Object.keys(before).join(', ')}`);
    runsBefore = (await api.workloadRows()).length;
  });

  teardown(closeEverything);

  test('VS Code opened the folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: this suite would test nothing');
  });

  test('the Storage view lists the tiers and the stored object', async () => {
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.deepEqual(rows.map((r) => r.label), ['Local', 'Cloud', 'Archive'], describeRows(rows));
    assert.match(row(rows, 'Cloud')!.description, /^connected\b/, describeRows(rows));
    const object = row(row(row(rows, 'Local')?.children, 'restricted')?.children, 'readings.csv');
    assert.ok(object, `readings.csv is not under Local:\n${describeRows(rows)}`);
    assert.match(object.description, /^\d+ B · /);
    // Copying a key changes nothing, so it works here too.
    await run('neurolake.storage.copyKey', KEY);
    assert.equal(await vscode.env.clipboard.readText(), KEY);
  });

  test('Store Files…, Delete…, Demote and Open refuse, naming what was not done', async () => {
    const file = path.join(workspace, 'new.csv');
    fs.writeFileSync(file, 'x\n1\n');
    await refusedUntrusted(run('neurolake.storage.storeFiles', undefined, [vscode.Uri.file(file)]), /stores and moves nothing here/, 'Store Files…');
    let asked = false;
    await refusedUntrusted(
      run('neurolake.storage.delete', KEY, undefined, { answer: () => ((asked = true), true) }),
      /changes nothing in storage from it; "Delete" was not run/,
      'Delete…',
    );
    assert.equal(asked, false, 'Delete asked to confirm before refusing');
    await refusedUntrusted(run('neurolake.storage.demoteToCloud', KEY), /"Demote to Cloud" was not run/, 'Demote to Cloud');
    await refusedUntrusted(run('neurolake.storage.open', KEY), /"Open" was not run/, 'Open');
  });

  test('Schedule Workload…, Run Current File and Run Workload Task refuse and run nothing', async () => {
    const marker = path.join(workspace, 'ran.txt');
    const script = path.join(workspace, 'job.sh');
    fs.writeFileSync(script, `touch '${marker}'\n`);
    await refusedUntrusted(
      run('neurolake.compute.schedule', { type: 'query', what: { kind: 'shell', command: `touch '${marker}'` }, resources: '0.1 CPU, 0.1 GB, 1 min', priority: 5, maxWaitMinutes: 5, choice: 'run' }),
      /runs no workloads here/,
      'Schedule Workload…',
    );
    await refusedUntrusted(run('neurolake.compute.runCurrentFile', vscode.Uri.file(script), { tier: 'local' }), /runs no workloads here/, 'Run Current File as Workload');
    // The cost lens's Run above a tasks.json task: NeuroLake's own way into the `neurolake` task provider.
    await refusedUntrusted(run('neurolake.runWorkloadTask', 'nightly'), /runs no workloads here/, 'Run Workload Task');
    assert.equal(fs.existsSync(marker), false, 'a workload ran');
    assert.equal((await api.workloadRows()).length, runsBefore, 'the Workloads view gained a run');
  });

  test('Configure Cloud Tier… refuses before testing or saving anything', async () => {
    const configPath = path.join(dataFolder, 'storage', 'config.json');
    const config = fs.readFileSync(configPath, 'utf8');
    await refusedUntrusted(
      run('neurolake.storage.configureCloud', { endpoint: 'http://127.0.0.1:9', bucket: 'elsewhere', region: 'us-east-1', prefix: 'x/', archiveClass: 'GLACIER', accessKeyId: 'A', secretAccessKey: 'B' }),
      /does not change the storage configuration from it/,
      'Configure Cloud Tier…',
    );
    assert.equal(fs.readFileSync(configPath, 'utf8'), config, 'storage/config.json changed');
    assert.equal(await vscode.commands.executeCommand<boolean>('neurolake.storage.forgetCloudCredentials'), false, 'a key was stored');
  });

  test('after all of that the storage index, objects and compute history are as they were', async () => {
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.ok(row(row(row(rows, 'Local')?.children, 'restricted')?.children, 'readings.csv'), `readings.csv is gone from Local:\n${describeRows(rows)}`);
    assert.equal(row(row(rows, 'Local')?.children, 'new.csv'), undefined, 'new.csv was stored');
    assert.deepEqual(fingerprint(), before, 'the data folder changed');
  });
});
