// `npm run test:e2e`: packages the extension as a user would get it (.vsix, production build), then
// runs the UI tests in test/e2e (node:test) against code-server in headless chromium. Arguments
// pick test files by part of their name (`node test/harness/runE2e.mjs compute`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './codeServer.mjs';
import { withTimeout } from './deadline.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const e2eDir = join(repoRoot, 'test', 'e2e');
// The cost suite first writes four months of records through the engines (about a minute); on a
// busy 2-core machine the seven suites together took over eight minutes.
const TESTS_TIMEOUT_MS = Number(process.env.NEUROLAKE_E2E_TIMEOUT_MS ?? 15 * 60_000);

function fail(message) {
  console.error(`[test:e2e] ${message}`);
  process.exit(1);
}

/** `vsce package` runs vscode:prepublish (the production build) and applies .vscodeignore. */
function packageVsix(out) {
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  // stdin closed: a vsce question (e.g. "LICENSE not found, continue?") fails instead of hanging.
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (result.status !== 0) {
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /ERROR|Error|error/.test(l));
    fail(`vsce package failed: ${(lines.at(-1) ?? result.error?.message ?? `exit ${result.status}`).trim()}`);
  }
}

/** Runs the test files with node:test's spec reporter; resolves to its exit code. */
function runTests(vsix) {
  const picks = process.argv.slice(2);
  const files = readdirSync(e2eDir)
    .filter((f) => f.endsWith('.test.mjs') && (picks.length === 0 || picks.some((pick) => f.includes(pick))))
    .map((f) => join(e2eDir, f));
  if (files.length === 0) fail(`no test file in test/e2e matches ${picks.join(' or ')}`);
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NEUROLAKE_E2E_VSIX: vsix },
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return withTimeout(exited, TESTS_TIMEOUT_MS, 'the UI tests did not finish').catch((error) => {
    child.kill('SIGTERM'); // node:test then runs the after() hooks, which stop code-server
    throw error;
  });
}

async function main() {
  const started = Date.now();
  await withTimeout(ensureCodeServer(), TESTS_TIMEOUT_MS, 'installing code-server took too long').catch((e) => fail(e.message));
  // Old screenshots would pass for this run's; every run writes its own.
  rmSync(join(e2eDir, 'artifacts'), { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'neurolake-vsix-'));
  const vsix = join(scratch, 'neurolake.vsix');
  packageVsix(vsix);
  console.log(`[test:e2e] packaged ${vsix} in ${Math.round((Date.now() - started) / 1000)} s`);
  const code = await runTests(vsix)
    .finally(() => rmSync(scratch, { recursive: true, force: true }))
    .catch((e) => fail(e.message));
  console.log(`[test:e2e] screenshots in ${join(e2eDir, 'artifacts')}`);
  if (code !== 0) fail(`UI tests failed (exit ${code})`);
  console.log(`[test:e2e] passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

await main();
