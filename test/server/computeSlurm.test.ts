// The compute settings and the Slurm token through the real server against a real Slurm 22.05
// (slurmrestd with JWT): a cluster set in the settings while the server runs, whose expired token
// is reported to the extension (which offers a new one); and a server started with a good token,
// as the extension starts it after "Set Slurm Token…", bursting a workload to the cluster.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slurmToken, type SlurmState } from '../harness/slurm.mjs';
import {
  ComputeSubmitRequest,
  ComputeTokenRefusedNotification,
  ComputeWaitRequest,
  DidChangeSettingsNotification,
  SLURM_TOKEN_ENV,
  StatusRequest,
  type NeuroLakeSettings,
} from '../../server/protocol';
import { expiredToken, slurmCluster } from '../unit/compute/support/slurm';
import { settingsWith, withServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-slurm-'));
let cluster: SlurmState;
let shared: string;
before(async () => {
  cluster = await slurmCluster();
  // The jobs run as the cluster's own user: the shared folder must be theirs to write.
  shared = join(cluster.jobsFolder, `server-shared-${process.pid}`);
  mkdirSync(shared, { recursive: true });
  chmodSync(shared, 0o777);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function withCluster(settings: NeuroLakeSettings): NeuroLakeSettings {
  return { ...settings, compute: { ...settings.compute, slurm: { url: cluster.url, apiVersion: cluster.apiVersion, user: cluster.restUser, sharedFolder: shared, partition: '' } } };
}

describe('compute settings and the Slurm token over LSP, with a real Slurm', () => {
  it('a cluster set while the server runs, with an expired token: the extension is told the token was refused', { timeout: 60_000 }, async () => {
    const settings = settingsWith(join(scratch, 'expired'));
    await withServer(
      { settings },
      async (server) => {
        const refused = new Promise<string>((resolve) => server.onNotification(ComputeTokenRefusedNotification, ({ message }) => resolve(message)));
        await server.notify(DidChangeSettingsNotification, withCluster(settings));
        assert.match(await refused, new RegExp(`refused the token for ${cluster.restUser} \\(expired or wrong\\); set a new one`));
        const compute = (await server.request(StatusRequest)).engines.find((engine) => engine.name === 'compute');
        assert.equal(compute?.state, 'degraded');
        assert.doesNotMatch(JSON.stringify(compute), /eyJ/, 'the token itself is in no message');
      },
      { [SLURM_TOKEN_ENV]: expiredToken(cluster) },
    );
  });

  it('started with a good token in its environment, the server bursts a workload to the cluster and fetches its log', { timeout: 120_000 }, async () => {
    await withServer(
      { settings: withCluster(settingsWith(join(scratch, 'good'))) },
      async (server) => {
        const submitted = await server.request(ComputeSubmitRequest, { name: 'burst hello', type: 'query', tier: 'cluster', cpus: 1, memoryGb: 0.1, estimatedMinutes: 1, run: { kind: 'shell', command: 'echo "hello from job $SLURM_JOB_ID"; exit 2' } });
        const run = await server.request(ComputeWaitRequest, { id: submitted.id });
        assert.equal(run.state, 'failed', run.detail);
        assert.equal(run.tier, 'cluster');
        assert.equal(run.exitCode, 2);
        assert.ok(run.jobId !== undefined && run.jobId > 0);
        assert.equal(readFileSync(run.logFile!, 'utf8'), `hello from job ${run.jobId}\n`);
      },
      { [SLURM_TOKEN_ENV]: slurmToken(cluster) },
    );
  });
});
