// Where the extension and the CLI put their data, and what a user sees when that fails.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkDataFolder, resolveDataFolder } from '../../../server/runtime';

const ctx = { env: {}, home: '/home/ana', base: '/work/project' };
const scratch = mkdtempSync(join(tmpdir(), 'nl-datafolder-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveDataFolder', () => {
  it('defaults to ~/.neurolake', () => {
    assert.equal(resolveDataFolder('', ctx), '/home/ana/.neurolake');
  });
  it('uses NEUROLAKE_HOME when the setting is empty', () => {
    assert.equal(resolveDataFolder(' ', { ...ctx, env: { NEUROLAKE_HOME: '/srv/nl' } }), '/srv/nl');
  });
  it('the setting wins over NEUROLAKE_HOME', () => {
    assert.equal(resolveDataFolder('/data/x', { ...ctx, env: { NEUROLAKE_HOME: '/srv/nl' } }), '/data/x');
  });
  it('expands ~ and resolves relative paths against the workspace', () => {
    assert.equal(resolveDataFolder('~/lake', ctx), '/home/ana/lake');
    assert.equal(resolveDataFolder('~', ctx), '/home/ana');
    assert.equal(resolveDataFolder('.neurolake', ctx), '/work/project/.neurolake');
    assert.equal(resolveDataFolder('../shared/../lake', ctx), '/work/lake');
  });
});

describe('checkDataFolder', () => {
  it('creates a missing folder and leaves no probe behind', async () => {
    const folder = join(scratch, 'nested', 'data');
    assert.equal(await checkDataFolder(folder), undefined);
    assert.ok(existsSync(folder));
    assert.deepEqual(readdirSync(folder), []);
  });
  it('names the folder and the cause when a file stands in the way', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'keep me');
    const problem = await checkDataFolder(join(file, 'data'));
    assert.match(problem ?? '', /Cannot use data folder .*a-file\/data: a file stands where the folder should be \(ENOTDIR\)/);
  });
});
