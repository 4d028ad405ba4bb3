// What a person notices when NeuroLake runs in a real VS Code: it activates, its server answers
// with the right version and data folder, its views and commands exist, a command runs, and the
// server comes back by itself after it crashes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import type { ServerStatus } from '../../server/protocol';
import { contributes, version } from '../../package.json';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'neurolake.neurolake';
const VIEWS = ['neurolake.catalog', 'neurolake.storage', 'neurolake.workloads'];

async function activate(): Promise<NeuroLakeApi> {
  const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** The API once its server is running (activation may return while it is still starting). */
async function running(api: NeuroLakeApi, ms: number, what: string): Promise<NeuroLakeApi> {
  // Checked and subscribed in the same tick, so no state change can slip in between.
  if (api.state !== 'running') await waitFor(api.onDidChangeState, (state) => state === 'running', ms, what);
  return api;
}

async function showStatus(): Promise<ServerStatus> {
  return await vscode.commands.executeCommand<ServerStatus>('neurolake.showStatus');
}

suite('NeuroLake in VS Code', () => {
  test('activates and its server is running', async () => {
    const api = await running(await activate(), 30_000, 'the server never reached "running" after activation');
    assert.equal(api.state, 'running');
  });

  test('the server answers with its version and data folder', async () => {
    const status = await showStatus();
    assert.equal(status.version, version);
    const home = process.env.NEUROLAKE_HOME;
    assert.ok(home, 'the harness sets NEUROLAKE_HOME to a temporary folder');
    assert.equal(path.resolve(status.dataFolder), path.resolve(home));
    assert.ok(
      status.engines.some((engine) => engine.name === 'dataFolder' && engine.state === 'ready'),
      `engine "dataFolder" is not ready: ${JSON.stringify(status.engines)}`,
    );
  });

  test('the Catalog, Storage and Workloads views exist', async () => {
    for (const view of VIEWS) await vscode.commands.executeCommand(`${view}.focus`);
  });

  test('every command in package.json is registered', async () => {
    const contributed = contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 5, `package.json contributes only ${contributed.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  test('the server restarts by itself after it is killed', async () => {
    const api = await activate();
    const before = await showStatus();
    const wentDown = waitFor(
      api.onDidChangeState,
      (state) => state !== 'running',
      20_000,
      `the state stayed "running" after the server (pid ${before.pid}) was killed`,
    );
    process.kill(before.pid, 'SIGKILL');
    await wentDown;
    await running(api, 30_000, 'the server did not come back to "running" after the crash');
    const after = await showStatus();
    assert.notEqual(after.pid, before.pid, 'showStatus answered with the pid of the killed server');
  });
});
