// `npm run test:vscode`: builds the extension and the integration suite (test/vscode), then runs
// the suite with @vscode/test-electron's runTests, whose "VS Code executable" is our code-server
// launcher (desktop VS Code cannot be downloaded here). Fresh workspace, profile and data folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { ensureCodeServer } from './codeServer.mjs';
import { withTimeout } from './deadline.mjs';

const repoRoot = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const suiteDir = join(repoRoot, 'test', 'vscode');
const outDir = join(repoRoot, 'out', 'test', 'vscode');
const launcher = fileURLToPath(new URL('./codeServerAsElectron.mjs', import.meta.url));
const INSTALL_TIMEOUT_MS = 5 * 60_000;

function fail(message) {
  console.error(`[test:vscode] ${message}`);
  process.exit(1);
}

/** The tests run against the current sources, so the extension is rebuilt (about a second). */
function buildExtension() {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) fail(`building the extension (node esbuild.mjs) failed with exit ${build.status}`);
}

/** One CommonJS file per entry (index + each *.test.ts); `vscode` and `mocha` come from the host. */
async function buildSuite() {
  rmSync(outDir, { recursive: true, force: true });
  const entries = readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: entries.map((f) => join(suiteDir, f)),
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

async function main() {
  const started = Date.now();
  buildExtension();
  await buildSuite().catch((error) => fail(`building test/vscode failed: ${error.message}`));
  // Installed here rather than in the launcher so a first-run install is visible and bounded.
  await withTimeout(ensureCodeServer(), INSTALL_TIMEOUT_MS, 'installing code-server took too long').catch((error) =>
    fail(error.message),
  );

  const scratch = mkdtempSync(join(tmpdir(), 'neurolake-test-vscode-'));
  const dirs = Object.fromEntries(['workspace', 'home', 'user-data', 'extensions'].map((d) => [d, join(scratch, d)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir);
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(outDir, 'index.js'),
      launchArgs: [dirs.workspace, `--user-data-dir=${dirs['user-data']}`, `--extensions-dir=${dirs.extensions}`, '--disable-extensions'],
      // The extension's data folder: fresh, so the tests see what a first-time user sees.
      extensionTestsEnv: { NEUROLAKE_HOME: dirs.home },
    });
  } catch (error) {
    fail(`${error.message}; workspace, data folder and VS Code logs kept in ${scratch}`);
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`[test:vscode] passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

await main();
