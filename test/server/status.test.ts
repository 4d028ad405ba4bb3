// The real server over a real LSP connection: start-up, the status request, live settings, exit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { version } from '../../package.json';
import {
  CatalogListRequest,
  DidChangeSettingsNotification,
  DidChangeStatusNotification,
  StatusRequest,
  type ServerStatus,
} from '../../server/protocol';
import { settingsWith, startServer, withServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('NeuroLake server over LSP', () => {
  it('initializes, answers status for its data folder, and exits cleanly on shutdown/exit', async () => {
    const dataFolder = join(scratch, 'data');
    const server = await startServer({ settings: settingsWith(dataFolder) });
    try {
      assert.deepEqual(server.initializeResult.serverInfo, { name: 'NeuroLake', version });

      const status = await server.request(StatusRequest);
      assert.equal(status.version, version);
      assert.equal(status.pid, server.process.pid);
      assert.equal(status.dataFolder, dataFolder);
      assert.deepEqual(status.engines, [
        { name: 'dataFolder', state: 'ready' },
        { name: 'catalog', state: 'ready' },
        { name: 'storage', state: 'ready', detail: 'local tier only: no cloud tier configured' },
        { name: 'compute', state: 'ready', detail: 'No cluster is configured: workloads run on this machine only.' },
        { name: 'cost', state: 'ready' },
      ]);
      assert.ok(existsSync(dataFolder), 'the server creates its data folder');
    } finally {
      // This test checks the exit code itself; on a failure above, still never leak the process.
      const code = await server.stop();
      assert.equal(code, 0, server.stderr());
    }
  });

  it('resolves a relative data folder against the workspace folder', async () => {
    await withServer({ settings: settingsWith('lake'), workspaceFolder: scratch }, async (server) => {
      const status = await server.request(StatusRequest);
      assert.equal(status.dataFolder, join(scratch, 'lake'));
    });
  });

  it('reports an unusable data folder as a failed engine with the cause, and stays up', async () => {
    const blocker = join(scratch, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    await withServer({ settings: settingsWith(join(blocker, 'data')) }, async (server) => {
      const status = await server.request(StatusRequest);
      assert.equal(status.engines[0]?.state, 'failed');
      assert.match(status.engines[0]?.detail ?? '', /a file stands where the folder should be/);
      assert.equal(status.engines[1]?.state, 'failed', 'the catalog lives in that folder');
      assert.match(status.engines[1]?.detail ?? '', /The catalog lives in the data folder, which cannot be used/);
      assert.equal(await server.request(StatusRequest).then(() => 'answers'), 'answers', 'the server stays up');
    });
  });

  it('moves to a new data folder when the setting changes, and says so', async () => {
    await withServer({ settings: settingsWith(join(scratch, 'first')) }, async (server) => {
      await server.request(StatusRequest);
      const second = join(scratch, 'second');
      const announced = new Promise<ServerStatus>((resolve) => {
        server.onNotification(DidChangeStatusNotification, (status) => {
          if (status.dataFolder === second && status.engines.every((engine) => engine.state !== 'starting')) resolve(status);
        });
      });
      await server.notify(DidChangeSettingsNotification, settingsWith(second));
      assert.equal((await announced).engines[0]?.state, 'ready');
      assert.equal((await server.request(StatusRequest)).dataFolder, second);
    });
  });

  it('opens the catalog file NEUROLAKE_CATALOG_FILE names, as the CLI does; the setting wins over it', async () => {
    const teamFile = join(scratch, 'team', 'catalog.json');
    const cli = spawnSync(
      process.execPath,
      ['dist/cli.js', 'catalog', 'register', 'business-logic', '--name', 'team_rule', '--expression', 'true', '--domain', 'sales'],
      { env: { ...process.env, NEUROLAKE_CATALOG_FILE: teamFile }, encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);

    await withServer(
      { settings: settingsWith(join(scratch, 'env-data')) },
      async (server) => {
        const status = await server.request(StatusRequest);
        assert.equal(status.catalogFile, teamFile);
        const rules = await server.request(CatalogListRequest, { kind: 'businessLogic' });
        assert.deepEqual(rules.map((entry) => entry.name), ['team_rule'], 'the entry the CLI registered');

        const ownFile = join(scratch, 'own', 'catalog.json');
        const moved = new Promise<ServerStatus>((resolve) => {
          server.onNotification(DidChangeStatusNotification, (next) => {
            if (next.catalogFile === ownFile && next.engines.every((engine) => engine.state !== 'starting')) resolve(next);
          });
        });
        const settings = settingsWith(join(scratch, 'env-data'));
        await server.notify(DidChangeSettingsNotification, { ...settings, catalog: { file: ownFile } });
        assert.equal((await moved).catalogFile, ownFile);
        assert.deepEqual(await server.request(CatalogListRequest, { kind: 'businessLogic' }), []);
      },
      { NEUROLAKE_CATALOG_FILE: teamFile },
    );
  });
});
