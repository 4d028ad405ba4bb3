// Hostile keys: refused with the rule they break, and nothing written outside the local tier.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageEngine, StorageError, validateKey } from '../../../server/engines/storage';

const refused = (key: string, pattern: RegExp) => (error: unknown) => error instanceof StorageError && error.code === 'invalid-key' && pattern.test(error.message);

describe('object keys', () => {
  it('accepts ordinary keys', () => {
    for (const key of ['datasets/sales_2024.parquet', 'a', 'ünïcode/データ.csv', 'with space/and.dots..txt', `${'x'.repeat(255)}/`.repeat(3) + 'y'.repeat(255)]) assert.equal(validateKey(key), key);
  });

  it('refuses each kind of hostile key, naming the problem', () => {
    assert.throws(() => validateKey('../etc/passwd'), refused('../etc/passwd', /"\.\." segment/));
    assert.throws(() => validateKey('a/../../b'), refused('', /"\.\." segment/));
    assert.throws(() => validateKey('/etc/passwd'), refused('', /absolute path/));
    assert.throws(() => validateKey('C:/Windows'), refused('', /absolute path/));
    assert.throws(() => validateKey('a\u0000b'), refused('', /NUL/));
    assert.throws(() => validateKey('a\nb'), refused('', /control character/));
    assert.throws(() => validateKey('x'.repeat(2048)), refused('', /2048 bytes of UTF-8; at most 1024/));
    assert.throws(() => validateKey('é'.repeat(600)), refused('', /1200 bytes/), 'the limit is in bytes, not characters');
    assert.throws(() => validateKey(''), refused('', /empty/));
    assert.throws(() => validateKey('a//b'), refused('', /empty segment/));
    assert.throws(() => validateKey('a\\..\\b'), refused('', /backslash/));
    assert.throws(() => validateKey('.neurolake-incoming/x'), refused('', /reserved/));
    assert.throws(() => validateKey(`a/${'n'.repeat(256)}`), refused('', /256 bytes; the local tier's file system allows at most 255 between slashes/), 'a name no file system can hold');
  });

  it('the engine refuses them too, and a symlink in the tier cannot lead a write outside it', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-keys-'));
    const outside = await mkdtemp(join(tmpdir(), 'nl-outside-'));
    const engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    try {
      for (const key of ['../escape', '/abs', 'nul\u0000', 'k'.repeat(2000), `long/${'n'.repeat(300)}`]) {
        await assert.rejects(engine.store(key, Buffer.from('x')), (error: unknown) => error instanceof StorageError && error.code === 'invalid-key');
      }
      mkdirSync(join(engine.localRoot, 'inside'), { recursive: true });
      symlinkSync(outside, join(engine.localRoot, 'inside', 'link'));
      await assert.rejects(engine.store('inside/link/planted.txt', Buffer.from('x')), refused('', /symbolic link .*outside the local tier/));
      symlinkSync(join(outside, 'target.txt'), join(engine.localRoot, 'file-link'));
      await assert.rejects(engine.store('file-link', Buffer.from('x')), refused('', /symbolic link/));
      assert.deepEqual(readdirSync(outside), [], 'nothing was written outside the local tier');
      assert.equal(engine.list().objects.length, 0);
    } finally {
      await engine.close();
    }
  });
});
