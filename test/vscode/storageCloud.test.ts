// Configure Cloud Tier in a real VS Code against the harness's s3rver: a failing connection test
// saves nothing (neither storage/config.json nor a key), s3rver said to check signed payloads
// included; a passing one saves the configuration without a secret but with the answer of
// whether the server checks signed payloads, keeps the key in SecretStorage, and the restarted
// server reports the cloud tier connected with it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import type { ConfigureCloudOutcome } from '../../src/commands/storageCloud';
import type { ServerStatus } from '../../server/protocol';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'neurolake.neurolake';

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set by the test harness`);
  return value;
}

/** A loopback port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function storageDetail(status: ServerStatus): string {
  return status.engines.find((engine) => engine.name === 'storage')?.detail ?? '';
}

/** The status once `predicate` holds: now, or at the next status the server reports. */
async function statusWhere(api: NeuroLakeApi, predicate: (status: ServerStatus) => boolean, what: string): Promise<ServerStatus> {
  const next = waitFor(api.onDidChangeStatus, predicate, 60_000, what);
  const now = await api.status().catch(() => undefined);
  if (now !== undefined && predicate(now)) {
    next.catch(() => undefined);
    return now;
  }
  return next;
}

suite('Configure Cloud Tier', () => {
  let api: NeuroLakeApi;
  const configPath = path.join(env('NEUROLAKE_HOME'), 'storage', 'config.json');
  let original: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await api.ready();
    original = fs.readFileSync(configPath, 'utf8');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('neurolake.storage.forgetCloudCredentials');
    // The harness's embedded cloud as it was, for the suites after this one; the running engine
    // picks the file up by itself.
    fs.writeFileSync(configPath, original);
    await statusWhere(api, (status) => storageDetail(status).includes('s3://neurolake/neurolake/'), 'the server did not go back to the harness\'s cloud tier');
  });

  test('a dead endpoint fails the connection test, naming it, and nothing is saved', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const outcome = await vscode.commands.executeCommand<ConfigureCloudOutcome>('neurolake.storage.configureCloud', {
      endpoint,
      bucket: env('NEUROLAKE_TEST_S3_BUCKET'),
      region: 'us-east-1',
      prefix: 'vscode-test/',
      archiveClass: 'GLACIER',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    assert.equal(outcome.saved, false);
    assert.equal(outcome.test?.failure, 'unreachable');
    assert.ok(outcome.test?.message.includes(endpoint), outcome.test?.message);
    assert.equal(fs.readFileSync(configPath, 'utf8'), original, 'storage/config.json is unchanged');
    assert.equal(await vscode.commands.executeCommand<boolean>('neurolake.storage.forgetCloudCredentials'), false, 'no key was stored');
  });

  test('an unknown access key fails as access denied: the test uses the keys given, not the editor\'s environment', async () => {
    const outcome = await vscode.commands.executeCommand<ConfigureCloudOutcome>('neurolake.storage.configureCloud', {
      endpoint: env('NEUROLAKE_TEST_S3_ENDPOINT'),
      bucket: env('NEUROLAKE_TEST_S3_BUCKET'),
      prefix: 'vscode-test/',
      accessKeyId: 'NOSUCHKEY',
      secretAccessKey: 'S3RVER',
    });
    assert.equal(outcome.saved, false);
    assert.equal(outcome.test?.failure, 'access-denied');
    assert.equal(fs.readFileSync(configPath, 'utf8'), original);
  });

  test('s3rver said to check signed payloads fails the connection test, naming the check, and nothing is saved', async () => {
    const endpoint = env('NEUROLAKE_TEST_S3_ENDPOINT');
    const outcome = await vscode.commands.executeCommand<ConfigureCloudOutcome>('neurolake.storage.configureCloud', {
      endpoint,
      bucket: env('NEUROLAKE_TEST_S3_BUCKET'),
      prefix: 'neurolake/',
      checksSignedPayload: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    assert.equal(outcome.saved, false);
    assert.equal(outcome.test?.failure, 'unchecked-payload', outcome.test?.message);
    assert.equal(outcome.test?.checksSignedPayload, false);
    assert.ok(outcome.test?.message.includes(endpoint) && /does not check signed payloads/.test(outcome.test.message), outcome.test?.message);
    assert.equal(fs.readFileSync(configPath, 'utf8'), original);
    assert.equal(await vscode.commands.executeCommand<boolean>('neurolake.storage.forgetCloudCredentials'), false, 'no key was stored');
  });

  test('a good bucket is saved without a secret, the key goes to SecretStorage, and the server reports the cloud connected', async () => {
    const endpoint = env('NEUROLAKE_TEST_S3_ENDPOINT');
    const bucket = env('NEUROLAKE_TEST_S3_BUCKET');
    const before = await api.status();
    const outcome = await vscode.commands.executeCommand<ConfigureCloudOutcome>('neurolake.storage.configureCloud', {
      endpoint,
      bucket,
      region: 'us-east-1',
      // The harness's own place: the suites before this one left objects whose only copy is there,
      // and moving the cloud tier away from them is refused (another test covers that refusal).
      prefix: 'neurolake/',
      archiveClass: 'GLACIER_IR',
      // The answer to "does the server check signed payloads?": s3rver does not.
      checksSignedPayload: false,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    assert.equal(outcome.saved, true, outcome.test?.message);
    assert.deepEqual(outcome.test?.steps, ['reach bucket', 'write probe', 'read probe', 'delete probe']);
    assert.equal(outcome.test?.checksSignedPayload, false, 'the test saw s3rver store a wrongly signed probe');
    assert.equal(outcome.file, configPath);
    const text = fs.readFileSync(configPath, 'utf8');
    assert.ok(!text.includes('S3RVER'), `no key id or secret in storage/config.json:\n${text}`);
    const saved = JSON.parse(text) as { cloud: { endpoint: string; bucket: string; prefix: string; checksSignedPayload?: boolean }; archive: { storageClass: string } };
    assert.deepEqual([saved.cloud.endpoint, saved.cloud.bucket, saved.cloud.prefix, saved.cloud.checksSignedPayload, saved.archive.storageClass], [endpoint, bucket, 'neurolake/', false, 'GLACIER_IR']);
    // A new key means a new server: wait for that one to report the cloud tier connected.
    const status = await statusWhere(api, (s) => s.pid !== before.pid && storageDetail(s).includes(`cloud s3://${bucket}/neurolake/ connected`), 'the restarted server never reported the cloud tier connected');
    assert.match(storageDetail(status), /connected/);
    // The key reached the restarted server as it was started (its environment at exec time; the
    // server took it out of process.env at once), not through a message.
    const environ = `/proc/${status.pid}/environ`;
    if (fs.existsSync(environ)) {
      assert.notEqual(status.pid, before.pid, 'a new key means a new server process');
      assert.ok(fs.readFileSync(environ, 'latin1').split('\0').includes('NEUROLAKE_CLOUD_ACCESS_KEY_ID=S3RVER'), 'the server was started with the stored key');
    }
    assert.equal(await vscode.commands.executeCommand<boolean>('neurolake.storage.forgetCloudCredentials'), true, 'the key was in SecretStorage');
  });
});
