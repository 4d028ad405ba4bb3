// Configure Cloud Tier's question whether the server checks signed payloads, without VS Code: the
// two answers and their words, the one preselected for an unchanged and for a changed endpoint,
// and what is saved when a caller gives the answers without this one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageCloudTarget } from '../../../server/protocol';
import { SIGNED_PAYLOAD_ITEMS, answerOf, givenChecksSignedPayload, preselectedChecksSignedPayload } from '../../../src/commands/signedPayloadChoice';

const MINIO = 'http://127.0.0.1:9000';
const CEPH = 'http://127.0.0.1:7480';

function configured(endpoint: string | undefined, checksSignedPayload: boolean): StorageCloudTarget {
  return { ...(endpoint ? { endpoint } : {}), region: 'us-east-1', bucket: 'lake', prefix: 'neurolake/', archiveClass: 'GLACIER', checksSignedPayload };
}

describe('the signed-payload answers', () => {
  it('name the servers of each side and what NeuroLake does then, one sentence each', () => {
    const [checks, compares] = SIGNED_PAYLOAD_ITEMS;
    assert.deepEqual([checks?.value, compares?.value], ['checks', 'compares']);
    assert.equal(checks?.detail, "The server checks each request's signed SHA-256 (AWS S3, Ceph RGW, MinIO).");
    assert.equal(compares?.detail, 'The server may not check (s3rver, others): NeuroLake compares MD5s and ETags itself.');
    assert.deepEqual([answerOf(true), answerOf(false)], ['checks', 'compares']);
  });
});

describe('the preselected answer', () => {
  it('is the value in force when the endpoint is the configured one, both ways', () => {
    assert.equal(preselectedChecksSignedPayload(MINIO, configured(MINIO, true)), true);
    assert.equal(preselectedChecksSignedPayload(` ${MINIO} `, configured(MINIO, false)), false);
  });

  it("is the new endpoint's default when the endpoint changed: a custom endpoint is not assumed to check", () => {
    assert.equal(preselectedChecksSignedPayload(CEPH, configured(MINIO, true)), false);
    assert.equal(preselectedChecksSignedPayload(MINIO, configured(undefined, true)), false, 'from AWS to a custom endpoint');
    assert.equal(preselectedChecksSignedPayload(MINIO, undefined), false, 'no cloud tier yet');
  });

  it('is what the connection test saw at this endpoint, before the last answer; neither counts for another endpoint', () => {
    const answered = { endpoint: MINIO, checks: false };
    assert.equal(preselectedChecksSignedPayload(MINIO, configured(MINIO, true), undefined, answered), false, 'the last answer, going Back');
    assert.equal(preselectedChecksSignedPayload(MINIO, configured(MINIO, false), { endpoint: MINIO, checks: true }, answered), true, 'the test saw it check');
    assert.equal(preselectedChecksSignedPayload(CEPH, configured(MINIO, true), { endpoint: MINIO, checks: true }, { endpoint: MINIO, checks: true }), false);
  });
});

describe('what is saved for answers given without it', () => {
  it('is the value given, for any endpoint', () => {
    assert.equal(givenChecksSignedPayload(MINIO, false, configured(MINIO, true), true), false);
    assert.equal(givenChecksSignedPayload('', false, undefined, undefined), false);
  });

  it('is what the test saw, else the value in force for the same endpoint, else the default (unset)', () => {
    assert.equal(givenChecksSignedPayload(MINIO, undefined, configured(MINIO, false), true), true);
    assert.equal(givenChecksSignedPayload(MINIO, undefined, configured(MINIO, true), undefined), true);
    assert.equal(givenChecksSignedPayload(CEPH, undefined, configured(MINIO, true), undefined), undefined, 'another endpoint');
    assert.equal(givenChecksSignedPayload('', undefined, configured(undefined, false), true), undefined, "AWS: its default, not asked");
  });
});
