// `npm run test:vscode`: builds the extension and the integration suite (test/vscode), then runs
// the suite inside a real VS Code (see vscodeSuite.mjs).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildEntries, repoRoot, runInVsCode } from './vscodeSuite.mjs';

const suiteDir = join(repoRoot, 'test', 'vscode');
const outDir = join(repoRoot, 'out', 'test', 'vscode');

function fail(message) {
  console.error(`[test:vscode] ${message}`);
  process.exit(1);
}

const started = Date.now();
// The tests run against the current sources, so the extension is rebuilt (about a second).
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail(`building the extension (node esbuild.mjs) failed with exit ${build.status}`);
const entries = readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
await buildEntries(entries.map((f) => join(suiteDir, f)), outDir).catch((error) => fail(`building test/vscode failed: ${error.message}`));
await runInVsCode({ testsModule: join(outDir, 'index.js') }).catch((error) => fail(error.message));
console.log(`[test:vscode] passed in ${Math.round((Date.now() - started) / 1000)} s`);
