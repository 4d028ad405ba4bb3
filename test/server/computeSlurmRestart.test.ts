// kill -9 of the server while a burst job whose files travel through the cloud tier (presigned
// URLs, no shared folder) runs on the real Slurm 22.05: a new server on the same data folder
// re-attaches to the job by its id, and when it ends collects its log and its output into storage.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedCloud } from '../harness/s3Services.mjs';
import { slurmToken, type SlurmState } from '../harness/slurm.mjs';
import { ComputeGetRequest, ComputeSubmitRequest, ComputeWaitRequest, SLURM_TOKEN_ENV, StorageRetrieveRequest, StorageStoreRequest, type NeuroLakeSettings } from '../../server/protocol';
import { slurmCluster } from '../unit/compute/support/slurm';
import { until } from '../unit/compute/support/wait';
import { settingsWith, startServer, withServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-slurm-restart-'));
let cluster: SlurmState;
before(async () => {
  cluster = await slurmCluster();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function withStagedCluster(settings: NeuroLakeSettings): NeuroLakeSettings {
  return { ...settings, compute: { ...settings.compute, slurm: { url: cluster.url, apiVersion: cluster.apiVersion, user: cluster.restUser, sharedFolder: '', partition: '' } } };
}

describe('a server killed while a staged burst job runs', () => {
  it('is re-attached by the next server, which collects the job\'s log and output into storage', { timeout: 240_000 }, async () => {
    const dataFolder = join(scratch, 'data');
    const work = join(scratch, 'work');
    mkdirSync(work, { recursive: true });
    const cloud = await startEmbeddedCloud({ directory: join(scratch, 's3'), dataFolder });
    const env = { [SLURM_TOKEN_ENV]: slurmToken(cluster), ...cloud.env };
    const settings = withStagedCluster(settingsWith(dataFolder));
    try {
      const first = await startServer({ settings, workspaceFolder: work }, env);
      let runId: string;
      let jobId: number;
      try {
        writeFileSync(join(work, 'orders.txt'), 'orders of the day\n');
        await first.request(StorageStoreRequest, { key: 'datasets/orders.txt', path: join(work, 'orders.txt') });
        const submitted = await first.request(ComputeSubmitRequest, {
          name: 'outlives its server',
          type: 'etl',
          tier: 'cluster',
          cpus: 1,
          memoryGb: 0.1,
          estimatedMinutes: 1,
          // Long enough that the server is gone while it runs; the output is made only at the end.
          run: { kind: 'shell', command: 'sleep 8; mkdir -p results; tr a-z A-Z < datasets/orders.txt > results/upper.txt; echo "job $SLURM_JOB_ID done"' },
          workingFolder: work,
          inputs: ['datasets/orders.txt'],
          outputs: ['results/upper.txt'],
        });
        runId = submitted.id;
        const running = await until('the job to run on the cluster', async () => {
          const run = await first.request(ComputeGetRequest, { id: runId });
          return run.state === 'running' && run.jobId !== undefined ? run : undefined;
        }, 120_000);
        jobId = running.jobId!;
      } finally {
        const gone = once(first.process, 'exit');
        first.process.kill('SIGKILL');
        await gone;
        first.connection.dispose();
      }
      await withServer(
        { settings, workspaceFolder: work },
        async (second) => {
          const run = await second.request(ComputeWaitRequest, { id: runId });
          assert.equal(run.state, 'completed', `${run.state}: ${run.detail ?? ''}`);
          assert.equal(run.jobId, jobId, 'the same job, re-attached by its id');
          assert.equal(run.exitCode, 0);
          assert.equal(run.detail, undefined, 'nothing was missing');
          assert.equal(readFileSync(run.logFile!, 'utf8'), `job ${jobId} done\n`);
          await second.request(StorageRetrieveRequest, { key: 'results/upper.txt', path: join(work, 'upper.txt') });
          assert.equal(readFileSync(join(work, 'upper.txt'), 'utf8'), 'ORDERS OF THE DAY\n');
        },
        env,
      );
    } finally {
      await cloud.stop();
    }
  });
});
