// `npm run bench:<name>`: runs a benchmark under test/bench and prints its figures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const name = process.argv[2];
const benches = {
  activation: 'test/bench/activation.mjs',
  catalog: 'test/bench/catalog.bench.ts',
  completion: 'test/bench/completion.bench.ts',
  tiering: 'test/bench/tiering.bench.ts',
  storage: 'test/bench/storage.bench.ts',
  cost: 'test/bench/cost.bench.ts',
  compute: 'test/bench/compute.bench.ts',
};
if (!(name in benches)) {
  console.error(`usage: runBench.mjs <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', benches[name], ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
