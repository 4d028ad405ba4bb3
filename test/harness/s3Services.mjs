// Real S3 servers for the storage tests, the benchmark and `npm start`: s3rver (npm, light, the
// embedded default) and Ceph's RADOS Gateway (Debian packages, a real S3 implementation with
// storage classes), each on loopback with its own temporary folder. Started once per test run by
// runStorageTests.mjs, which passes their endpoints to the test files in the environment.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil } from './deadline.mjs';
import { logTail, stopProcessGroup, killGroupOnExit } from './processes.mjs';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const CEPH_PACKAGES = ['radosgw', 'ceph-mon', 'ceph-osd'];

/** A free loopback port (the OS picks; released before the caller binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts s3rver in a child process storing under `directory`; resolves to { endpoint, credentials, stop }. */
export async function startS3rver(directory, { buckets = [], port = 0 } = {}) {
  mkdirSync(directory, { recursive: true });
  const script = fileURLToPath(new URL('./s3rverServer.mjs', import.meta.url));
  const nodeOptions = [process.env.NODE_OPTIONS, '--openssl-legacy-provider'].filter(Boolean).join(' ');
  const child = spawn(process.execPath, [script, directory, String(port), String(process.pid), buckets.join(',')], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const unhook = killGroupOnExit(child);
  const line = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline !== -1) resolve(buffer.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before it listened`)));
  });
  const { endpoint } = JSON.parse(line);
  return {
    kind: 's3rver',
    endpoint,
    credentials: S3RVER_CREDENTIALS,
    stop: async () => {
      unhook();
      await stopProcessGroup(child, { graceMs: 2000 });
    },
  };
}

/**
 * The embedded cloud tier of `npm start` and of the VS Code and UI tests: s3rver on loopback with
 * a `neurolake` bucket, and `dataFolder`'s storage configuration pointing the cloud tier at it
 * (archive in the same bucket). Resolves to the server plus the environment that carries its
 * credentials to VS Code (the SDK's default chain reads them; they never enter a config file).
 */
export async function startEmbeddedCloud({ directory, dataFolder, bucket = 'neurolake', port = 0 }) {
  const server = await startS3rver(directory, { buckets: [bucket], port });
  const file = join(dataFolder, 'storage', 'config.json');
  // A data folder used before (`npm start` keeps its own) keeps its other choices; only the cloud
  // tier is pointed at this run's server, whose port may differ from the last one.
  const previous = readJson(file);
  const config = {
    local: { capacityGb: 1, watermark: 0.9 },
    archive: { storageClass: 'GLACIER', afterDays: 90 },
    writeThrough: false,
    prices: { preset: 'aws' },
    ...previous,
    cloud: { endpoint: server.endpoint, region: 'us-east-1', bucket, prefix: 'neurolake/', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' },
  };
  mkdirSync(join(dataFolder, 'storage'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const env = { AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
  return { ...server, bucket, env };
}

function readJson(file) {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs Ceph's gateway, monitor and OSD from Debian on first use (root), or says what to install. */
export function ensureCephPackages() {
  const missing = CEPH_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Ceph is needed for the storage tests: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  console.log(`[harness] installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/**
 * A one-node Ceph cluster with an in-memory OSD and a RADOS Gateway on loopback, with the storage
 * classes STANDARD_IA, GLACIER and DEEP_ARCHIVE added to the default placement. Up in ~15 s.
 * Resolves to { endpoint, credentials, stop }.
 */
export async function startRadosgw(directory, { memoryBytes = 2 * 1024 ** 3 } = {}) {
  ensureCephPackages();
  rmSync(directory, { recursive: true, force: true });
  for (const sub of ['mon', 'osd', 'run', 'log', 'rgw']) mkdirSync(join(directory, sub), { recursive: true });
  const [monV2, monV1, rgwPort] = [await freePort(), await freePort(), await freePort()];
  const fsid = randomUUID();
  const conf = join(directory, 'ceph.conf');
  const logFile = join(directory, 'harness.log');
  const monHost = `[v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`;
  writeFileSync(
    conf,
    [
      '[global]',
      `fsid = ${fsid}`,
      `mon host = ${monHost}`,
      'auth cluster required = none',
      'auth service required = none',
      'auth client required = none',
      'osd pool default size = 1',
      'osd pool default min size = 1',
      'osd pool default pg num = 8',
      'osd pool default pgp num = 8',
      'mon max pg per osd = 1000',
      'mon allow pool size one = true',
      'mon allow pool delete = true',
      'osd crush chooseleaf type = 0',
      'osd objectstore = memstore',
      `memstore device bytes = ${memoryBytes}`,
      `run dir = ${join(directory, 'run')}`,
      `log file = ${join(directory, 'log')}/$name.log`,
      `admin socket = ${join(directory, 'run')}/$name.asok`,
      `pid file = ${join(directory, 'run')}/$name.pid`,
      `mon data = ${join(directory, 'mon')}/$name`,
      `osd data = ${join(directory, 'osd')}/$name`,
      `keyring = ${join(directory, 'keyring')}`,
      'mon warn on pool no redundancy = false',
      '',
      '[client.rgw]',
      `rgw frontends = beast endpoint=127.0.0.1:${rgwPort}`,
      `rgw data = ${join(directory, 'rgw')}`,
      'rgw dns name = 127.0.0.1',
      'ms mon client mode = crc',
      'ms client mode = crc',
      '',
    ].join('\n'),
  );
  const children = [];
  const run = (command, args, what) => {
    const fd = openSync(logFile, 'a');
    const result = spawnSync(command, [...args], { stdio: ['ignore', fd, fd], encoding: 'utf8', timeout: 120_000 });
    closeSync(fd);
    if (result.status !== 0) throw new Error(`radosgw harness: ${what} failed (exit ${result.status ?? result.signal}): ${logTail(logFile)}`);
  };
  const daemon = (command, args) => {
    const fd = openSync(logFile, 'a');
    const child = spawn(command, [...args, '-f', '-c', conf], { stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    children.push({ child, unhook: killGroupOnExit(child) });
    return child;
  };
  const stop = async () => {
    for (const { child, unhook } of children.reverse()) {
      unhook();
      await stopProcessGroup(child, { graceMs: 3000 });
    }
    children.length = 0;
  };
  try {
    const keyring = join(directory, 'keyring');
    run('ceph-authtool', ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'], 'creating the keyring');
    run('monmaptool', ['--create', '--addv', 'a', monHost, '--fsid', fsid, join(directory, 'monmap')], 'creating the monitor map');
    run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(directory, 'monmap'), '--keyring', keyring], 'creating the monitor');
    daemon('ceph-mon', ['-i', 'a']);
    const osdUuid = randomUUID();
    const created = spawnSync('ceph', ['-c', conf, '--connect-timeout', '30', 'osd', 'new', osdUuid], { encoding: 'utf8', timeout: 60_000 });
    if (created.status !== 0) throw new Error(`radosgw harness: ceph osd new failed: ${(created.stderr || '').trim().slice(0, 300)}`);
    const osdId = created.stdout.trim();
    mkdirSync(join(directory, 'osd', `osd.${osdId}`), { recursive: true });
    run('ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid], 'creating the OSD');
    daemon('ceph-osd', ['-i', osdId]);
    daemon('radosgw', ['-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitForHttp(endpoint, 90_000, 'the RADOS Gateway did not answer');
    const credentials = { accessKeyId: 'NEUROLAKETEST', secretAccessKey: 'neurolake-test-secret' };
    run('radosgw-admin', ['-c', conf, '-n', 'client.rgw', 'user', 'create', '--uid=neurolake', '--display-name=NeuroLake tests', `--access-key=${credentials.accessKeyId}`, `--secret-key=${credentials.secretAccessKey}`], 'creating the S3 user');
    // Archive classes are refused until the placement knows them; a gateway restart picks them up.
    for (const storageClass of ['STANDARD_IA', 'GLACIER', 'DEEP_ARCHIVE']) {
      const pool = `default.rgw.${storageClass.toLowerCase()}.data`;
      run('radosgw-admin', ['-c', conf, '-n', 'client.rgw', 'zonegroup', 'placement', 'add', '--rgw-zonegroup', 'default', '--placement-id', 'default-placement', '--storage-class', storageClass], `adding storage class ${storageClass} to the zonegroup`);
      run('radosgw-admin', ['-c', conf, '-n', 'client.rgw', 'zone', 'placement', 'add', '--rgw-zone', 'default', '--placement-id', 'default-placement', '--storage-class', storageClass, '--data-pool', pool], `adding storage class ${storageClass} to the zone`);
    }
    const gateway = children.pop();
    gateway.unhook();
    await stopProcessGroup(gateway.child, { graceMs: 5000 });
    daemon('radosgw', ['-n', 'client.rgw']);
    await waitForHttp(endpoint, 90_000, 'the RADOS Gateway did not come back after adding storage classes');
    return { kind: 'radosgw', endpoint, credentials, directory, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHttp(endpoint, timeoutMs, message) {
  await pollUntil(
    async () => {
      const response = await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return true;
    },
    { timeoutMs, intervalMs: 250, message },
  );
}
