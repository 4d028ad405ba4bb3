// Activation benchmark: production bundles' sizes, and, over several launches of a real VS Code,
// the time activate() takes (the editor waits on it) and the time until the server answered.
// Targets: activation < 100 ms excluding server start-up; extension bundle < 60 KB (it carries no
// JSON-RPC library: the protocol's descriptors are plain objects, the client library loads later).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildEntries, repoRoot, runInVsCode } from '../harness/vscodeSuite.mjs';

const LAUNCHES = Number(process.env.NEUROLAKE_BENCH_LAUNCHES ?? 5);

const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
console.log('bundle sizes (production):');
// client.js is the language client library, loaded just after activate() returns.
for (const bundle of ['extension', 'client', 'server', 'cli']) {
  const file = join(repoRoot, 'dist', `${bundle}.js`);
  const bytes = statSync(file).size;
  const gzip = gzipSync(readFileSync(file)).length;
  console.log(`  dist/${bundle}.js  ${(bytes / 1024).toFixed(1)} KB  (gzip ${(gzip / 1024).toFixed(1)} KB)${bundle === 'extension' ? '   target < 60 KB' : ''}`);
}

const outDir = join(repoRoot, 'out', 'test', 'bench');
await buildEntries([join(repoRoot, 'test', 'bench', 'activation.vscode.ts')], outDir);
const scratch = mkdtempSync(join(tmpdir(), 'neurolake-bench-'));
const samples = [];
for (let launch = 0; launch < LAUNCHES; launch++) {
  const out = join(scratch, `timings-${launch}.json`);
  await runInVsCode({ testsModule: join(outDir, 'activation.vscode.js'), env: { NEUROLAKE_BENCH_OUT: out } });
  samples.push(JSON.parse(readFileSync(out, 'utf8')));
}
rmSync(scratch, { recursive: true, force: true });
// Back to the development build the other scripts expect.
spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const figures = (key) => samples.map((s) => s[key]);
console.log(`activation over ${LAUNCHES} launches of VS Code (code-server 4.100.3):`);
console.log(`  activate() returned after    median ${median(figures('activateMs')).toFixed(1)} ms  (all: ${figures('activateMs').map((v) => v.toFixed(1)).join(', ')})   target < 100 ms`);
console.log(`  server answered initialize   median ${median(figures('serverReadyMs')).toFixed(1)} ms  (all: ${figures('serverReadyMs').map((v) => v.toFixed(1)).join(', ')})`);
