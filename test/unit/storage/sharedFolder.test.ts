// Two engines on one data folder (VS Code's server and the CLI, or two windows): an object one of
// them stored a moment ago is found by the other at once, without waiting for its next refresh.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageEngine, StorageError } from '../../../server/engines/storage';

describe('two engines on one data folder', () => {
  it('find each other\'s fresh stores in lookup, retrieve and move, and still say not found for what no one stored', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-shared-'));
    const server = await StorageEngine.open({ dataFolder, env: {} });
    const cli = await StorageEngine.open({ dataFolder, env: {} });
    try {
      await cli.store('runs/one.csv', Buffer.from('a,b\n'));
      assert.throws(() => server.stat('runs/one.csv'), (error: unknown) => error instanceof StorageError && error.code === 'not-found', 'stat answers from the index as last read');
      assert.equal((await server.lookup('runs/one.csv')).size, 4);
      await cli.store('runs/two.csv', Buffer.from('c\n'));
      const chunks: Buffer[] = [];
      const { Writable } = await import('node:stream');
      await server.retrieve('runs/two.csv', new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }));
      assert.equal(Buffer.concat(chunks).toString(), 'c\n');
      await cli.store('runs/three.csv', Buffer.from('d\n'));
      assert.deepEqual(await server.move('runs/three.csv', 'promote'), await cli.lookup('runs/three.csv'));
      await assert.rejects(server.lookup('runs/none.csv'), (error: unknown) => error instanceof StorageError && error.code === 'not-found');
    } finally {
      await cli.close();
      await server.close();
    }
  });
});
