// Storing files and moving objects between tiers, as Store Files…, Store Folder…, the Explorer's
// "Store in NeuroLake" and drag and drop do it: one request per file or object, all under ONE
// progress notification with a Cancel. A file that fails is reported and the rest go on; Cancel
// cancels the request in flight and stops. The summary says what happened, with Show Log.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { REQUEST_CANCELLED, StorageMoveRequest, StorageStoreRequest, type StorageObject, type StorageTier, type WorkDoneProgressValue } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { keyFor, moveToward, TIER_LABELS, type StoreTarget } from './storeTargets';
import { describeMoves, describeStore, StoreProgress, type MoveOutcome, type StoreOutcome } from './storeProgress';

/**
 * One file to store: where it is (a URI, or only its bytes when the OS dropped a file the editor
 * cannot name), the key it gets and its size (for the bytes and the ETA).
 */
export interface StoreItem {
  readonly source: vscode.Uri | { readonly name: string; data(): Thenable<Uint8Array> };
  readonly key: string;
  readonly size: number;
}

function sourceName(item: StoreItem): string {
  return item.source instanceof vscode.Uri ? item.source.fsPath : item.source.name;
}

/** Storing changes the data folder, so an untrusted workspace may browse storage but not store. */
export function assertTrusted(): void {
  if (!vscode.workspace.isTrusted) throw new Error('This workspace is not trusted, so NeuroLake stores and moves nothing here. Trust the workspace to change storage.');
}

/**
 * The files under `uris` (files as they are, folders recursively, keeping the path inside them
 * after the folder's own name), each with its key under `prefix`. Symbolic links to folders are
 * skipped, so a link cannot make the walk go round forever; they are listed in `skipped`.
 */
export async function collectFiles(uris: readonly vscode.Uri[], prefix: string): Promise<{ items: StoreItem[]; skipped: string[] }> {
  const items: StoreItem[] = [];
  const skipped: string[] = [];
  const walk = async (uri: vscode.Uri, segments: readonly string[], type: vscode.FileType): Promise<void> => {
    if ((type & vscode.FileType.Directory) !== 0) {
      if ((type & vscode.FileType.SymbolicLink) !== 0) {
        skipped.push(uri.fsPath);
        return;
      }
      const entries = await vscode.workspace.fs.readDirectory(uri);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [name, childType] of entries) await walk(vscode.Uri.joinPath(uri, name), [...segments, name], childType);
    } else if ((type & vscode.FileType.File) !== 0) {
      const { size } = await vscode.workspace.fs.stat(uri);
      items.push({ source: uri, key: keyFor(prefix, segments), size });
    } else {
      skipped.push(uri.fsPath);
    }
  };
  for (const uri of uris) {
    const { type } = await vscode.workspace.fs.stat(uri);
    const name = uri.path.split('/').filter(Boolean).pop() ?? uri.path;
    await walk(uri, [name], type);
  }
  return { items, skipped };
}

/** Sends `StorageStoreRequest` for each item and puts it in the target's tier; see the file's header. */
export async function storeItems(ctx: Ctx, items: readonly StoreItem[], target: StoreTarget, title = 'Storing in NeuroLake'): Promise<StoreOutcome> {
  assertTrusted();
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    const totalBytes = items.reduce((sum, item) => sum + item.size, 0);
    const tracker = new StoreProgress(items.length, totalBytes, Date.now());
    const show = (): void => progress.report({ message: tracker.message(Date.now()), increment: tracker.increment() });
    const result: { stored: StorageObject[]; failed: { key: string; error: string }[]; notMoved: { key: string; error: string }[]; cancelled: boolean } = {
      stored: [],
      failed: [],
      notMoved: [],
      cancelled: false,
    };
    show();
    for (const item of items) {
      if (cancel.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      tracker.startFile(item.size);
      try {
        let object = await withFilePath(item, (path) =>
          sendWithWorkDone(ctx, cancel, (percentage) => {
            tracker.fileProgress(percentage);
            show();
          }, (workDoneToken) => ctx.request(StorageStoreRequest, { key: item.key, path, workDoneToken }, cancel)),
        );
        ctx.log.info(`Stored ${sourceName(item)} as ${object.key} (${TIER_LABELS[object.tier]}).`);
        const move = target.tier === undefined || target.tier === 'local' ? undefined : moveToward(object, target.tier);
        if (move !== undefined) {
          try {
            object = await ctx.request(StorageMoveRequest, { key: object.key, move }, cancel);
          } catch (error) {
            // Stored all the same: the summary says where it stayed.
            result.notMoved.push({ key: object.key, error: messageOf(error) });
            ctx.log.warn(`${object.key} was stored but not moved to ${TIER_LABELS[target.tier!]}: ${messageOf(error)}`);
          }
        }
        result.stored.push(object);
      } catch (error) {
        if (cancel.isCancellationRequested && isCancelled(error)) {
          result.cancelled = true;
          ctx.log.info(`Cancelled while storing ${item.key}: ${messageOf(error)}`);
          break;
        }
        result.failed.push({ key: item.key, error: messageOf(error) });
        ctx.log.error(`Storing ${sourceName(item)} as ${item.key} failed: ${messageOf(error)}`);
      } finally {
        tracker.finishFile();
        show();
      }
    }
    return { ...result, total: items.length };
  });
  const summary = describeStore(outcome, target.tier);
  ctx.log.info(summary.message);
  void showSummary(ctx, summary.severity, summary.message);
  return outcome;
}

/** Moves each object to `tier` (promote, demote, archive or restore, whichever gets it there). */
export async function moveObjects(ctx: Ctx, objects: readonly StorageObject[], tier: StorageTier): Promise<MoveOutcome> {
  assertTrusted();
  const planned = objects.flatMap((object) => {
    const move = moveToward(object, tier);
    return move === undefined ? [] : [{ key: object.key, move }];
  });
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Moving to ${TIER_LABELS[tier]}`, cancellable: true },
    async (progress, cancel) => {
      const result: MoveOutcome = { tier, moved: [], failed: [], cancelled: false, alreadyThere: objects.length - planned.length, total: objects.length };
      for (const [index, { key, move }] of planned.entries()) {
        if (cancel.isCancellationRequested) {
          result.cancelled = true;
          break;
        }
        progress.report({ message: `${key} (${index + 1} of ${planned.length})` });
        try {
          result.moved.push(await sendWithWorkDone(ctx, cancel, () => undefined, (workDoneToken) => ctx.request(StorageMoveRequest, { key, move, workDoneToken }, cancel)));
        } catch (error) {
          if (cancel.isCancellationRequested && isCancelled(error)) {
            result.cancelled = true;
            break;
          }
          result.failed.push({ key, error: messageOf(error) });
          ctx.log.error(`Moving ${key} to ${TIER_LABELS[tier]} failed: ${messageOf(error)}`);
        } finally {
          progress.report({ increment: 100 / Math.max(1, planned.length) });
        }
      }
      return result;
    },
  );
  const summary = describeMoves(outcome);
  ctx.log.info(summary.message);
  void showSummary(ctx, summary.severity, summary.message);
  return outcome;
}

/** Runs `send` with a fresh work-done token and passes the server's percentages on. */
async function sendWithWorkDone<R>(ctx: Ctx, cancel: vscode.CancellationToken, onPercentage: (percentage: number) => void, send: (token: string) => Promise<R>): Promise<R> {
  const workDoneToken = `neurolake-${randomUUID()}`;
  const listening = await ctx.onWorkDoneProgress(workDoneToken, (value: WorkDoneProgressValue) => {
    if (value.kind !== 'end' && value.percentage !== undefined) onPercentage(value.percentage);
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
 * The server reads files by path. A file that is not on this machine's disk (another file system
 * provider, a file dropped from the OS into a browser) is copied to a private temporary folder
 * first, and that copy is removed afterwards.
 */
async function withFilePath<R>(item: StoreItem, use: (path: string) => Promise<R>): Promise<R> {
  const { source } = item;
  if (!(source instanceof vscode.Uri)) return withTemporaryFile(await source.data(), use);
  if (source.scheme === 'file') return use(source.fsPath);
  return withTemporaryFile(await vscode.workspace.fs.readFile(source), use);
}

/** Writes `data` to a file in a new private folder, runs `use` on its path, then removes both. */
async function withTemporaryFile<R>(data: Uint8Array, use: (path: string) => Promise<R>): Promise<R> {
  const folder = await mkdtemp(join(tmpdir(), 'neurolake-store-'));
  try {
    const path = join(folder, 'data');
    await writeFile(path, data, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function isCancelled(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === REQUEST_CANCELLED;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function showSummary(ctx: Ctx, severity: 'info' | 'warning', message: string): Promise<void> {
  const show = severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  if ((await show(message, 'Show Log')) === 'Show Log') ctx.log.show();
}
