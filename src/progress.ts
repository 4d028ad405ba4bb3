// Long requests from the extension (imports, exports, uploads, moves, restores, jobs): a
// notification with a progress bar and a Cancel. The bar follows the server's work-done progress
// on a token made up here; Cancel cancels the request, and the server then changes nothing.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { REQUEST_CANCELLED, type RequestDescriptor, type WorkDoneParams } from '../server/protocol';
import type { Ctx } from './ctx';
import { WorkDoneFollower } from './workDoneProgress';

/**
 * Sends `params` with a progress notification titled `title`. Resolves to the answer; or, when
 * the user cancelled in time, tells them nothing was changed and resolves to undefined. Work
 * that finished before the Cancel reached the server resolves to its answer as usual.
 */
export function requestWithProgress<P extends WorkDoneParams, R, E>(
  ctx: Ctx,
  title: string,
  descriptor: RequestDescriptor<P, R, E>,
  params: Omit<P, 'workDoneToken'>,
): Thenable<R | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancelButton) => {
    let listening: vscode.Disposable | undefined;
    const workDoneToken = `neurolake-${randomUUID()}`;
    const follower = new WorkDoneFollower();
    try {
      listening = await ctx.onWorkDoneProgress(workDoneToken, (value) => {
        const step = follower.next(value);
        if (step !== undefined) progress.report(step);
      });
      // Cancelled while the server was starting: a request sent now could overtake its own cancel.
      if (cancelButton.isCancellationRequested) return cancelled(`${title} was cancelled; nothing was changed.`);
      return await ctx.request(descriptor, { ...params, workDoneToken } as P, cancelButton);
    } catch (error) {
      if (cancelButton.isCancellationRequested && (error as { code?: unknown }).code === REQUEST_CANCELLED) return cancelled((error as Error).message);
      throw error;
    } finally {
      listening?.dispose();
    }
  });
}

/** Says, in the server's words when it gave them, that nothing was changed. */
function cancelled(message: string): undefined {
  void vscode.window.showInformationMessage(message);
  return undefined;
}
