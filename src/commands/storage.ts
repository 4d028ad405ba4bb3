// Commands of the Storage view's objects and of the view itself: Refresh, Download…, Open, Promote
// to Local, Demote to Cloud, Archive, Restore, Delete, Copy Key, Copy S3 URI, Copy Presigned URL,
// Show Storage Statistics and Verify Storage; ids neurolake.storage.*. Item commands act on the
// clicked row or every selected row. Whatever changes storage refuses in an untrusted workspace.
// Tests answer the questions through the optional last argument instead of dialogs.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  REQUEST_CANCELLED,
  StorageDeleteRequest,
  StorageMoveRequest,
  StoragePresignRequest,
  StorageRetrieveRequest,
  StorageS3UriRequest,
  StorageStatRequest,
  StorageStatsRequest,
  StorageVerifyRequest,
  type StorageMove,
  type StorageObject,
  type StorageTier,
  type StorageVerifyReport,
} from '../../server/protocol';
import { type Ctx } from '../ctx';
import { requestWithProgress } from '../progress';
import { selectedObjects, type StorageNode } from '../views/storageNodes';
import { keyName } from '../views/storageRows';
import { type StorageRowSnapshot } from '../views/storageView';
import { type CommandDeps, type CommandFactories } from './registry';
import {
  DEFAULT_PRESIGN_TEXT,
  MOVE_TITLES,
  deleteQuestion,
  describeSeconds,
  moveSummary,
  parseExpiry,
  statsMarkdown,
  verifyMarkdown,
  type MoveFailure,
} from './storageText';

/** A row, a key (from another command or a test), or nothing: then the view's selection. */
type Target = StorageNode | string | undefined;

export interface MoveOutcome {
  readonly moved: readonly StorageObject[];
  readonly failed: readonly MoveFailure[];
  readonly cancelled: boolean;
}

export interface DeleteOptions {
  /** Answers the confirmation instead of the modal dialog (tests); true deletes. */
  readonly answer?: (question: { message: string; detail: string }) => boolean | Promise<boolean>;
}

/** Nothing in storage changes from an untrusted workspace; say so instead of failing later. */
function assertTrusted(what: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new Error(`This workspace is not trusted, so NeuroLake changes nothing in storage from it; "${what}" was not run. Trust the workspace to use it.`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function wasCancelled(error: unknown): boolean {
  return (error as { code?: unknown }).code === REQUEST_CANCELLED;
}

/** The objects a command acts on: the clicked row or the selected ones, as they are now. */
async function targets({ ctx, views }: CommandDeps, clicked: Target, selected: readonly StorageNode[] | undefined, what: string): Promise<StorageObject[]> {
  if (typeof clicked === 'string') return [await ctx.request(StorageStatRequest, { key: clicked })];
  const objects = selectedObjects(clicked, selected);
  const chosen = objects.length > 0 || clicked !== undefined ? objects : selectedObjects(undefined, views.storageTree.selection);
  if (chosen.length === 0) throw new Error(`${what}: select one or more objects in the Storage view first.`);
  // One object shown under two tiers and selected in both is still one object.
  return [...new Map(chosen.map((object) => [object.key, object])).values()];
}

/** Sends one request with its work-done progress shown as `show(message)`; cancelled with `token`. */
async function withFollowedProgress<R>(ctx: Ctx, token: vscode.CancellationToken, show: (message: string) => void, send: (workDoneToken: string) => Promise<R>): Promise<R> {
  const workDoneToken = `neurolake-${randomUUID()}`;
  const listening = await ctx.onWorkDoneProgress(workDoneToken, (value) => {
    if (value.kind === 'end') return;
    const percent = value.percentage === undefined ? '' : ` (${value.percentage}%)`;
    if (value.message !== undefined || percent !== '') show(`${value.message ?? ''}${percent}`);
  });
  try {
    return await send(workDoneToken);
  } finally {
    listening.dispose();
  }
}

/**
 * Moves each object in turn under one progress notification with Cancel. An object that fails is
 * reported and the others still move; Cancel stops before the next one (the current one's move is
 * cancelled and changes nothing).
 */
async function moveObjects(deps: CommandDeps, move: StorageMove, objects: readonly StorageObject[]): Promise<MoveOutcome> {
  const { ctx } = deps;
  const { title } = MOVE_TITLES[move];
  const moved: StorageObject[] = [];
  const failed: MoveFailure[] = [];
  let cancelled = false;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    for (const [index, object] of objects.entries()) {
      if (cancel.isCancellationRequested) {
        cancelled = true;
        break;
      }
      const where = objects.length === 1 ? object.key : `${index + 1} of ${objects.length}: ${object.key}`;
      progress.report({ message: where, ...(index === 0 ? {} : { increment: 100 / objects.length }) });
      try {
        moved.push(
          await withFollowedProgress(
            ctx,
            cancel,
            (message) => progress.report({ message: `${where} — ${message}` }),
            (workDoneToken) => ctx.request(StorageMoveRequest, { key: object.key, move, workDoneToken }, cancel),
          ),
        );
      } catch (error) {
        if (cancel.isCancellationRequested && wasCancelled(error)) {
          cancelled = true;
          break;
        }
        failed.push({ key: object.key, message: messageOf(error) });
        ctx.log.warn(`${title} ${object.key} failed: ${messageOf(error)}`);
      }
    }
  });
  const restoring = moved.filter((object) => object.restoring !== undefined);
  const summary = `${moveSummary(move, moved, failed, restoring)}${cancelled ? ` Cancelled: ${objects.length - moved.length - failed.length} not moved.` : ''}`.trim();
  if (failed.length > 0) void ctx.offerLog('error', `${title}: ${summary}`);
  else if (summary !== '') void vscode.window.showInformationMessage(summary);
  return { moved, failed, cancelled };
}

function moveCommand(move: StorageMove): (deps: CommandDeps) => (clicked?: Target, selected?: readonly StorageNode[]) => Promise<MoveOutcome> {
  return (deps) => async (clicked, selected) => {
    assertTrusted(MOVE_TITLES[move].title);
    return moveObjects(deps, move, await targets(deps, clicked, selected, MOVE_TITLES[move].title));
  };
}

/** Read-only virtual documents for the statistics and verify reports: nothing to save, nothing left dirty. */
const REPORT_SCHEME = 'neurolake-storage-report';
class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Shows `text` as the document `name`, rendered as Markdown when the Markdown preview is there. */
  async show(name: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes('markdown.showPreview')) await vscode.commands.executeCommand('markdown.showPreview', uri);
    else await vscode.window.showTextDocument(uri, { preview: true });
    return uri;
  }
}

let reports: ReportDocuments | undefined;
function reportDocuments(ctx: Ctx): ReportDocuments {
  if (reports === undefined) {
    const created = new ReportDocuments();
    reports = created;
    ctx.extensionContext.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, created), {
      dispose: () => {
        if (reports === created) reports = undefined;
      },
    });
  }
  return reports;
}

async function deleteObjects({ ctx }: CommandDeps, objects: readonly StorageObject[]): Promise<{ deleted: { key: string; copies: readonly StorageTier[] }[]; failed: MoveFailure[] }> {
  const deleted: { key: string; copies: readonly StorageTier[] }[] = [];
  const failed: MoveFailure[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Deleting', cancellable: false }, async (progress) => {
    for (const [index, object] of objects.entries()) {
      progress.report({ message: `${index + 1} of ${objects.length}: ${object.key}`, ...(index === 0 ? {} : { increment: 100 / objects.length }) });
      try {
        deleted.push(await ctx.request(StorageDeleteRequest, { key: object.key }));
      } catch (error) {
        failed.push({ key: object.key, message: messageOf(error) });
        ctx.log.warn(`Deleting ${object.key} failed: ${messageOf(error)}`);
      }
    }
  });
  if (failed.length > 0) {
    void ctx.offerLog('error', `Deleted ${deleted.length} of ${objects.length}; ${failed.map((failure) => `${failure.key}: ${failure.message}`).join(' ')}`);
  } else {
    void vscode.window.showInformationMessage(deleted.length === 1 ? `Deleted ${deleted[0]!.key}.` : `Deleted ${deleted.length} objects.`);
  }
  return { deleted, failed };
}

export const storageCommands: CommandFactories = {
  /** Contacts the cloud tier and reads every row again; resolves to the rows as the view then shows them. */
  'neurolake.storage.refresh':
    ({ views }) =>
    async (): Promise<StorageRowSnapshot[]> => {
      views.storage.refresh({ check: true });
      return views.storage.snapshot();
    },

  'neurolake.storage.loadMore':
    ({ views }) =>
    (tier: StorageTier, prefix: string) =>
      views.storage.loadMore(tier, prefix),

  /** Saves the object to a file the user picks (or `options.path`), with progress and Cancel. */
  'neurolake.storage.download':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[], options?: { path?: string }): Promise<vscode.Uri | undefined> => {
      assertTrusted('Download');
      const [object] = await targets(deps, clicked, selected, 'Download');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
      const target = options?.path === undefined ? await vscode.window.showSaveDialog({ title: `Download ${object!.key}`, defaultUri: vscode.Uri.joinPath(folder, keyName(object!.key)), saveLabel: 'Download' }) : vscode.Uri.file(options.path);
      if (target === undefined) return undefined;
      const info = await requestWithProgress(deps.ctx, `Downloading ${object!.key}`, StorageRetrieveRequest, { key: object!.key, path: target.fsPath });
      if (info === undefined) return undefined;
      void vscode.window.showInformationMessage(`Downloaded ${object!.key} to ${target.fsPath} (from ${info.tier}).`);
      return target;
    },

  /**
   * Opens a copy of the object in an editor. The copy is a file under the extension's storage,
   * named by checksum and key: keeping the key's name lets the editor pick the language (or its
   * binary view), and the bytes stream to disk instead of through the extension's memory, which a
   * read-only file system provider would need for a large object. An object whose only copy is
   * archived opens read-only: edits could never go back to where it lives.
   */
  'neurolake.storage.open':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[]): Promise<vscode.Uri | undefined> => {
      assertTrusted('Open');
      const [object] = await targets(deps, clicked, selected, 'Open');
      const folder = join(deps.ctx.extensionContext.globalStorageUri.fsPath, 'opened', object!.sha256.slice(0, 16));
      await mkdir(folder, { recursive: true });
      const path = join(folder, keyName(object!.key));
      const info = await requestWithProgress(deps.ctx, `Opening ${object!.key}`, StorageRetrieveRequest, { key: object!.key, path });
      if (info === undefined) return undefined;
      const uri = vscode.Uri.file(path);
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
      if (object!.tiers.length === 1 && object!.tiers[0] === 'archive') await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
      return uri;
    },

  'neurolake.storage.promoteToLocal': moveCommand('promote'),
  'neurolake.storage.demoteToCloud': moveCommand('demote'),
  'neurolake.storage.archive': moveCommand('archive'),
  'neurolake.storage.restore': moveCommand('restore'),

  /** Deletes every copy of each object after a modal confirmation naming the copies that exist. */
  'neurolake.storage.delete':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[], options?: DeleteOptions) => {
      assertTrusted('Delete');
      const chosen = await targets(deps, clicked, selected, 'Delete');
      // The copies as the index has them now, not as the row showed them when it was painted.
      const objects = await Promise.all(chosen.map((object) => deps.ctx.request(StorageStatRequest, { key: object.key })));
      const question = deleteQuestion(objects);
      const confirmed =
        options?.answer !== undefined
          ? await options.answer(question)
          : (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Delete')) === 'Delete';
      if (!confirmed) return undefined;
      return { question, ...(await deleteObjects(deps, objects)) };
    },

  'neurolake.storage.copyKey':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[]): Promise<string> => {
      const objects = await targets(deps, clicked, selected, 'Copy Key');
      const text = objects.map((object) => object.key).join('\n');
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${objects.length === 1 ? objects[0]!.key : `${objects.length} keys`}`, 3000);
      return text;
    },

  'neurolake.storage.copyS3Uri':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[]): Promise<string> => {
      const objects = await targets(deps, clicked, selected, 'Copy S3 URI');
      const uris = await Promise.all(objects.map(async (object) => (await deps.ctx.request(StorageS3UriRequest, { key: object.key })).uri));
      const text = uris.join('\n');
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`$(link) Copied ${uris.length === 1 ? uris[0]! : `${uris.length} S3 URIs`}`, 3000);
      return text;
    },

  /** Asks how long the URL should work (default an hour), then copies a URL that reads the cloud copy. */
  'neurolake.storage.copyPresignedUrl':
    (deps) =>
    async (clicked?: Target, selected?: readonly StorageNode[], options?: { expiresInSeconds?: number }): Promise<string | undefined> => {
      assertTrusted('Copy Presigned URL');
      const [object] = await targets(deps, clicked, selected, 'Copy Presigned URL');
      const current = await deps.ctx.request(StorageStatRequest, { key: object!.key });
      if (!current.tiers.includes('cloud')) {
        const next = current.tiers.includes('local') ? 'demote it to the cloud first (Demote to Cloud)' : 'restore it to the cloud first (Restore)';
        throw new Error(`${current.key} has no cloud copy, so there is nothing a presigned URL could read: ${next}.`);
      }
      let seconds = options?.expiresInSeconds;
      if (seconds === undefined) {
        const answer = await vscode.window.showInputBox({
          title: `Presigned URL for ${current.key}`,
          prompt: 'How long the URL works: 90s, 15m, 1h or 7d (from a minute to 7 days)',
          value: DEFAULT_PRESIGN_TEXT,
          validateInput: (text) => {
            const parsed = parseExpiry(text);
            return 'error' in parsed ? parsed.error : undefined;
          },
        });
        if (answer === undefined) return undefined;
        const parsed = parseExpiry(answer);
        if ('error' in parsed) throw new Error(parsed.error);
        seconds = parsed.seconds;
      }
      const { url, expiresAt } = await deps.ctx.request(StoragePresignRequest, { key: current.key, expiresInSeconds: seconds });
      await vscode.env.clipboard.writeText(url);
      void vscode.window.showInformationMessage(`Copied a URL that reads ${current.key} for ${describeSeconds(seconds)} (until ${new Date(expiresAt).toLocaleString()}). Anyone holding it can read the object.`);
      return url;
    },

  /** Hit rate, saving against all-cloud, and objects, bytes and cost per tier, as a Markdown page. */
  'neurolake.storage.showStats':
    ({ ctx }) =>
    async (): Promise<string> => {
      const text = statsMarkdown(await ctx.request(StorageStatsRequest, {}));
      await reportDocuments(ctx).show('Storage Statistics', text);
      return text;
    },

  /** Recomputes checksums and checks every copy, with progress; problems are listed in a report. */
  'neurolake.storage.verify':
    ({ ctx }) =>
    async (): Promise<StorageVerifyReport | undefined> => {
      assertTrusted('Verify Storage');
      const report = await requestWithProgress(ctx, 'Verifying storage', StorageVerifyRequest, {});
      if (report === undefined) return undefined;
      if (report.problems.length === 0 && report.orphans.length === 0) {
        void vscode.window.showInformationMessage(`Verified ${report.checked} object${report.checked === 1 ? '' : 's'}: every copy matches its checksum.`);
      } else {
        await reportDocuments(ctx).show('Storage Verification', verifyMarkdown(report));
        void vscode.window.showWarningMessage(`Verify Storage found ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} and ${report.orphans.length} orphan${report.orphans.length === 1 ? '' : 's'}; nothing was deleted.`);
      }
      return report;
    },
};
