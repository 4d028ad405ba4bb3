// The storage configuration: checked field by field, changed by its writers keeping what they were
// not asked about for the same server, overridden by the environment for one run, and never
// holding a secret.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageError, applyEnvironment, checksSignedPayload, cloudAfterChange, configFile, defaultCloud, normaliseConfig, readStorageConfig, writeStorageConfig, type CloudConfig } from '../../../server/engines/storage';

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

  it('lets an endpoint given for one run that is the saved one keep what the file says of its server', () => {
    const saved = normaliseConfig({ cloud: { bucket: 'lake', endpoint: 'http://127.0.0.1:7480', forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: true } }, 'test');
    const run = applyEnvironment(saved, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480' });
    assert.deepEqual(run.cloud, saved.cloud);
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

describe('a change of the cloud tier (cloudAfterChange, used by the CLI and Configure Cloud Tier)', () => {
  const ceph = 'http://127.0.0.1:7480';
  const minio = 'http://127.0.0.1:9000';
  // As `neurolake storage configure --endpoint <ceph> --no-path-style --checksums WHEN_SUPPORTED --checks-signed-payload` leaves it.
  const tuned = normaliseConfig({ cloud: { endpoint: ceph, bucket: 'lake', region: 'eu-west-1', prefix: 'team/', forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: true } }, 'test').cloud!;
  const serverFields = (cloud: CloudConfig) => ({ forcePathStyle: cloud.forcePathStyle, requestChecksumCalculation: cloud.requestChecksumCalculation, checksSignedPayload: cloud.checksSignedPayload });

  it('keeps what was said of the server when the endpoint is the saved one, given again or not given', () => {
    const kept = { forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: true };
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: ceph, bucket: 'other', region: 'us-east-1', prefix: 'x/' })), kept, 'the same endpoint given again');
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: ` ${ceph} ` })), kept, 'the same endpoint with spaces around it');
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { bucket: 'other' })), kept, 'no endpoint given');
    for (const spelling of [`${ceph}/`, 'HTTP://127.0.0.1:7480', 'http://127.0.0.1:7480//']) assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: spelling })), kept, `the same endpoint spelt ${spelling}`);
    const onDefaultPort = { ...tuned, endpoint: 'http://rgw.lan' };
    assert.deepEqual(serverFields(cloudAfterChange(onDefaultPort, { endpoint: 'http://RGW.lan:80/' })), kept, 'the default port written out, the host in capitals');
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: 'http://localhost:7480' })), serverFields(defaultCloud('lake', 'http://localhost:7480')), 'another host name is another endpoint');
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: 'https://127.0.0.1:7480' })), serverFields(defaultCloud('lake', 'https://127.0.0.1:7480')), 'another scheme is another endpoint');
    assert.deepEqual(cloudAfterChange(tuned, { endpoint: ceph, bucket: 'other', prefix: 'x/' }), { ...tuned, bucket: 'other', prefix: 'x/' }, 'the fields given, and only those, change');
  });

  it('starts a different endpoint from its own defaults, keeping bucket, region and prefix', () => {
    const moved = cloudAfterChange(tuned, { endpoint: minio });
    assert.deepEqual(moved, { ...defaultCloud('lake', minio), region: 'eu-west-1', prefix: 'team/' });
    assert.equal('checksSignedPayload' in moved, false, "what was said of one server's checks is not said of another");
    const aws = cloudAfterChange(tuned, { endpoint: '' });
    assert.deepEqual(aws, { ...defaultCloud('lake'), region: 'eu-west-1', prefix: 'team/' });
    assert.equal(checksSignedPayload(aws), true, 'AWS itself checks');
  });

  it("keeps AWS's saved fields, the signed-payload answer too, while the endpoint stays AWS ('' or not given)", () => {
    const awsTuned = normaliseConfig({ cloud: { bucket: 'lake', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: false } }, 'test').cloud!;
    for (const change of [{ endpoint: '', bucket: 'lake', region: 'us-east-1', prefix: 'neurolake/' }, { prefix: 'other/' }]) {
      assert.deepEqual(serverFields(cloudAfterChange(awsTuned, change)), { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: false }, JSON.stringify(change));
    }
    assert.deepEqual(serverFields(cloudAfterChange(awsTuned, { endpoint: minio })), { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: undefined }, "a custom endpoint: its defaults");
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: '' })), { forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED', checksSignedPayload: undefined }, "AWS after a custom endpoint: AWS's defaults");
  });

  it("takes what the change sets over the saved value and over a new endpoint's defaults", () => {
    const set = { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: false } as const;
    assert.deepEqual(serverFields(cloudAfterChange(tuned, set)), set);
    assert.deepEqual(serverFields(cloudAfterChange(tuned, { endpoint: minio, forcePathStyle: false, checksSignedPayload: true })), { forcePathStyle: false, requestChecksumCalculation: 'WHEN_REQUIRED', checksSignedPayload: true });
  });

  it("starts a first cloud tier from its endpoint's defaults, and refuses one without a bucket", () => {
    assert.deepEqual(cloudAfterChange(undefined, { endpoint: minio, bucket: 'lake' }), defaultCloud('lake', minio));
    assert.deepEqual(cloudAfterChange(undefined, { bucket: 'lake', checksSignedPayload: false }), { ...defaultCloud('lake'), checksSignedPayload: false });
    assert.throws(() => cloudAfterChange(undefined, { endpoint: minio }), (error: unknown) => error instanceof StorageError && error.code === 'invalid-config' && /needs a bucket/.test(error.message));
  });
});
