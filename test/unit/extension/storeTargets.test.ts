// Where stored files go: keys from prefixes and paths (odd names kept, never rewritten), the place
// a clicked or dropped-on row stands for, and the move that takes an object to a tier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { folderOf, keyFor, moveToward, normalizePrefix, parseUriList, targetOf } from '../../../src/commands/storeTargets';
import type { StorageObject } from '../../../server/protocol';
// The engine's own check, which every StorageStoreRequest goes through.
import { validateKey } from '../../../server/engines/storage';

const object = (key: string, tier: StorageObject['tier'], tiers: StorageObject['tiers'] = [tier]): StorageObject => ({
  key,
  size: 10,
  sha256: '0'.repeat(64),
  created: '2026-01-01T00:00:00.000Z',
  lastAccess: '2026-01-01T00:00:00.000Z',
  accessCount: 0,
  hits: 0,
  tier,
  tiers,
  uploadPending: false,
  history: [],
});

describe('keys of stored files', () => {
  it('puts a file under the prefix by its name', () => {
    assert.equal(keyFor('', ['sales.csv']), 'sales.csv');
    assert.equal(keyFor('datasets/2024', ['sales.csv']), 'datasets/2024/sales.csv');
    assert.equal(keyFor('datasets/2024/', ['sales.csv']), 'datasets/2024/sales.csv');
  });

  it('keeps a folder’s path from its own name down, joined with /', () => {
    assert.equal(keyFor('raw/', ['exports', 'jan', 'a.parquet']), 'raw/exports/jan/a.parquet');
  });

  it('tidies a typed prefix: no leading or doubled slashes, one at the end', () => {
    assert.equal(normalizePrefix('/a//b/'), 'a/b/');
    assert.equal(normalizePrefix('   '.trim()), '');
    assert.equal(normalizePrefix('///'), '');
  });

  it('keeps hostile names as they are, so the engine refuses them with its reason instead of storing them under a key nobody chose', () => {
    const refusals: [string[], RegExp][] = [
      [['..'], /"\.\." segment/],
      [['bad\nname.csv'], /control character/],
      [['back\\slash'], /backslash/],
      [['nul\u0000'], /NUL/],
      [['x'.repeat(2048)], /2050 bytes of UTF-8; at most 1024/],
    ];
    for (const [segments, why] of refusals) {
      const key = keyFor('a/', segments);
      assert.equal(key, `a/${segments.join('/')}`);
      assert.throws(() => validateKey(key), why, `the engine took ${JSON.stringify(key)}`);
    }
    // Names that are odd but fine stay as they are and are taken.
    for (const name of ['with space.csv', 'ünïcødé.parquet', '#hash?.txt', '-dash']) assert.equal(validateKey(keyFor('', [name])), name);
  });

  it('refuses a file without a name', () => {
    assert.throws(() => keyFor('a/', []), /needs a name/);
  });

  it('finds the folder of a key', () => {
    assert.equal(folderOf('a/b/c.csv'), 'a/b/');
    assert.equal(folderOf('top.csv'), '');
  });
});

describe('what a row stands for as a place to store into', () => {
  it('a tier row: that tier, at the top', () => {
    assert.deepEqual(targetOf({ type: 'tier', tier: 'cloud' }), { tier: 'cloud', prefix: '' });
  });

  it('a folder row: its tier and prefix', () => {
    assert.deepEqual(targetOf({ type: 'folder', tier: 'local', prefix: 'datasets' }), { tier: 'local', prefix: 'datasets/' });
  });

  it('an object row: the folder it is in', () => {
    assert.deepEqual(targetOf({ type: 'object', tier: 'archive', object: object('cold/2019/x.csv', 'archive') }), { tier: 'archive', prefix: 'cold/2019/' });
  });

  it('the empty view or the palette: the engine chooses the tier', () => {
    assert.deepEqual(targetOf(undefined), { tier: undefined, prefix: '' });
  });
});

describe('the move that takes an object to a tier', () => {
  it('promotes to Local from Cloud or Archive', () => {
    assert.equal(moveToward(object('k', 'cloud'), 'local'), 'promote');
    assert.equal(moveToward(object('k', 'archive'), 'local'), 'promote');
  });

  it('demotes from Local to Cloud, restores from Archive to Cloud', () => {
    assert.equal(moveToward(object('k', 'local', ['local', 'cloud']), 'cloud'), 'demote');
    assert.equal(moveToward(object('k', 'archive'), 'cloud'), 'restore');
  });

  it('archives from Local or Cloud', () => {
    assert.equal(moveToward(object('k', 'local'), 'archive'), 'archive');
    assert.equal(moveToward(object('k', 'cloud'), 'archive'), 'archive');
  });

  it('does nothing for an object served from the tier already', () => {
    for (const tier of ['local', 'cloud', 'archive'] as const) assert.equal(moveToward(object('k', tier), tier), undefined);
  });
});

describe('text/uri-list of a drop', () => {
  it('one URI a line, comments and blank lines dropped, CRLF accepted', () => {
    assert.deepEqual(parseUriList('# from the Explorer\r\nfile:///w/a.csv\r\n\r\nfile:///w/b%20c.csv\r\n'), ['file:///w/a.csv', 'file:///w/b%20c.csv']);
  });
});
