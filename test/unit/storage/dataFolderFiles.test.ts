// The data folder's files hand-edited or damaged: the storage configuration, the pinned
// locations, the index journal and the access log. Storage opens, or refuses with a message
// naming the file and the problem; no acknowledged object is lost; nothing outside the data
// folder is touched; a damaged file is kept, never silently overwritten.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageEngine, StorageError, readStorageConfig } from '../../../server/engines/storage';
// The index on its own, to compact it as a long-lived server would.
import { IndexStore } from '../../../server/engines/storage/indexStore';

const scratch = mkdtempSync(join(tmpdir(), 'nl-datafiles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
function freshFolder(): string {
  folders++;
  const folder = join(scratch, `data-${folders}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

async function read(engine: StorageEngine, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  await engine.retrieve(key, new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
  return Buffer.concat(chunks).toString();
}

function journalOf(dataFolder: string): string {
  const name = readdirSync(join(dataFolder, 'storage')).find((file) => file.endsWith('.journal'));
  assert.ok(name, 'the index has a journal');
  return join(dataFolder, 'storage', name);
}

const invalidConfig = (pattern: RegExp) => (error: unknown) => error instanceof StorageError && error.code === 'invalid-config' && pattern.test(error.message);

describe('hand-edited storage configuration', () => {
  it('refuses a file that is not JSON or has a wrong field, naming the file and the field, and leaves it as it was', async () => {
    const cases: [string, RegExp][] = [
      ['{ "local": { "capacityGb": 10, }', /config\.json is not valid JSON/],
      ['{ "local": { "capacityGb": "ten" } }', /local\.capacityGb must be a number/],
      ['{ "local": { "capacityGb": -1 } }', /local\.capacityGb must be a number from 0/],
      ['{ "archive": { "storageClass": "TAPE" } }', /archive\.storageClass must be one of GLACIER/],
      ['{ "cloud": { "bucket": "b-1", "prefix": "../escape/" } }', /cloud\.prefix .*"\.\."/],
      ['{ "cloud": { "bucket": "b-1", "prefix": "a//b/" } }', /cloud\.prefix .*empty/],
      ['{ "local": { "path": "relative/tier" } }', /local\.path must be an absolute path/],
      ['[1, 2]', /the file must be an object/],
    ];
    for (const [text, pattern] of cases) {
      const dataFolder = freshFolder();
      mkdirSync(join(dataFolder, 'storage'));
      const file = join(dataFolder, 'storage', 'config.json');
      writeFileSync(file, text);
      await assert.rejects(StorageEngine.open({ dataFolder, env: {} }), (error: unknown) => {
        assert.ok(invalidConfig(pattern)(error), `${text}: ${String(error)}`);
        assert.ok((error as Error).message.includes(file) || /In .*config\.json/.test((error as Error).message), `names the file: ${(error as Error).message}`);
        return true;
      });
      assert.equal(readFileSync(file, 'utf8'), text, 'the file is kept as it was');
    }
    assert.deepEqual(await readStorageConfig(freshFolder()), DEFAULT_CONFIG, 'no file: the defaults');
  });
});

describe('hand-edited or damaged index journal', () => {
  it('skips lines that are not changes, or whose key or staged file is hostile, and touches nothing outside', async () => {
    const dataFolder = freshFolder();
    const outside = mkdtempSync(join(scratch, 'outside-'));
    const victim = join(outside, 'victim.txt');
    writeFileSync(victim, 'not yours');
    const warnings: string[] = [];
    let engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {}, onWarning: (message) => warnings.push(message) });
    await engine.store('kept', Buffer.from('kept'));
    const localRoot = engine.localRoot;
    await engine.close();
    const journal = journalOf(dataFolder);
    const record = (key: string, copies: object): string =>
      JSON.stringify({ t: 'put', r: { key, version: 'v', size: 9, sha256: '0'.repeat(64), created: '2024-01-01T00:00:00.000Z', lastAccess: '2024-01-01T00:00:00.000Z', accessCount: 0, hits: 0, copies, history: [] } });
    const kept = readFileSync(journal, 'utf8').split('\n')[0]!;
    appendFileSync(
      journal,
      [
        'null',
        '{"t":"put"}',
        '{"t":"del"}',
        '"just a string"',
        record('../../escape', { local: {} }),
        record('/etc/hostname', { local: {} }),
        record('staged-outside', { local: { staged: relative(localRoot, victim) } }),
        JSON.stringify({ t: 'intent', intent: { id: 'hostile', key: '../../victim.txt', local: true } }),
        JSON.stringify({ t: 'batch', ops: [null, { t: 'touch' }] }),
        kept,
        '',
      ].join('\n'),
    );
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {}, onWarning: (message) => warnings.push(message) });
    try {
      assert.deepEqual(engine.list().objects.map((object) => object.key), ['kept']);
      assert.equal(await read(engine, 'kept'), 'kept');
      assert.equal(readFileSync(victim, 'utf8'), 'not yours', 'the file outside the data folder is untouched');
      assert.ok(warnings.some((warning) => warning.includes(journal)), `a warning names the journal: ${warnings.join(' | ')}`);
      await engine.store('after', Buffer.from('after'));
    } finally {
      await engine.close();
    }
    assert.ok(existsSync(victim));
  });
});

describe('hand-edited pinned locations', () => {
  it('keeps a locations.json that is not JSON aside instead of writing over it, and says so', async () => {
    const dataFolder = freshFolder();
    const config = { ...DEFAULT_CONFIG, cloud: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', bucket: 'pinned', prefix: 'nl/', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } };
    let engine = await StorageEngine.open({ dataFolder, config, env: {} });
    await engine.store('kept', Buffer.from('kept'));
    await engine.close();
    const file = join(dataFolder, 'storage', 'locations.json');
    assert.ok(existsSync(file), 'the cloud tier was pinned');
    writeFileSync(file, '{ "cloud": "s3://somewhere/else/", oops');
    const warnings: string[] = [];
    engine = await StorageEngine.open({ dataFolder, config, env: {}, onWarning: (message) => warnings.push(message) });
    try {
      const aside = readdirSync(join(dataFolder, 'storage')).filter((name) => name.startsWith('locations.json.corrupt-'));
      assert.equal(aside.length, 1, `the damaged file is kept: ${readdirSync(join(dataFolder, 'storage')).join(', ')}`);
      assert.equal(readFileSync(join(dataFolder, 'storage', aside[0]!), 'utf8'), '{ "cloud": "s3://somewhere/else/", oops');
      assert.ok(warnings.some((warning) => warning.includes(file) && warning.includes(aside[0]!)), warnings.join(' | '));
      assert.equal(await read(engine, 'kept'), 'kept');
    } finally {
      await engine.close();
    }
  });
});

describe('damaged access log', () => {
  it('statistics and the access history skip lines that are torn, not entries, or huge', async () => {
    const dataFolder = freshFolder();
    let engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.store('kept', Buffer.from('kept'));
    await read(engine, 'kept');
    await engine.close();
    const log = join(dataFolder, 'storage', 'access.log');
    appendFileSync(log, `null\n5\n{"key":"kept"}\n{"at":"x","key":7,"bytes":"many","op":"read","tier":"local","hit":true}\n${'z'.repeat(3 * 1024 * 1024)}\n{"at":"2024-01-01T00:00:00.000Z","key":"torn`);
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    try {
      const history = await engine.accessHistory();
      assert.deepEqual(history.map((entry) => [entry.key, entry.op]), [['kept', 'write'], ['kept', 'read']]);
      const stats = await engine.stats();
      assert.equal(stats.objects, 1);
      await read(engine, 'kept');
      await engine.close();
      engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
      assert.deepEqual((await engine.accessHistory()).map((entry) => entry.op), ['write', 'read', 'read'], 'the next read is whole, not glued to the torn line');
    } finally {
      await engine.close();
    }
  });
});

describe('damaged index snapshot', () => {
  it('keeps the damaged snapshot aside and loses no object: those of the journal and the local files come back, old journals stay dead', async () => {
    const dataFolder = freshFolder();
    const indexFile = join(dataFolder, 'storage', 'index.json');
    const compact = async (): Promise<void> => {
      const index = await IndexStore.open(indexFile);
      await index.compact();
      await index.close();
    };
    let engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.store('in-snapshot/a', Buffer.from('aaa'));
    await engine.close();
    await compact();
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.store('zombie', Buffer.from('deleted before the damage'));
    await engine.close();
    // A journal of generation 1 left behind, as a crash between a compaction's rename and its cleanup leaves it.
    const leftover = readFileSync(`${indexFile}.1.journal`);
    await compact();
    writeFileSync(`${indexFile}.1.journal`, leftover);
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.delete('zombie');
    await engine.store('in-journal/b', Buffer.from('bbb'));
    await engine.close();

    writeFileSync(indexFile, '{"format":"neurolake-storage-index", "objects": [ {"key": "in-snap');
    const warnings: string[] = [];
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {}, onWarning: (message) => warnings.push(message) });
    try {
      const aside = readdirSync(join(dataFolder, 'storage')).filter((name) => name.startsWith('index.json.corrupt-'));
      assert.equal(aside.length, 1, 'the damaged snapshot is kept');
      assert.match(readFileSync(join(dataFolder, 'storage', aside[0]!), 'utf8'), /"key": "in-snap$/);
      assert.ok(warnings.some((warning) => warning.includes(indexFile) && warning.includes(aside[0]!)), warnings.join(' | '));
      assert.deepEqual(engine.list({ limit: 100 }).objects.map((object) => object.key).sort(), ['in-journal/b', 'in-snapshot/a'], 'every object comes back; the deleted one does not');
      assert.equal(await read(engine, 'in-snapshot/a'), 'aaa');
      assert.equal(await read(engine, 'in-journal/b'), 'bbb');
      assert.deepEqual((await engine.verify()).problems, []);
      await engine.store('after', Buffer.from('after'));
      await engine.close();
      // Compacting the new index climbs generations: the leftover journal of generation 1 must never be read as new.
      for (let round = 0; round < 3; round++) await compact();
      engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
      assert.deepEqual(engine.list({ limit: 100 }).objects.map((object) => object.key).sort(), ['after', 'in-journal/b', 'in-snapshot/a']);
    } finally {
      await engine.close();
    }
  });
});
