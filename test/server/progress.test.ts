// Long catalog work over a real LSP connection: import and export of a large bundle send
// work-done progress ($/progress) on the client's token or on one the server asks the client to
// create, and cancelling part-way leaves the catalog exactly as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { CatalogExportRequest, CatalogImportRequest, CatalogListRequest, REQUEST_CANCELLED, type WorkDoneProgressValue } from '../../server/protocol';
import { holdCatalogLock } from '../unit/catalog/catalogLock';
import { largeBundleText } from '../unit/catalog/largeBundle';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const ENTRIES = 1500;
const bundle = largeBundleText(ENTRIES);
const scratch = mkdtempSync(join(tmpdir(), 'nl-server-progress-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Everything sent on one progress token, and a hook to act on each value as it arrives. */
function watchProgress(connection: ProtocolConnection, token: string, onValue: (value: WorkDoneProgressValue) => void = () => undefined): WorkDoneProgressValue[] {
  const values: WorkDoneProgressValue[] = [];
  connection.onProgress(WorkDoneProgress.type, token, (value) => {
    values.push(value);
    onValue(value);
  });
  return values;
}

/** The catalog as a user could compare it: the entries lists show, and every version an export holds. */
async function catalogState(server: RunningServer): Promise<unknown> {
  const entries = await server.request(CatalogListRequest, { includeDeleted: true });
  const { text } = await server.request(CatalogExportRequest, {});
  const { exportedAt: _when, ...bundle } = JSON.parse(text) as { exportedAt: string };
  return { entries, bundle };
}

/**
 * Holds the catalog's lock as another window would: the server's import can check its entries but
 * cannot save until it is released, so a cancel sent meanwhile lands before the write, however
 * busy the machine.
 */
const holdLock = (dataFolder: string): Promise<() => Promise<void>> => holdCatalogLock(join(dataFolder, 'catalog.json'));

async function cancelled(request: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await request;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error;
  }
  assert.fail('the request should have been cancelled');
}

describe('long catalog work over LSP, on the client’s progress token', () => {
  const dataFolder = join(scratch, 'client-token');
  let server: RunningServer;
  before(async () => {
    server = await startServer({ settings: settingsWith(dataFolder) });
  });
  after(() => server.stop());

  it('cancelling an import part-way leaves the catalog as it was', async () => {
    await server.request(CatalogImportRequest, { text: largeBundleText(3, 'before_cancel'), mode: 'skip', dryRun: false });
    const before = await catalogState(server);
    const release = await holdLock(dataFolder);
    const source = new CancellationTokenSource();
    let cancelledAt: WorkDoneProgressValue | undefined;
    const values = watchProgress(server.connection, 'import-cancel', (value) => {
      if (cancelledAt === undefined && value.kind === 'report' && /^Checking entries/.test(value.message ?? '')) {
        cancelledAt = value;
        source.cancel();
        void release();
      }
    });
    const error = await cancelled(
      server.connection.sendRequest(CatalogImportRequest.method, { text: bundle, mode: 'overwrite', dryRun: false, workDoneToken: 'import-cancel' }, source.token),
    );
    assert.equal(error.code, REQUEST_CANCELLED);
    assert.equal(error.message, 'The import was cancelled; nothing was changed.');
    assert.ok(cancelledAt !== undefined, 'progress was seen before cancelling');
    assert.equal(values.at(-1)?.kind, 'end', 'the progress is ended');
    assert.deepEqual(await catalogState(server), before);
  });

  it('an import of a large bundle reports its phases and counts entries up to 100%', async () => {
    const values = watchProgress(server.connection, 'import-1');
    const report = await server.request(CatalogImportRequest, { text: bundle, mode: 'skip', dryRun: false, workDoneToken: 'import-1' });
    assert.equal(report.counts.add, ENTRIES);

    const [begin, ...rest] = values;
    assert.deepEqual(begin, { kind: 'begin', title: 'Importing the catalog bundle', percentage: 0, cancellable: true });
    assert.equal(rest.at(-1)?.kind, 'end');
    const reports = rest.filter((v) => v.kind === 'report');
    const checking = reports.filter((v) => /^Checking entries/.test(v.message ?? ''));
    assert.ok(checking.length >= 50, `the bar moves in many steps, got ${checking.length}`);
    assert.equal(checking[0]?.message, `Checking entries: 0 of ${ENTRIES.toLocaleString('en-US')}`);
    assert.deepEqual(checking.at(-1), { kind: 'report', percentage: 100, message: `Checking entries: ${ENTRIES.toLocaleString('en-US')} of ${ENTRIES.toLocaleString('en-US')}` });
    assert.ok(reports.some((v) => v.message === 'Saving the imported entries'), JSON.stringify(reports.map((v) => v.message)));
  });

  it('an export reports its entries on the token and answers the whole bundle', async () => {
    const values = watchProgress(server.connection, 'export-1');
    const { text, count } = await server.request(CatalogExportRequest, { workDoneToken: 'export-1' });
    assert.ok(count >= ENTRIES, String(count));
    assert.equal((JSON.parse(text) as { entries: unknown[] }).entries.length, count);
    assert.equal(values[0]?.kind === 'begin' && values[0].title, 'Exporting the catalog');
    const percentages = values.flatMap((v) => (v.kind === 'report' && v.percentage !== undefined ? [v.percentage] : []));
    assert.equal(percentages.at(-1), 100);
    assert.ok(percentages.length >= 50 && percentages.every((p, i) => i === 0 || p >= percentages[i - 1]!), JSON.stringify(percentages));
  });
});

describe('long catalog work over LSP, on progress the server creates', () => {
  const dataFolder = join(scratch, 'server-token');
  let server: RunningServer;
  const created: string[] = [];
  const progress = new Map<string, WorkDoneProgressValue[]>();
  let onValue: (token: string, value: WorkDoneProgressValue) => void = () => undefined;
  before(async () => {
    server = await startServer({ settings: settingsWith(dataFolder) }, {}, { window: { workDoneProgress: true } });
    server.connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const name = String(token);
      created.push(name);
      progress.set(name, watchProgress(server.connection, name, (value) => onValue(name, value)));
    });
  });
  after(() => server.stop());

  it('an export without a token asks the client to create one and reports on it', async () => {
    await server.request(CatalogImportRequest, { text: largeBundleText(300), mode: 'skip', dryRun: false, workDoneToken: 'seed' });
    assert.deepEqual(created, [], 'a request with its own token needs none created');
    const { count } = await server.request(CatalogExportRequest, {});
    assert.equal(count, 300);
    assert.equal(created.length, 1);
    const values = progress.get(created[0]!)!;
    assert.deepEqual(values[0], { kind: 'begin', title: 'Exporting the catalog', percentage: 0, cancellable: true });
    assert.ok(values.some((v) => v.kind === 'report' && v.percentage === 100 && v.message === 'Exporting entries: 300 of 300'));
    assert.equal(values.at(-1)?.kind, 'end');
  });

  it('the Cancel of that progress (window/workDoneProgress/cancel) stops an import and changes nothing', async () => {
    const before = await catalogState(server);
    const release = await holdLock(dataFolder);
    onValue = (token, value) => {
      if (value.kind === 'report' && /^Checking entries/.test(value.message ?? '')) {
        onValue = () => undefined;
        void server.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token }).then(() => release());
      }
    };
    const error = await cancelled(server.request(CatalogImportRequest, { text: bundle, mode: 'overwrite', dryRun: false }));
    assert.equal(error.code, REQUEST_CANCELLED);
    assert.deepEqual(await catalogState(server), before);
  });
});
