// The `neurolake.compute.*` settings reach the compute engine in the real server: at start-up, and
// again when they change, without a restart. A cluster that does not answer is named in the status.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ComputePreviewRequest,
  ComputeSubmitRequest,
  ComputeWaitRequest,
  DidChangeSettingsNotification,
  DidChangeStatusNotification,
  StatusRequest,
  type NeuroLakeSettings,
  type ServerStatus,
  type WireWorkloadSpec,
} from '../../server/protocol';
import { settingsWith, withServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-compute-settings-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function withCompute(settings: NeuroLakeSettings, compute: Partial<NeuroLakeSettings['compute']>, slurm: Partial<NeuroLakeSettings['compute']['slurm']> = {}): NeuroLakeSettings {
  return { ...settings, compute: { ...settings.compute, ...compute, slurm: { ...settings.compute.slurm, ...slurm } } };
}

function computeState(status: ServerStatus): { state: string; detail?: string } {
  const engine = status.engines.find((e) => e.name === 'compute');
  assert.ok(engine, JSON.stringify(status));
  return engine;
}

/** The next status whose compute engine passes `test`, or the current one if it already does. */
async function computeStatusWhere(server: RunningServer, test: (engine: { state: string; detail?: string }) => boolean): Promise<{ state: string; detail?: string }> {
  let subscription: { dispose(): void } | undefined;
  const next = new Promise<ServerStatus>((resolve) => {
    subscription = server.onNotification(DidChangeStatusNotification, (status) => {
      if (test(computeState(status))) resolve(status);
    });
  });
  try {
    const now = computeState(await server.request(StatusRequest));
    if (test(now)) return now;
    return computeState(await next);
  } finally {
    subscription?.dispose();
  }
}

const small: WireWorkloadSpec = { name: 'small', type: 'query', run: { kind: 'shell', command: 'exit 0' }, cpus: 0.5, memoryGb: 0.1 };

describe('compute settings over LSP', () => {
  it('start with a cluster that does not answer: the status names it; moving the limits and clearing the cluster applies live', async () => {
    const shared = join(scratch, 'shared');
    mkdirSync(shared, { recursive: true });
    const initial = withCompute(settingsWith(join(scratch, 'data')), { defaultMaxWaitMinutes: 7 }, { url: 'http://127.0.0.1:9', sharedFolder: shared });
    await withServer(
      { settings: initial },
      async (server) => {
        const degraded = await computeStatusWhere(server, (engine) => engine.state === 'degraded');
        assert.match(degraded.detail ?? '', /The cluster cannot be used: .*127\.0\.0\.1:9/);

        // Whether it runs now depends on how busy this machine is; whether it may run here at all does not.
        const before = await server.request(ComputePreviewRequest, small);
        assert.equal(before.options.find((o) => o.tier === 'local')?.possible, true, before.reason);
        assert.match(before.options.find((o) => o.tier === 'cluster')?.why ?? '', /127\.0\.0\.1:9/);
        const run = await server.request(ComputeSubmitRequest, { ...small, tier: 'local' });
        assert.equal(run.workload.maxWaitMinutes, 7, 'neurolake.compute.defaultMaxWaitMinutes fills in the maximum wait');
        assert.equal((await server.request(ComputeWaitRequest, { id: run.id })).state, 'completed');

        // A CPU limit the workload is bigger than, and no cluster: it cannot run anywhere.
        await server.notify(DidChangeSettingsNotification, withCompute(initial, { localCpuLimitPct: 0.001 }, { url: '' }));
        const ready = await computeStatusWhere(server, (engine) => engine.state === 'ready');
        assert.equal(ready.detail, 'No cluster is configured: workloads run on this machine only.');
        const after = await server.request(ComputePreviewRequest, small);
        assert.equal(after.verdict, 'refuse', after.reason);
        assert.equal(after.options.find((o) => o.tier === 'local')?.possible, false, after.reason);
        assert.match(after.options.find((o) => o.tier === 'cluster')?.why ?? '', /turned off|not configured|no cluster/i, after.reason);
      },
      { NEUROLAKE_SLURM_JWT: 'not-a-real-token' },
    );
  });
});
