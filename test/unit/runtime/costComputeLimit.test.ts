// The CPU-limit recommendation from runs the real compute engine burst to a real Slurm cluster
// because this machine was above its CPU limit: the cost engine reads the engine's limit, prices
// what those bursts cost, and Apply raises the limit the engine admits local work under.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slurmEnv, type SlurmState } from '../../harness/slurm.mjs';
import { ComputeEngine, scontrolTokenSource, type WorkloadSpec } from '../../../server/engines/compute';
import { CostEngine } from '../../../server/engines/cost';
import { runtimeCostSources } from '../../../server/runtime/costSources';
import { slurmCluster } from '../compute/support/slurm';
import { cpuHog, until } from '../compute/support/wait';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cost-cpu-limit-'));
let cluster: SlurmState;
let shared: string;

before(async () => {
  cluster = await slurmCluster();
  // The jobs run as the cluster's own user: the shared folder must be theirs to write.
  shared = join(cluster.jobsFolder, `shared-cost-${process.pid}`);
  mkdirSync(shared, { recursive: true });
  chmodSync(shared, 0o777);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the local CPU limit recommendation over the real compute engine', () => {
  it('recommends raising the limit after runs burst because the machine was busy, and Apply raises it', async () => {
    const work = join(scratch, 'work');
    mkdirSync(work, { recursive: true });
    const engine = await ComputeEngine.open({
      dataFolder: join(scratch, 'data'),
      base: work,
      localCpuLimitPct: 80,
      cluster: { url: cluster.url, apiVersion: cluster.apiVersion, tokens: scontrolTokenSource(cluster.restUser, { env: slurmEnv(cluster) }), sharedFolder: shared, pollMs: 200, healthMs: 200, expectedStartSeconds: 1 },
      sampleMs: 200,
      refreshMs: 200,
    });
    const hog = cpuHog(2, 240);
    try {
      // Long enough on the cluster that a month of such bursts costs more than a cent to keep local.
      const spec = (name: string): WorkloadSpec => ({ name, type: 'query', run: { kind: 'shell', command: `sleep 20; echo ${name}` }, cpus: 1, memoryGb: 0.1, maxWaitMinutes: 0, estimatedMinutes: 10 });
      // Each run is submitted once the machine is seen above its limit, so the engine bursts it.
      for (const name of ['busy-1', 'busy-2', 'busy-3']) {
        await until('the decision to burst', () => engine.preview(spec(name)).verdict === 'cluster');
        const run = await engine.waitFor((await engine.submit(spec(name))).id);
        assert.equal(run.tier, 'cluster', `${name} ran on the cluster`);
        assert.equal(run.state, 'completed');
      }
    } finally {
      hog.stop();
    }
    const cost = await CostEngine.open({ sources: runtimeCostSources({ peer: (name) => (name === 'compute' ? engine : undefined) }) });
    try {
      const data = await cost.dashboard();
      const limit = data.recommendations.find((r) => r.id === 'compute-local-cpu-limit');
      assert.ok(limit !== undefined, `a CPU limit recommendation: ${data.recommendations.map((r) => r.id).join(', ')}`);
      assert.equal(limit.recommendation, 'Raise the local CPU limit from 80% to 90%');
      assert.match(limit.impact, /burst to the cloud only because the machine was above 80% CPU/);
      assert.ok(limit.estimated_savings_usd_month > 0, `a saving: ${limit.estimated_savings_usd_month}`);
      assert.deepEqual(limit.action, { kind: 'set-compute-limit', limit: 'localCpuLimitPct', value: 90 });

      const applied = await cost.apply('compute-local-cpu-limit');
      assert.match(applied.done, /local CPU limit is now 90% \(was 80%\)/);
      assert.equal(engine.localCpuLimitPct, 90, 'the engine admits local work under the new limit');
      const after = await cost.dashboard();
      assert.match(after.recommendations.find((r) => r.id === 'compute-local-cpu-limit')?.recommendation ?? '', /from 90% to 95%/, 'the next recommendation starts from the new limit');
    } finally {
      await cost.close();
      await engine.close();
    }
  });

  it('refuses a limit that is not a percentage, keeping the one it had', async () => {
    const engine = await ComputeEngine.open({ dataFolder: join(scratch, 'data-2'), base: scratch, localCpuLimitPct: 70 });
    try {
      assert.throws(() => engine.setLocalCpuLimitPct(0), /above 0 and at most 100, not 0/);
      assert.throws(() => engine.setLocalCpuLimitPct(150), /not 150/);
      assert.equal(engine.localCpuLimitPct, 70);
    } finally {
      await engine.close();
    }
  });
});
