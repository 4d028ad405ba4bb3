// The `neurolake` CLI as a script or CI job uses it: --help, status --json, one-line errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      { name: 'storage', state: 'ready', detail: 'local tier only: no cloud tier configured' },
      { name: 'compute', state: 'ready', detail: 'No cluster is configured: workloads run on this machine only.' },
      { name: 'cost', state: 'ready' },
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

describe('neurolake status and neurolake catalog open the same catalog file', () => {
  const ENV = 'NEUROLAKE_CATALOG_FILE';
  const dataFolder = join(scratch, 'shared-data');
  let count = 0;
  const freshFile = (): string => join(scratch, `shared-${++count}`, 'team.json');

  /** Runs with $NEUROLAKE_CATALOG_FILE set (or unset), restoring it afterwards. */
  async function withCatalogVariable<T>(value: string | undefined, work: () => Promise<T>): Promise<T> {
    const before = process.env[ENV];
    if (value === undefined) delete process.env[ENV];
    else process.env[ENV] = value;
    try {
      return await work();
    } finally {
      if (before === undefined) delete process.env[ENV];
      else process.env[ENV] = before;
    }
  }

  const statusOf = async (...argv: string[]): Promise<{ catalogFile: string; engines: { name: string; state: string; detail?: string }[] }> => {
    const run = await cli('--data-folder', dataFolder, ...argv, 'status', '--json');
    return JSON.parse(run.out) as { catalogFile: string; engines: { name: string; state: string; detail?: string }[] };
  };
  const names = async (...argv: string[]): Promise<string[]> => {
    const run = await cli('--data-folder', dataFolder, ...argv, 'catalog', 'list', '--kind', 'business-logic', '--json');
    assert.equal(run.code, 0, run.err);
    return (JSON.parse(run.out) as { name: string }[]).map((entry) => entry.name);
  };
  const register = async (name: string, ...argv: string[]): Promise<void> => {
    const run = await cli('--data-folder', dataFolder, ...argv, 'catalog', 'register', 'business-logic', '--name', name, '--expression', 'true', '--domain', 'sales');
    assert.equal(run.code, 0, run.err);
  };

  it('by default both use <data folder>/catalog.json', async () => {
    await withCatalogVariable(undefined, async () => {
      assert.equal((await statusOf()).catalogFile, join(dataFolder, 'catalog.json'));
    });
  });

  it('--catalog-file reaches status as it reaches catalog, before or after the subcommand', async () => {
    const file = freshFile();
    await withCatalogVariable(undefined, async () => {
      await register('flagged_rule', '--catalog-file', file);
      assert.deepEqual(await names('--catalog-file', file), ['flagged_rule']);
      assert.equal((await statusOf('--catalog-file', file)).catalogFile, file);
      const after = await cli('--data-folder', dataFolder, 'status', '--catalog-file', file, '--json');
      assert.equal((JSON.parse(after.out) as { catalogFile: string }).catalogFile, file);
    });
  });

  it('$NEUROLAKE_CATALOG_FILE reaches status as it reaches catalog; a flag wins over it', async () => {
    const fromVariable = freshFile();
    const fromFlag = freshFile();
    await withCatalogVariable(fromVariable, async () => {
      await register('variable_rule');
      assert.deepEqual(await names(), ['variable_rule']);
      assert.equal((await statusOf()).catalogFile, fromVariable);
      assert.equal((await statusOf('--catalog-file', fromFlag)).catalogFile, fromFlag);
      assert.deepEqual(await names('--catalog-file', fromFlag), []);
    });
  });

  it('status reports the catalog at that file, not another: a folder standing there fails it', async () => {
    const file = freshFile();
    mkdirSync(file, { recursive: true });
    await withCatalogVariable(file, async () => {
      const run = await cli('--data-folder', dataFolder, 'status', '--json');
      assert.equal(run.code, 1);
      const status = JSON.parse(run.out) as { engines: { name: string; state: string }[] };
      assert.deepEqual(status.engines.map((engine) => `${engine.name}:${engine.state}`), ['dataFolder:ready', 'catalog:failed', 'storage:ready', 'compute:ready', 'cost:ready']);
    });
  });
});
