// The storage configuration: checked field by field, overridden by the environment for one run,
// and never holding a secret.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageError, applyEnvironment, checksSignedPayload, configFile, normaliseConfig, readStorageConfig, writeStorageConfig } from '../../../server/engines/storage';

describe('storage configuration', () => {
  it('fills defaults, and WHEN_REQUIRED checksums and path-style for a custom endpoint', () => {
    const config = normaliseConfig({ cloud: { bucket: 'lake', endpoint: 'http://127.0.0.1:9000' } }, 'test');
    assert.equal(config.cloud?.requestChecksumCalculation, 'WHEN_REQUIRED');
    assert.equal(config.cloud?.forcePathStyle, true);
    assert.equal(config.cloud?.prefix, 'neurolake/');
    assert.equal(config.local.capacityGb, DEFAULT_CONFIG.local.capacityGb);
    const aws = normaliseConfig({ cloud: { bucket: 'lake', prefix: 'team' } }, 'test');
    assert.equal(aws.cloud?.requestChecksumCalculation, 'WHEN_SUPPORTED');
    assert.equal(aws.cloud?.forcePathStyle, false);
    assert.equal(aws.cloud?.prefix, 'team/');
  });

  it('names the field that is wrong', () => {
    const bad = (raw: unknown, pattern: RegExp) => assert.throws(() => normaliseConfig(raw, 'config.json'), (error: unknown) => error instanceof StorageError && error.code === 'invalid-config' && pattern.test(error.message));
    bad({ cloud: {} }, /cloud\.bucket is required/);
    bad({ cloud: { bucket: 'Not_A_Bucket' } }, /cloud\.bucket/);
    bad({ cloud: { bucket: 'lake', endpoint: 'ftp://x' } }, /cloud\.endpoint must start with http/);
    bad({ cloud: { bucket: 'lake', endpoint: 'http://key:secret@host' } }, /must not contain credentials/);
    bad({ local: { capacityGb: -1 } }, /local\.capacityGb/);
    bad({ local: { watermark: 2 } }, /local\.watermark/);
    bad({ archive: { storageClass: 'STANDARD' } }, /archive\.storageClass must be one of GLACIER, DEEP_ARCHIVE, GLACIER_IR/);
    bad({ prices: { preset: 'gcp' } }, /prices\.preset/);
  });

  it('lets AWS_ENDPOINT_URL_S3, AWS_REGION and NEUROLAKE_S3_BUCKET override it for one run', () => {
    const saved = normaliseConfig({ cloud: { bucket: 'lake', region: 'eu-west-1' } }, 'test');
    const run = applyEnvironment(saved, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480', AWS_REGION: 'us-west-2', NEUROLAKE_S3_BUCKET: 'other' });
    assert.equal(run.cloud?.endpoint, 'http://127.0.0.1:7480');
    assert.equal(run.cloud?.region, 'us-west-2');
    assert.equal(run.cloud?.bucket, 'other');
    assert.equal(run.cloud?.requestChecksumCalculation, 'WHEN_REQUIRED');
    assert.equal(applyEnvironment(DEFAULT_CONFIG, { NEUROLAKE_S3_BUCKET: 'adhoc' }).cloud?.bucket, 'adhoc', 'a bucket alone turns the cloud tier on');
    assert.equal(applyEnvironment(DEFAULT_CONFIG, {}).cloud, undefined);
  });

  it('says whether uploads are proven by the server\'s check of their signed SHA-256: AWS yes, a custom endpoint only when set, and not for another endpoint given for one run', () => {
    assert.equal(checksSignedPayload(normaliseConfig({ cloud: { bucket: 'lake' } }, 'test').cloud!), true);
    assert.equal(checksSignedPayload(normaliseConfig({ cloud: { bucket: 'lake', endpoint: 'http://127.0.0.1:9000' } }, 'test').cloud!), false);
    const ceph = normaliseConfig({ cloud: { bucket: 'lake', endpoint: 'http://127.0.0.1:7480', checksSignedPayload: true } }, 'test');
    assert.equal(checksSignedPayload(ceph.cloud!), true);
    assert.equal(checksSignedPayload(applyEnvironment(ceph, { AWS_REGION: 'eu-west-1' }).cloud!), true, 'the same server');
    assert.equal(checksSignedPayload(applyEnvironment(ceph, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }).cloud!), false, 'another server is not taken to check');
    assert.throws(() => normaliseConfig({ cloud: { bucket: 'lake', checksSignedPayload: 'yes' } }, 'config.json'), (error: unknown) => error instanceof StorageError && /cloud\.checksSignedPayload must be true or false/.test(error.message));
  });

  it('is written to the data folder without any credential', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-config-'));
    const config = normaliseConfig({ cloud: { bucket: 'lake', endpoint: 'http://127.0.0.1:9000' }, local: { capacityGb: 2 } }, 'test');
    await writeStorageConfig(dataFolder, config);
    assert.deepEqual(await readStorageConfig(dataFolder), config);
    const text = await readFile(configFile(dataFolder), 'utf8');
    assert.doesNotMatch(text, /secret|accessKey|password/i);
  });
});
