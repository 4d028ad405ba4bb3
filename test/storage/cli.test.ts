// `neurolake storage` as a script or a person uses it, against s3rver (the embedded S3 server):
// JSON answers, stdin and stdout, one line and a distinct exit code on failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCaptured } from '../unit/support/cli';
import { createBucket, s3Server, type S3Server } from './support/services';
import { randomContent, sha256, tempFolder } from './support/storageFixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** The saved fields that describe the server, checksSignedPayload undefined when unset. */
function pick(cloud: { endpoint?: string; forcePathStyle: boolean; requestChecksumCalculation: string; checksSignedPayload?: boolean }) {
  return { endpoint: cloud.endpoint, forcePathStyle: cloud.forcePathStyle, requestChecksumCalculation: cloud.requestChecksumCalculation, checksSignedPayload: cloud.checksSignedPayload };
}

describe('neurolake storage', () => {
  let server: S3Server;
  let dataFolder: string;
  const storage = (...args: string[]) => runCaptured(['storage', '--data-folder', dataFolder, ...args]);

  before(async () => {
    server = await s3Server('s3rver');
    process.env['AWS_ACCESS_KEY_ID'] = server.credentials.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = server.credentials.secretAccessKey;
    delete process.env['AWS_ENDPOINT_URL_S3'];
    delete process.env['NEUROLAKE_S3_BUCKET'];
    dataFolder = tempFolder('nl-cli-');
  });

  it('configure checks the bucket, saves the tiers in the data folder and never a secret', async () => {
    const missing = await storage('configure', '--endpoint', server.endpoint, '--bucket', 'does-not-exist');
    assert.equal(missing.code, 6);
    assert.match(missing.err, /^neurolake: The bucket does-not-exist does not exist.*not saved/);
    assert.equal(missing.err.trim().split('\n').length, 1);
    const bucket = await createBucket(server);
    const saved = await storage('configure', '--endpoint', server.endpoint, '--bucket', bucket, '--capacity-gb', '1', '--json');
    assert.equal(saved.code, 0, saved.err);
    assert.equal((JSON.parse(saved.out) as { cloud: { bucket: string } }).cloud.bucket, bucket);
    const file = readFileSync(join(dataFolder, 'storage', 'config.json'), 'utf8');
    assert.match(file, new RegExp(bucket));
    assert.doesNotMatch(file, new RegExp(server.credentials.secretAccessKey));
  });

  it('configure says whether the server checks signed payloads, keeps what it said of the server when the same endpoint is given again, and forgets it for another endpoint', async () => {
    const configFile = join(dataFolder, 'storage', 'config.json');
    type SavedCloud = { endpoint?: string; forcePathStyle: boolean; requestChecksumCalculation: string; checksSignedPayload?: boolean };
    const saved = (): SavedCloud => (JSON.parse(readFileSync(configFile, 'utf8')) as { cloud: SavedCloud }).cloud;
    const on = await storage('configure', '--checks-signed-payload', '--no-check');
    assert.equal(on.code, 0, on.err);
    assert.equal(saved().checksSignedPayload, true);
    const off = await storage('configure', '--no-checks-signed-payload', '--no-check');
    assert.equal(off.code, 0, off.err);
    assert.equal(saved().checksSignedPayload, false);
    const tuned = await storage('configure', '--checks-signed-payload', '--no-path-style', '--checksums', 'WHEN_SUPPORTED', '--no-check');
    assert.equal(tuned.code, 0, tuned.err);
    const said = { endpoint: server.endpoint, forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: true };
    const again = await storage('configure', '--endpoint', server.endpoint, '--no-check');
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(pick(saved()), said, 'the saved endpoint given again keeps what was said of its server');

    // Nothing listens there: --no-check saves it untested, and no object is in the cloud tier yet.
    const other = 'http://127.0.0.1:1';
    assert.notEqual(other, server.endpoint);
    const moved = await storage('configure', '--endpoint', other, '--no-check');
    assert.equal(moved.code, 0, moved.err);
    assert.deepEqual(pick(saved()), { endpoint: other, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: undefined }, 'another endpoint starts from its defaults and is not assumed to check');
    const back = await storage('configure', '--endpoint', server.endpoint, '--no-check');
    assert.equal(back.code, 0, back.err);
    assert.deepEqual(pick(saved()), { endpoint: server.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: undefined }, 'what was said of s3rver before the move is not remembered');
  });

  it('puts a file and a folder, lists, stats, demotes, reads back and deletes, with --json', async () => {
    const folder = tempFolder('nl-cli-src-');
    const content = randomContent(300_000);
    writeFileSync(join(folder, 'sales.parquet'), content);
    const put = await storage('put', join(folder, 'sales.parquet'), 'datasets/sales.parquet', '--json');
    assert.equal(put.code, 0, put.err);
    const stored = JSON.parse(put.out) as { key: string; sha256: string; tier: string };
    assert.deepEqual([stored.key, stored.sha256, stored.tier], ['datasets/sales.parquet', sha256(content), 'local']);
    writeFileSync(join(folder, 'notes.txt'), 'notes');
    const many = await storage('put', folder, 'backup', '--json');
    assert.deepEqual(many.out.trim().split('\n').map((line) => (JSON.parse(line) as { key: string }).key), ['backup/notes.txt', 'backup/sales.parquet']);
    const listing = await storage('ls', '--json');
    assert.deepEqual((JSON.parse(listing.out) as { prefixes: string[] }).prefixes, ['backup/', 'datasets/']);
    assert.equal((await storage('sync', '--json')).code, 0);
    const demoted = await storage('demote', 'datasets/sales.parquet', '--json');
    assert.deepEqual((JSON.parse(demoted.out) as { tiers: string[] }).tiers, ['cloud']);
    const target = join(folder, 'copy.parquet');
    const got = await storage('get', 'datasets/sales.parquet', target);
    assert.equal(got.code, 0, got.err);
    assert.equal(sha256(readFileSync(target)), sha256(content));
    const stat = await storage('stat', 'datasets/sales.parquet', '--json');
    assert.equal((JSON.parse(stat.out) as { accessCount: number }).accessCount, 1);
    const stats = JSON.parse((await storage('stats', '--json')).out) as { objects: number; misses: number; status: { state: string } };
    assert.equal(stats.objects, 3);
    assert.equal(stats.misses, 1);
    assert.equal(stats.status.state, 'ready');
    const verify = await storage('verify', '--json');
    assert.equal(verify.code, 0, verify.out);
    assert.equal((await storage('rm', 'backup/notes.txt')).code, 0);
    const gone = await storage('stat', 'backup/notes.txt');
    assert.equal(gone.code, 3);
    assert.equal(gone.err, 'neurolake: No object backup/notes.txt in storage.\n');
  });

  it('shows the optimize plan and applies it', async () => {
    const plan = await storage('optimize', '--json');
    assert.equal(plan.code, 0, plan.err);
    const parsed = JSON.parse(plan.out) as { moves: unknown[]; monthlyCostBefore: { total: number } };
    assert.ok(Array.isArray(parsed.moves));
    assert.equal(typeof parsed.monthlyCostBefore.total, 'number');
    assert.equal((await storage('optimize', '--apply')).code, 0);
  });

  it('refuses hostile keys with one line and exit code 5, writing nothing', async () => {
    for (const key of ['../../etc/passwd', '/etc/passwd', 'x'.repeat(2000)]) {
      const result = await storage('put', __filename, key);
      assert.equal(result.code, 5);
      assert.match(result.err, /^neurolake: The key .* was refused: .*\n$/);
    }
  });

  it('pipes stdin in and stdout out through a real process', { skip: existsSync(CLI) ? false : 'dist/cli.js is not built (node esbuild.mjs)' }, () => {
    const content = randomContent(2 * 1024 * 1024);
    const env = { ...process.env, NEUROLAKE_HOME: dataFolder };
    const put = spawnSync(process.execPath, [CLI, 'storage', 'put', '-', 'pipes/blob.bin'], { input: content, env });
    assert.equal(put.status, 0, put.stderr.toString());
    const get = spawnSync(process.execPath, [CLI, 'storage', 'get', 'pipes/blob.bin', '-'], { env, maxBuffer: 16 * 1024 * 1024 });
    assert.equal(get.status, 0, get.stderr.toString());
    assert.equal(sha256(get.stdout), sha256(content));
    const missing = spawnSync(process.execPath, [CLI, 'storage', 'get', 'pipes/none', '-'], { env });
    assert.equal(missing.status, 3);
    assert.equal(missing.stdout.length, 0);
    assert.equal(missing.stderr.toString().trim().split('\n').length, 1);
  });
});
