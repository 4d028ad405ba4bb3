// `npm run test:storage`: the storage engine and CLI against real S3 servers. Starts s3rver and a
// one-node Ceph RADOS Gateway once for the whole run (Ceph is installed from Debian on first use),
// hands their endpoints to every test file in NEUROLAKE_TEST_S3, and stops them at the end.
// `node test/harness/runStorageTests.mjs test/storage/faults.test.ts` runs one file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitOnSignals } from './processes.mjs';
import { startRadosgw, startS3rver } from './s3Services.mjs';

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test/storage'];
const files = targets
  .flatMap((target) => (statSync(target).isDirectory() ? readdirSync(target, { recursive: true }).map((name) => join(target, String(name))) : [target]))
  .filter((file) => /\.test\.ts$/.test(file))
  .sort();
if (files.length === 0) {
  console.error(`No test files under ${targets.join(', ')}.`);
  process.exit(1);
}

exitOnSignals();
const root = mkdtempSync(join(tmpdir(), 'neurolake-s3-'));
const started = Date.now();
const [s3rver, radosgw] = await Promise.all([startS3rver(join(root, 's3rver')), startRadosgw(join(root, 'radosgw'))]).catch((error) => {
  console.error(`[storage tests] could not start the S3 servers: ${error.message}`);
  process.exit(1);
});
console.log(`[storage tests] s3rver at ${s3rver.endpoint}, RADOS Gateway at ${radosgw.endpoint} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const servers = Object.fromEntries([s3rver, radosgw].map((server) => [server.kind, { kind: server.kind, endpoint: server.endpoint, credentials: server.credentials }]));

const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, NEUROLAKE_TEST_S3: JSON.stringify(servers) },
  });
  child.on('exit', (status) => resolve(status ?? 1));
});
await Promise.all([s3rver.stop(), radosgw.stop()]);
rmSync(root, { recursive: true, force: true });
process.exit(code);
