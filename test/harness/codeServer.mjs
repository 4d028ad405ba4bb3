// Starts and stops an isolated code-server (real VS Code 1.100, workbench served to a browser) for
// the integration tests, the UI tests and `npm start`. Installation lives in codeServerInstall.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pollUntil } from './deadline.mjs';
import { killGroupOnExit, logTail, stopProcessGroup } from './processes.mjs';
import { ensureCodeServer } from './codeServerInstall.mjs';

export { ensureCodeServer } from './codeServerInstall.mjs';

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 60_000;

// Quiet, predictable workbench: no welcome page, tips, update or telemetry prompts, no trust
// dialog, no recommendations; what is left on screen is what the extension put there.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.empty.hint': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
};

/** A port nobody listens on right now (code-server fails loudly if it is taken in between). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment VS Code would get from a terminal: without an enclosing `npm run`'s variables,
 *  and without VSCODE_IPC_HOOK_CLI, which makes code-server hand the folder to another instance. */
function cleanEnv(extra) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'VSCODE_IPC_HOOK_CLI'),
  );
  return { ...env, ...extra };
}

/**
 * Where code-server (heartbeat, coder-logs), VS Code's native modules (device id) and its IPC
 * sockets (vscode-ipc-*.sock, vscode-git-*.sock) would otherwise go: ~/.local/share, ~/.cache and
 * /tmp, left behind after every run. Inside the throwaway profile instead.
 */
function homeUnder(userDataDir) {
  const dirs = {
    XDG_DATA_HOME: join(userDataDir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(userDataDir, 'xdg', 'cache'),
    TMPDIR: join(userDataDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

// A workspace that is not trusted, as a person sees a folder they have not trusted yet: Workspace
// Trust on, no start-up question (nobody answers it), so VS Code opens it in Restricted Mode.
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * The config file code-server is started with and, given `settingsOverrides` ({} for none), the
 * profile's settings. Installing a .vsix passes none, so the start that follows writes them.
 */
function writeIsolatedConfig(userDataDir, port, settingsOverrides) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const config = join(userDataDir, 'code-server.yaml');
  // Always passed with --config, so code-server never reads or writes ~/.config/code-server.
  writeFileSync(config, `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);
  const settings = join(userDataDir, 'User', 'settings.json');
  // Kept when present: `npm start` reuses its profile and a person may have changed settings.
  if (settingsOverrides !== undefined && !existsSync(settings)) writeFileSync(settings, `${JSON.stringify({ ...DEFAULT_SETTINGS, ...settingsOverrides }, null, 2)}\n`);
  return config;
}

/**
 * Starts code-server on a free loopback port with its own config, user data and extensions
 * folders, and resolves once GET /healthz answers. `stop()` ends it and everything it started.
 * `isolateHome: false` (npm start) leaves code-server's own files in the user's home as usual.
 * `trusted: false` opens the workspace untrusted (Restricted Mode) instead of with trust disabled.
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, port, env = {}, args = [], isolateHome = true, trusted = true }) {
  const codeServer = await ensureCodeServer();
  port ??= await freePort();
  const config = writeIsolatedConfig(userDataDir, port, trusted ? {} : UNTRUSTED_SETTINGS);
  mkdirSync(extensionsDir, { recursive: true });
  const logFile = join(userDataDir, 'code-server.log');
  const out = openSync(logFile, 'a');
  const child = spawn(
    codeServer,
    [
      ...['--bind-addr', `${HOST}:${port}`, '--auth', 'none', '--config', config],
      ...['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      ...args,
      ...(workspace ? [workspace] : []),
    ],
    // Its own process group, so stop() reaches the VS Code server, extension host and our server.
    { env: cleanEnv({ ...(isolateHome ? homeUnder(userDataDir) : {}), ...env }), stdio: ['ignore', out, out], detached: true },
  );
  closeSync(out);
  const forget = killGroupOnExit(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://${HOST}:${port}/`;
  const stop = async () => {
    await stopProcessGroup(child);
    forget();
  };

  const gaveUp = new AbortController();
  exited.then((code) =>
    gaveUp.abort(new Error(`code-server exited (${code}) before answering /healthz: ${logTail(logFile)}`)),
  );
  try {
    await pollUntil(
      async () => (await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) })).ok,
      { timeoutMs: STARTUP_TIMEOUT_MS, message: `code-server did not answer ${url}healthz`, signal: gaveUp.signal },
    );
  } catch (error) {
    await stop();
    throw new Error(`code-server start failed: ${error.message}; log at ${logFile}`);
  }
  return { url, port, stop, logFile, exited };
}

/** Installs a packaged .vsix into `extensionsDir`, as `code --install-extension` would. */
export async function installExtension({ vsix, extensionsDir, userDataDir }) {
  const codeServer = await ensureCodeServer();
  const config = writeIsolatedConfig(userDataDir, 0);
  const result = spawnSync(
    codeServer,
    ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { env: cleanEnv(homeUnder(userDataDir)), encoding: 'utf8', timeout: 60_000 },
  );
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} into code-server failed: ${output.split('\n').slice(-3).join(' | ') || result.error?.message}`);
  }
}

/** A `vscode-remote://` URI for a server-side path, as the web workbench expects in its payload. */
export function remoteUri(server, path) {
  return `vscode-remote://${HOST}:${server.port}${encodeURI(path)}`;
}

/**
 * The workbench URL opening `folder`, with VS Code's `payload` hook: extensionDevelopmentPath loads
 * an extension from source (like F5), extensionTestsPath runs a test module in the extension host.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [['skipWelcome', 'true']];
  for (const path of [extensionDevelopmentPath ?? []].flat()) payload.push(['extensionDevelopmentPath', remoteUri(server, path)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
  const query = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  return `${server.url}?${query}`;
}
