// The compute engine through the real server over LSP, as Schedule Workload, the Workloads view
// and Show Output use it: the decision first, a run with change notifications, its log, a
// refused workload with the engine's code, and the statistics.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import {
  ComputeGetRequest,
  ComputeListRequest,
  ComputeLogRequest,
  ComputeMachineRequest,
  ComputePreviewRequest,
  ComputeStatsRequest,
  ComputeSubmitRequest,
  ComputeWaitRequest,
  DidChangeComputeNotification,
  type ComputeErrorData,
  type WireRun,
  type WireWorkloadSpec,
} from '../../server/protocol';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-compute-'));
let server: RunningServer;
before(async () => {
  server = await startServer({ settings: settingsWith(join(scratch, 'data')), workspaceFolder: scratch });
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const spec: WireWorkloadSpec = { name: 'Say hello', type: 'query', run: { kind: 'shell', command: 'echo "hello from $NEUROLAKE_RUN_ID"; exit 0' }, cpus: 1, memoryGb: 0.1, tier: 'local' };

describe('compute over LSP', () => {
  it('previews the decision, runs the workload, notifies each change, and serves its log', async () => {
    const decision = await server.request(ComputePreviewRequest, spec);
    assert.equal(decision.verdict, 'local');
    assert.equal(decision.options.length, 2);

    const ended = new Promise<void>((resolve) => {
      const subscription = server.onNotification(DidChangeComputeNotification, ({ runId }) => {
        if (runId === undefined) return;
        void server.request(ComputeGetRequest, { id: runId }).then((run) => {
          if (run.state !== 'completed') return;
          subscription.dispose();
          resolve();
        });
      });
    });
    const submitted: WireRun = await server.request(ComputeSubmitRequest, spec);
    assert.equal(submitted.id, 'say-hello-1');
    await ended;

    const run = await server.request(ComputeGetRequest, { id: submitted.id });
    assert.equal(run.exitCode, 0);
    assert.equal((run as unknown as { execution?: unknown }).execution, undefined, 'wire runs carry the log file, not engine internals');
    assert.ok(isAbsolute(run.workload.workingFolder));
    const log = await server.request(ComputeLogRequest, { runId: run.id, offset: 0 });
    assert.deepEqual(log, { text: 'hello from say-hello-1\n', offset: 23, complete: true });

    const page = await server.request(ComputeListRequest, { limit: 10 });
    assert.equal(page.total, 1);
    assert.equal(page.runs[0]!.id, run.id);
    const stats = await server.request(ComputeStatsRequest);
    assert.equal(stats.byState['completed'], 1);
    const machine = await server.request(ComputeMachineRequest);
    assert.ok(machine.cpuCount >= 1);
  });

  it('waits for a run to end; cancelling the wait answers RequestCancelled and the run goes on', async () => {
    const marker = join(scratch, 'wait-marker');
    const waiting: WireWorkloadSpec = { ...spec, name: 'Waits for a marker', run: { kind: 'shell', command: `while [ ! -e '${marker}' ]; do sleep 0.05; done; exit 3` } };
    const submitted = await server.request(ComputeSubmitRequest, waiting);
    const source = new CancellationTokenSource();
    const wait = server.connection.sendRequest(ComputeWaitRequest.method, { id: submitted.id }, source.token);
    source.cancel();
    await assert.rejects(wait, (error: unknown) => {
      assert.ok(error instanceof ResponseError, String(error));
      assert.equal(error.code, LSPErrorCodes.RequestCancelled);
      assert.equal((error.data as ComputeErrorData).code, 'cancelled');
      return true;
    });
    const still = await server.request(ComputeGetRequest, { id: submitted.id });
    assert.ok(['queued', 'starting', 'running'].includes(still.state), `the run goes on after the wait is cancelled, but it is ${still.state}`);
    const ended = server.request(ComputeWaitRequest, { id: submitted.id });
    writeFileSync(marker, '');
    const run = await ended;
    assert.equal(run.state, 'failed');
    assert.equal(run.exitCode, 3);
  });

  it('refuses a bad workload with the engine\'s code and a message naming the field', async () => {
    await assert.rejects(server.request(ComputeSubmitRequest, { ...spec, name: 'bad', cpus: -2 }), (error: unknown) => {
      const data = (error as ResponseError<ComputeErrorData>).data;
      return data?.code === 'invalid-workload' && /cpus must be a number/.test((error as Error).message);
    });
  });
});
