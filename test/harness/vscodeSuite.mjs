// Runs a module inside a real VS Code extension host with NeuroLake loaded from this folder:
// builds the module's entries with esbuild, then calls @vscode/test-electron's runTests, whose
// "VS Code executable" is our code-server launcher (desktop VS Code cannot be downloaded here).
// Shared by the integration tests (test/vscode) and the activation benchmark (test/bench).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { ensureCodeServer } from './codeServer.mjs';
import { withTimeout } from './deadline.mjs';
import { startEmbeddedCloud } from './s3Services.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const launcher = fileURLToPath(new URL('./codeServerAsElectron.mjs', import.meta.url));
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** One CommonJS file per entry; `vscode` and `mocha` come from the extension host and node_modules. */
export async function buildEntries(entryPoints, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

/**
 * Runs `testsModule` (exports run()) in VS Code on a fresh workspace, profile and data folder.
 * Rejects with the reason; on failure the scratch folder (logs, screenshot) is kept and named.
 */
export async function runInVsCode({ testsModule, env = {} }) {
  // Installed here rather than in the launcher so a first-run install is visible and bounded.
  await withTimeout(ensureCodeServer(), INSTALL_TIMEOUT_MS, 'installing code-server took too long');
  const scratch = mkdtempSync(join(tmpdir(), 'neurolake-vscode-run-'));
  const dirs = Object.fromEntries(['workspace', 'home', 'user-data', 'extensions'].map((d) => [d, join(scratch, d)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir);
  // Storage has all three tiers, as after `npm start`: an embedded S3 server for the run.
  const cloud = await startEmbeddedCloud({ directory: join(scratch, 's3'), dataFolder: dirs.home });
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsModule,
      launchArgs: [dirs.workspace, `--user-data-dir=${dirs['user-data']}`, `--extensions-dir=${dirs.extensions}`, '--disable-extensions'],
      // The extension's data folder: fresh, so each run sees what a first-time user sees.
      extensionTestsEnv: { NEUROLAKE_HOME: dirs.home, ...cloud.env, NEUROLAKE_TEST_S3_ENDPOINT: cloud.endpoint, NEUROLAKE_TEST_S3_BUCKET: cloud.bucket, ...env },
    });
  } catch (error) {
    throw new Error(`${error.message}; workspace, data folder and VS Code logs kept in ${scratch}`);
  } finally {
    await cloud.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
}
