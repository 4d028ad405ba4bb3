// Child processes for the harness: run a command into a log file (install steps), and stop a
// long-running process tree (code-server, its VS Code server, extension host and our own server).
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync } from 'node:fs';

/** Runs a command with its output appended to `logFile`; resolves to its exit code, never rejects. */
export function runLogged(command, args, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd] });
    child.on('error', (error) => resolve({ code: -1, error }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 128, signal }));
  }).finally(() => closeSync(fd));
}

/** The last meaningful lines of a log, folded onto one line for a failure message. */
export function logTail(logFile, lines = 3) {
  if (!existsSync(logFile)) return '(no log)';
  const meaningful = readFileSync(logFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^npm (warn|notice)|^gyp info|Unknown (user|env|cli) config/.test(line));
  return meaningful.slice(-lines).join(' | ').slice(0, 600) || '(empty log)';
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing left to stop.
  }
}

/**
 * Stops a child spawned with `detached: true` (so it leads its own process group) and everything
 * it started: SIGTERM to the group, SIGKILL after `graceMs` (code-server sometimes ignores the
 * first SIGTERM), and resolves once the child has exited.
 */
export async function stopProcessGroup(child, { graceMs = 5000 } = {}) {
  if (!child.pid) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child.pid, 'SIGTERM');
  let timer;
  const graceOver = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited'), graceOver]);
  clearTimeout(timer);
  // Grandchildren (the extension host, our language server) may outlive the leader: finish them.
  if (outcome === 'timeout' || groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
  await exited;
}

/** Last-resort cleanup when the harness itself exits abruptly: synchronous, best effort. */
export function killGroupOnExit(child) {
  const kill = () => child.pid && signalGroup(child.pid, 'SIGKILL');
  process.once('exit', kill);
  return () => process.removeListener('exit', kill);
}

/**
 * Ctrl-C or a runner's SIGTERM: leave through process.exit, so the 'exit' hooks above kill the
 * process groups we started (a signal's default action would skip them and orphan code-server).
 */
export function exitOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
}
