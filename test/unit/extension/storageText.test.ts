// The words of the storage commands: the presigned URL's lifetime, Delete's confirmation, the
// summary after a move of several objects, and the statistics and verify reports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageObject, StorageStats } from '../../../server/protocol';
import { deleteQuestion, describeSeconds, moveSummary, parseExpiry, statsMarkdown, verifyMarkdown } from '../../../src/commands/storageText';

function object(key: string, tiers: StorageObject['tiers'], size = 2048): StorageObject {
  return { key, size, sha256: '0'.repeat(64), created: '2026-01-01T00:00:00.000Z', lastAccess: '2026-01-01T00:00:00.000Z', accessCount: 0, hits: 0, tier: tiers[0]!, tiers, uploadPending: false, history: [] };
}

describe('a presigned URL lifetime', () => {
  it('reads seconds, minutes, hours and days', () => {
    assert.deepEqual(['90s', '15m', '1h', '7d', '3600', ' 2 H '].map(parseExpiry), [{ seconds: 90 }, { seconds: 900 }, { seconds: 3600 }, { seconds: 604_800 }, { seconds: 3600 }, { seconds: 7200 }]);
  });

  it('refuses what is not a duration, shorter than a minute or longer than a week, saying why', () => {
    assert.match((parseExpiry('soon') as { error: string }).error, /duration such as 90s/);
    assert.match((parseExpiry('30s') as { error: string }).error, /At least 60 seconds/);
    assert.match((parseExpiry('8d') as { error: string }).error, /At most 7 days/);
  });

  it('is named in words', () => {
    assert.equal(describeSeconds(3600), '1 hour');
    assert.equal(describeSeconds(604_800), '7 days');
    assert.equal(describeSeconds(90), '90 seconds');
  });
});

describe("Delete's confirmation", () => {
  it('names the copies of one object and says none remains', () => {
    const { message, detail } = deleteQuestion([object('a/b.csv', ['local', 'cloud'])]);
    assert.equal(message, 'Delete a/b.csv?');
    assert.match(detail, /^All 2 copies \(Local and Cloud\) will be deleted; no other copy of it remains/);
    assert.match(deleteQuestion([object('c', ['archive'])]).detail, /^Its only copy \(Archive\)/);
  });

  it('lists each of several objects with its copies', () => {
    const { message, detail } = deleteQuestion([object('a', ['local']), object('b', ['cloud'])]);
    assert.equal(message, 'Delete 2 objects (4 KB)?');
    assert.match(detail, /a: Local\nb: Cloud/);
  });
});

describe('the summary of a move', () => {
  it('counts what moved and names what failed with its reason', () => {
    const text = moveSummary('demote', [object('a', ['cloud']), object('b', ['cloud'])], [{ key: 'c', message: 'The cloud tier is unreachable.' }], []);
    assert.equal(text, '2 objects demoted to the cloud tier. 1 failed: c: The cloud tier is unreachable.');
    assert.equal(moveSummary('promote', [object('a', ['local', 'cloud'])], [], []), 'a promoted to the local tier.');
  });
});

describe('the statistics page', () => {
  it('shows the hit rate, the saving with egress avoided, each tier and the prices with their date', () => {
    const stats: StorageStats = {
      objects: 3,
      bytes: 3072,
      hits: 3,
      misses: 1,
      cache_hit_rate: 0.75,
      estimated_monthly_cost_saved_usd: 1.5,
      egress_avoided_usd: 0.27,
      monthly_cost_usd: 0.85,
      monthly_cost_all_cloud_usd: 2.35,
      tiers: {
        local: { objects: 2, bytes: 2048, monthlyCostUsd: 0.5, capacityBytes: 1024 ** 3 },
        cloud: { objects: 1, bytes: 1024, monthlyCostUsd: 0.35 },
        archive: { objects: 0, bytes: 0, monthlyCostUsd: 0 },
      },
      uploadsPending: 0,
      restoring: 0,
      prices: { preset: 'aws', asOf: '2026-01-15' },
    };
    const text = statsMarkdown(stats);
    for (const part of ['Hit rate: **75.0%** (3 of 4 reads', 'saving against keeping everything in the cloud: **$1.50**, of which egress avoided: $0.27', '| Local | 2 | 2 KB of 1 GB | $0.50 |', '| Cloud | 1 | 1 KB | $0.35 |', '`aws` preset, as of 2026-01-15']) {
      assert.ok(text.includes(part), `lacks "${part}":\n${text}`);
    }
  });
});

describe('the verify report', () => {
  it('lists each problem and orphan, and says when there is none', () => {
    assert.match(verifyMarkdown({ checked: 4, problems: [], orphans: [] }), /Checked 4 objects\.\n\nEvery copy matches its checksum/);
    const text = verifyMarkdown({ checked: 2, problems: [{ key: 'a', tier: 'cloud', problem: 'checksum differs' }], orphans: ['stray.bin'] });
    assert.ok(text.includes('| `a` | Cloud | checksum differs |'), text);
    assert.ok(text.includes('- `stray.bin`') && text.includes('Nothing was deleted'), text);
  });
});
