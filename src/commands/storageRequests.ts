// Storage requests sent one object at a time with the server's work-done progress followed, and
// the one loop that moves objects between tiers: the Storage view's Promote, Demote, Archive and
// Restore and a drop of rows on a tier both move through `moveEach`.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { REQUEST_CANCELLED, StorageMoveRequest, type StorageMove, type StorageObject, type WorkDoneProgressValue } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { type MoveFailure } from './storageText';

export interface PlannedMove {
  readonly key: string;
  readonly move: StorageMove;
}

export interface MovesDone {
  readonly moved: StorageObject[];
  readonly failed: MoveFailure[];
  readonly cancelled: boolean;
}

/** A begin or report of the server's work-done progress: what it says of the work while it runs. */
export type WorkDoneReport = Exclude<WorkDoneProgressValue, { readonly kind: 'end' }>;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A request the user's Cancel stopped before it changed anything. */
export function isCancelled(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === REQUEST_CANCELLED;
}

/** Runs `send` with a fresh work-done token and passes the server's reports (all but the end) on. */
export async function sendWithWorkDone<R>(ctx: Ctx, cancel: vscode.CancellationToken, onReport: (value: WorkDoneReport) => void, send: (token: string) => Promise<R>): Promise<R> {
  const workDoneToken = `neurolake-${randomUUID()}`;
  const listening = await ctx.onWorkDoneProgress(workDoneToken, (value: WorkDoneProgressValue) => {
    if (value.kind !== 'end') onReport(value);
  });
  try {
    // Cancelled while listening was set up: a request sent now could overtake its own cancel.
    if (cancel.isCancellationRequested) throw Object.assign(new Error('Cancelled before it started; nothing was changed.'), { code: REQUEST_CANCELLED });
    return await send(workDoneToken);
  } finally {
    listening.dispose();
  }
}

/**
 * Moves each object in turn under one progress notification titled `title`, with Cancel. The
 * notification names the object ("2 of 5: key") and what the server says of it. An object that
 * fails is logged and listed and the others still move; Cancel cancels the move in flight (which
 * then changes nothing) and stops before the next one.
 */
export async function moveEach(ctx: Ctx, title: string, planned: readonly PlannedMove[]): Promise<MovesDone> {
  const moved: StorageObject[] = [];
  const failed: MoveFailure[] = [];
  let cancelled = false;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    for (const [index, { key, move }] of planned.entries()) {
      if (cancel.isCancellationRequested) {
        cancelled = true;
        break;
      }
      const where = planned.length === 1 ? key : `${index + 1} of ${planned.length}: ${key}`;
      progress.report({ message: where });
      const follow = (value: WorkDoneReport): void => {
        const percent = value.percentage === undefined ? '' : ` (${value.percentage}%)`;
        if (value.message !== undefined || percent !== '') progress.report({ message: `${where} — ${value.message ?? ''}${percent}` });
      };
      try {
        moved.push(await sendWithWorkDone(ctx, cancel, follow, (workDoneToken) => ctx.request(StorageMoveRequest, { key, move, workDoneToken }, cancel)));
      } catch (error) {
        if (cancel.isCancellationRequested && isCancelled(error)) {
          cancelled = true;
          break;
        }
        failed.push({ key, message: messageOf(error) });
        ctx.log.warn(`${title} ${key} failed: ${messageOf(error)}`);
      } finally {
        progress.report({ increment: 100 / planned.length });
      }
    }
  });
  return { moved, failed, cancelled };
}
