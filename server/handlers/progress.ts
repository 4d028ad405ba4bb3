// Long requests over LSP: maps a request's cancellation token and LSP work-done progress onto the
// plain WorkOptions every engine takes, so a long handler is one call:
//   withWorkDone(connection, params, token, 'Importing a catalog bundle', (work) => engine.run(…, work))
// Progress goes to the client's `workDoneToken` when the request names one; else to a token the
// server asks the client to create, when it supports that; else nowhere.
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Disposable, type WorkDoneProgressReporter, type WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { CancelledError, describeProgress, percentOf, type ProgressReporter, type WorkOptions } from '../engines/common';
import type { WorkDoneParams } from '../protocol';

export async function withWorkDone<R>(
  connection: Connection,
  params: WorkDoneParams,
  token: CancellationToken,
  title: string,
  work: (options: WorkOptions) => Promise<R>,
): Promise<R> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  const reporter = await reporterFor(connection, params);
  const subscriptions: Disposable[] = [token.onCancellationRequested(cancel)];
  // A server-created progress has a Cancel of its own in the client's UI.
  if (isServerReporter(reporter)) subscriptions.push(reporter.token.onCancellationRequested(cancel));
  if (token.isCancellationRequested) cancel();
  reporter.begin(title, 0, undefined, true);
  try {
    return await work({ progress: asLspProgress(reporter), signal: controller.signal });
  } finally {
    reporter.done();
    for (const subscription of subscriptions) subscription.dispose();
  }
}

/** The response for work the user cancelled: LSP's RequestCancelled, with the engine's words. */
export function cancelledResponse<D extends { code: string }>(error: unknown): ResponseError<D> | undefined {
  if (!(error instanceof CancelledError)) return undefined;
  return new ResponseError(LSPErrorCodes.RequestCancelled, error.message, { code: 'cancelled' } as D);
}

async function reporterFor(connection: Connection, params: WorkDoneParams): Promise<WorkDoneProgressReporter | WorkDoneProgressServerReporter> {
  if (params.workDoneToken !== undefined) return connection.window.attachWorkDoneProgress(params.workDoneToken);
  // Resolves to a reporter that sends nothing when the client cannot show server-created progress;
  // a client that refuses to create one gets none, and the work goes on.
  return connection.window.createWorkDoneProgress().catch(() => SILENT);
}

const SILENT: WorkDoneProgressReporter = { begin: () => undefined, report: () => undefined, done: () => undefined };

function isServerReporter(reporter: WorkDoneProgressReporter | WorkDoneProgressServerReporter): reporter is WorkDoneProgressServerReporter {
  return 'token' in reporter;
}

/**
 * Sends an update only when its phase or its whole percentage moved, so work that reports every
 * chunk (an upload) does not flood the connection.
 */
function asLspProgress(reporter: WorkDoneProgressReporter): ProgressReporter {
  let last: string | undefined;
  return {
    report(update) {
      const percentage = percentOf(update);
      const key = `${update.message ?? ''}\u0000${percentage ?? update.done ?? ''}`;
      if (key === last) return;
      last = key;
      const message = describeProgress(update);
      if (percentage === undefined) reporter.report(message);
      else reporter.report(percentage, message);
    },
  };
}
