// A new user's first run of the real CLI, in its own process from an empty folder: a data folder
// that does not exist yet is made, one that is a file or on a read-only disk is refused in one
// line naming it and the cause.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = `file://${join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')}`;
const scratch = mkdtempSync(join(tmpdir(), 'nl-first-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as a user starts it: from an empty folder, with only the environment given. */
function neurolake(args: readonly string[], env: NodeJS.ProcessEnv): { code: number | null; out: string; err: string } {
  const cwd = mkdtempSync(join(scratch, 'cwd-'));
  const { NEUROLAKE_HOME: _home, HOME: _userHome, ...rest } = process.env;
  const result = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'server', 'cli.ts'), ...args], { cwd, env: { ...rest, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('a first run of the CLI', () => {
  it('storage ls and compute ls in a data folder that does not exist yet: empty, exit 0, the folder made', () => {
    const home = join(scratch, 'not-yet', 'nl');
    const storage = neurolake(['storage', 'ls'], { NEUROLAKE_HOME: home });
    assert.equal(storage.code, 0, storage.err);
    assert.match(storage.out, /no objects/);
    const compute = neurolake(['compute', 'ls'], { NEUROLAKE_HOME: home });
    assert.equal(compute.code, 0, compute.err);
    assert.match(compute.out, /No runs/);
    assert.ok(existsSync(join(home, 'storage')) && existsSync(join(home, 'compute')));
  });

  it('a data folder that is a file: one line naming the file, exit 1, the file untouched', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'mine');
    for (const args of [['storage', 'ls'], ['compute', 'ls']]) {
      const run = neurolake(args, { NEUROLAKE_HOME: file });
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.err}`);
      assert.equal(run.err.trim().split('\n').length, 1, run.err);
      assert.match(run.err, new RegExp(`${file} is a file, not a folder`), `${args.join(' ')}: ${run.err}`);
    }
    assert.equal(spawnSync('cat', [file], { encoding: 'utf8' }).stdout, 'mine');
  });

  it('a data folder on a read-only disk: one line saying so, exit 1', { skip: process.getuid?.() === 0 ? undefined : 'a read-only bind mount needs root' }, () => {
    const folder = join(scratch, 'read-only');
    mkdirSync(folder);
    assert.equal(spawnSync('mount', ['--bind', folder, folder]).status, 0);
    try {
      assert.equal(spawnSync('mount', ['-o', 'remount,ro,bind', folder]).status, 0);
      for (const args of [['storage', 'ls'], ['compute', 'ls']]) {
        const run = neurolake(args, { NEUROLAKE_HOME: join(folder, 'nl') });
        assert.equal(run.code, 1, `${args.join(' ')}: ${run.err}`);
        assert.match(run.err, new RegExp(`${folder} is on a read-only disk`), `${args.join(' ')}: ${run.err}`);
        assert.doesNotMatch(run.err, /ENOENT/);
      }
    } finally {
      spawnSync('umount', [folder]);
    }
  });
});
