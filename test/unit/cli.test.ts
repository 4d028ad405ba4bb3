// The `neurolake` CLI as a script or CI job uses it: --help, status --json, one-line errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { version } from '../../package.json';
import { runCaptured, type CliRun } from './support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (...argv: string[]): Promise<CliRun> => runCaptured(argv);

describe('neurolake CLI', () => {
  it('--help lists the status command', async () => {
    const { code, out } = await cli('--help');
    assert.equal(code, 0);
    assert.match(out, /Usage: neurolake/);
    assert.match(out, /status/);
  });

  it('status --json reports the data folder and a ready engine', async () => {
    const dataFolder = join(scratch, 'data');
    const { code, out } = await cli('--data-folder', dataFolder, 'status', '--json');
    assert.equal(code, 0);
    const status = JSON.parse(out) as { version: string; dataFolder: string; engines: { name: string; state: string }[] };
    assert.equal(status.version, version);
    assert.equal(status.dataFolder, dataFolder);
    assert.deepEqual(status.engines, [
      { name: 'dataFolder', state: 'ready' },
      { name: 'catalog', state: 'ready' },
    ]);
  });

  it('status exits 1 with a one-line error when the data folder is unusable', async () => {
    const file = join(scratch, 'file');
    writeFileSync(file, '');
    const { code, err } = await cli('--data-folder', join(file, 'x'), 'status');
    assert.equal(code, 1);
    assert.equal(err.trim().split('\n').length, 1);
    assert.match(err, /^neurolake: Cannot use data folder .*ENOTDIR/);
  });

  it('an unknown command exits non-zero and says so', async () => {
    const { code, err } = await cli('bogus');
    assert.notEqual(code, 0);
    assert.match(err, /unknown command 'bogus'/);
  });
});
