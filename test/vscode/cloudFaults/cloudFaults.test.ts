// The Storage view when the cloud misbehaves, in a real VS Code: the cloud tier goes through a
// loopback fault proxy in front of the harness's S3 server. With the endpoint down, the Cloud row
// says unreachable and why, and a file stored meanwhile stays local with its upload pending; once
// the endpoint answers again the upload goes through and the row says connected. An archived
// object the server says must be restored (InvalidObjectState) wears the "restoring — readable
// about HH:MM" badge, and once the restore is done Open shows it in a read-only editor.
// Its own VS Code and data folder: moving the cloud tier behind the proxy is refused once other
// suites have left objects whose only copy is at the harness's endpoint.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../../src/api';
import type { MoveOutcome } from '../../../src/commands/storage';
import { clockTime } from '../../../src/views/storageRows';
import type { StorageRowSnapshot } from '../../../src/views/storageView';
import type { ServerStatus } from '../../../server/protocol';
import { startFaultProxy, type FaultProxy } from '../../storage/support/faultProxy';
import { waitFor } from '../waitFor';
import { closeEverything, run } from '../workbench';

const FOLDER = 'faults';
const PENDING = `${FOLDER}/queued.csv`;
const COLD = `${FOLDER}/cold.csv`;
const COLD_CONTENT = 'year,total\n2019,12\n2020,15\n';
/** The archive copy's path at the S3 server: the proxy plays an unrestored archive for it. */
const COLD_ARCHIVE_PATH = `/archive/${COLD}`;

let api: NeuroLakeApi;
let proxy: FaultProxy;

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set by the test harness`);
  return value;
}

function storageDetail(status: ServerStatus): string {
  return status.engines.find((engine) => engine.name === 'storage')?.detail ?? '';
}

/** The status once `predicate` holds: now, or at a status the server reports next. */
async function statusWhere(predicate: (status: ServerStatus) => boolean, what: string): Promise<ServerStatus> {
  const next = waitFor(api.onDidChangeStatus, predicate, 60_000, what);
  const now = await api.status().catch(() => undefined);
  if (now !== undefined && predicate(now)) {
    next.catch(() => undefined);
    return now;
  }
  return next;
}

/** The rows once `found` picks one out of them: read now, and again at each storage change. */
async function rowsUntil(found: (rows: readonly StorageRowSnapshot[]) => StorageRowSnapshot | undefined, what: string): Promise<StorageRowSnapshot> {
  for (let changes = 0; changes < 50; changes++) {
    const next = waitFor(api.onDidChangeStorage, () => true, 60_000, what);
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const row = found(rows);
    if (row !== undefined) {
      next.catch(() => undefined);
      return row;
    }
    await next;
  }
  throw new Error(`${what} (after 50 storage changes)`);
}

function row(rows: readonly StorageRowSnapshot[] | undefined, label: string): StorageRowSnapshot | undefined {
  return rows?.find((candidate) => candidate.label === label);
}

function objectUnder(rows: readonly StorageRowSnapshot[], tier: string, name: string): StorageRowSnapshot | undefined {
  return row(row(row(rows, tier)?.children, FOLDER)?.children, name);
}

function describeRows(rows: readonly StorageRowSnapshot[], indent = ''): string {
  return rows.map((r) => `${indent}${r.label} — ${r.description} [${r.contextValue}]\n${r.children ? describeRows(r.children, `${indent}  `) : ''}`).join('');
}

function tempFile(name: string, content: string): vscode.Uri {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neurolake-faults-')), name);
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

/** Store Files… from the Local tier's `faults` folder row, with the file given instead of picked. */
function storeInFolder(file: vscode.Uri): Promise<unknown> {
  return run('neurolake.storage.storeFiles', { type: 'folder', tier: 'local', prefix: `${FOLDER}/` }, [file]);
}

suite('Storage when the cloud misbehaves', function () {
  // Room for two of the minute-long waits in one test, so the one that times out names itself.
  this.timeout(150_000);

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>('neurolake.neurolake');
    assert.ok(extension);
    api = await extension.activate();
    await api.ready();
    proxy = await startFaultProxy(env('NEUROLAKE_TEST_S3_ENDPOINT'));
    // The cloud tier behind the proxy: the running server applies storage/config.json by itself.
    const configPath = path.join(env('NEUROLAKE_HOME'), 'storage', 'config.json');
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { cloud: { endpoint: string } };
    config.cloud.endpoint = proxy.endpoint;
    fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    await statusWhere((status) => proxy.requests.length > 0 && storageDetail(status).includes('connected'), 'the server never reported the cloud tier connected through the proxy');
  });

  suiteTeardown(async () => {
    await proxy?.close();
  });

  teardown(closeEverything);

  test('with the endpoint down, the Cloud row says unreachable and why, and the server reports it', async () => {
    await proxy.down();
    const reported = statusWhere((status) => /unreachable/.test(storageDetail(status)), 'the server never reported the cloud tier unreachable');
    // The Refresh button: it contacts the cloud tier before reading the rows.
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const cloud = row(rows, 'Cloud');
    assert.ok(cloud, describeRows(rows));
    assert.match(cloud.description, /^unreachable\b/, describeRows(rows));
    assert.match(cloud.contextValue, /\bunreachable\b/);
    assert.match(cloud.tooltip, /^\*\*Cloud \(S3\)\*\* — unreachable/);
    assert.match(cloud.tooltip, /\$\(error\) The cloud tier is unreachable while .*ECONNREFUSED/, `the tooltip does not give the reason:\n${cloud.tooltip}`);
    assert.match(cloud.tooltip, /New objects stay local and are uploaded once it answers/);
    const status = await reported;
    assert.equal(status.engines.find((engine) => engine.name === 'storage')?.state, 'degraded');
  });

  test('a file stored meanwhile stays local with its upload pending; when the endpoint answers again it is uploaded and Cloud says connected', async () => {
    // Listening first: the write-back queue tries the upload at once and reports its failure.
    const uploadFailed = statusWhere((status) => storageDetail(status).includes(`unreachable while uploading ${PENDING}`), `the server never reported the upload of ${PENDING} failing`);
    await storeInFolder(tempFile('queued.csv', 'id\n1\n2\n'));
    const failed = await uploadFailed;
    assert.match(storageDetail(failed), /; 1 upload queued$/);
    let rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const queued = objectUnder(rows, 'Local', 'queued.csv');
    assert.ok(queued, `queued.csv is not under Local:\n${describeRows(rows)}`);
    assert.match(queued.description, /· upload pending$/, describeRows(rows));
    assert.match(row(rows, 'Cloud')!.description, /^unreachable\b/);

    // Nobody presses Refresh: the write-back queue retries by itself, and its upload says connected.
    const connected = statusWhere((status) => /connected/.test(storageDetail(status)) && !/queued/.test(storageDetail(status)), 'the server never reported the cloud tier connected again');
    await proxy.up();
    await connected;
    const uploaded = await rowsUntil((now) => objectUnder(now, 'Cloud', 'queued.csv'), `${PENDING} never showed under Cloud after the endpoint came back`);
    assert.doesNotMatch(uploaded.description, /upload pending/);
    rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const cloud = row(rows, 'Cloud')!;
    assert.match(cloud.description, /^connected\b/, describeRows(rows));
    assert.match(cloud.tooltip, /^\*\*Cloud \(S3\)\*\* — connected/);
  });

  test('an archived object that must be restored wears "restoring — readable about HH:MM"; once restored, Open shows it read-only', async () => {
    await storeInFolder(tempFile('cold.csv', COLD_CONTENT));
    const archived = await run<MoveOutcome>('neurolake.storage.archive', COLD);
    assert.deepEqual(archived.failed, []);
    assert.deepEqual(archived.moved[0]?.tiers, ['archive']);
    // From now on the server answers reads of the archive copy with InvalidObjectState until restored.
    proxy.archive(COLD_ARCHIVE_PATH);

    let refusal = '';
    await run('neurolake.storage.open', COLD).then(
      () => assert.fail('Open read an archived object the server says must be restored first'),
      (error: Error) => (refusal = error.message),
    );
    assert.match(refusal, new RegExp(`^${COLD} is archived and being restored; it should be readable around (\\S+)\\. Try again then\\.$`));
    const expectedAt = /readable around (\S+)\./.exec(refusal)![1]!;
    assert.ok(proxy.requests.some((request) => request.startsWith('POST ') && request.includes(`${COLD_ARCHIVE_PATH}?restore`)), 'no RestoreObject request reached the server');

    const badge = `restoring — readable about ${clockTime(expectedAt)}`;
    const restoring = await rowsUntil((rows) => objectUnder(rows, 'Archive', 'cold.csv'), `${COLD} is not under Archive`);
    assert.ok(restoring.description.endsWith(` · ${badge}`), `the row says "${restoring.description}", not "… · ${badge}"`);
    assert.match(restoring.contextValue, /\brestoring\b/);
    assert.match(restoring.contextValue, /\barchiveOnly\b/);
    assert.match(restoring.tooltip, /\$\(clock\) Restoring since .+; readable about /);

    // The archive finishes the restore; the next Open polls it, reads the copy and opens it.
    proxy.completeRestore(COLD_ARCHIVE_PATH);
    const opened = await run<vscode.Uri>('neurolake.storage.open', COLD);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor !== undefined && editor.document.uri.fsPath === opened.fsPath, `the active editor is ${editor?.document.uri.toString()}, not ${opened.toString()}`);
    assert.equal(editor.document.getText(), COLD_CONTENT);
    // Read-only: an edit leaves the text as it was and nothing to save.
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'edited,'));
    assert.equal(editor.document.getText(), COLD_CONTENT, 'the archived object opened in an editor that takes edits');
    assert.equal(editor.document.isDirty, false);
    const after = await rowsUntil((rows) => objectUnder(rows, 'Archive', 'cold.csv'), `${COLD} is not under Archive after the restore`);
    assert.doesNotMatch(after.description, /restoring/, 'the badge stays after the restore finished');
  });
});
