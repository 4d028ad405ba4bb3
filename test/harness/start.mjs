// `npm start` (after the build): opens a real VS Code with NeuroLake loaded from this folder, like
// F5 in an extension project. Desktop VS Code when `code` is on PATH; otherwise code-server (VS Code
// in the browser), whose address is printed. `npm start -- <folder>` opens that folder.
// Storage has all three tiers without an account: an embedded S3 server (s3rver, on loopback, in
// this harness and never in the extension) is the cloud and archive tier of a data folder of its
// own, and a first run fills a demo workspace, stores its datasets on each tier and runs a few
// small workloads on them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, modify } from 'jsonc-parser';
import { CODE_SERVER_VERSION } from './codeServerInstall.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { startEmbeddedCloud } from './s3Services.mjs';
import { runDemoWorkloads, seedDemoStorage, writeDemoWorkspace } from './startDemo.mjs';

const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));
// A profile of its own that survives restarts (settings, open editors), kept out of git.
const stateDir = join(repoRoot, '.vscode-test', 'start');
// Not the repo (its own sources would be the workspace) and not the data folder (NeuroLake's):
// an empty folder to play in, unless a folder is given.
const demoWorkspace = join(stateDir, 'workspace');
const workspace = resolve(process.argv[2] ?? demoWorkspace);
// NeuroLake's data folder for these sessions (catalog, storage index, local tier) and the embedded
// S3 server's files: both kept, so what a user stored is there next time.
const dataFolder = join(stateDir, 'data');
const s3Folder = join(stateDir, 's3');
const userDataDir = join(stateDir, 'user-data');

/** Points neurolake.dataFolder at the demo data folder in the profile's settings, keeping everything else in the file. */
function useDataFolderSetting() {
  const file = join(userDataDir, 'User', 'settings.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
  const edits = modify(text, ['neurolake.dataFolder'], dataFolder, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
  if (edits.length > 0) writeFileSync(file, applyEdits(text, edits));
}

/** The embedded cloud tier and the demo; resolves to the cloud and the environment VS Code gets. */
async function startStorage() {
  const port = process.env.NEUROLAKE_S3_PORT ? Number(process.env.NEUROLAKE_S3_PORT) : 0;
  const cloud = await startEmbeddedCloud({ directory: s3Folder, dataFolder, port });
  // The credentials of s3rver reach the extension's server and terminals through the AWS default
  // chain; NEUROLAKE_HOME makes the CLI in those terminals use the same data folder.
  const env = { ...cloud.env, NEUROLAKE_HOME: dataFolder };
  try {
    if (writeDemoWorkspace(demoWorkspace)) console.log(`[start] wrote the demo workspace (templates/, data/) in ${demoWorkspace}`);
    const lines = seedDemoStorage({ cli: join(repoRoot, 'dist', 'cli.js'), workspace: demoWorkspace, dataFolder, env });
    for (const line of lines) console.log(`[start] storage: ${line}`);
  } catch (error) {
    // The editor is still worth opening; the message says which demo step failed.
    console.error(`[start] the demo datasets were not all stored: ${error.message}`);
  }
  try {
    const lines = runDemoWorkloads({ cli: join(repoRoot, 'dist', 'cli.js'), workspace: demoWorkspace, dataFolder, env });
    for (const line of lines) console.log(`[start] compute: ${line}`);
  } catch (error) {
    console.error(`[start] the demo workloads did not all run: ${error.message}`);
  }
  return { cloud, env };
}

function storageLines(cloud) {
  return [
    `Storage: the cloud and archive tiers are an embedded s3rver at ${cloud.endpoint} (bucket ${cloud.bucket}, files in ${s3Folder}).`,
    `Data folder: ${dataFolder} (neurolake.dataFolder in this profile; NEUROLAKE_HOME in its terminals).`,
  ];
}

function desktopCode() {
  return spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/**
 * Desktop VS Code loads the extension from source with --extensionDevelopmentPath; --wait keeps
 * this process (and the embedded cloud) up until that window closes.
 */
async function startDesktop(code) {
  const { cloud, env } = await startStorage();
  console.log(`[start] opening VS Code (${code}) on ${workspace} with NeuroLake from ${repoRoot}`);
  for (const line of storageLines(cloud)) console.log(`[start] ${line}`);
  const child = spawn(code, ['--wait', `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit', env: { ...process.env, ...env } });
  const stop = async (status) => {
    await cloud.stop();
    process.exit(status);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  child.on('exit', (status) => void stop(status ?? 1));
}

/**
 * code-server has no --extensionDevelopmentPath flag ("Unknown option"); its workbench takes the
 * same setting from the `payload` in the page address, so the printed address loads the extension
 * from source and reloading the page picks up a rebuild.
 */
async function startBrowser() {
  const { cloud, env } = await startStorage();
  let server;
  try {
    server = await startCodeServer({
      workspace,
      userDataDir,
      extensionsDir: join(stateDir, 'extensions'),
      port: process.env.NEUROLAKE_PORT ? Number(process.env.NEUROLAKE_PORT) : undefined,
      env,
      // A person's session: terminals opened in it should see their usual XDG folders.
      isolateHome: false,
    });
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  // The settings file exists now (code-server writes its defaults on first start); the workbench follows changes to it.
  useDataFolderSetting();
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repoRoot });
  console.log(
    [
      '',
      `NeuroLake is running in code-server ${CODE_SERVER_VERSION} (VS Code in the browser). Open:`,
      '',
      `    ${url}`,
      '',
      `Workspace: ${workspace}`,
      ...storageLines(cloud),
      `After a rebuild (npm run build, or npm run watch), reload the page. Ctrl-C stops everything.`,
      `code-server log: ${server.logFile}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping code-server and the embedded s3rver…');
    await server.stop();
    await cloud.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const code = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited (${code}); log at ${server.logFile}`);
    await cloud.stop();
    process.exit(1);
  }
}

mkdirSync(workspace, { recursive: true });
const code = desktopCode();
await (code ? startDesktop(code) : startBrowser()).catch((error) => {
  console.error(`[start] ${error.message}`);
  process.exit(1);
});
