// A real Slurm 22.05 cluster for the compute tests: munge, slurmctld, slurmd and slurmrestd with
// JWT, from Debian's packages (installed on first use), in a temp folder with their own ports and
// munge socket, so several runs on one machine do not meet. Started once per test run by
// runNodeTests.mjs (or by the first test file that needs it when run alone) and stopped at its end.
//
// slurmrestd refuses to run as root, so it runs as a dedicated user, who also owns the jobs.
//
// Every daemon runs in the foreground as a child of the process that started it, not forked off to
// PID 1: PID 1 here does not reliably reap, so a daemon that was stopped would stay a zombie. The
// starting process reaps its own children, and stopSlurm resolves once they are reaped.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLURM_PACKAGES = ['slurm-wlm', 'slurmctld', 'slurmd', 'slurm-client', 'munge', 'slurmrestd', 'slurm-wlm-jwt-plugin'];
export const REST_USER = 'nlslurm';
export const API_VERSION = 'v0.0.38';
/** Where runNodeTests.mjs tells the test processes about the cluster it started. */
export const STATE_ENV = 'NEUROLAKE_TEST_SLURM';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${(result.stderr || result.stdout || '').trim().slice(0, 500)}`);
  return result.stdout;
}

/** The daemons this process started and has not yet reaped, by pid. */
const children = new Map();

/** Starts a daemon in the foreground, in its own process group, as this process's child. */
function daemon(command, args, env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'ignore'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  children.set(child.pid, { child, exited });
  void exited.then(() => children.delete(child.pid));
  // Reaped even while unreferenced; the process need not stay up for it.
  child.unref();
  return child;
}

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

export function ensureSlurmPackages() {
  const missing = SLURM_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`the Slurm tests need Debian packages: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`[harness] installing Debian packages: ${missing.join(' ')}`);
  // An update first only when the install cannot find the packages in the current lists.
  const first = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (first.status === 0) return;
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function ensureUser(name) {
  if (spawnSync('id', ['-u', name]).status === 0) return;
  run('useradd', ['--system', '--no-create-home', '--shell', '/bin/sh', name]);
}

function uidOf(name) {
  return Number(run('id', ['-u', name]).trim());
}

function gidOf(name) {
  return Number(run('id', ['-g', name]).trim());
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let detail;
    try {
      if (await check()) return;
    } catch (error) {
      detail = error.message;
    }
    if (Date.now() > deadline) throw new Error(`Slurm: ${what} did not happen within ${timeoutMs / 1000} s${detail ? `: ${detail}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Running, and not a zombie waiting for its parent to reap it (a killed slurmrestd may be one a while). */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The environment the Slurm commands need to find this cluster. */
export function slurmEnv(state) {
  return { ...process.env, SLURM_CONF: state.conf };
}

/** Starts munge, slurmctld, slurmd and slurmrestd; resolves to the state tests connect with. */
export async function startSlurm() {
  if (process.platform !== 'linux') throw new Error('the Slurm tests run on Linux only');
  ensureSlurmPackages();
  ensureUser(REST_USER);
  const dir = mkdtempSync(join(tmpdir(), 'neurolake-slurm-'));
  chmodSync(dir, 0o755);
  const [ctldPort, slurmdPort, restPort] = [await freePort(), await freePort(), await freePort()];
  const paths = {
    munge: join(dir, 'munge'),
    spool: join(dir, 'spool'),
    state: join(dir, 'state'),
    log: join(dir, 'log'),
    jobs: join(dir, 'jobs'),
  };
  for (const path of Object.values(paths)) mkdirSync(path, { recursive: true });
  const slurmUid = uidOf('slurm');
  const slurmGid = gidOf('slurm');
  chownSync(paths.state, slurmUid, slurmGid);
  chownSync(paths.log, slurmUid, slurmGid);
  chmodSync(paths.log, 0o777);
  chmodSync(paths.jobs, 0o1777);

  // munge: its own key and socket, owned by the munge user.
  const mungeKey = join(paths.munge, 'munge.key');
  writeFileSync(mungeKey, randomBytes(128), { mode: 0o400 });
  const mungeUid = uidOf('munge');
  for (const path of [paths.munge, mungeKey]) chownSync(path, mungeUid, gidOf('munge'));
  chmodSync(paths.munge, 0o755);
  const mungeSocket = join(paths.munge, 'munge.socket');
  // setpriv execs munged as the munge user (no forked parent in between), so the pid is munged's own.
  daemon('setpriv', ['--reuid=munge', '--regid=munge', '--clear-groups', 'munged', '--foreground', `--socket=${mungeSocket}`, `--key-file=${mungeKey}`, `--pid-file=${join(paths.munge, 'munged.pid')}`, `--log-file=${join(paths.munge, 'munged.log')}`, `--seed-file=${join(paths.munge, 'munged.seed')}`], process.env);

  const jwtKey = join(paths.state, 'jwt.key');
  writeFileSync(jwtKey, randomBytes(32), { mode: 0o600 });
  chownSync(jwtKey, slurmUid, slurmGid);

  const cpus = Number(run('nproc', []).trim()) || 1;
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=neurolake-test',
      'SlurmctldHost=localhost',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=slurm',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${mungeSocket}`,
      'AuthAltTypes=auth/jwt',
      `AuthAltParameters=jwt_key=${jwtKey}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/filetxt',
      `JobCompLoc=${join(paths.log, 'jobcomp.txt')}`,
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'SchedulerParameters=batch_sched_delay=0',
      // Finished jobs stay visible to the REST API for this long (the tests read them right away).
      'MinJobAge=600',
      `StateSaveLocation=${paths.state}`,
      `SlurmdSpoolDir=${paths.spool}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(paths.log, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(paths.log, 'slurmd.log')}`,
      `NodeName=localhost NodeHostname=${hostname()} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=2000 State=UNKNOWN`,
      'PartitionName=batch Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const state = { dir, conf, jwtKey, restUser: REST_USER, apiVersion: API_VERSION, url: `http://127.0.0.1:${restPort}`, restPort, jobsFolder: paths.jobs, restPidFile: join(dir, 'slurmrestd.pid'), mungeSocket };
  const env = slurmEnv(state);
  try {
    await waitUntil('munged to listen', () => existsSync(mungeSocket));
    daemon('slurmctld', ['-D'], env);
    await waitUntil('slurmctld to write its pid file', () => existsSync(join(dir, 'slurmctld.pid')));
    daemon('slurmd', ['-D', '-N', 'localhost'], env);
    await waitUntil('the node to become idle', () => /idle/.test(run('sinfo', ['-h', '-o', '%t'], { env })));
    restStart(state);
    await waitUntil('slurmrestd to answer', async () => (await fetch(`${state.url}/openapi`).catch(() => undefined)) !== undefined);
  } catch (error) {
    stopSlurm(state);
    throw new Error(`${error.message} (logs in ${paths.log})`);
  }
  return state;
}

/** Starts slurmrestd (again, unless it runs), as the dedicated user, speaking JWT. */
export function restStart(state) {
  const running = readPid(state.restPidFile);
  if (running !== undefined && pidAlive(running)) return;
  const child = daemon('slurmrestd', ['-a', 'rest_auth/jwt', '-u', state.restUser, '-s', `openapi/${state.apiVersion}`, `127.0.0.1:${state.restPort}`], { ...slurmEnv(state), SLURM_JWT: 'daemon' });
  writeFileSync(state.restPidFile, String(child.pid));
}

/** Stops slurmrestd and resolves once its port is closed: the cluster is then "down" to a client. */
export async function restStop(state) {
  const pid = readPid(state.restPidFile);
  if (pid !== undefined && pidAlive(pid)) process.kill(pid, 'SIGKILL');
  await waitUntil('slurmrestd to stop', async () => (await fetch(`${state.url}/openapi`).then(() => false, () => true)));
}

/** Waits until slurmrestd answers again. */
export function restReady(state) {
  return waitUntil('slurmrestd to answer', async () => (await fetch(`${state.url}/openapi`).catch(() => undefined)) !== undefined);
}

/** A fresh token for the REST user, from slurmctld. */
export function slurmToken(state, lifespanSeconds = 3600) {
  const out = run('scontrol', ['token', `username=${state.restUser}`, `lifespan=${lifespanSeconds}`], { env: slurmEnv(state) });
  const match = /SLURM_JWT=(\S+)/.exec(out);
  if (match === null) throw new Error(`scontrol token printed no token: ${out}`);
  return match[1];
}

/**
 * Stops every daemon of this cluster (at once, so it also works in an exit handler) and removes
 * its folder; resolves once the daemons this process started are reaped.
 */
export function stopSlurm(state) {
  const pids = [readPid(state.restPidFile), readPid(join(state.dir, 'slurmd.pid')), readPid(join(state.dir, 'slurmctld.pid')), readPid(join(state.dir, 'munge', 'munged.pid'))];
  for (const pid of pids) {
    if (pid === undefined || !pidAlive(pid)) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some((pid) => pid !== undefined && pidAlive(pid)) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
  for (const pid of pids) if (pid !== undefined && pidAlive(pid)) process.kill(pid, 'SIGKILL');
  if (existsSync(state.dir)) rmSync(state.dir, { recursive: true, force: true });
  const ours = pids.map((pid) => children.get(pid)).filter((entry) => entry !== undefined);
  // Referenced again, so this process stays up until it has reaped them.
  for (const { child } of ours) child.ref();
  return Promise.all(ours.map(({ exited }) => exited)).then(() => undefined);
}
