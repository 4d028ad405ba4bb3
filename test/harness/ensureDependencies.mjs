// Runs before `npm start` and `npm test`: on a fresh clone, installs the locked dependencies so
// each command works on its own. Uses Node builtins only, since nothing is installed yet.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const marker = join(root, 'node_modules', '.package-lock.json');

/**
 * npm writes node_modules/.package-lock.json on install; stale when the lockfile names a package
 * it lacks. Optional packages are skipped: npm leaves out those for other platforms (esbuild's and
 * duckdb's per-OS binaries), so counting them would reinstall on every run.
 */
function installed() {
  if (!existsSync(marker)) return false;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const hidden = JSON.parse(readFileSync(marker, 'utf8'));
  return Object.entries(lock.packages ?? {}).every(
    ([path, entry]) => path === '' || entry.optional === true || path in (hidden.packages ?? {}),
  );
}

if (!installed()) {
  console.log('Installing dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`npm ci failed with exit code ${result.status}; see the output above.`);
    process.exit(result.status ?? 1);
  }
}
