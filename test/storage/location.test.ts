// Moving the cloud tier (a new bucket, endpoint or prefix) under existing copies, against a real
// S3 server: nothing is lost. A move that would leave objects with no reachable copy is refused
// by configure (the CLI and Configure Cloud Tier), not applied by a running engine (told once, the old bucket stays in force), and
// not started by an engine that opens on it (local copies stay readable); once those objects are
// promoted, the move is adopted and every object is uploaded to the new bucket and verifies.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageEngine, StorageError, writeStorageConfig } from '../../server/engines/storage';
import { locationsFile } from '../../server/engines/storage/location';
import { StorageConfigureRequest } from '../../server/protocol';
import { settingsWith, withServer } from '../server/support/serverProcess';
import { runCaptured } from '../unit/support/cli';
import { createBucket, s3Server } from './support/services';
import { cloudConfig, readAll, tempFolder } from './support/storageFixtures';

const isCode = (code: string) => (error: unknown) => error instanceof StorageError && error.code === code;

describe('moving the cloud tier under existing copies', () => {
  it('is refused while objects are only there, and adopted with every object re-uploaded once they are promoted', async () => {
    const server = await s3Server('s3rver');
    const [oldBucket, newBucket] = [await createBucket(server), await createBucket(server)];
    const dataFolder = tempFolder();
    await writeStorageConfig(dataFolder, cloudConfig(server.endpoint, oldBucket));
    const warnings: string[] = [];
    const open = (): Promise<StorageEngine> => StorageEngine.open({ dataFolder, env: {}, credentials: server.credentials, onWarning: (message) => warnings.push(message) });
    const engine = await open();
    try {
      await engine.store('cold/only-cloud.csv', Buffer.from('only in the cloud\n'));
      await engine.demote('cold/only-cloud.csv');
      await engine.store('warm/both.csv', Buffer.from('local and cloud\n'));
      assert.deepEqual(await engine.flushUploads(), { uploaded: 1, failed: 0, failures: [] });
      assert.deepEqual(engine.stat('cold/only-cloud.csv').tiers, ['cloud']);
      assert.match(await readFile(locationsFile(dataFolder), 'utf8'), new RegExp(`s3://${oldBucket}/neurolake/objects/`));

      // `neurolake storage configure --bucket <new>` and Configure Cloud Tier ask this first.
      const moved = cloudConfig(server.endpoint, newBucket);
      await assert.rejects(engine.checkConfigChange(moved), (error: unknown) => {
        assert.ok(isCode('invalid-config')(error));
        assert.match((error as Error).message, /1 object has its only copy there \(cold\/only-cloud\.csv\).*Promote them.*not saved/);
        return true;
      });

      // A hand edit is not applied by the running engine: told once, the old bucket stays.
      await writeStorageConfig(dataFolder, moved);
      await engine.refresh();
      await engine.refresh();
      assert.equal(warnings.filter((warning) => /only copy there/.test(warning)).length, 1, warnings.join('\n'));
      assert.equal(engine.config.cloud?.bucket, oldBucket);
      // (Not read here: a read keeps a local copy, and the object would no longer be only in the bucket.)
      assert.equal(engine.s3Uri('cold/only-cloud.csv'), `s3://${oldBucket}/neurolake/objects/cold/only-cloud.csv`);

      // An engine opening on the moved configuration starts no cloud tier; local copies still read.
      const reopened = await open();
      try {
        assert.equal(reopened.status().state, 'degraded');
        assert.match(reopened.status().detail ?? '', /not in force.*only copy there/);
        assert.ok(warnings.some((warning) => /cloud tier is not started/.test(warning)), warnings.join('\n'));
        assert.equal((await readAll(reopened, 'warm/both.csv')).toString(), 'local and cloud\n');
        await assert.rejects(readAll(reopened, 'cold/only-cloud.csv'), isCode('not-configured'));
        assert.deepEqual(reopened.stat('cold/only-cloud.csv').tiers, ['cloud'], 'the record of the copy in the old bucket is kept');
      } finally {
        await reopened.close();
      }

      // Promoted, nothing is only in the old bucket: the move is adopted at the next refresh.
      await engine.promote('cold/only-cloud.csv');
      await engine.checkConfigChange(moved);
      assert.equal(await engine.refresh(), true);
      assert.equal(engine.config.cloud?.bucket, newBucket);
      assert.match(await readFile(locationsFile(dataFolder), 'utf8'), new RegExp(`s3://${newBucket}/neurolake/objects/`));
      for (const key of ['cold/only-cloud.csv', 'warm/both.csv']) assert.equal(engine.stat(key).uploadPending, true, `${key} waits for its upload to the new bucket`);
      assert.deepEqual(await engine.flushUploads(), { uploaded: 2, failed: 0, failures: [] });
      const report = await engine.verify();
      assert.deepEqual(report.problems, []);
      await engine.demote('cold/only-cloud.csv');
      assert.equal((await readAll(engine, 'cold/only-cloud.csv')).toString(), 'only in the cloud\n', 'read back from the new bucket');
    } finally {
      await engine.close();
    }
  });

  it('is refused by `neurolake storage configure` with the count and what to do, saving nothing, until the objects are promoted', async () => {
    const server = await s3Server('s3rver');
    const [oldBucket, newBucket] = [await createBucket(server), await createBucket(server)];
    const dataFolder = tempFolder('nl-cli-move-');
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    process.env['AWS_ACCESS_KEY_ID'] = server.credentials.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = server.credentials.secretAccessKey;
    const storage = (...args: string[]) => runCaptured(['storage', '--data-folder', dataFolder, ...args]);
    try {
      assert.equal((await storage('configure', '--endpoint', server.endpoint, '--bucket', oldBucket)).code, 0);
      const file = join(dataFolder, 'results.csv');
      await writeFile(file, 'id\n1\n');
      assert.equal((await storage('put', file, 'runs/results.csv')).code, 0);
      assert.equal((await storage('demote', 'runs/results.csv')).code, 0);
      for (const args of [['--bucket', newBucket], ['--prefix', 'team/'], ['--no-cloud']]) {
        const refused = await storage('configure', ...args);
        assert.equal(refused.code, 5, `${args.join(' ')}: ${refused.err}`);
        assert.match(refused.err, /1 object has its only copy there \(runs\/results\.csv\).*Promote them to the local tier first.*not saved/);
      }
      assert.match(await readFile(join(dataFolder, 'storage', 'config.json'), 'utf8'), new RegExp(`"bucket": "${oldBucket}"`));
      assert.equal((await storage('promote', 'runs/results.csv')).code, 0);
      const moved = await storage('configure', '--bucket', newBucket);
      assert.equal(moved.code, 0, moved.err);
      assert.equal((await storage('sync')).code, 0);
      const stat = JSON.parse((await storage('stat', 'runs/results.csv', '--json')).out) as { tiers: string[] };
      assert.deepEqual(stat.tiers, ['local', 'cloud']);
      assert.equal((await storage('verify')).code, 0);
    } finally {
      process.env['AWS_ACCESS_KEY_ID'] = saved.id;
      process.env['AWS_SECRET_ACCESS_KEY'] = saved.secret;
    }
  });

  it('is refused by Configure Cloud Tier (the configure request) with the same message, saving nothing', { timeout: 60_000 }, async () => {
    const server = await s3Server('s3rver');
    const [oldBucket, newBucket] = [await createBucket(server), await createBucket(server)];
    const dataFolder = tempFolder();
    await writeStorageConfig(dataFolder, cloudConfig(server.endpoint, oldBucket));
    const engine = await StorageEngine.open({ dataFolder, env: {}, credentials: server.credentials });
    try {
      await engine.store('cold/only-cloud.csv', Buffer.from('only in the cloud\n'));
      await engine.demote('cold/only-cloud.csv');
    } finally {
      await engine.close();
    }
    const env = { AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' };
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      const request = lsp.request(StorageConfigureRequest, { target: { endpoint: server.endpoint, region: 'us-east-1', bucket: newBucket, prefix: 'neurolake/', archiveClass: 'GLACIER' } });
      await assert.rejects(request, /1 object has its only copy there \(cold\/only-cloud\.csv\).*not saved/);
    }, env);
    assert.match(await readFile(join(dataFolder, 'storage', 'config.json'), 'utf8'), new RegExp(`"bucket": "${oldBucket}"`));
  });
});
