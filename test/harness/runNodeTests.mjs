// Runs every *.test.ts under the given folders with node's own test runner, TypeScript loaded by
// tsx. Node 20's runner does not glob .ts files itself, hence this small finder.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSlurm, STATE_ENV, stopSlurm } from './slurm.mjs';

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: runNodeTests.mjs <folder or test file>…');
  process.exit(2);
}
const files = folders
  .flatMap((folder) =>
    statSync(folder).isDirectory() ? readdirSync(folder, { recursive: true }).map((name) => join(folder, String(name))) : [folder],
  )
  .filter((file) => /\.test\.(ts|mjs)$/.test(file))
  .sort();
if (files.length === 0) {
  console.error(`No test files under ${folders.join(', ')}.`);
  process.exit(1);
}
// --test-force-exit: a test that fails before it stops a server it started must fail the run,
// not hang it on the child's open pipes (the server then exits by itself: it watches our pid).
// Test files that need the real Slurm cluster share one, started here once and stopped at the end.
const needsSlurm = files.some((file) => /slurm/i.test(file)) && process.env[STATE_ENV] === undefined;
const slurm = needsSlurm ? await startSlurm() : undefined;
if (slurm !== undefined) {
  process.once('exit', () => void stopSlurm(slurm));
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
}
const env = slurm === undefined ? process.env : { ...process.env, [STATE_ENV]: JSON.stringify(slurm) };
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
if (slurm !== undefined) await stopSlurm(slurm);
process.exit(result.status ?? 1);
