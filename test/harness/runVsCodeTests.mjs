// `npm run test:vscode`: builds the extension and the integration suites (test/vscode), then runs
// each suite inside a real VS Code of its own (see vscodeSuite.mjs): test/vscode/*.test.ts in a
// trusted workspace, test/vscode/untrusted/ in one VS Code opened in Restricted Mode, and
// test/vscode/cloudFaults/ with a data folder whose cloud tier the tests may move behind a proxy.
// Arguments pick test files by part of their path (`node test/harness/runVsCodeTests.mjs untrusted`);
// a suite with no picked file is not started.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { buildEntries, repoRoot, runInVsCode } from './vscodeSuite.mjs';

const suiteDir = join(repoRoot, 'test', 'vscode');
const SUITES = [
  { name: 'trusted', dir: suiteDir, env: {} },
  { name: 'untrusted', dir: join(suiteDir, 'untrusted'), env: { NEUROLAKE_VSCODE_UNTRUSTED: '1' } },
  { name: 'cloudFaults', dir: join(suiteDir, 'cloudFaults'), env: {} },
];

function fail(message) {
  console.error(`[test:vscode] ${message}`);
  process.exit(1);
}

const picks = process.argv.slice(2);
const picked = (file) => picks.length === 0 || picks.some((pick) => relative(suiteDir, file).includes(pick));
const runs = SUITES.map((suite) => ({
  ...suite,
  tests: existsSync(suite.dir) ? readdirSync(suite.dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(suite.dir, f)).filter(picked) : [],
})).filter((suite) => suite.tests.length > 0);
if (runs.length === 0) fail(`no test file under test/vscode matches ${picks.join(' or ')}`);

const started = Date.now();
// The tests run against the current sources, so the extension is rebuilt (about a second).
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail(`building the extension (node esbuild.mjs) failed with exit ${build.status}`);
for (const suite of runs) {
  // Beside one another at one depth: suites find test/fixtures from their own folder (../../../test).
  const outDir = join(repoRoot, 'out', 'test', suite.name === 'trusted' ? 'vscode' : `vscode-${suite.name}`);
  // Flat: index.js runs the *.test.js beside it, wherever in test/vscode their sources are.
  const entries = Object.fromEntries([join(suiteDir, 'index.ts'), ...suite.tests].map((file) => [basename(file, '.ts'), file]));
  await buildEntries(entries, outDir).catch((error) => fail(`building test/vscode (${suite.name}) failed: ${error.message}`));
  console.log(`[test:vscode] ${suite.name}: ${suite.tests.map((file) => relative(suiteDir, file)).join(', ')}`);
  await runInVsCode({ testsModule: join(outDir, 'index.js'), env: suite.env }).catch((error) => fail(`${suite.name}: ${error.message}`));
}
console.log(`[test:vscode] passed in ${Math.round((Date.now() - started) / 1000)} s`);
