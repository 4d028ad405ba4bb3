// The Storage view and its commands in a real VS Code, with the harness's embedded S3 server as
// the cloud tier: the three tier rows and their state, an object the CLI stored shown under Local,
// Demote moving it under Cloud, Open and Download giving its bytes, Copy Key / S3 URI on the
// clipboard, a presigned URL that a plain HTTP GET reads, Archive and Restore, Delete's confirmation
// naming the copies, statistics, verify, and a large folder opening a page at a time.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import type { MoveOutcome } from '../../src/commands/storage';
import type { StorageRowSnapshot } from '../../src/views/storageView';
import type { StorageVerifyReport } from '../../server/protocol';
import { waitFor } from './waitFor';
import { closeEverything, run } from './workbench';
import { runCli } from './cli';

const EXTENSION_ID = 'neurolake.neurolake';
/** A key of its own, so the rows this suite looks for are not confused with other suites' objects. */
const FOLDER = 'vscode-storage';
const KEY = `${FOLDER}/orders.csv`;
const CONTENT = `id,amount\n${Array.from({ length: 200 }, (_, i) => `${i},${(i * 3.5).toFixed(2)}`).join('\n')}\n`;

let api: NeuroLakeApi;
let extensionPath: string;

/** Runs the NeuroLake CLI of this build as another process would; rejects with its stderr on failure. */
const cli = (args: readonly string[]): Promise<string> => runCli(extensionPath, args);

/** Stores `file` as `key` from another process, as a script would; resolves once this window heard of it. */
async function storeWithCli(file: string, key: string): Promise<void> {
  // Listening before the CLI runs, so the change cannot pass unseen; the view repaints on it.
  const arrived = waitFor(api.onDidChangeStorage, (keys) => keys.length === 0 || keys.includes(key), 20_000, `no storage change reached this window after the CLI stored ${key}`);
  await cli(['storage', 'put', file, key]);
  await arrived;
}

function tempFile(name: string, content?: string | Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neurolake-storage-test-')), name);
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

function row(rows: readonly StorageRowSnapshot[] | undefined, label: string): StorageRowSnapshot | undefined {
  return rows?.find((candidate) => candidate.label === label);
}

/** The row of `name` inside this suite's folder under the tier row `tier`, as the view shows it. */
function objectUnder(rows: readonly StorageRowSnapshot[], tier: string, name: string): StorageRowSnapshot | undefined {
  return row(row(row(rows, tier)?.children, FOLDER)?.children, name);
}

function describeRows(rows: readonly StorageRowSnapshot[], indent = ''): string {
  return rows.map((r) => `${indent}${r.label} — ${r.description} [${r.contextValue}]\n${r.children ? describeRows(r.children, `${indent}  `) : ''}`).join('');
}

/** Rejects unless `work` rejects with a message matching `expected`. */
async function refused(work: Thenable<unknown>, expected: RegExp, what: string): Promise<void> {
  try {
    await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    assert.ok(expected.test(message), `${what}: refused, but "${message}" does not match ${expected}`);
    return;
  }
  assert.fail(`${what}: it was accepted`);
}

suite('Storage in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    extensionPath = extension.extensionPath;
    api = await extension.activate();
    if (api.state !== 'running') await waitFor(api.onDidChangeState, (state) => state === 'running', 30_000, 'the server never reached "running"');
    await vscode.commands.executeCommand('neurolake.storage.focus');
  });

  teardown(closeEverything);

  test('the view shows Local with its capacity, Cloud connected and Archive with its storage class', async () => {
    const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.deepEqual(
      rows.map((r) => r.label),
      ['Local', 'Cloud', 'Archive'],
      describeRows(rows),
    );
    assert.match(row(rows, 'Local')!.description, / of 1 GB\b/, 'the harness configures a 1 GB local tier');
    assert.match(row(rows, 'Cloud')!.description, /^connected\b/, describeRows(rows));
    assert.match(row(rows, 'Cloud')!.contextValue, /\bconnected\b/);
    assert.match(row(rows, 'Archive')!.description, /^GLACIER\b/);
  });

  test('an object the CLI stores appears under Local; Demote moves it under Cloud and not Local', async () => {
    const file = tempFile('orders.csv', CONTENT);
    await storeWithCli(file, KEY);
    let rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const local = objectUnder(rows, 'Local', 'orders.csv');
    assert.ok(local, `orders.csv is not under Local:\n${describeRows(rows)}`);
    assert.match(local.description, /^\d+(\.\d)? KB · /, 'its size comes first');
    assert.match(local.contextValue, /^storageObject\b.*\blocal\b/);

    const outcome = await run<MoveOutcome>('neurolake.storage.demoteToCloud', KEY);
    assert.deepEqual(outcome.failed, []);
    assert.deepEqual(outcome.moved[0]?.tiers, ['cloud']);
    rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.ok(objectUnder(rows, 'Cloud', 'orders.csv'), `orders.csv is not under Cloud after Demote:\n${describeRows(rows)}`);
    assert.equal(objectUnder(rows, 'Local', 'orders.csv'), undefined, `orders.csv is still under Local after Demote:\n${describeRows(rows)}`);
    assert.match(objectUnder(rows, 'Cloud', 'orders.csv')!.contextValue, /\bnoLocal\b/, 'the menus then offer Promote to Local');
  });

  test('Open shows the object in an editor and Download writes its bytes to the chosen file', async () => {
    const opened = await run<vscode.Uri>('neurolake.storage.open', KEY);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.fsPath === opened.fsPath) ?? (await vscode.workspace.openTextDocument(opened));
    assert.equal(document.getText(), CONTENT);
    const target = tempFile('downloaded.csv');
    const saved = await run<vscode.Uri>('neurolake.storage.download', KEY, undefined, { path: target });
    assert.equal(saved.fsPath, target);
    assert.equal(fs.readFileSync(target, 'utf8'), CONTENT);
  });

  test('Copy Key and Copy S3 URI put them on the clipboard', async () => {
    await run('neurolake.storage.copyKey', KEY);
    assert.equal(await vscode.env.clipboard.readText(), KEY);
    await run('neurolake.storage.copyS3Uri', KEY);
    const bucket = process.env.NEUROLAKE_TEST_S3_BUCKET;
    assert.ok(bucket, 'the harness names the bucket in NEUROLAKE_TEST_S3_BUCKET');
    assert.equal(await vscode.env.clipboard.readText(), `s3://${bucket}/neurolake/objects/${KEY}`);
  });

  test('Copy Presigned URL copies a URL that a plain HTTP GET reads the object from', async () => {
    const bytes = randomBytes(50_000);
    const key = `${FOLDER}/shared.bin`;
    await storeWithCli(tempFile('shared.bin', bytes), key);
    await run('neurolake.storage.demoteToCloud', key);
    const url = await run<string>('neurolake.storage.copyPresignedUrl', key, undefined, { expiresInSeconds: 600 });
    assert.equal(await vscode.env.clipboard.readText(), url);
    assert.ok(url.startsWith(process.env.NEUROLAKE_TEST_S3_ENDPOINT ?? 'http'), `${url} is not on the embedded S3 server`);
    const response = await fetch(url);
    assert.equal(response.status, 200, `GET of the presigned URL answered ${response.status}`);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    await refused(run('neurolake.storage.copyPresignedUrl', `${FOLDER}/no-such-object`, undefined, { expiresInSeconds: 600 }), /No object/, 'a presigned URL for a key that is not stored');
  });

  test('Archive moves an object under Archive only; Restore brings it back under Cloud', async () => {
    const key = `${FOLDER}/cold.csv`;
    await storeWithCli(tempFile('cold.csv', 'year,total\n2019,12\n'), key);
    const archived = await run<MoveOutcome>('neurolake.storage.archive', key);
    assert.deepEqual(archived.failed, []);
    assert.deepEqual(archived.moved[0]?.tiers, ['archive']);
    let rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    const cold = objectUnder(rows, 'Archive', 'cold.csv');
    assert.ok(cold, `cold.csv is not under Archive:\n${describeRows(rows)}`);
    assert.match(cold.contextValue, /\barchiveOnly\b/, 'its menus offer Restore and it opens read-only');
    assert.match(cold.description, /^\d+ B · /);
    assert.equal(objectUnder(rows, 'Local', 'cold.csv'), undefined);
    assert.equal(objectUnder(rows, 'Cloud', 'cold.csv'), undefined);
    const restored = await run<MoveOutcome>('neurolake.storage.restore', key);
    assert.deepEqual(restored.failed, []);
    assert.ok(restored.moved[0]?.tiers.includes('cloud'), `after Restore: ${JSON.stringify(restored.moved[0]?.tiers)}`);
    rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.ok(objectUnder(rows, 'Cloud', 'cold.csv'), `cold.csv is not under Cloud after Restore:\n${describeRows(rows)}`);
  });

  test("Delete's confirmation names the copies; declining keeps the object, accepting deletes every copy", async () => {
    const promoted = await run<MoveOutcome>('neurolake.storage.promoteToLocal', KEY);
    assert.deepEqual(promoted.moved[0]?.tiers, ['local', 'cloud']);
    const questions: { message: string; detail: string }[] = [];
    const declined = await run('neurolake.storage.delete', KEY, undefined, { answer: (question: { message: string; detail: string }) => (questions.push(question), false) });
    assert.equal(declined, undefined);
    assert.equal(questions[0]?.message, `Delete ${KEY}?`);
    assert.match(questions[0]?.detail ?? '', /All 2 copies \(Local and Cloud\) will be deleted/);
    let rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.ok(objectUnder(rows, 'Local', 'orders.csv'), 'declining deleted nothing');

    const result = await run<{ deleted: { key: string; copies: string[] }[] }>('neurolake.storage.delete', KEY, undefined, { answer: () => true });
    assert.deepEqual(result.deleted, [{ key: KEY, copies: ['local', 'cloud'] }]);
    rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
    assert.equal(objectUnder(rows, 'Local', 'orders.csv'), undefined, describeRows(rows));
    assert.equal(objectUnder(rows, 'Cloud', 'orders.csv'), undefined, describeRows(rows));
    await refused(run('neurolake.storage.copyKey', KEY), /No object/, 'copying the key of a deleted object');
  });

  test('Show Storage Statistics shows the hit rate and the tiers; Verify Storage finds no problem', async () => {
    const text = await run<string>('neurolake.storage.showStats');
    assert.match(text, /Hit rate: \*\*\d+\.\d%\*\*/);
    assert.match(text, /\| Cloud \| \d+ \|/);
    assert.match(text, /Prices: the `aws` preset, as of \d{4}-\d{2}-\d{2}/);
    const report = await run<StorageVerifyReport>('neurolake.storage.verify');
    assert.ok(report.checked >= 1, `Verify checked ${report.checked} objects`);
    assert.deepEqual(report.problems, []);
  });

  test('a folder of 250 objects opens 200 at a time; Show more adds the rest, and a refresh keeps them open', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'neurolake-paging-'));
    for (let i = 0; i < 250; i++) fs.writeFileSync(path.join(folder, `part-${String(i).padStart(3, '0')}.csv`), `${i}\n`);
    await storeWithCli(folder, 'vscode-paging');
    const pagedRows = async (): Promise<readonly StorageRowSnapshot[]> => {
      const rows = await run<StorageRowSnapshot[]>('neurolake.storage.refresh');
      const inside = row(row(rows, 'Local')?.children, 'vscode-paging')?.children;
      assert.ok(inside, `no vscode-paging folder under Local:\n${describeRows(rows).slice(0, 2000)}`);
      return inside;
    };
    let rows = await pagedRows();
    assert.equal(rows.length, 201, 'one page of 200 objects and a "Show more…" row');
    assert.equal(rows[0]?.label, 'part-000.csv');
    assert.equal(rows[199]?.label, 'part-199.csv');
    assert.equal(rows.at(-1)?.label, 'Show more…');
    await run('neurolake.storage.loadMore', 'local', 'vscode-paging/');
    rows = await pagedRows();
    assert.equal(rows.length, 250, 'Show more added the remaining 50, with no "Show more…" after them');
    assert.equal(rows.at(-1)?.label, 'part-249.csv');
    rows = await pagedRows();
    assert.equal(rows.length, 250, 'another Refresh keeps the second page open');
  });
});
