// Configure Cloud Tier against real S3 servers: the connection test names the failure a user must
// fix (no such bucket, nothing listening, unknown key, wrong secret, a server said to check signed
// payloads that does not), tells whether the server checks them, leaves no probe behind, and a
// saved configuration never holds a secret but says what the user answered of the server's checks,
// and keeps what the CLI said of the same server and the dialog does not ask;
// the engine takes a changed storage/config.json (from the CLI or another window) without a restart.
import assert from 'node:assert/strict';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { StorageEngine, configFile, defaultCloud, testCloudConnection, writeStorageConfig } from '../../server/engines/storage';
import { CLOUD_ACCESS_KEY_ID_VARIABLE, CLOUD_SECRET_ACCESS_KEY_VARIABLE, SESSION_KEY_VARIABLE, newSessionKey, sealSecret } from '../../server/protocol/secrets';
import { DidChangeStatusNotification, StatusRequest, StorageCloudConfigRequest, StorageConfigureRequest, StorageTestCloudRequest, type ServerStatus, type StorageCloudTarget } from '../../server/protocol';
import { settingsWith, withServer } from '../server/support/serverProcess';
import { runCaptured } from '../unit/support/cli';
import { createBucket, s3Client, s3Server, type S3Server } from './support/services';
import { cloudConfig, readAll, tempFolder, waitForChange } from './support/storageFixtures';

/** A loopback port nothing listens on: bound by the OS, then closed. */
async function closedPort(): Promise<number> {
  const harness = await import('../harness/s3Services.mjs');
  return harness.freePort();
}

async function keysUnder(server: S3Server, bucket: string, prefix: string): Promise<string[]> {
  const client = s3Client(server);
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((item) => item.Key ?? '');
  } finally {
    client.destroy();
  }
}

describe('cloud tier connection test', () => {
  it('passes for a good bucket, says whether the server checks signed payloads, and leaves no probe object behind (s3rver and the RADOS Gateway)', async () => {
    for (const [kind, checks] of [['s3rver', false], ['radosgw', true]] as const) {
      const server = await s3Server(kind);
      const bucket = await createBucket(server);
      const result = await testCloudConnection({ ...defaultCloud(bucket, server.endpoint), prefix: 'team/' }, { credentials: server.credentials });
      assert.equal(result.ok, true, `${kind}: ${result.message}`);
      assert.deepEqual(result.steps, ['reach bucket', 'write probe', 'read probe', 'delete probe']);
      assert.equal(result.checksSignedPayload, checks, `${kind}: ${result.message}`);
      assert.match(result.message, checks ? /it refused a copy signed with a wrong SHA-256, so it checks signed payloads/ : /it stored a copy signed with a wrong SHA-256, so it does not check signed payloads/);
      assert.deepEqual(await keysUnder(server, bucket, ''), [], `${kind}: the probes were deleted, the wrongly signed one too`);
    }
  });

  it('fails a configuration that says the server checks signed payloads where it does not (s3rver), leaving nothing behind; passes it where it does (the RADOS Gateway)', async () => {
    const s3rver = await s3Server('s3rver');
    const unchecked = await createBucket(s3rver);
    const wrong = await testCloudConnection({ ...defaultCloud(unchecked, s3rver.endpoint), checksSignedPayload: true }, { credentials: s3rver.credentials });
    assert.equal(wrong.ok, false);
    assert.equal(!wrong.ok && wrong.failure, 'unchecked-payload');
    assert.equal(!wrong.ok && wrong.step, 'write probe');
    assert.equal(wrong.checksSignedPayload, false);
    assert.ok(wrong.message.includes(s3rver.endpoint) && /does not check signed payloads/.test(wrong.message) && /compares MD5s and ETags/.test(wrong.message), wrong.message);
    assert.deepEqual(await keysUnder(s3rver, unchecked, ''), [], 'the wrongly signed probe was deleted');
    const radosgw = await s3Server('radosgw');
    const checked = await createBucket(radosgw);
    const right = await testCloudConnection({ ...defaultCloud(checked, radosgw.endpoint), checksSignedPayload: true }, { credentials: radosgw.credentials });
    assert.equal(right.ok, true, right.message);
    // With the SDK adding its own checksums, as for AWS itself: the wrong hash still reaches the server.
    const sdkChecksums = await testCloudConnection({ ...defaultCloud(checked, radosgw.endpoint), requestChecksumCalculation: 'WHEN_SUPPORTED' }, { credentials: radosgw.credentials });
    assert.equal(sdkChecksums.checksSignedPayload, true, sdkChecksums.message);
    assert.deepEqual(await keysUnder(radosgw, checked, ''), []);
  });

  it('says there is no such bucket', async () => {
    const server = await s3Server('s3rver');
    const result = await testCloudConnection(defaultCloud('nl-no-such-bucket', server.endpoint), { credentials: server.credentials });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure, 'no-such-bucket');
    assert.match(result.message, /no bucket nl-no-such-bucket at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('says the endpoint is unreachable when nothing listens on it', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const result = await testCloudConnection(defaultCloud('lake', endpoint), { credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
    assert.equal(!result.ok && result.failure, 'unreachable');
    assert.equal(!result.ok && result.step, 'reach bucket');
    assert.ok(result.message.includes(endpoint) && /ECONNREFUSED/.test(result.message), result.message);
  });

  it('says access is denied for an unknown key (s3rver) and for a wrong secret (the RADOS Gateway)', async () => {
    const s3rver = await s3Server('s3rver');
    const unknown = await testCloudConnection(defaultCloud(await createBucket(s3rver), s3rver.endpoint), { credentials: { accessKeyId: 'NOSUCHKEY', secretAccessKey: 'S3RVER' } });
    assert.equal(!unknown.ok && unknown.failure, 'access-denied');
    assert.match(unknown.message, /does not know that access key id \(InvalidAccessKeyId\)/);
    const radosgw = await s3Server('radosgw');
    const wrongSecret = await testCloudConnection(defaultCloud(await createBucket(radosgw), radosgw.endpoint), { credentials: { ...radosgw.credentials, secretAccessKey: 'not-the-secret' } });
    assert.equal(!wrongSecret.ok && wrongSecret.failure, 'access-denied');
    assert.match(wrongSecret.message, /the secret access key does not match the access key id \(SignatureDoesNotMatch\)/);
  });
});

describe('Configure Cloud Tier over LSP', () => {
  it('tests with sealed credentials, saves a configuration without a secret, and refuses keys sealed for another server', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    const sessionKey = newSessionKey();
    const target: StorageCloudTarget = { endpoint: server.endpoint, region: 'us-east-1', bucket, prefix: 'lake/', archiveClass: 'DEEP_ARCHIVE' };
    const sealed = (key: string) => sealSecret(JSON.stringify(server.credentials), key);
    // The shell's AWS variables must not help: only the sealed keys can reach the gateway.
    const env = { [SESSION_KEY_VARIABLE]: sessionKey, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'nl-no-such-profile', AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' };
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      const passed = await lsp.request(StorageTestCloudRequest, { target, credentials: sealed(sessionKey) });
      assert.equal(passed.ok, true, passed.message);
      const foreign = lsp.request(StorageTestCloudRequest, { target, credentials: sealed(newSessionKey()) });
      await assert.rejects(foreign, /could not be opened with this server's session key/);
      const typo = await lsp.request(StorageTestCloudRequest, { target: { ...target, endpoint: 'http://user:pw@127.0.0.1:1' } });
      assert.equal(typo.failure, 'invalid-config');
      assert.match(typo.message, /must not contain credentials/);

      const saved = await lsp.request(StorageConfigureRequest, { target });
      assert.equal(saved.file, configFile(dataFolder));
      const text = await readFile(saved.file, 'utf8');
      assert.ok(!text.includes(server.credentials.accessKeyId) && !text.includes(server.credentials.secretAccessKey), 'no key id or secret in storage/config.json');
      const written = JSON.parse(text) as { cloud: Record<string, unknown>; archive: { storageClass: string } };
      assert.deepEqual(written.cloud, { endpoint: server.endpoint, region: 'us-east-1', bucket, prefix: 'lake/', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
      assert.equal(written.archive.storageClass, 'DEEP_ARCHIVE');
      assert.match(saved.status, new RegExp(`cloud s3://${bucket}/lake/`));
    }, env);
  });
});

describe('Configure Cloud Tier: whether the server checks signed payloads', () => {
  it('is carried by the configure request and saved both ways, answered back for the next run, and a changed endpoint goes back to its default', { timeout: 60_000 }, async () => {
    const radosgw = await s3Server('radosgw');
    const s3rver = await s3Server('s3rver');
    const bucket = await createBucket(radosgw);
    await createBucket(s3rver, bucket);
    const dataFolder = tempFolder();
    const sessionKey = newSessionKey();
    const target: StorageCloudTarget = { endpoint: radosgw.endpoint, region: 'us-east-1', bucket, prefix: 'lake/', archiveClass: 'GLACIER' };
    const env = { [SESSION_KEY_VARIABLE]: sessionKey, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'nl-no-such-profile', AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' };
    const saved = async (): Promise<Record<string, unknown>> => (JSON.parse(await readFile(configFile(dataFolder), 'utf8')) as { cloud: Record<string, unknown> }).cloud;
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      const inForce = async (): Promise<boolean | undefined> => (await lsp.request(StorageCloudConfigRequest, {})).target?.checksSignedPayload;
      for (const checks of [true, false, true]) {
        await lsp.request(StorageConfigureRequest, { target: { ...target, checksSignedPayload: checks } });
        assert.equal((await saved())['checksSignedPayload'], checks, `saved as ${checks}`);
        assert.equal(await inForce(), checks, 'the next Configure Cloud Tier preselects it');
      }
      // Another server: what was said of the gateway's checks is not said of s3rver's.
      await lsp.request(StorageConfigureRequest, { target: { ...target, endpoint: s3rver.endpoint } });
      const moved = await saved();
      assert.equal(moved['endpoint'], s3rver.endpoint);
      assert.equal('checksSignedPayload' in moved, false, JSON.stringify(moved));
      assert.equal(await inForce(), false, 'a custom endpoint is not assumed to check');

      // The connection test takes the answer too: s3rver said to check fails, naming it, and nothing is saved.
      const test = await lsp.request(StorageTestCloudRequest, { target: { ...target, endpoint: s3rver.endpoint, checksSignedPayload: true }, credentials: sealSecret(JSON.stringify(s3rver.credentials), sessionKey) });
      assert.equal(test.failure, 'unchecked-payload', test.message);
      assert.equal(test.checksSignedPayload, false);
      assert.deepEqual(await saved(), moved);
      await assert.rejects(
        lsp.request(StorageConfigureRequest, { target: { ...target, checksSignedPayload: 'yes' as unknown as boolean } }),
        /cloud\.checksSignedPayload must be true or false/,
      );
      assert.deepEqual(await saved(), moved, 'a refused request saves nothing');
    }, env);
  });
});

describe('Configure Cloud Tier keeps what the CLI said of the server', () => {
  type SavedCloud = { endpoint?: string; prefix: string; forcePathStyle: boolean; requestChecksumCalculation: string; checksSignedPayload?: boolean };
  const env = { [SESSION_KEY_VARIABLE]: newSessionKey(), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'nl-no-such-profile', AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' };
  const savedIn = async (dataFolder: string): Promise<SavedCloud> => (JSON.parse(await readFile(configFile(dataFolder), 'utf8')) as { cloud: SavedCloud }).cloud;
  const serverFields = ({ endpoint, forcePathStyle, requestChecksumCalculation, checksSignedPayload }: SavedCloud) => ({ endpoint, forcePathStyle, requestChecksumCalculation, checksSignedPayload });

  it('for the saved custom endpoint (path style, SDK checksums, signed payloads, none of them asked), and starts another endpoint from its defaults', { timeout: 60_000 }, async () => {
    const s3rver = await s3Server('s3rver');
    const radosgw = await s3Server('radosgw');
    const bucket = await createBucket(s3rver);
    const dataFolder = tempFolder();
    const cli = await runCaptured(['storage', '--data-folder', dataFolder, 'configure', '--endpoint', s3rver.endpoint, '--bucket', bucket, '--no-path-style', '--checksums', 'WHEN_SUPPORTED', '--checks-signed-payload', '--no-check']);
    assert.equal(cli.code, 0, cli.err);
    const said = { endpoint: s3rver.endpoint, forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: true };
    assert.deepEqual(serverFields(await savedIn(dataFolder)), said);
    const target: StorageCloudTarget = { endpoint: s3rver.endpoint, region: 'us-east-1', bucket, prefix: 'team/', archiveClass: 'GLACIER' };
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      // The test the dialog runs before saving takes the same configuration: it was said to check, and s3rver does not.
      const test = await lsp.request(StorageTestCloudRequest, { target, credentials: sealSecret(JSON.stringify(s3rver.credentials), env[SESSION_KEY_VARIABLE]!) });
      assert.equal(test.failure, 'unchecked-payload', test.message);

      await lsp.request(StorageConfigureRequest, { target });
      const kept = await savedIn(dataFolder);
      assert.equal(kept.prefix, 'team/', 'what the dialog asked is saved');
      assert.deepEqual(serverFields(kept), said, 'what it did not ask keeps the value the CLI saved');

      await lsp.request(StorageConfigureRequest, { target: { ...target, endpoint: radosgw.endpoint } });
      assert.deepEqual(serverFields(await savedIn(dataFolder)), { endpoint: radosgw.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: undefined }, "another endpoint: its defaults, nothing said of s3rver's");
    }, env);
  });

  it("for AWS: the answer that it does not check signed payloads, which the dialog never asks for AWS, and AWS's path style and checksums", { timeout: 60_000 }, async () => {
    const dataFolder = tempFolder();
    const cli = await runCaptured(['storage', '--data-folder', dataFolder, 'configure', '--bucket', 'nl-aws-lake', '--path-style', '--checksums', 'WHEN_REQUIRED', '--no-checks-signed-payload', '--no-check']);
    assert.equal(cli.code, 0, cli.err);
    const said = { endpoint: undefined, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: false };
    assert.deepEqual(serverFields(await savedIn(dataFolder)), said);
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      assert.equal((await lsp.request(StorageCloudConfigRequest, {})).target?.checksSignedPayload, false, 'the dialog is told the value in force');
      // What the dialog sends for AWS: no endpoint, and no signed-payload answer.
      await lsp.request(StorageConfigureRequest, { target: { region: 'eu-west-1', bucket: 'nl-aws-lake', prefix: 'neurolake/', archiveClass: 'DEEP_ARCHIVE' } });
      assert.deepEqual(serverFields(await savedIn(dataFolder)), said);
      assert.equal((await lsp.request(StorageCloudConfigRequest, {})).target?.checksSignedPayload, false);
    }, env);
  });
});

describe('the access key the extension starts the server with', () => {
  it('reaches the storage engine (the RADOS Gateway checks the secret), not the AWS variables of the server\'s workloads', { timeout: 60_000 }, async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    await writeStorageConfig(dataFolder, cloudConfig(server.endpoint, bucket));
    const env = {
      [CLOUD_ACCESS_KEY_ID_VARIABLE]: server.credentials.accessKeyId,
      [CLOUD_SECRET_ACCESS_KEY_VARIABLE]: server.credentials.secretAccessKey,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: 'nl-no-such-profile',
      AWS_ENDPOINT_URL_S3: '',
      NEUROLAKE_S3_BUCKET: '',
      AWS_REGION: '',
    };
    await withServer({ settings: settingsWith(dataFolder) }, async (lsp) => {
      const connected = (status: ServerStatus): boolean => /connected/.test(status.engines.find((engine) => engine.name === 'storage')?.detail ?? '');
      const reported = new Promise<void>((resolve) => {
        const subscription = lsp.onNotification(DidChangeStatusNotification, (status) => {
          if (!connected(status)) return;
          subscription.dispose();
          resolve();
        });
      });
      if (!connected(await lsp.request(StatusRequest))) await reported;
    }, env);
  });
});

describe('a changed storage configuration', () => {
  it('is applied by a running engine on refresh: a cloud tier added later takes the queued uploads', async () => {
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    const engine = await StorageEngine.open({ dataFolder, env: {}, credentials: server.credentials, background: true, uploadRetryMs: { min: 50, max: 200 } });
    try {
      await engine.store('datasets/a.csv', Buffer.from('id\n1\n'));
      assert.match(engine.status().detail ?? '', /local tier only/);
      assert.equal(await engine.refresh(), false, 'nothing changed yet');
      // As `neurolake storage configure` in a terminal, or another window, would write it.
      await writeStorageConfig(dataFolder, cloudConfig(server.endpoint, bucket, { local: { capacityGb: 2, watermark: 0.8 } }));
      assert.equal(await engine.refresh(), true);
      assert.equal(engine.config.local.capacityGb, 2);
      assert.equal(engine.config.cloud?.bucket, bucket);
      await waitForChange(engine, () => engine.stat('datasets/a.csv').tiers.includes('cloud'));
      assert.deepEqual(await keysUnder(server, bucket, 'neurolake/objects/'), ['neurolake/objects/datasets/a.csv']);
      await waitForChange(engine, () => /connected/.test(engine.status().detail ?? ''));
      assert.equal((await readAll(engine, 'datasets/a.csv')).toString(), 'id\n1\n');
    } finally {
      await engine.close();
    }
  });

  it('that does not parse is reported once and the configuration in force stays', async () => {
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    await writeStorageConfig(dataFolder, cloudConfig(server.endpoint, bucket));
    const warnings: string[] = [];
    const engine = await StorageEngine.open({ dataFolder, env: {}, credentials: server.credentials, onWarning: (message) => warnings.push(message) });
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(configFile(dataFolder), '{ "cloud": ');
      assert.equal(await engine.refresh(), false);
      assert.equal(await engine.refresh(), false);
      assert.equal(warnings.filter((warning) => /not valid JSON/.test(warning)).length, 1, warnings.join('\n'));
      assert.equal(engine.config.cloud?.bucket, bucket);
    } finally {
      await engine.close();
    }
  });
});
