// A running storage engine follows storage/config.json as the CLI or another window rewrites it:
// a new capacity and price preset apply at the next refresh, a cloud tier removed leaves the local
// tier working, and a moved local folder waits for a reopen rather than losing sight of its files.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageEngine, defaultCloud, writeStorageConfig } from '../../../server/engines/storage';

const GB = 1024 ** 3;

describe('storage configuration changes while running', () => {
  it('apply capacity and prices at the next refresh, and a removed cloud tier leaves local storage working', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-reload-'));
    // Nothing listens on port 9: the cloud tier is configured but never needed here.
    await writeStorageConfig(dataFolder, { ...DEFAULT_CONFIG, cloud: defaultCloud('lake', 'http://127.0.0.1:9') });
    const changes: unknown[] = [];
    const engine = await StorageEngine.open({ dataFolder, env: {} });
    engine.onDidChange((change) => changes.push(change));
    try {
      assert.match(engine.status().detail ?? '', /cloud s3:\/\/lake\/neurolake\//);
      await writeStorageConfig(dataFolder, { ...DEFAULT_CONFIG, local: { capacityGb: 3, watermark: 0.5 }, prices: { preset: 'seed' } });
      assert.equal(await engine.refresh(), true);
      assert.equal(engine.config.local.capacityGb, 3);
      assert.equal(engine.prices.preset, 'seed');
      assert.equal(engine.config.cloud, undefined);
      assert.match(engine.status().detail ?? '', /local tier only/);
      assert.ok(changes.length > 0, 'listeners hear of the new state');
      assert.equal((await engine.stats()).tiers.local.capacityBytes, 3 * GB);
      const stored = await engine.store('datasets/a.csv', Buffer.from('id\n1\n'));
      assert.deepEqual(stored.tiers, ['local']);
      assert.equal(await engine.refresh(), false, 'an unchanged file changes nothing');
    } finally {
      await engine.close();
    }
  });

  it('keep the local tier where it is until a reopen when local.path moves, and say so', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-reload-'));
    const warnings: string[] = [];
    const engine = await StorageEngine.open({ dataFolder, env: {}, onWarning: (message) => warnings.push(message) });
    try {
      await engine.store('kept.txt', Buffer.from('kept'));
      await writeStorageConfig(dataFolder, { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: join(dataFolder, 'elsewhere') } });
      await engine.refresh();
      assert.ok(warnings.some((warning) => /local\.path.*restart the server/.test(warning)), warnings.join('\n'));
      assert.equal(engine.config.local.path, undefined);
      assert.deepEqual(engine.stat('kept.txt').tiers, ['local']);
    } finally {
      await engine.close();
    }
  });
});
