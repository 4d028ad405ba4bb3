// `neurolake catalog …` when the disk misbehaves: a data folder on a real, tiny tmpfs that fills up
// or turns read-only. Whatever printed "Registered" is there afterwards; whatever failed said why in
// one line and exited non-zero.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Catalog, type CatalogEntry } from '../../server/engines/catalog';
import { runCaptured, type CliRun } from './support/cli';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from './support/tmpfs';

let disk: Tmpfs;
let file: string;
let logicFile: string;

function catalog(...argv: string[]): Promise<CliRun> {
  return runCaptured(['catalog', ...argv, '--catalog-file', file]);
}

describe('neurolake catalog on a disk that fills up', { skip: tmpfsUnavailable }, () => {
  beforeEach(() => {
    disk = mountTmpfs(1024 * 1024);
    file = join(disk.folder, 'nl', 'catalog.json');
    // The logic file lives off the small disk: only the catalog's own writes fill it.
    logicFile = `${disk.folder}-logic.json`;
    writeFileSync(logicFile, JSON.stringify({ source: 'raw.events', transformations: ['x'.repeat(60_000)], target: 'dw.events' }));
  });
  afterEach(() => {
    disk.unmount();
    rmSync(logicFile, { force: true });
  });

  it('25 registers of a 60 KB logic file: every "Registered" is kept, every failure exits 1 with one clear line', async () => {
    const registered: string[] = [];
    const failed: string[] = [];
    for (let n = 0; n < 25; n++) {
      const name = `big_${n}`;
      const run = await catalog('register', 'pipeline', '--name', name, '--logic-file', logicFile);
      if (/^Registered /.test(run.out)) {
        assert.equal(run.code, 0, `${name} printed "Registered" and then failed: ${run.err}`);
        registered.push(name);
        continue;
      }
      assert.equal(run.code, 1, `${name}: ${run.out}${run.err}`);
      assert.equal(run.out, '');
      const lines = run.err.trimEnd().split('\n');
      assert.equal(lines.length, 1, run.err);
      assert.match(lines[0]!, new RegExp(`^neurolake: The disk holding ${join(disk.folder, 'nl')} is full; the change was not saved`));
      failed.push(name);
    }
    assert.ok(failed.length > 0, 'a 1 MB disk cannot hold 25 entries of 60 KB');
    assert.ok(registered.length > 0);

    disk.resize(8 * 1024 * 1024);
    const listed = await catalog('list', '--json');
    assert.equal(listed.code, 0, listed.err);
    assert.equal(listed.err, '', 'nothing torn or damaged to report');
    const names = (JSON.parse(listed.out) as CatalogEntry[]).map((entry) => entry.name).sort();
    assert.deepEqual(names, [...registered].sort(), 'exactly the acknowledged registers');

    const again = await catalog('register', 'pipeline', '--name', 'after_growth', '--logic-file', logicFile);
    assert.equal(again.code, 0, again.err);
    const after = JSON.parse((await catalog('list', '--json')).out) as CatalogEntry[];
    assert.equal(after.length, registered.length + 1);
  });
});

describe('neurolake catalog on a read-only disk', { skip: tmpfsUnavailable }, () => {
  beforeEach(() => {
    disk = mountTmpfs(4 * 1024 * 1024);
    file = join(disk.folder, 'catalog.json');
  });
  afterEach(() => disk.unmount());

  it('list, get, export and template render read the catalog; a change fails with one line naming the folder', async () => {
    const template = ['register', 'template', '--name', 'by_day', '--body', 'SELECT * FROM {{ident table}}', '--var', 'table:identifier:required'];
    assert.equal((await catalog(...template)).code, 0);
    assert.equal((await catalog('register', 'pipeline', '--name', 'kept', '--logic', '{"source":"a"}')).code, 0);
    const before = readFileSync(file, 'utf8');
    disk.setReadOnly(true);
    try {
      const listed = await catalog('list', '--json');
      assert.equal(listed.code, 0, listed.err);
      assert.equal(listed.err, '');
      assert.deepEqual((JSON.parse(listed.out) as CatalogEntry[]).map((entry) => entry.name).sort(), ['by_day', 'kept']);
      const got = await catalog('get', 'kept', '--json');
      assert.equal(got.code, 0, got.err);
      assert.equal((JSON.parse(got.out) as CatalogEntry).name, 'kept');
      const exported = await catalog('export');
      assert.equal(exported.code, 0, exported.err);
      assert.equal((JSON.parse(exported.out) as { entries: unknown[] }).entries.length, 2);

      const rendered = await runCaptured(['template', 'render', 'by_day', '--var', 'table=orders', '--no-format', '--catalog-file', file]);
      assert.equal(rendered.code, 0, rendered.err);
      assert.equal(rendered.out, 'SELECT * FROM orders\n');
      assert.match(rendered.err, /^neurolake: warning: this use was not counted: The folder .* is on a read-only disk/);

      const engine = await Catalog.open({ file, owner: 'ana' });
      assert.deepEqual(engine.status(), { state: 'degraded', detail: `The catalog can be read but not changed: ${disk.folder} is on a read-only disk.` });
      await engine.close();

      const refused = await catalog('register', 'pipeline', '--name', 'refused', '--logic', '{"source":"b"}');
      assert.equal(refused.code, 1);
      assert.equal(refused.out, '');
      assert.equal(refused.err, `neurolake: The folder ${disk.folder} is on a read-only disk; the change was not saved and nothing else was changed.\n`);
    } finally {
      disk.setReadOnly(false);
    }
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing was written');
  });
});

describe('neurolake catalog after a crash that left the lock', () => {
  it('the next command takes the lock over and succeeds', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nl-cli-lock-'));
    file = join(folder, 'catalog.json');
    try {
      assert.equal((await catalog('register', 'pipeline', '--name', 'before_crash', '--logic', '{}')).code, 0);
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'common', 'fixtures', 'holdLock.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await once(child.stdout, 'data');
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.ok(lstatSync(`${file}.lock`).isSymbolicLink(), 'the killed process left its lock');
      const run = await catalog('register', 'pipeline', '--name', 'after_crash', '--logic', '{}');
      assert.equal(run.code, 0, run.err);
      assert.equal(run.err, '');
      assert.equal(existsSync(`${file}.lock`), false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('neurolake catalog with content that used to break it', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'nl-cli-content-'));
    file = join(folder, 'catalog.json');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('logic nested 5,000 levels deep exits 5 naming the field, not with a stack overflow', async () => {
    const deep = `${'{"step":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    writeFileSync(join(folder, 'deep.json'), deep);
    const run = await catalog('register', 'pipeline', '--name', 'deep', '--logic-file', join(folder, 'deep.json'));
    assert.equal(run.code, 5, run.err);
    assert.equal(run.err, 'neurolake: logic is nested more than 64 levels deep; flatten it.\n');
  });

  it('stats counts a tag named constructor', async () => {
    assert.equal((await catalog('register', 'pipeline', '--name', 'a', '--logic', '{}', '--tags', 'constructor,etl')).code, 0);
    const run = await catalog('stats', '--json');
    assert.equal(run.code, 0, run.err);
    assert.deepEqual((JSON.parse(run.out) as { by_tag: unknown }).by_tag, { constructor: 1, etl: 1 });
    const text = await catalog('stats');
    assert.match(text.out, /constructor\s+1/);
  });

  it('register refuses a template that can never render, as render would, with exit 5', async () => {
    const run = await catalog('register', 'template', '--name', 't', '--body', 'SELECT * FROM {{> other}}');
    assert.equal(run.code, 5);
    assert.match(run.err, /^neurolake: body can never render: /);
  });
});
