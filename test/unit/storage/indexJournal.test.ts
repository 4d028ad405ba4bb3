// The storage index keeps its journal open between changes. Two indexes on one file (two
// processes) must still see each other's changes after either compacts, including when a
// compaction crashed after writing the new snapshot but before removing the old journal, which
// leaves the old journal's name in place for a holder of its handle to miss.
import assert from 'node:assert/strict';
import { link, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IndexStore, type IndexOp } from '../../../server/engines/storage/indexStore';
import type { ObjectRecord } from '../../../server/engines/storage/types';

function record(key: string): ObjectRecord {
  const at = new Date().toISOString();
  return { key, version: key, size: 1, sha256: '0'.repeat(64), created: at, lastAccess: at, accessCount: 0, hits: 0, copies: { local: {} }, history: [] };
}

const put = (store: IndexStore, key: string): Promise<void> => store.transact(() => ({ ops: [{ t: 'put', r: record(key) } satisfies IndexOp], result: undefined }));

async function keysOf(file: string): Promise<string[]> {
  const fresh = await IndexStore.open(file);
  try {
    return [...fresh.keys()];
  } finally {
    await fresh.close();
  }
}

describe('storage index journal', () => {
  it('follows another index that compacts, and appends to the generation that one started', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'nl-journal-')), 'index.json');
    const first = await IndexStore.open(file);
    const second = await IndexStore.open(file);
    try {
      await put(first, 'a');
      await second.refresh();
      assert.deepEqual([...second.keys()], ['a']);
      await first.compact();
      await put(second, 'b');
      await first.refresh();
      assert.deepEqual([...first.keys()], ['a', 'b']);
      await second.compact();
      await put(first, 'c');
      assert.deepEqual(await keysOf(file), ['a', 'b', 'c']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('sees a compaction whose old journal was never removed (a crash between the two)', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'nl-journal-')), 'index.json');
    const first = await IndexStore.open(file);
    const second = await IndexStore.open(file);
    try {
      await put(first, 'a');
      await second.refresh();
      const oldJournal = first.journalPath();
      // A second name for the old journal, put back after the compaction removes the first one:
      // the very file `second` holds open is named again, its size unchanged.
      await link(oldJournal, `${oldJournal}.kept`);
      await first.compact();
      await rename(`${oldJournal}.kept`, oldJournal);
      await put(second, 'b');
      assert.notEqual(second.journalPath(), oldJournal, 'the change went to the new generation');
      assert.deepEqual(await keysOf(file), ['a', 'b']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('cuts off a torn last line before appending, and keeps every acknowledged change', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'nl-journal-')), 'index.json');
    const store = await IndexStore.open(file);
    try {
      await put(store, 'a');
      // A writer killed mid-append: part of a line, never acknowledged.
      await writeFile(store.journalPath(), '{"t":"put","r":{"key":"tor', { flag: 'a' });
      await put(store, 'b');
      const lines = (await readFile(store.journalPath(), 'utf8')).split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 2);
      assert.deepEqual(await keysOf(file), ['a', 'b']);
    } finally {
      await store.close();
    }
  });
});
