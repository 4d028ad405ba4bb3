// What the Storage view's rows say about an object and a tier, the words its menus match, and the
// pages it keeps open across a refresh.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageObject, StorageStats, StorageTierStates } from '../../../server/protocol';
import { PageBook, STORAGE_PAGE_SIZE, formatBytes, keyName, objectRow, relativeTime, tierRow } from '../../../src/views/storageRows';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function object(overrides: Partial<StorageObject> = {}): StorageObject {
  return {
    key: 'datasets/2024/sales.parquet',
    size: 1_572_864,
    sha256: 'ab'.repeat(32),
    created: '2026-05-01T00:00:00.000Z',
    lastAccess: '2026-06-01T11:55:00.000Z',
    accessCount: 4,
    hits: 3,
    tier: 'local',
    tiers: ['local', 'cloud'],
    uploadPending: false,
    storageClass: 'STANDARD',
    history: [
      { at: '2026-05-01T00:00:00.000Z', event: 'stored', tier: 'local' },
      { at: '2026-05-01T00:01:00.000Z', event: 'uploaded', tier: 'cloud' },
    ],
    ...overrides,
  };
}

function has(contextValue: string, word: string): boolean {
  return new RegExp(`\\b${word}\\b`).test(contextValue);
}

describe('an object row', () => {
  it('is named by its last key segment and describes size, last access and hits', () => {
    const row = objectRow(object(), 'local', NOW);
    assert.equal(row.label, 'sales.parquet');
    assert.equal(row.description, '1.5 MB · 5 minutes ago · 3 hits');
    assert.equal(row.icon.id, 'device-desktop');
  });

  it('carries a word per copy and per missing copy, which menus match with \\b…\\b', () => {
    const both = objectRow(object(), 'cloud', NOW).contextValue;
    assert.ok(has(both, 'storageObject') && has(both, 'local') && has(both, 'cloud') && has(both, 'noArchive'), both);
    assert.ok(!has(both, 'noLocal') && !has(both, 'archive'), `"${both}" must not read as archived or without a local copy`);
    assert.equal(objectRow(object(), 'cloud', NOW).icon.id, 'cloud');
    const archived = objectRow(object({ tier: 'archive', tiers: ['archive'], storageClass: 'GLACIER' }), 'archive', NOW).contextValue;
    assert.ok(has(archived, 'archive') && has(archived, 'archiveOnly') && has(archived, 'noLocal') && has(archived, 'noCloud'), archived);
    assert.ok(!has(archived, 'local') && !has(archived, 'cloud'), archived);
  });

  it('wears a restoring badge with the time it should be readable, and a clock', () => {
    const expectedAt = '2026-06-01T17:00:00.000Z';
    const row = objectRow(object({ tier: 'archive', tiers: ['archive'], restoring: { requestedAt: '2026-06-01T12:00:00.000Z', expectedAt, thenMoveToCloud: true } }), 'archive', NOW);
    const clock = new Date(expectedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    assert.ok(row.description.endsWith(`restoring — readable about ${clock}`), row.description);
    assert.equal(row.icon.id, 'clock');
    assert.ok(has(row.contextValue, 'restoring'));
  });

  it('wears an upload pending badge while write-back has not uploaded it', () => {
    const row = objectRow(object({ tiers: ['local'], uploadPending: true, hits: 1 }), 'local', NOW);
    assert.equal(row.description, '1.5 MB · 5 minutes ago · 1 hit · upload pending');
    assert.equal(row.icon.id, 'cloud-upload');
    assert.ok(has(row.contextValue, 'uploadPending') && has(row.contextValue, 'noCloud'));
  });

  it('says when a never-read object was stored instead of a last access', () => {
    assert.equal(objectRow(object({ accessCount: 0, hits: 0 }), 'local', NOW).description, '1.5 MB · stored last month · 0 hits');
  });

  it('has a tooltip with key, size, checksum, copies, class, accesses and recent history, newest first', () => {
    const tooltip = objectRow(object(), 'local', NOW).tooltip;
    for (const part of ['datasets/2024/sales\\.parquet', '1,572,864 bytes', `\`${'ab'.repeat(32)}\``, 'Copies: Local, Cloud', 'Storage class: STANDARD', 'Accesses: 4 (3 served from local disk)', 'Recent history:']) {
      assert.ok(tooltip.includes(part), `tooltip lacks "${part}":\n${tooltip}`);
    }
    assert.ok(tooltip.indexOf('uploaded') < tooltip.indexOf('stored (Local)'), 'the newest event comes first');
  });
});

describe('tier rows', () => {
  const stats = {
    tiers: {
      local: { objects: 12, bytes: 1.2 * 1024 ** 3, monthlyCostUsd: 0.003, capacityBytes: 10 * 1024 ** 3 },
      cloud: { objects: 1, bytes: 2048, monthlyCostUsd: 0.0001 },
      archive: { objects: 0, bytes: 0, monthlyCostUsd: 0 },
    },
  } as unknown as StorageStats;
  const minio = { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', pathStyle: true, sdkChecksums: 'WHEN_REQUIRED', checksSignedPayload: false } as const;
  const connected: StorageTierStates = { local: { path: '/data/storage/local' }, cloud: { state: 'connected', uri: 's3://b/neurolake/', server: minio }, archive: { storageClass: 'GLACIER', uri: 's3://b/neurolake/archive/' } };

  it('shows Local as used of capacity', () => {
    assert.equal(tierRow('local', connected, stats).description, '1.2 GB of 10 GB · 12 objects');
  });

  it('shows the cloud connected, unreachable with the reason, or not configured with a way to configure it', () => {
    assert.equal(tierRow('cloud', connected, stats).description, 'connected · 2 KB · 1 object');
    const down = tierRow('cloud', { ...connected, cloud: { state: 'unreachable', uri: 's3://b/', reason: 'ECONNREFUSED 127.0.0.1:9', server: minio } }, stats);
    assert.ok(down.description.startsWith('unreachable'));
    assert.ok(down.tooltip.includes('ECONNREFUSED 127\\.0\\.0\\.1:9'), down.tooltip);
    assert.equal(down.icon.color, 'list.errorForeground');
    const none = tierRow('cloud', { ...connected, cloud: { state: 'not-configured' } }, stats);
    assert.equal(none.description, 'not configured — Configure…');
    assert.ok(has(none.contextValue, 'notConfigured'));
  });

  it("says in the cloud row's tooltip how the tier talks to its server, which Configure Cloud Tier does not ask", () => {
    const custom = tierRow('cloud', connected, stats).tooltip;
    for (const line of ['Server: `http://127.0.0.1:9000`, region `us-east-1`', 'path style (bucket in the path)', 'only where an operation requires them', 'MD5s compared with the ETags']) assert.ok(custom.includes(line), custom);
    const aws = tierRow('cloud', { ...connected, cloud: { state: 'unreachable', uri: 's3://b/', reason: 'timeout', server: { endpoint: '', region: 'eu-west-1', pathStyle: false, sdkChecksums: 'WHEN_SUPPORTED', checksSignedPayload: true } } }, stats).tooltip;
    for (const line of ['Server: AWS S3, region `eu-west-1`', 'virtual-hosted (bucket in the host name)', 'wherever the operation supports them', "the server's check of each signed SHA-256"]) assert.ok(aws.includes(line), aws);
  });

  it('shows the archive storage class', () => {
    assert.equal(tierRow('archive', connected, stats).description, 'GLACIER · 0 B · 0 objects');
    assert.equal(tierRow('archive', { ...connected, cloud: { state: 'not-configured' } }, undefined).description, 'GLACIER · needs the cloud tier');
  });
});

describe('row text helpers', () => {
  it('formats bytes in binary units without a needless .0', () => {
    assert.deepEqual([0, 512, 1024, 1536, 10 * 1024 ** 3].map((bytes) => formatBytes(bytes)), ['0 B', '512 B', '1 KB', '1.5 KB', '10 GB']);
  });

  it('gives a running count the unit and the decimal of its total, so "12.0 of 40.0 MB" does not jump', () => {
    const MB = 1024 ** 2;
    assert.equal(`${formatBytes(12 * MB, { scale: 40 * MB, withUnit: false })} of ${formatBytes(40 * MB, { scale: 40 * MB })}`, '12.0 of 40.0 MB');
    assert.equal(formatBytes(512 * 1024, { scale: 40 * MB }), '0.5 MB');
    assert.equal(formatBytes(0.4, { scale: 0 }), '0 B');
  });

  it('says times relative to now', () => {
    assert.equal(relativeTime('2026-06-01T12:00:00.000Z', NOW), 'now');
    assert.equal(relativeTime('2026-06-01T09:00:00.000Z', NOW), '3 hours ago');
    assert.equal(relativeTime('2026-05-31T12:00:00.000Z', NOW), 'yesterday');
  });

  it('names a folder and a key by their last segment', () => {
    assert.equal(keyName('a/b/'), 'b');
    assert.equal(keyName('top.csv'), 'top.csv');
  });
});

describe('pages of a folder', () => {
  it('start at one page, grow by one per Show more, and are kept per folder and tier', () => {
    const book = new PageBook();
    const local = PageBook.keyOf('local', 'datasets/');
    assert.equal(book.rowsWanted(local), STORAGE_PAGE_SIZE);
    book.showMore(local);
    book.showMore(local);
    assert.equal(book.rowsWanted(local), 3 * STORAGE_PAGE_SIZE);
    assert.equal(book.rowsWanted(PageBook.keyOf('cloud', 'datasets/')), STORAGE_PAGE_SIZE, 'the same folder under another tier has its own pages');
  });

  it('asks for what is still missing, within what one request may return', () => {
    assert.equal(PageBook.nextLimit(600, 200), 400);
    assert.equal(PageBook.nextLimit(50_000, 0), 10_000);
    assert.equal(PageBook.nextLimit(200, 200), 1);
  });
});
