// What the one progress notification of a store says (files, bytes, time left) and the summary
// after it: how many were stored and where, what failed and why, what Cancel left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeMoves, describeStore, formatBytes, formatRemaining, StoreProgress } from '../../../src/commands/storeProgress';
import type { StorageObject } from '../../../server/protocol';

const MB = 1024 * 1024;

const object = (key: string, tier: StorageObject['tier'], size = MB, extra: Partial<StorageObject> = {}): StorageObject => ({
  key,
  size,
  sha256: '0'.repeat(64),
  created: '2026-01-01T00:00:00.000Z',
  lastAccess: '2026-01-01T00:00:00.000Z',
  accessCount: 0,
  hits: 0,
  tier,
  tiers: [tier],
  uploadPending: false,
  history: [],
  ...extra,
});

describe('bytes and times in words', () => {
  it('shows bytes in the unit that suits them', () => {
    assert.equal(formatBytes(0), '0 bytes');
    assert.equal(formatBytes(1), '1 byte');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(40 * MB), '40.0 MB');
    assert.equal(formatBytes(12 * MB, 40 * MB, false), '12.0');
  });

  it('rounds time left up, the way people say it', () => {
    assert.equal(formatRemaining(0.2), '1 s');
    assert.equal(formatRemaining(42.1), '43 s');
    assert.equal(formatRemaining(61), '2 min');
    assert.equal(formatRemaining(3600), '1 h');
    assert.equal(formatRemaining(4201), '1 h 11 min');
  });
});

describe('the progress of storing several files', () => {
  it('counts files and bytes, the current file by the server’s percentage', () => {
    const progress = new StoreProgress(3, 4 * MB, 0);
    assert.equal(progress.message(0), '0 of 3 files · 0.0 of 4.0 MB · estimating time left');
    progress.startFile(2 * MB);
    progress.fileProgress(50);
    assert.equal(progress.message(500), '0 of 3 files · 1.0 of 4.0 MB · estimating time left');
    progress.finishFile();
    assert.equal(progress.files, 1);
    assert.equal(progress.bytesDone, 2 * MB);
  });

  it('estimates the time left from the rate so far', () => {
    const progress = new StoreProgress(2, 10 * MB, 0);
    progress.startFile(5 * MB);
    progress.finishFile();
    // 5 MB in 2 s: the other 5 MB take about 2 s more.
    assert.equal(progress.secondsLeft(2000), 2);
    assert.equal(progress.message(2000), '1 of 2 files · 5.0 of 10.0 MB · about 2 s left');
  });

  it('never moves the bar back, even when a file’s percentage starts again', () => {
    const progress = new StoreProgress(1, 100, 0);
    progress.startFile(100);
    progress.fileProgress(40);
    assert.equal(progress.increment(), 40);
    progress.fileProgress(10);
    assert.equal(progress.increment(), 0);
    progress.fileProgress(100);
    assert.equal(progress.increment(), 60);
    progress.finishFile();
    assert.equal(progress.increment(), 0);
  });

  it('counts files for the bar when every file is empty', () => {
    const progress = new StoreProgress(4, 0, 0);
    progress.startFile(0);
    progress.finishFile();
    assert.equal(progress.increment(), 25);
    assert.equal(progress.message(5000), '1 of 4 files · 0 of 0 bytes · estimating time left');
  });

  it('says "file" for one file', () => {
    assert.match(new StoreProgress(1, 10, 0).message(0), /^0 of 1 file · /);
  });
});

describe('the summary after a store', () => {
  it('says how many were stored, how much, and where', () => {
    const summary = describeStore({ total: 3, stored: [object('a', 'local'), object('b', 'local'), object('c', 'cloud')], failed: [], notMoved: [], cancelled: false }, undefined);
    assert.deepEqual(summary, { severity: 'info', message: 'Stored 3 files (3.0 MB): 2 in Local, 1 in Cloud.' });
  });

  it('names a failed file and the engine’s reason, and that the rest were stored', () => {
    const summary = describeStore(
      {
        total: 3,
        stored: [object('a', 'local'), object('c', 'local')],
        failed: [{ key: 'bad\nname', error: 'The key "bad\\nname" was refused: it contains a control character.' }],
        notMoved: [],
        cancelled: false,
      },
      'local',
    );
    assert.equal(summary.severity, 'warning');
    assert.equal(summary.message, 'Stored 2 of 3 files (2.0 MB): 2 in Local. 1 failed: "bad\\nname": The key "bad\\nname" was refused: it contains a control character.');
  });

  it('points to the log when more than one failed', () => {
    const summary = describeStore({ total: 2, stored: [], failed: [{ key: 'x', error: 'no.' }, { key: 'y', error: 'no.' }], notMoved: [], cancelled: false }, undefined);
    assert.equal(summary.message, 'Stored 0 of 2 files. 2 failed: "x": no. (and 1 more, see the log)');
  });

  it('after Cancel, says how many were stored', () => {
    const summary = describeStore({ total: 5, stored: [object('a', 'local')], failed: [], notMoved: [], cancelled: true }, 'local');
    assert.equal(summary.message, 'Cancelled: stored 1 of 5 files (1.0 MB): 1 in Local; the rest were not stored.');
  });

  it('says which stored files did not reach the tier they were dropped on', () => {
    const summary = describeStore({ total: 1, stored: [object('a', 'local')], failed: [], notMoved: [{ key: 'a', error: 'The cloud tier is unreachable.' }], cancelled: false }, 'cloud');
    assert.equal(summary.severity, 'warning');
    assert.equal(summary.message, 'Stored 1 file (1.0 MB): 1 in Local. 1 not moved to Cloud: "a": The cloud tier is unreachable.');
  });
});

describe('the summary after objects were dropped on a tier', () => {
  it('counts the moved, the ones there already and the ones being restored', () => {
    const expectedAt = '2026-01-02T00:00:00.000Z';
    const summary = describeMoves({
      tier: 'cloud',
      total: 4,
      moved: [object('a', 'cloud'), object('b', 'archive', MB, { restoring: { requestedAt: expectedAt, expectedAt, thenMoveToCloud: true } })],
      failed: [{ key: 'c', error: 'The cloud tier is unreachable.' }],
      alreadyThere: 1,
      cancelled: false,
    });
    assert.equal(summary.severity, 'warning');
    assert.match(summary.message, /^Moved 1 object to Cloud\. 1 object is being restored from the archive first \(readable around .+\)\. 1 object was there already\. 1 failed: "c": The cloud tier is unreachable\.$/);
  });
});
