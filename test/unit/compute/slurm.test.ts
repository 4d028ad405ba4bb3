// The compute engine against a real Slurm 22.05 cluster through slurmrestd with JWT: a job's
// inputs in and outputs back through the shared folder, its log fetched, a failing exit code,
// cancel, a busy machine that bursts, slurmrestd down (a clear state; the job waits or is
// refused; nothing lost), an expired token (refreshed) and the CLI killed mid-run (re-attached).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { restReady, restStart, restStop, slurmEnv, slurmToken, type SlurmState } from '../../harness/slurm.mjs';
import { ComputeEngine, scontrolTokenSource, type ClusterSettings, type ComputeOptions, type SlurmTokenSource, type WorkloadSpec } from '../../../server/engines/compute';
import { expiredToken, slurmCluster } from './support/slurm';
import { cpuHog, spawnCli, until } from './support/wait';

const scratch = mkdtempSync(join(tmpdir(), 'nl-compute-slurm-'));
let cluster: SlurmState;
let shared: string;
let count = 0;
let engines: ComputeEngine[] = [];

before(async () => {
  cluster = await slurmCluster();
  // The jobs run as the cluster's own user: the shared folder must be theirs to write.
  shared = join(cluster.jobsFolder, `shared-${process.pid}`);
  mkdirSync(shared, { recursive: true });
  chmodSync(shared, 0o777);
});
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function tokens(): SlurmTokenSource {
  return scontrolTokenSource(cluster.restUser, { env: slurmEnv(cluster) });
}

function settings(extra: Partial<ClusterSettings> = {}): ClusterSettings {
  return { url: cluster.url, apiVersion: cluster.apiVersion, tokens: tokens(), sharedFolder: shared, pollMs: 200, healthMs: 200, expectedStartSeconds: 1, ...extra };
}

async function open(options: Partial<ComputeOptions> = {}): Promise<{ engine: ComputeEngine; folder: string; work: string }> {
  count++;
  const folder = join(scratch, `data-${count}`);
  const work = join(scratch, `work-${count}`);
  mkdirSync(work, { recursive: true });
  const engine = await ComputeEngine.open({ dataFolder: folder, base: work, cluster: settings(), sampleMs: 200, refreshMs: 200, ...options });
  engines.push(engine);
  return { engine, folder, work };
}

function onCluster(name: string, command: string, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return { name, type: 'etl', run: { kind: 'shell', command }, tier: 'cluster', cpus: 1, memoryGb: 0.1, estimatedMinutes: 1, ...extra };
}

describe('compute on a real Slurm cluster', () => {
  it('runs a job with its input copied in, its output copied back and its log fetched', async () => {
    const { engine, work, folder } = await open();
    assert.equal(engine.status().state, 'ready');
    writeFileSync(join(work, 'in.txt'), 'orders\n');
    const submitted = await engine.submit(onCluster('upper', 'tr a-z A-Z < in.txt > out.txt; echo "ran as $(id -un) in job $SLURM_JOB_ID"', { inputs: ['in.txt'], outputs: ['out.txt'] }));
    const run = await engine.waitFor(submitted.id);
    assert.equal(run.state, 'completed', run.detail);
    assert.equal(run.exitCode, 0);
    assert.equal(run.tier, 'cluster');
    assert.ok(run.execution?.tier === 'cluster' && run.execution.jobId > 0);
    assert.equal(readFileSync(join(work, 'out.txt'), 'utf8'), 'ORDERS\n');
    assert.ok(run.execution.logFile.startsWith(folder), 'the log was fetched into the data folder');
    assert.match(readFileSync(run.execution.logFile, 'utf8'), new RegExp(`ran as ${cluster.restUser} in job ${run.execution.jobId}`));
  });

  it('records a failing exit code', async () => {
    const { engine } = await open();
    const run = await engine.waitFor((await engine.submit(onCluster('fails', 'echo about to fail; exit 7'))).id);
    assert.equal(run.state, 'failed');
    assert.equal(run.exitCode, 7);
    assert.match(readFileSync(run.execution!.logFile, 'utf8'), /about to fail/);
  });

  it('cancels a running job', async () => {
    const { engine } = await open();
    const submitted = await engine.submit(onCluster('long', 'echo started; sleep 300'));
    await until('the job to run', () => engine.get(submitted.id).state === 'running');
    const run = await engine.cancel(submitted.id);
    assert.equal(run.state, 'cancelled');
  });

  it('bursts when a CPU hog makes this machine too busy, and the job runs on the cluster', async () => {
    const { engine } = await open();
    const hog = cpuHog(2, 90);
    try {
      const spec: WorkloadSpec = { name: 'urgent', type: 'query', run: { kind: 'shell', command: 'echo urgent' }, cpus: 1, memoryGb: 0.1, maxWaitMinutes: 0, estimatedMinutes: 1 };
      const decision = await until('the decision to burst', () => {
        const preview = engine.preview(spec);
        return preview.verdict === 'cluster' ? preview : undefined;
      });
      assert.match(decision.reason, /Runs on the cluster: this machine would start it/);
      const run = await engine.waitFor((await engine.submit(spec)).id);
      assert.equal(run.tier, 'cluster');
      assert.equal(run.state, 'completed');
    } finally {
      hog.stop();
    }
  });

  it('slurmrestd down: a clear state, the job waits for the cluster and runs when it is back; nothing lost', async () => {
    const { engine } = await open();
    await restStop(cluster);
    try {
      await until('the engine to see the cluster down', () => engine.status().state === 'degraded');
      assert.match(engine.status().detail ?? '', /does not answer: ECONNREFUSED/);
      const submitted = await engine.submit(onCluster('patient', 'echo made it'));
      assert.equal(submitted.state, 'queued');
      assert.match(engine.get(submitted.id).decision.reason, /Waits for the cluster/);
      restStart(cluster);
      await restReady(cluster);
      const run = await engine.waitFor(submitted.id);
      assert.equal(run.state, 'completed');
      assert.match(readFileSync(run.execution!.logFile, 'utf8'), /made it/);
    } finally {
      restStart(cluster);
      await restReady(cluster);
    }
  });

  it('slurmrestd down with "refuse" set: the job is refused with the reason, and kept in the history', async () => {
    const { engine } = await open({ whenClusterDown: 'refuse' });
    await restStop(cluster);
    try {
      await until('the engine to see the cluster down', () => engine.status().state === 'degraded');
      const run = await engine.submit(onCluster('impatient', 'true'));
      assert.equal(run.state, 'refused');
      assert.match(run.detail ?? '', /does not answer/);
      assert.equal(engine.list({ states: ['refused'] }).length, 1);
    } finally {
      restStart(cluster);
      await restReady(cluster);
    }
  });

  it('an expired token is refreshed, and a refused one replaced, without the user seeing it', async () => {
    let refreshes = 0;
    const fresh = tokens();
    const expiring = (first: string): SlurmTokenSource => ({
      user: cluster.restUser,
      token: async () => first,
      refresh: async () => {
        refreshes++;
        return fresh.refresh();
      },
    });
    for (const first of [expiredToken(cluster), 'not-a-token']) {
      refreshes = 0;
      const { engine } = await open({ cluster: settings({ tokens: expiring(first) }) });
      const run = await engine.waitFor((await engine.submit(onCluster(`token-${first.length}`, 'echo authorised'))).id);
      assert.equal(run.state, 'completed', run.detail);
      assert.equal(refreshes, 1);
    }
  });

  it('after kill -9 of the CLI mid-run, the next process re-attaches to the Slurm job by its id', async () => {
    count++;
    const folder = join(scratch, `data-${count}`);
    const gate = join(shared, `gate-${count}`);
    const env = { NEUROLAKE_SLURM_URL: cluster.url, NEUROLAKE_SLURM_USER: cluster.restUser, NEUROLAKE_SLURM_SHARED_FOLDER: shared, SLURM_JWT: slurmToken(cluster) };
    const cli = spawnCli(['compute', '--data-folder', folder, 'submit', '--name', 'reattach', '--type', 'etl', '--cpus', '1', '--memory', '0.1', '--minutes', '1', '--tier', 'cluster', '--wait', '--', `while [ ! -f ${gate} ]; do sleep 0.1; done; echo released; exit 0`], env);
    const history = join(folder, 'compute', 'runs.jsonl');
    const jobId = await until('the CLI to record the Slurm job', () => Number(/"jobId":(\d+)/.exec(existsSync(history) ? readFileSync(history, 'utf8') : '')?.[1]) || undefined);
    cli.kill('SIGKILL');
    await until('the CLI to be gone', () => cli.exitCode !== null || cli.signalCode !== null);
    const engine = await ComputeEngine.open({ dataFolder: folder, cluster: settings(), sampleMs: 200, refreshMs: 200 });
    engines.push(engine);
    const running = engine.get('reattach');
    assert.equal(running.state, 'running');
    writeFileSync(gate, '');
    const run = await engine.waitFor(running.id);
    assert.equal(run.state, 'completed', run.detail);
    assert.ok(run.execution?.tier === 'cluster' && run.execution.jobId === jobId);
    assert.match(readFileSync(run.execution.logFile, 'utf8'), /released/);
  });
});
