// The rule that keeps a changed cloud or archive place from losing objects: which tiers a new
// configuration moves, which objects would be left with no reachable copy, what the user is told,
// and what an object with a local copy forgets so it is uploaded to the new place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, defaultCloud, type ObjectRecord } from '../../../server/engines/storage';
import { describeRefusedMove, locationsOf, movedTiers, strandedBy, withoutCopiesIn } from '../../../server/engines/storage/location';

const verified = { etag: '"e"', verifiedAt: '2026-01-01T00:00:00.000Z' };

function record(key: string, copies: ObjectRecord['copies']): ObjectRecord {
  return { key, version: 'v1', size: 1, sha256: 'x', created: '', lastAccess: '', accessCount: 0, hits: 0, copies, history: [] };
}

describe('storage tier locations', () => {
  const old = locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('lake', 'http://127.0.0.1:9000') });

  it('name the endpoint, bucket and prefix of each remote tier, and nothing without a cloud tier', () => {
    assert.deepEqual(old, { cloud: 's3://lake/neurolake/objects/ at http://127.0.0.1:9000', archive: 's3://lake/neurolake/archive/ at http://127.0.0.1:9000' });
    assert.deepEqual(locationsOf(DEFAULT_CONFIG), {});
    const archiveElsewhere = locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('lake'), archive: { ...DEFAULT_CONFIG.archive, bucket: 'cold' } });
    assert.equal(archiveElsewhere.archive, 's3://cold/neurolake/archive/');
  });

  it('count a new bucket, endpoint or prefix and a removed cloud tier as moves; an archive class change is none', () => {
    assert.deepEqual(movedTiers(old, locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('other', 'http://127.0.0.1:9000') })), ['cloud', 'archive']);
    assert.deepEqual(movedTiers(old, locationsOf({ ...DEFAULT_CONFIG, cloud: { ...defaultCloud('lake', 'http://127.0.0.1:9000'), prefix: 'team/' } })), ['cloud', 'archive']);
    assert.deepEqual(movedTiers(old, locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('lake', 'http://127.0.0.1:9000'), archive: { ...DEFAULT_CONFIG.archive, bucket: 'cold' } })), ['archive']);
    assert.deepEqual(movedTiers(old, {}), ['cloud', 'archive']);
    assert.deepEqual(movedTiers(old, locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('lake', 'http://127.0.0.1:9000'), archive: { ...DEFAULT_CONFIG.archive, storageClass: 'DEEP_ARCHIVE' } })), []);
    assert.deepEqual(movedTiers({}, old), [], 'a first cloud tier moves nothing');
  });

  it('strand only objects with no local copy and a copy in a moved tier, and say how many and what to do', () => {
    const objects = [
      record('only/cloud', { cloud: verified }),
      record('both/local', { local: {}, cloud: verified }),
      record('only/archive', { archive: { ...verified, storageClass: 'GLACIER' } }),
      record('only/local', { local: {} }),
    ];
    assert.deepEqual(strandedBy(['cloud'], objects), ['only/cloud']);
    assert.deepEqual(strandedBy(['cloud', 'archive'], objects), ['only/cloud', 'only/archive']);
    const next = locationsOf({ ...DEFAULT_CONFIG, cloud: defaultCloud('other') });
    const message = describeRefusedMove(old, next, ['cloud'], ['only/cloud']) ?? '';
    assert.match(message, /from s3:\/\/lake\/neurolake\/objects\/ at http:\/\/127\.0\.0\.1:9000 to s3:\/\/other\/neurolake\/objects\//);
    assert.match(message, /1 object has its only copy there \(only\/cloud\)/);
    assert.match(message, /Promote them to the local tier first/);
    assert.match(describeRefusedMove(old, {}, ['cloud'], ['a', 'b', 'c', 'd']) ?? '', /to nowhere \(removed\).*4 objects have their only copies there \(a, b, c, …\)/);
    assert.equal(describeRefusedMove(old, next, ['cloud'], []), undefined);
  });

  it('make an object with a local copy forget its copies at the moved place, so the queue uploads it again', () => {
    const both = record('both', { local: {}, cloud: verified, archive: { ...verified, storageClass: 'GLACIER' } });
    assert.deepEqual(withoutCopiesIn(['cloud'], both)?.copies, { local: {}, archive: { ...verified, storageClass: 'GLACIER' } });
    assert.deepEqual(withoutCopiesIn(['cloud', 'archive'], { ...both, restoring: { requestedAt: '', expectedAt: '', thenMoveToCloud: true } }), { ...both, copies: { local: {} } });
    assert.equal(withoutCopiesIn(['cloud'], record('local', { local: {} })), undefined);
  });
});
