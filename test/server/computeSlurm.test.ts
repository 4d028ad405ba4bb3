// The compute settings and the Slurm token through the real server against a real Slurm 22.05
// (slurmrestd with JWT): a cluster set in the settings while the server runs, whose expired token
// is reported to the extension (which offers a new one); and a server started with a good token,
// as the extension starts it after "Set Slurm Token…", bursting a workload to the cluster; and a
// cluster that shares no folder with this machine, whose job gets its input from storage and puts
// its output back into storage through presigned URLs of the cloud tier (a real s3rver), from the
// server and from `neurolake compute submit`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startEmbeddedCloud } from '../harness/s3Services.mjs';
import { slurmToken, type SlurmState } from '../harness/slurm.mjs';
import {
  ComputeSubmitRequest,
  ComputeTokenRefusedNotification,
  ComputeWaitRequest,
  DidChangeSettingsNotification,
  SLURM_TOKEN_ENV,
  StatusRequest,
  StorageRetrieveRequest,
  StorageStoreRequest,
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

function withCluster(settings: NeuroLakeSettings, sharedFolder = shared): NeuroLakeSettings {
  return { ...settings, compute: { ...settings.compute, slurm: { url: cluster.url, apiVersion: cluster.apiVersion, user: cluster.restUser, sharedFolder, partition: '' } } };
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

  it('with no shared folder, a job\'s input comes from storage and its output lands in storage, through presigned URLs', { timeout: 180_000 }, async () => {
    const dataFolder = join(scratch, 'presigned');
    const work = join(scratch, 'presigned-work');
    mkdirSync(work, { recursive: true });
    const cloud = await startEmbeddedCloud({ directory: join(scratch, 's3'), dataFolder });
    try {
      await withServer(
        { settings: withCluster(settingsWith(dataFolder), ''), workspaceFolder: work },
        async (server) => {
          writeFileSync(join(work, 'orders.txt'), 'orders of the day\n');
          await server.request(StorageStoreRequest, { key: 'datasets/orders.txt', path: join(work, 'orders.txt') });
          writeFileSync(join(work, 'upper.sh'), 'mkdir -p results\ntr a-z A-Z < datasets/orders.txt > results/upper.txt\necho "job $SLURM_JOB_ID ran in $PWD"\n');
          const submitted = await server.request(ComputeSubmitRequest, {
            name: 'upper case',
            type: 'etl',
            tier: 'cluster',
            cpus: 1,
            memoryGb: 0.1,
            estimatedMinutes: 1,
            run: { kind: 'script', file: 'upper.sh' },
            workingFolder: work,
            inputs: ['datasets/orders.txt'],
            outputs: ['results/upper.txt'],
          });
          const run = await server.request(ComputeWaitRequest, { id: submitted.id });
          assert.equal(run.state, 'completed', run.detail);
          assert.equal(run.tier, 'cluster');
          assert.equal(run.detail, undefined, 'nothing was missing');
          assert.match(readFileSync(run.logFile!, 'utf8'), new RegExp(`^job ${run.jobId} ran in /tmp/neurolake-run-`));
          await server.request(StorageRetrieveRequest, { key: 'results/upper.txt', path: join(work, 'upper.txt') });
          assert.equal(readFileSync(join(work, 'upper.txt'), 'utf8'), 'ORDERS OF THE DAY\n');
          // The SDK's notice that later releases need Node 22 is not this test's business.
          process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
          const s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: cloud.credentials });
          const staged = await s3.send(new ListObjectsV2Command({ Bucket: cloud.bucket, Prefix: 'neurolake/compute/' }));
          assert.deepEqual(staged.Contents ?? [], [], 'the staging copies are removed once everything was collected');
          s3.destroy();

          // An input that is not in storage: the command does not run, and the run says why.
          const missing = await server.request(ComputeSubmitRequest, { name: 'no input', type: 'etl', tier: 'cluster', cpus: 1, memoryGb: 0.1, estimatedMinutes: 1, run: { kind: 'shell', command: 'echo should not run' }, inputs: ['datasets/absent.txt'] });
          const refused = await server.request(ComputeWaitRequest, { id: missing.id });
          assert.equal(refused.state, 'refused');
          assert.match(refused.detail ?? '', /datasets\/absent\.txt/);
        },
        { [SLURM_TOKEN_ENV]: slurmToken(cluster), ...cloud.env },
      );
    } finally {
      await cloud.stop();
    }
  });

  it('neurolake compute submit --wait with no shared folder: --input and --output are storage keys, carried by the cloud tier', { timeout: 180_000 }, async () => {
    const dataFolder = join(scratch, 'cli-presigned');
    const work = join(scratch, 'cli-work');
    mkdirSync(work, { recursive: true });
    const cloud = await startEmbeddedCloud({ directory: join(scratch, 's3-cli'), dataFolder });
    try {
      const env = { ...process.env, ...cloud.env, NEUROLAKE_HOME: dataFolder, NEUROLAKE_SLURM_URL: cluster.url, NEUROLAKE_SLURM_USER: cluster.restUser, SLURM_JWT: slurmToken(cluster) };
      const cli = (...args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), ...args], { cwd: work, env, encoding: 'utf8' });
      writeFileSync(join(work, 'words.txt'), 'lake\n');
      const stored = cli('storage', 'put', join(work, 'words.txt'), 'in/words.txt');
      assert.equal(stored.status, 0, stored.stderr);
      const submitted = cli('compute', 'submit', '--name', 'cli-upper', '--type', 'etl', '--cpus', '1', '--memory', '0.1', '--minutes', '1', '--tier', 'cluster', '--input', 'in/words.txt', '--output', 'out/words.txt', '--wait', '--', 'mkdir -p out && tr a-z A-Z < in/words.txt > out/words.txt && echo done');
      assert.equal(submitted.status, 0, submitted.stdout + submitted.stderr);
      assert.match(submitted.stdout, /done/);
      const fetched = cli('storage', 'get', 'out/words.txt', join(work, 'upper.txt'));
      assert.equal(fetched.status, 0, fetched.stderr);
      assert.equal(readFileSync(join(work, 'upper.txt'), 'utf8'), 'LAKE\n');
    } finally {
      await cloud.stop();
    }
  });

  it('with no shared folder and no cloud tier, a burst is refused saying what is missing', { timeout: 60_000 }, async () => {
    await withServer(
      { settings: withCluster(settingsWith(join(scratch, 'nowhere')), '') },
      async (server) => {
        const submitted = await server.request(ComputeSubmitRequest, { name: 'nowhere', type: 'query', tier: 'cluster', cpus: 1, memoryGb: 0.1, estimatedMinutes: 1, run: { kind: 'shell', command: 'true' } });
        const run = await server.request(ComputeWaitRequest, { id: submitted.id });
        assert.equal(run.state, 'refused');
        assert.match(run.detail ?? '', /neurolake\.compute\.slurm\.sharedFolder\) or the storage cloud tier/);
      },
      { [SLURM_TOKEN_ENV]: slurmToken(cluster) },
    );
  });
});
