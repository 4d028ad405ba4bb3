// The runtime opens every registered engine, reports each one's state in words a user can act
// on, keeps the others up when one fails, follows engines' own changes, and closes them all.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngineUnavailableError, resolveLocation, Runtime, type EngineStatus, type RuntimeStatus } from '../../../server/runtime';

const scratch = mkdtempSync(join(tmpdir(), 'nl-runtime-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const context = { env: {}, home: scratch, base: scratch };
let count = 0;
function freshFolder(): string {
  count += 1;
  return join(scratch, `data-${count}`);
}

/** An engine as future engines are written: static open, status, close, onDidChange. */
class Counter {
  closed = false;
  private state: EngineStatus = { state: 'ready' };
  private readonly listeners = new Set<(event: { count: number }) => void>();

  static async open(options: { start: number }): Promise<Counter> {
    if (options.start < 0) throw new Error('The counter cannot start below zero.');
    return new Counter();
  }

  status(): EngineStatus {
    return this.state;
  }

  degrade(detail: string): void {
    this.state = { state: 'degraded', detail };
    for (const listener of this.listeners) listener({ count: 1 });
  }

  onDidChange(listener: (event: { count: number }) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('Runtime', () => {
  it('opens the data folder check, the catalog and compute, and reports them ready', async () => {
    const runtime = await Runtime.open({ location: resolveLocation({ dataFolder: freshFolder(), catalogFile: '' }, context) });
    try {
      assert.deepEqual(runtime.status().engines, [
        { name: 'dataFolder', state: 'ready' },
        { name: 'catalog', state: 'ready' },
        { name: 'storage', state: 'ready', detail: 'local tier only: no cloud tier configured' },
        { name: 'compute', state: 'ready', detail: 'No cluster is configured: workloads run on this machine only.' },
        { name: 'cost', state: 'ready' },
      ]);
      assert.ok(runtime.engine('catalog').list({ kind: 'template' }).length > 0, 'the built-in templates are there');
    } finally {
      await runtime.close();
    }
  });

  it('keeps the data folder up when the catalog cannot open, and says why when the catalog is asked for', async () => {
    const folder = freshFolder();
    const catalogFile = join(folder, 'a-folder.json');
    mkdirSync(catalogFile, { recursive: true });
    const runtime = await Runtime.open({ location: resolveLocation({ dataFolder: folder, catalogFile }, context) });
    try {
      const [dataFolder, catalog] = runtime.status().engines;
      assert.deepEqual(dataFolder, { name: 'dataFolder', state: 'ready' });
      assert.equal(catalog?.state, 'failed');
      assert.ok((catalog?.detail ?? '').length > 0, 'the failure has a reason');
      assert.deepEqual(runtime.failures().map((engine) => engine.name), ['catalog']);
      assert.throws(() => runtime.engine('catalog'), (error: unknown) => error instanceof EngineUnavailableError && error.message === catalog?.detail);
    } finally {
      await runtime.close();
    }
  });

  it('opens a catalog kept outside an unusable data folder', async () => {
    const blocker = join(scratch, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const catalogFile = join(freshFolder(), 'catalog.json');
    const runtime = await Runtime.open({ location: resolveLocation({ dataFolder: join(blocker, 'data'), catalogFile }, context) });
    try {
      const [dataFolder, catalog] = runtime.status().engines;
      assert.equal(dataFolder?.state, 'failed');
      assert.match(dataFolder?.detail ?? '', /a file stands where the folder should be/);
      assert.deepEqual(catalog, { name: 'catalog', state: 'ready' });
    } finally {
      await runtime.close();
    }
  });

  it('runs any engine written to the contract: one failing leaves the others up, changes reach the status', async () => {
    let opened: Counter | undefined;
    const engines = {
      catalog: { open: () => Counter.open({ start: -1 }) },
      storage: { open: async () => (opened = await Counter.open({ start: 0 })) },
      compute: { open: () => Counter.open({ start: 2 }) },
    };
    const runtime = await Runtime.open({ location: resolveLocation({ dataFolder: freshFolder(), catalogFile: '' }, context), engines });
    assert.deepEqual(runtime.status().engines, [
      { name: 'catalog', state: 'failed', detail: 'The counter cannot start below zero.' },
      { name: 'storage', state: 'ready' },
      { name: 'compute', state: 'ready' },
    ]);
    const storage: Counter = runtime.engine('storage');
    assert.equal(storage, opened);

    const reported = new Promise<RuntimeStatus>((resolve) => runtime.onDidChangeStatus(resolve));
    const changed = new Promise<{ count: number }>((resolve) => runtime.onDidChangeEngine('storage', resolve));
    storage.degrade('The bucket is out of reach.');
    assert.deepEqual((await reported).engines[1], { name: 'storage', state: 'degraded', detail: 'The bucket is out of reach.' });
    assert.deepEqual(await changed, { count: 1 });

    await runtime.close();
    assert.ok(storage.closed, 'closing the runtime closes its engines');
    assert.throws(() => runtime.engine('compute'), EngineUnavailableError, 'a closed runtime hands out no engine');
  });

  it('opens only the engines a caller names', async () => {
    const runtime = await Runtime.open({ location: resolveLocation({ dataFolder: freshFolder(), catalogFile: '' }, context), only: ['catalog'] });
    try {
      assert.deepEqual(runtime.status().engines, [{ name: 'catalog', state: 'ready' }]);
      assert.throws(() => runtime.engine('dataFolder'), /not open in this process/);
    } finally {
      await runtime.close();
    }
  });
});

describe('resolveLocation', () => {
  const at = (env: Record<string, string>) => ({ env, home: '/home/ana', base: '/work/project' });

  it('puts the catalog in the data folder unless something chose another file', () => {
    assert.deepEqual(resolveLocation({ dataFolder: '', catalogFile: '' }, at({})), {
      dataFolder: '/home/ana/.neurolake',
      catalogFile: '/home/ana/.neurolake/catalog.json',
      catalogInDataFolder: true,
    });
  });

  it('uses NEUROLAKE_CATALOG_FILE when no setting or flag names one, relative to the base', () => {
    const location = resolveLocation({ dataFolder: '', catalogFile: '' }, at({ NEUROLAKE_CATALOG_FILE: 'team/catalog.json' }));
    assert.equal(location.catalogFile, '/work/project/team/catalog.json');
    assert.equal(location.catalogInDataFolder, false);
  });

  it('a setting or flag wins over NEUROLAKE_CATALOG_FILE', () => {
    const location = resolveLocation({ dataFolder: '', catalogFile: '/srv/mine.json' }, at({ NEUROLAKE_CATALOG_FILE: '/srv/env.json' }));
    assert.equal(location.catalogFile, '/srv/mine.json');
  });
});
