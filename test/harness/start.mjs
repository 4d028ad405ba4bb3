// `npm start` (after the build): opens a real VS Code with NeuroLake loaded from this folder, like
// F5 in an extension project. Desktop VS Code when `code` is on PATH; otherwise code-server (VS Code
// in the browser), whose address is printed. `npm start -- <folder>` opens that folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION } from './codeServerInstall.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';

const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));
// A profile of its own that survives restarts (settings, open editors), kept out of git.
const stateDir = join(repoRoot, '.vscode-test', 'start');
// Not the repo (its own sources would be the workspace) and not the data folder (NeuroLake's):
// an empty folder to play in, unless a folder is given.
const workspace = resolve(process.argv[2] ?? join(stateDir, 'workspace'));

function desktopCode() {
  return spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** Desktop VS Code loads the extension from source with --extensionDevelopmentPath. */
function startDesktop(code) {
  console.log(`[start] opening VS Code (${code}) on ${workspace} with NeuroLake from ${repoRoot}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 1));
}

/**
 * code-server has no --extensionDevelopmentPath flag ("Unknown option"); its workbench takes the
 * same setting from the `payload` in the page address, so the printed address loads the extension
 * from source and reloading the page picks up a rebuild.
 */
async function startBrowser() {
  const server = await startCodeServer({
    workspace,
    userDataDir: join(stateDir, 'user-data'),
    extensionsDir: join(stateDir, 'extensions'),
    port: process.env.NEUROLAKE_PORT ? Number(process.env.NEUROLAKE_PORT) : undefined,
    // A person's session: terminals opened in it should see their usual XDG folders.
    isolateHome: false,
  });
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repoRoot });
  console.log(
    [
      '',
      `NeuroLake is running in code-server ${CODE_SERVER_VERSION} (VS Code in the browser). Open:`,
      '',
      `    ${url}`,
      '',
      `Workspace: ${workspace}`,
      `After a rebuild (npm run build, or npm run watch), reload the page. Ctrl-C stops everything.`,
      `code-server log: ${server.logFile}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping code-server…');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const code = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited (${code}); log at ${server.logFile}`);
    process.exit(1);
  }
}

mkdirSync(workspace, { recursive: true });
const code = desktopCode();
if (code) startDesktop(code);
else
  await startBrowser().catch((error) => {
    console.error(`[start] ${error.message}`);
    process.exit(1);
  });
