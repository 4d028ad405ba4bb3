// LSP glue for the compute engine: each request asks the session's runtime for the engine, maps
// its runs to wire shapes, and turns engine failures into response errors with the engine's code.
import { open } from 'node:fs/promises';
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { ComputeError, FINISHED_STATES, type ComputeChange, type ComputeEngine, type Run } from '../engines/compute';
import {
  ComputeCancelRequest,
  ComputeGetRequest,
  ComputeListRequest,
  ComputeLogRequest,
  ComputeMachineRequest,
  ComputePreviewRequest,
  ComputeStatsRequest,
  ComputeSubmitRequest,
  ComputeTokenRefusedNotification,
  ComputeWaitRequest,
  DidChangeComputeNotification,
  type ComputeErrorData,
  type WireRun,
} from '../protocol';
import { type Session } from '../session';
import { genericResponseError } from './errors';
import { onRequest, sendNotification } from './connection';
import { cancelledResponse } from './progress';

/** At most this much of a log in one answer; Show Output asks again from the new offset. */
const LOG_CHUNK_BYTES = 256 * 1024;

export function registerComputeHandlers(connection: Connection, session: () => Session): void {
  const withCompute =
    <P, R>(work: (engine: ComputeEngine, params: P, token: CancellationToken) => R | Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R | ResponseError<ComputeErrorData>> => {
      try {
        const runtime = await session().runtime();
        return await work(runtime.engine('compute'), params, token);
      } catch (error) {
        return computeResponseError(error);
      }
    };

  onRequest(connection, ComputePreviewRequest, withCompute((engine, spec) => engine.preview(spec)));
  onRequest(connection, ComputeSubmitRequest, withCompute(async (engine, spec) => toWireRun(await engine.submit(spec))));
  onRequest(
    connection,
    ComputeListRequest,
    withCompute((engine, params) => {
      const states = params?.states === undefined ? {} : { states: params.states };
      return { runs: engine.list({ ...states, offset: params?.offset ?? 0, limit: params?.limit ?? 200 }).map(toWireRun), total: engine.list(states).length };
    }),
  );
  onRequest(connection, ComputeGetRequest, withCompute((engine, params) => toWireRun(engine.get(params.id))));
  onRequest(connection, ComputeCancelRequest, withCompute(async (engine, params) => toWireRun(await engine.cancel(params.id))));
  onRequest(connection, ComputeWaitRequest, withCompute(async (engine, params, token) => toWireRun(await engine.waitFor(engine.get(params.id).id, abortSignalOf(token)))));
  onRequest(connection, ComputeStatsRequest, withCompute((engine) => engine.stats()));
  onRequest(connection, ComputeMachineRequest, withCompute((engine) => engine.machine()));
  onRequest(connection, ComputeLogRequest, withCompute((engine, params) => readLog(engine.get(params.runId), params.offset)));
}

/** Tells the extension a run changed; machine samples are not sent (the view asks while it is visible). */
export function publishComputeChange(connection: Connection, change: ComputeChange): void {
  if (change.kind === 'machine') return;
  if (change.kind === 'token') {
    void sendNotification(connection, ComputeTokenRefusedNotification, { message: change.detail ?? 'The cluster refused the Slurm token.' });
    return;
  }
  void sendNotification(connection, DidChangeComputeNotification, change.runId === undefined ? { kind: change.kind } : { kind: change.kind, runId: change.runId });
}

export function toWireRun(run: Run): WireRun {
  const { execution, owner: _owner, workload, ...rest } = run;
  return {
    ...rest,
    workload: {
      id: workload.id,
      name: workload.name,
      type: workload.type,
      run: workload.run,
      workingFolder: workload.workingFolder,
      cpus: workload.cpus,
      memoryGb: workload.memoryGb,
      estimatedMinutes: workload.estimatedMinutes,
      priority: workload.priority,
      maxWaitMinutes: workload.maxWaitMinutes,
      ...(workload.budgetUsd === undefined ? {} : { budgetUsd: workload.budgetUsd }),
      ...(workload.tier === undefined ? {} : { tier: workload.tier }),
    },
    ...(execution === undefined ? {} : { logFile: execution.logFile }),
    ...(execution?.tier === 'cluster' ? { jobId: execution.jobId } : {}),
  };
}

async function readLog(run: Run, offset: number): Promise<{ text: string; offset: number; complete: boolean }> {
  const ended = FINISHED_STATES.has(run.state);
  const file = run.execution?.logFile;
  if (file === undefined) return { text: '', offset, complete: ended };
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return { text: '', offset, complete: ended };
  try {
    const { size } = await handle.stat();
    const length = Math.max(0, Math.min(size - offset, LOG_CHUNK_BYTES));
    const buffer = Buffer.alloc(length);
    if (length > 0) await handle.read(buffer, 0, length, offset);
    return { text: buffer.toString('utf8'), offset: offset + length, complete: ended && offset + length >= size };
  } finally {
    await handle.close();
  }
}

/** An AbortSignal that fires when the client cancels the request. */
function abortSignalOf(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

export function computeResponseError(error: unknown): ResponseError<ComputeErrorData> {
  const cancelled = cancelledResponse<ComputeErrorData>(error);
  if (cancelled !== undefined) return cancelled;
  if (error instanceof ComputeError) return new ResponseError(ErrorCodes.InvalidParams, error.message, { code: error.code });
  return genericResponseError<ComputeErrorData>(error);
}
