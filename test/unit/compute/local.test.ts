// The compute engine running real processes on this machine: logs, exit codes, CPU time and
// memory, retries, cancel (the whole process group), timeouts, one run of a workload at a time,
// and a process killed with kill -9 mid-run: the next one re-attaches or says the run is lost.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ComputeEngine, ComputeError, type Run, type WorkloadSpec } from '../../../server/engines/compute';
import { PRICES_AS_OF } from '../../../server/engines/prices';
import { alive, cpuHog, spawnCli, until } from './support/wait';

const scratch = mkdtempSync(join(tmpdir(), 'nl-compute-local-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let engines: ComputeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});

let folders = 0;
function dataFolder(): string {
  folders++;
  return join(scratch, `data-${folders}`);
}

async function open(folder: string, options: Partial<Parameters<typeof ComputeEngine.open>[0]> = {}): Promise<ComputeEngine> {
  const engine = await ComputeEngine.open({ dataFolder: folder, base: scratch, sampleMs: 200, refreshMs: 200, retryBackoffMs: 20, ...options });
  engines.push(engine);
  return engine;
}

/** Forced onto this machine: the shared test machine may be busier than the CPU limit. */
function here(name: string, command: string, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return { name, type: 'query', run: { kind: 'shell', command }, tier: 'local', cpus: 1, memoryGb: 0.1, ...extra };
}

describe('compute on this machine', () => {
  it('runs a command: its output in the log, its exit code, CPU time, peak memory and cost, kept in the history', async () => {
    const folder = dataFolder();
    const engine = await open(folder);
    const submitted = await engine.submit(here('count', 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo "counted $i"; echo oops >&2; exit 0'));
    const run = await engine.waitFor(submitted.id);
    assert.equal(run.state, 'completed');
    assert.equal(run.exitCode, 0);
    assert.equal(run.tier, 'local');
    assert.equal(readFileSync(run.execution!.logFile, 'utf8'), 'counted 300000\noops\n');
    assert.ok((run.cpuSeconds ?? 0) > 0, `CPU time ${run.cpuSeconds}`);
    assert.ok((run.peakMemoryBytes ?? 0) > 0 || run.endedAt! - run.startedAt! < 500, 'peak memory sampled for a run that lasted long enough');
    assert.ok((run.costUsd ?? 0) > 0);
    await engine.close();
    const reopened = await open(folder);
    assert.deepEqual(reopened.get(run.id), run);
    assert.equal(reopened.stats().byState.completed, 1);
  });

  it('retries a failing exit with back-off, and stops on an exit code marked not retryable', async () => {
    const engine = await open(dataFolder());
    const first = await engine.submit(here('flaky', 'exit 3', { retries: 2 }));
    const last = await until('the third attempt to end', () => engine.list().find((run) => run.attempt === 3 && run.state === 'failed'));
    assert.equal(last.exitCode, 3);
    assert.equal(engine.get(first.id).retriedBy, 'flaky-2');
    assert.match(last.detail ?? '', /retry 2 of 2 after exit code 3/);

    const fatal = await engine.submit(here('missing', 'no-such-command-anywhere', { retries: 3 }));
    const ended = await until('the not-retryable failure to be recorded', () => {
      const run = engine.get(fatal.id);
      return run.state === 'failed' && /not retryable/.test(run.detail ?? '') ? run : undefined;
    });
    assert.equal(ended.exitCode, 127);
    assert.equal(engine.list().filter((run) => run.workload.id === 'missing').length, 1);
  });

  it('cancel stops the whole process group, children too', async () => {
    const engine = await open(dataFolder());
    const submitted = await engine.submit(here('sleeper', 'sleep 300 & echo "child $!"; wait'));
    const logFile = await until('the run to start', () => engine.get(submitted.id).execution?.logFile);
    const childPid = await until('the child to report its pid', () => Number(/child (\d+)/.exec(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')?.[1]) || undefined);
    const cancelled = await engine.cancel(submitted.id);
    assert.equal(cancelled.state, 'cancelled');
    await until('the child to be gone', () => !alive(childPid));
  });

  it('stops a run that passes its timeout', async () => {
    const engine = await open(dataFolder());
    const submitted = await engine.submit(here('slow', 'sleep 60', { timeoutMinutes: 0.01 }));
    const run = await engine.waitFor(submitted.id);
    assert.equal(run.state, 'timed-out');
    assert.match(run.detail ?? '', /timeout/);
  });

  it('never runs one workload twice at once', async () => {
    const engine = await open(dataFolder());
    const first = await engine.submit(here('unique', 'sleep 60'));
    await assert.rejects(engine.submit(here('unique', 'sleep 60')), (error: unknown) => error instanceof ComputeError && error.code === 'already-active' && error.message.includes(first.id));
    await engine.cancel(first.id);
    const again = await engine.submit(here('unique', 'true'));
    assert.equal(again.id, 'unique-2');
    assert.equal((await engine.waitFor(again.id)).state, 'completed');
  });

  it('a preview says which preset and date of prices its costs are from', async () => {
    const engine = await open(dataFolder(), { prices: 'aws' });
    const preview = engine.preview({ name: 'priced', type: 'query', cpus: 1, memoryGb: 0.1, run: { kind: 'shell', command: 'true' } });
    assert.deepEqual(preview.prices, { preset: 'aws', asOf: PRICES_AS_OF });
  });

  it('takes the user\'s price preset while open, and keeps its own for a price book it has no rates of', async () => {
    const engine = await open(dataFolder());
    const spec: WorkloadSpec = { name: 'repriced', type: 'etl', cpus: 2, memoryGb: 1, estimatedMinutes: 60, run: { kind: 'shell', command: 'true' } };
    const seed = engine.preview(spec);
    assert.equal(seed.prices?.preset, 'seed');
    assert.equal(engine.usePrices('aws'), true);
    const aws = engine.preview(spec);
    assert.equal(aws.prices?.preset, 'aws');
    const clusterCost = (decision: typeof seed): number | undefined => decision.options.find((option) => option.tier === 'cluster')?.estimatedCostUsd;
    assert.notEqual(clusterCost(aws), clusterCost(seed), 'the estimates follow the new prices');
    assert.equal(engine.usePrices('imported-s3-price-list'), false);
    assert.equal(engine.preview(spec).prices?.preset, 'aws');
  });

  it('a busy machine (a CPU hog on every core) does not start a workload here; the decision says so', async () => {
    const engine = await open(dataFolder());
    const hog = cpuHog(2, 60);
    try {
      const { decision, machine } = await until('the machine to measure busy', async () => {
        const preview = engine.preview({ name: 'wants-room', type: 'query', cpus: 1, memoryGb: 0.1, run: { kind: 'shell', command: 'true' } });
        // Read in the same turn as the decision: the sampler may take a new reading a moment
        // later, and on a loaded machine the hog's share swings from one second to the next.
        const snapshot = engine.machine();
        return preview.verdict !== 'local' ? { decision: preview, machine: snapshot } : undefined;
      });
      // Under the default 80% limit, what others use leaves less than the one CPU asked for.
      const freeCpus = (machine.cpuCount * (80 - machine.cpuBusyPct)) / 100 + machine.ownCores;
      assert.ok(freeCpus < 1, `${freeCpus.toFixed(2)} CPUs free under the limit (CPU busy ${machine.cpuBusyPct.toFixed(0)}%) when the decision was made: ${decision.reason}`);
      assert.match(decision.reason, /busy/);
      assert.notEqual(decision.options[0]!.estimatedStart, decision.decidedAt);
    } finally {
      hog.stop();
    }
  });

  it('after kill -9 of the CLI mid-run, the next process re-attaches and records the real exit code', async () => {
    const folder = dataFolder();
    const gate = join(scratch, `gate-${folders}`);
    const cli = spawnCli(['compute', '--data-folder', folder, 'submit', '--name', 'survivor', '--type', 'query', '--cpus', '1', '--memory', '0.1', '--tier', 'local', '--wait', '--', `while [ ! -f ${gate} ]; do sleep 0.05; done; echo finished; exit 5`]);
    const history = join(folder, 'compute', 'runs.jsonl');
    await until('the CLI to record the run as running', () => existsSync(history) && readFileSync(history, 'utf8').includes('"state":"running"'));
    cli.kill('SIGKILL');
    await until('the CLI to be gone', () => cli.exitCode !== null || cli.signalCode !== null);
    const engine = await open(folder);
    const running = engine.get('survivor');
    assert.equal(running.state, 'running', 'the workload outlived the CLI');
    writeFileSync(gate, '');
    const run: Run = await engine.waitFor(running.id);
    assert.equal(run.state, 'failed');
    assert.equal(run.exitCode, 5);
    assert.equal(readFileSync(run.execution!.logFile, 'utf8'), 'finished\n');
  });

  it('a run whose process died with the CLI is marked lost, with why', async () => {
    const folder = dataFolder();
    const cli = spawnCli(['compute', '--data-folder', folder, 'submit', '--name', 'doomed', '--type', 'query', '--cpus', '1', '--memory', '0.1', '--tier', 'local', '--wait', '--', 'sleep 300']);
    const history = join(folder, 'compute', 'runs.jsonl');
    const pid = await until('the CLI to record the run as running', () => {
      const match = existsSync(history) ? /"execution":\{"tier":"local","pid":(\d+)/.exec(readFileSync(history, 'utf8')) : null;
      return match === null ? undefined : Number(match[1]);
    });
    cli.kill('SIGKILL');
    // As if the machine had rebooted: the workload's own process group is gone too.
    process.kill(-pid, 'SIGKILL');
    await until('the CLI and the run to be gone', () => (cli.exitCode !== null || cli.signalCode !== null) && !alive(pid));
    const engine = await open(folder);
    const run = await engine.waitFor(engine.get('doomed').id);
    assert.equal(run.state, 'lost');
    assert.match(run.detail ?? '', /ended while no NeuroLake was watching it, and left no exit status|without an exit status/);
  });
});
