// Faults between the engine and a real S3 server (the RADOS Gateway behind a loopback proxy that
// misbehaves on cue): the endpoint down, 500s, slow answers, an archive that must be restored, and
// connections cut mid-upload. In each, nothing acknowledged is lost and nothing half done is committed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { CancelledError, type ProgressReporter } from '../../server/engines/common';
import { StorageError, type StorageConfig, type StorageEngine } from '../../server/engines/storage';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { createBucket, s3Client, s3Server, type S3Server } from './support/services';
import { MB, cloudConfig, collector, openEngine, randomContent, readAll, sha256, tempFolder, waitForChange } from './support/storageFixtures';

describe('storage under faults', () => {
  let server: S3Server;
  let proxy: FaultProxy;
  before(async () => {
    server = await s3Server('radosgw');
    proxy = await startFaultProxy(server.endpoint);
  });
  after(() => proxy.close());

  const open = async (
    options: { background?: boolean; requestTimeoutMs?: number; config?: Partial<StorageConfig>; onWarning?: (message: string) => void } = {},
  ): Promise<{ engine: StorageEngine; bucket: string }> => {
    const bucket = await createBucket(server);
    const engine = await openEngine(server, {
      dataFolder: tempFolder(),
      config: cloudConfig(proxy.endpoint, bucket, options.config),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      uploadRetryMs: { min: 50, max: 400 },
      restorePollMs: 50,
      ...(options.background ? { background: true } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    });
    return { engine, bucket };
  };

  it('keeps storing locally while the endpoint is down, says so, and uploads the queue once it is back', async () => {
    const { engine } = await open({ background: true });
    try {
      await proxy.down();
      const contents = [randomContent(1000), randomContent(200_000), randomContent(5)];
      for (const [index, content] of contents.entries()) assert.equal((await engine.store(`down/${index}`, content)).tier, 'local');
      await engine.checkCloud();
      assert.equal(engine.status().state, 'degraded');
      assert.match(engine.status().detail ?? '', /unreachable.*ECONNREFUSED.*3 uploads queued/);
      for (const [index, content] of contents.entries()) assert.deepEqual(await readAll(engine, `down/${index}`), content);
      await proxy.up();
      await waitForChange(engine, () => engine.pendingUploads().length === 0 && engine.status().state === 'ready');
      for (const index of contents.keys()) assert.deepEqual(engine.stat(`down/${index}`).tiers, ['local', 'cloud']);
    } finally {
      await proxy.up();
      await engine.close();
    }
  });

  it('retries 500s with back-off, and gives up after a bounded number of attempts without committing', async () => {
    const { engine } = await open();
    try {
      // A first upload on a working connection, so the 500s below meet uploads alone.
      await engine.store('flaky/first', randomContent(2000));
      assert.equal((await engine.flushUploads()).uploaded, 1);
      await engine.store('flaky/a', randomContent(2000));
      proxy.fail500(2);
      const before = proxy.requests.length;
      assert.equal((await engine.flushUploads()).uploaded, 1);
      const puts = proxy.requests.slice(before).filter((line) => line.startsWith('PUT') && line.includes('flaky/a'));
      assert.equal(puts.length, 3, 'two answered 500, the third went through');
      await engine.store('flaky/b', randomContent(2000));
      proxy.fail500(Infinity);
      const started = proxy.requests.length;
      await assert.rejects(engine.flushUploads(), (error: unknown) => error instanceof StorageError && error.code === 'cloud-unavailable' && /HTTP 500|InternalError/.test(error.message));
      const attempts = proxy.requests.slice(started).filter((line) => line.startsWith('PUT')).length;
      assert.ok(attempts >= 2 && attempts <= 4, `bounded attempts, got ${attempts}`);
      proxy.fail500(0);
      assert.deepEqual(engine.stat('flaky/b').tiers, ['local'], 'nothing recorded for the failed upload');
      assert.equal(engine.stat('flaky/b').uploadPending, true);
    } finally {
      proxy.fail500(0);
      await engine.close();
    }
  });

  it('waits out slow answers within the timeout, and fails a hung server after bounded retries', async () => {
    const { engine } = await open({ requestTimeoutMs: 1500 });
    try {
      await engine.store('slow/a', randomContent(3000));
      proxy.slow(400);
      assert.equal((await engine.flushUploads()).uploaded, 1);
      await engine.store('slow/b', randomContent(3000));
      proxy.slow(4000);
      await assert.rejects(engine.flushUploads(), (error: unknown) => error instanceof StorageError && error.code === 'cloud-unavailable');
      assert.deepEqual(engine.stat('slow/b').tiers, ['local']);
    } finally {
      proxy.slow(0);
      await engine.close();
    }
  });

  it('retries a cloud read through 500s, and fails it naming the cause while the endpoint is down', async () => {
    // No local tier: the store goes to the cloud, and no read keeps a local copy to answer the next.
    const { engine } = await open({ config: { local: { capacityGb: 0, watermark: 1 } } });
    try {
      const content = randomContent(150_000);
      await engine.store('flaky-read/a', content);
      assert.deepEqual(engine.stat('flaky-read/a').tiers, ['cloud']);
      proxy.fail500(2);
      const before = proxy.requests.length;
      assert.deepEqual(await readAll(engine, 'flaky-read/a'), content);
      const gets = proxy.requests.slice(before).filter((line) => line.startsWith('GET') && line.includes('flaky-read/a'));
      assert.equal(gets.length, 3, 'two refused GETs, then the one that read it');
      await proxy.down();
      await assert.rejects(readAll(engine, 'flaky-read/a'), (error: unknown) => error instanceof StorageError && error.code === 'cloud-unavailable' && /ECONNREFUSED/.test(error.message));
      assert.equal(engine.status().state, 'degraded');
      await proxy.up();
      assert.deepEqual(await readAll(engine, 'flaky-read/a'), content);
    } finally {
      proxy.fail500(0);
      await proxy.up();
      await engine.close();
    }
  });

  // The request timeout is far beyond the test's: a cancel that did not reach the request would
  // wait for it, and the test fails on its own timeout instead of passing late.
  it('cancels a cloud read at once while the server has not answered, and the next reads are right', { timeout: 60_000 }, async () => {
    const { engine } = await open({ requestTimeoutMs: 600_000 });
    try {
      const contents = [randomContent(300_000), randomContent(70_000)];
      for (const [index, content] of contents.entries()) {
        await engine.store(`cancel/${index}`, content);
        await engine.demote(`cancel/${index}`);
        assert.deepEqual(engine.stat(`cancel/${index}`).tiers, ['cloud']);
      }
      const held = proxy.holdNextRead('/cancel/0');
      const controller = new AbortController();
      const sink = collector();
      const reading = engine.retrieve('cancel/0', sink.stream, { signal: controller.signal });
      await held.arrived;
      controller.abort();
      // The GET is still held at the proxy: only the abort reaching the request ends this.
      await assert.rejects(reading, (error: unknown) => error instanceof CancelledError);
      held.release();
      // Reads at once, of two objects, each get their own bytes.
      const [first, second] = await Promise.all([readAll(engine, 'cancel/0'), readAll(engine, 'cancel/1')]);
      assert.deepEqual(first, contents[0]);
      assert.deepEqual(second, contents[1]);
    } finally {
      await engine.close();
    }
  });

  it('starts a restore when the archive refuses a read (InvalidObjectState), then reads once x-amz-restore says it is ready', async () => {
    const { engine } = await open({ background: true });
    try {
      const content = randomContent(4000);
      await engine.store('cold/a', content);
      await engine.archive('cold/a');
      proxy.archive('/archive/cold/a');
      await assert.rejects(readAll(engine, 'cold/a'), (error: unknown) => error instanceof StorageError && error.code === 'restoring' && /readable around \d{4}-/.test(error.message));
      const restoring = engine.stat('cold/a').restoring;
      assert.ok(restoring !== undefined, 'marked restoring');
      assert.ok(Date.parse(restoring.expectedAt) - Date.parse(restoring.requestedAt) >= 3 * 3600_000, 'GLACIER restores take hours');
      assert.ok(proxy.requests.some((line) => line.startsWith('POST') && line.includes('restore')), 'RestoreObject was sent');
      await assert.rejects(readAll(engine, 'cold/a'), (error: unknown) => error instanceof StorageError && error.code === 'restoring');
      proxy.completeRestore('/archive/cold/a');
      await waitForChange(engine, () => engine.stat('cold/a').restoring === undefined);
      assert.deepEqual(await readAll(engine, 'cold/a'), content);
    } finally {
      await engine.close();
    }
  });

  it('restore of a frozen archive copy moves it back to the cloud tier once the archive has thawed it', async () => {
    const { engine } = await open({ background: true });
    try {
      await engine.store('cold/b', randomContent(4000));
      await engine.archive('cold/b');
      proxy.archive('/archive/cold/b');
      const outcome = await engine.restore('cold/b');
      assert.equal(outcome.state, 'restoring');
      proxy.completeRestore('/archive/cold/b');
      await waitForChange(engine, () => engine.stat('cold/b').tiers.includes('cloud'));
      assert.deepEqual(engine.stat('cold/b').tiers, ['cloud']);
    } finally {
      await engine.close();
    }
  });

  it('commits nothing when the connection is cut mid-upload, and the next try succeeds', async () => {
    const { engine, bucket } = await open();
    const client = s3Client(server);
    try {
      const content = randomContent(20 * MB);
      await engine.store('cut/big', content);
      proxy.cutUploadsAfter(MB);
      await assert.rejects(engine.demote('cut/big'));
      assert.deepEqual(engine.stat('cut/big').tiers, ['local'], 'still only local');
      await assert.rejects(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/cut/big' })), 'no object in the bucket');
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.equal(uploads.Uploads?.length ?? 0, 0, 'the multipart upload was aborted');
      assert.deepEqual(await readAll(engine, 'cut/big'), content);
      proxy.cutUploadsAfter(undefined);
      assert.deepEqual((await engine.demote('cut/big')).tiers, ['cloud']);
      assert.deepEqual(await readAll(engine, 'cut/big'), content);
    } finally {
      proxy.cutUploadsAfter(undefined);
      client.destroy();
      await engine.close();
    }
  });

  it('keeps the newer version when the write-back upload of an older one would land after it was stored straight to the cloud', async () => {
    // About 1 MB of local tier: the 10 KB version stays local (queued), the 2 MB one overflows to the cloud.
    const { engine } = await open({ background: true, config: { local: { capacityGb: 0.001, watermark: 0.9 } } });
    const held = proxy.holdNextUpload('/objects/race/overflow');
    try {
      const older = randomContent(10_000);
      const newer = randomContent(2 * MB);
      assert.equal((await engine.store('race/overflow', older)).tier, 'local');
      await held.arrived;
      // The older upload is on its way but has not landed when the newer version is stored.
      let announceWait = (): void => undefined;
      const waits = new Promise<void>((resolve) => (announceWait = resolve));
      const progress: ProgressReporter = { report: (update) => (/waiting for an earlier upload/.test(update.message ?? '') ? announceWait() : undefined) };
      const stored = engine.store('race/overflow', newer, { progress });
      // The older upload lands once the newer version is acknowledged, or once the store says it waits for the older upload.
      await Promise.race([stored, waits]);
      held.release();
      const info = await stored;
      await held.answered;
      await waitForChange(engine, () => engine.pendingUploads().length === 0);
      assert.equal(info.sha256, sha256(newer));
      assert.equal(engine.stat('race/overflow').sha256, sha256(newer));
      assert.deepEqual(await readAll(engine, 'race/overflow'), newer, 'the cloud copy holds the newer bytes');
      assert.deepEqual((await engine.verify({ deep: true })).problems, []);
    } finally {
      held.release();
      await engine.close();
    }
  });

  it("keeps the newer version when another process's upload of an older one would land after it", async () => {
    const { engine: uploader, bucket } = await open({ background: true });
    // A second process on the same data folder, writing through to the cloud.
    const writer = await openEngine(server, { dataFolder: uploader.dataFolder, config: cloudConfig(proxy.endpoint, bucket, { writeThrough: true }) });
    const held = proxy.holdNextUpload('/objects/race/shared');
    try {
      const older = randomContent(10_000);
      const newer = randomContent(30_000);
      await uploader.store('race/shared', older);
      await held.arrived;
      let announceWait = (): void => undefined;
      const waits = new Promise<void>((resolve) => (announceWait = resolve));
      const progress: ProgressReporter = { report: (update) => (/waiting for another process's write of it/.test(update.message ?? '') ? announceWait() : undefined) };
      const stored = writer.store('race/shared', newer, { progress });
      // The older upload lands once the write-through says it waits for it, or once it is acknowledged.
      await Promise.race([stored, waits]);
      held.release();
      assert.deepEqual((await stored).tiers, ['local', 'cloud']);
      await held.answered;
      await waitForChange(uploader, () => uploader.pendingUploads().length === 0 && uploader.stat('race/shared').sha256 === sha256(newer));
      assert.deepEqual((await writer.verify({ deep: true })).problems, [], 'the bucket holds the newer version');
      assert.deepEqual((await writer.demote('race/shared')).tiers, ['cloud']);
      assert.deepEqual(await readAll(writer, 'race/shared'), newer);
    } finally {
      held.release();
      await writer.close();
      await uploader.close();
    }
  });
});
