// `npm run test:loaded`: the UI suites on a busy machine. Keeps every core busy with a bounded CPU
// hog (one spinning process per core), runs `npm run test:vscode` and `npm run test:e2e` RUNS
// times in a row (default 5), and prints one line per run and a summary. Each suite's output goes
// to a log file; a failure prints its last lines. The hog ends with the runs, on Ctrl-C, on any
// exit, and by itself at its deadline.
//
//   npm run test:loaded              5 runs, both suites
//   RUNS=2 npm run test:loaded       2 runs
//   NEUROLAKE_LOADED_MINUTES=120     the hog's and the whole run's time limit (default 150)
//   NEUROLAKE_LOADED_SUITES=a,b      other npm scripts to run instead (e.g. to try the script quickly)
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroupOnExit, stopProcessGroup } from './processes.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const spinner = fileURLToPath(new URL('./cpuSpinner.mjs', import.meta.url));
const RUNS = Number(process.env.RUNS ?? process.argv[2] ?? 5);
const LIMIT_MS = Number(process.env.NEUROLAKE_LOADED_MINUTES ?? 150) * 60_000;
const SUITES = (process.env.NEUROLAKE_LOADED_SUITES ?? 'test:vscode,test:e2e').split(',');
const CORES = availableParallelism();

if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`[test:loaded] RUNS must be a whole number of runs, not "${process.env.RUNS ?? process.argv[2]}"`);
  process.exit(2);
}

const started = Date.now();
const deadline = started + LIMIT_MS;
const logs = mkdtempSync(join(tmpdir(), 'neurolake-loaded-'));

/** One spinner per core, each its own process group, killed by pid on any exit of ours. */
function startHog() {
  const spinners = Array.from({ length: CORES }, () => {
    const child = spawn(process.execPath, [spinner, String(deadline)], { stdio: 'ignore', detached: true });
    killGroupOnExit(child);
    return child;
  });
  return {
    running: () => spinners.filter((child) => child.exitCode === null && child.signalCode === null).length,
    stop: () => Promise.all(spinners.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); })))),
  };
}

/** The last lines of a log that say what went wrong, for a failed run. */
function tail(file, lines = 25) {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
}

/** The suite running now, so a signal or the time limit can stop it (and what it started) first. */
let current;

/**
 * Runs one suite with its output in `logFile`, in its own process group; resolves to its exit
 * code, or to "time limit" after stopping it when the run's deadline passes first.
 */
async function runSuite(suite, logFile) {
  const fd = openSync(logFile, 'a');
  const child = spawn('npm', ['run', suite], { cwd: repoRoot, env: process.env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  current = child;
  const forget = killGroupOnExit(child);
  const exited = new Promise((resolve) => {
    child.on('error', (error) => resolve(`not started: ${error.message}`));
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('time limit'), Math.max(0, deadline - Date.now()));
  });
  const code = await Promise.race([exited, late]);
  clearTimeout(timer);
  // SIGTERM first: the suite's harness then stops the code-server it started before it exits.
  if (code === 'time limit') await stopProcessGroup(child, { graceMs: 15_000 });
  forget();
  current = undefined;
  return code;
}

// Ctrl-C or a runner's SIGTERM: stop the running suite, then leave through process.exit so the
// 'exit' hooks kill the hog.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void (current === undefined ? Promise.resolve() : stopProcessGroup(current, { graceMs: 15_000 })).finally(() => process.exit(130));
  });
}

const hog = startHog();
console.log(`[test:loaded] ${CORES} spinning processes keep ${CORES} cores busy; ${RUNS} runs of ${SUITES.join(' and ')}; logs in ${logs}`);
const results = [];
for (let run = 1; run <= RUNS; run++) {
  const outcome = [];
  for (const suite of SUITES) {
    if (Date.now() >= deadline) {
      outcome.push({ suite, passed: false, seconds: 0, why: 'time limit reached before it started' });
      continue;
    }
    const logFile = join(logs, `run-${run}-${suite.replace(':', '-')}.log`);
    const suiteStarted = Date.now();
    // The suites bound their own waits (code-server start, each test); the run's limit bounds the rest.
    const code = await runSuite(suite, logFile);
    const seconds = Math.round((Date.now() - suiteStarted) / 1000);
    outcome.push({ suite, passed: code === 0, seconds, why: code === 0 ? '' : `exit ${code}`, logFile });
  }
  const passed = outcome.every((o) => o.passed);
  results.push(passed);
  const load = loadavg()[0].toFixed(1);
  console.log(`[test:loaded] run ${run}/${RUNS}: ${passed ? 'PASS' : 'FAIL'}  ${outcome.map((o) => `${o.suite} ${o.passed ? 'pass' : `FAIL (${o.why})`} ${o.seconds} s`).join(', ')}  (load ${load}, ${hog.running()}/${CORES} spinners)`);
  for (const o of outcome.filter((o) => !o.passed && o.logFile)) console.log(`  ${o.suite} log ${o.logFile}, last lines:\n${tail(o.logFile)}`);
}
await hog.stop();
const passedRuns = results.filter(Boolean).length;
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`[test:loaded] ${passedRuns === RUNS ? 'PASS' : 'FAIL'}: ${passedRuns}/${RUNS} runs passed every suite in a row under a ${CORES}-core CPU hog, ${minutes} min`);
process.exit(passedRuns === RUNS ? 0 : 1);
