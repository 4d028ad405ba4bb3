// Several processes on one data folder writing the same object's names in the bucket, against real
// S3 servers (s3rver and the RADOS Gateway, each behind a loopback proxy that holds a write back so
// it lands late): a late upload or copy never lands on a newer version, leaves nothing behind in
// the bucket when its version was superseded or deleted, and a process killed mid-upload does not
// hold the others up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ProgressReporter } from '../../server/engines/common';
import { writeStorageConfig, type StorageConfig, type StorageEngine } from '../../server/engines/storage';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { createBucket, s3Client, s3Server, type S3Server } from './support/services';
import { MB, cloudConfig, openEngine, randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** Every name in the bucket (the engine's objects and archive copies alike). */
async function namesIn(client: S3Client, bucket: string): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((item) => item.Key ?? '').sort();
}

/** A progress reporter that tells when a write says it waits for another's write of the same name. */
function waitAnnouncer(): { progress: ProgressReporter; waits: Promise<void>; readonly announced: boolean } {
  let announce = (): void => undefined;
  let announced = false;
  const waits = new Promise<void>((resolve) => (announce = resolve));
  return {
    progress: {
      report: (update) => {
        if (!/waiting for another process's write of it/.test(update.message ?? '')) return;
        announced = true;
        announce();
      },
    },
    waits,
    get announced() {
      return announced;
    },
  };
}

/** Warnings of an engine, and a wait for the first one matching (failing after a bound, so a missing warning fails the test). */
function warningsSeen(): { onWarning: (message: string) => void; first(pattern: RegExp): Promise<string> } {
  const seen: string[] = [];
  const waiters: { pattern: RegExp; resolve: (message: string) => void }[] = [];
  return {
    onWarning: (message) => {
      seen.push(message);
      for (const waiter of waiters.filter((w) => w.pattern.test(message))) waiter.resolve(message);
    },
    first: (pattern) => {
      const found = seen.find((message) => pattern.test(message));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning matched ${pattern} within 60 s; warnings: ${seen.join(' | ')}`)), 60_000);
        waiters.push({ pattern, resolve: (message) => (clearTimeout(timer), resolve(message)) });
      });
    },
  };
}

for (const kind of ['s3rver', 'radosgw'] as const) {
  describe(`several processes writing one object's names in the bucket (${kind})`, () => {
    let server: S3Server;
    let proxy: FaultProxy;
    let client: S3Client;
    before(async () => {
      server = await s3Server(kind);
      proxy = await startFaultProxy(server.endpoint);
      client = s3Client(server);
    });
    after(async () => {
      client.destroy();
      await proxy.close();
    });

    const noLocalRoom: Partial<StorageConfig> = { local: { capacityGb: 0, watermark: 1 } };

    /** A first process (optionally uploading in the background) and a second on the same data folder, both through the proxy. */
    const twoProcesses = async (options: { background?: boolean; onWarning?: (message: string) => void; second?: Partial<StorageConfig> } = {}): Promise<{ first: StorageEngine; second: StorageEngine; bucket: string }> => {
      const bucket = await createBucket(server);
      const dataFolder = tempFolder();
      const first = await openEngine(server, {
        dataFolder,
        config: cloudConfig(proxy.endpoint, bucket),
        uploadRetryMs: { min: 50, max: 400 },
        ...(options.background ? { background: true } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      });
      const second = await openEngine(server, { dataFolder, config: cloudConfig(proxy.endpoint, bucket, options.second) });
      return { first, second, bucket };
    };

    it("keeps the newer version stored only in the cloud when another process's upload of an older one lands after it", async () => {
      // The second process has no local room: its version goes straight to the cloud and is its only copy.
      const { first: uploader, second: other, bucket } = await twoProcesses({ background: true, second: noLocalRoom });
      const held = proxy.holdNextUpload(new RegExp(`^/${bucket}/`));
      try {
        const older = randomContent(20_000);
        const newer = randomContent(30_000);
        await uploader.store('shared/model.bin', older);
        await held.arrived;
        const wait = waitAnnouncer();
        const stored = other.store('shared/model.bin', newer, { progress: wait.progress });
        // The older upload is let through once the newer store waits for it (or, were nothing to make it wait, once the newer one is acknowledged).
        await Promise.race([stored, wait.waits]);
        held.release();
        assert.deepEqual((await stored).tiers, ['cloud'], 'acknowledged with its only copy in the cloud');
        await held.answered;
        await uploader.close();
        assert.deepEqual(await readAll(other, 'shared/model.bin'), newer, 'the acknowledged newer version reads back');
        assert.equal(other.stat('shared/model.bin').sha256, sha256(newer));
        assert.deepEqual(await other.verify({ deep: true }), { checked: 1, problems: [], orphans: [] });
        assert.deepEqual(await namesIn(client, bucket), ['neurolake/objects/shared/model.bin']);
        assert.ok(wait.announced, 'the store said it waited for the other process');
      } finally {
        held.release();
        await other.close();
        await uploader.close();
      }
    });

    it('leaves nothing in the bucket when another process deletes the key while its upload is on the way', async () => {
      const warnings = warningsSeen();
      const { first: uploader, second: other, bucket } = await twoProcesses({ background: true, onWarning: warnings.onWarning });
      const held = proxy.holdNextUpload(new RegExp(`^/${bucket}/`));
      try {
        await uploader.store('scratch/tmp.csv', randomContent(10_000));
        await held.arrived;
        assert.deepEqual((await other.delete('scratch/tmp.csv')).copies, ['local']);
        held.release();
        await held.answered;
        assert.match(await warnings.first(/upload of scratch\/tmp\.csv finished after/), /was deleted\.$/);
        await uploader.close();
        assert.deepEqual(await other.verify(), { checked: 0, problems: [], orphans: [] });
        assert.deepEqual(await namesIn(client, bucket), [], 'the late upload left no orphan');
      } finally {
        held.release();
        await other.close();
        await uploader.close();
      }
    });

    it("keeps the newer version stored only in the cloud when another process's restore copy of the older one lands after it", async () => {
      const { first: restorer, second: other, bucket } = await twoProcesses({ second: noLocalRoom });
      try {
        const older = randomContent(25_000);
        const newer = randomContent(15_000);
        await restorer.store('cold/table.parquet', older);
        assert.deepEqual((await restorer.archive('cold/table.parquet')).tiers, ['archive']);
        const held = proxy.holdNextCopy(new RegExp(`^/${bucket}/neurolake/objects/`));
        try {
          const restoring = restorer.restore('cold/table.parquet');
          await held.arrived;
          const wait = waitAnnouncer();
          const stored = other.store('cold/table.parquet', newer, { progress: wait.progress });
          await Promise.race([stored, wait.waits]);
          held.release();
          assert.deepEqual((await stored).tiers, ['cloud']);
          const restored = await restoring.catch((error: unknown) => error);
          assert.deepEqual(await readAll(other, 'cold/table.parquet'), newer, 'the acknowledged newer version reads back');
          assert.deepEqual(await other.verify({ deep: true }), { checked: 1, problems: [], orphans: [] });
          assert.deepEqual(await namesIn(client, bucket), ['neurolake/objects/cold/table.parquet']);
          assert.deepEqual(restored, { key: 'cold/table.parquet', state: 'restored' }, 'the restore that started first finished first');
          assert.ok(wait.announced, 'the store said it waited for the restore');
        } finally {
          held.release();
        }
      } finally {
        await other.close();
        await restorer.close();
      }
    });

    it('leaves no archive copy behind when another process stores the key anew while its archive copy is on the way', async () => {
      const { first: archiver, second: other, bucket } = await twoProcesses({ second: noLocalRoom });
      try {
        const newer = randomContent(12_000);
        await archiver.store('logs/day.csv', randomContent(18_000));
        await archiver.flushUploads();
        const held = proxy.holdNextCopy(new RegExp(`^/${bucket}/neurolake/archive/`));
        try {
          const archiving = archiver.archive('logs/day.csv');
          await held.arrived;
          // Another name than the one being copied to: nothing to wait for.
          assert.deepEqual((await other.store('logs/day.csv', newer)).tiers, ['cloud']);
          held.release();
          // Refused, as the version it copied is gone.
          await assert.rejects(archiving, /logs\/day\.csv (changed while it was being archived|was not archived)/);
        } finally {
          held.release();
        }
        assert.deepEqual(await readAll(other, 'logs/day.csv'), newer);
        assert.deepEqual(await other.verify({ deep: true }), { checked: 1, problems: [], orphans: [] });
        assert.deepEqual(await namesIn(client, bucket), ['neurolake/objects/logs/day.csv'], 'the late archive copy was removed');
      } finally {
        await other.close();
        await archiver.close();
      }
    });
  });
}

describe('a process killed while it writes an object to the bucket', () => {
  it('holds up another process only while it lives; its cut-off upload is never committed', async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first (npm run test:storage does)`);
    const server = await s3Server('s3rver');
    const proxy = await startFaultProxy(server.endpoint);
    const client = s3Client(server);
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    // No local room: the CLI's put goes straight to the cloud, and above 1 MiB it is sent outside the lock, under a lease.
    // In several parts: a killed upload then never completes, whatever its kernel had already sent.
    const config = cloudConfig(proxy.endpoint, bucket, { local: { capacityGb: 0, watermark: 1 } });
    await writeStorageConfig(dataFolder, config);
    const source = join(tempFolder(), 'big.bin');
    writeFileSync(source, randomContent(20 * MB));
    const engine = await openEngine(server, { dataFolder, config });
    const held = proxy.holdNextUpload(new RegExp(`^/${bucket}/`));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
    delete env['NEUROLAKE_TEST_S3'];
    const cli = spawn(process.execPath, [CLI, 'storage', 'put', source, 'shared/big.bin', '--data-folder', dataFolder, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    cli.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => cli.on('exit', (code, signal) => resolve(signal ?? code)));
    try {
      await Promise.race([held.arrived, exited.then(() => assert.fail(`the CLI ended before its upload reached the server: ${err}`))]);
      const small = randomContent(5_000);
      const wait = waitAnnouncer();
      const stored = engine.store('shared/big.bin', small, { progress: wait.progress });
      await Promise.race([stored, wait.waits]);
      assert.ok(wait.announced, 'the store waits while the process writing the name lives');
      cli.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      // Once the owner is gone, its lease is dropped and the store goes ahead; the upload it held is cut off.
      assert.deepEqual((await stored).tiers, ['cloud']);
      held.release();
      assert.deepEqual(await readAll(engine, 'shared/big.bin'), small);
      assert.deepEqual(await engine.verify({ deep: true }), { checked: 1, problems: [], orphans: [] });
      assert.deepEqual(await namesIn(client, bucket), ['neurolake/objects/shared/big.bin']);
    } finally {
      held.release();
      cli.kill('SIGKILL');
      await engine.close();
      client.destroy();
      await proxy.close();
    }
  });
});
