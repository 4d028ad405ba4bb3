// Drag and drop in the Storage view. Files and folders dropped from the Explorer or the OS onto a
// tier or folder row (or the empty view) are stored there, as Store Files… does; object rows
// dragged onto another tier's rows move there (promote, demote, archive or restore).
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { collectFiles, moveObjects, storeItems, type StoreItem } from '../commands/storeRun';
import { keyFor, parseUriList, targetOf, TIER_LABELS } from '../commands/storeTargets';
import { selectedObjects, type StorageNode } from './storageNodes';

/** The Storage view's own rows, as VS Code names a tree's drag data (the view id, lower case). */
export const STORAGE_ROWS_MIME = 'application/vnd.code.tree.neurolake.storage';
const URI_LIST_MIME = 'text/uri-list';

export class StorageDragAndDrop implements vscode.TreeDragAndDropController<StorageNode> {
  readonly dropMimeTypes = [STORAGE_ROWS_MIME, URI_LIST_MIME, 'files'];
  readonly dragMimeTypes = [STORAGE_ROWS_MIME];

  constructor(private readonly ctx: Ctx) {}

  handleDrag(source: readonly StorageNode[], dataTransfer: vscode.DataTransfer): void {
    // Only objects travel; tier, folder and "Show more…" rows are not something to move.
    const objects = source.filter((node) => node.type === 'object');
    if (objects.length === 0) return;
    dataTransfer.set(STORAGE_ROWS_MIME, new vscode.DataTransferItem(objects));
  }

  async handleDrop(target: StorageNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const rows = dataTransfer.get(STORAGE_ROWS_MIME);
    if (rows !== undefined) {
      const objects = selectedObjects(undefined, rows.value as readonly StorageNode[]);
      if (target === undefined || objects.length === 0) return;
      // Dropped where they already are: nothing to do, and nothing to say.
      if (objects.every((object) => object.tier === target.tier)) return;
      await this.report(moveObjects(this.ctx, objects, target.tier));
      return;
    }
    const items = await this.droppedFiles(dataTransfer, targetOf(target).prefix);
    if (token.isCancellationRequested || items.length === 0) return;
    const where = targetOf(target);
    await this.report(storeItems(this.ctx, items, where, `Storing in ${where.tier === undefined ? 'NeuroLake' : TIER_LABELS[where.tier]}`));
  }

  /**
   * The files of a drop: the Explorer's URIs (`text/uri-list`, folders walked as Store Folder…
   * does), else the files the OS dropped, by their URI when they have one, by their bytes when not.
   */
  private async droppedFiles(dataTransfer: vscode.DataTransfer, prefix: string): Promise<StoreItem[]> {
    const uriList = await dataTransfer.get(URI_LIST_MIME)?.asString();
    const uris = uriList === undefined ? [] : parseUriList(uriList).map((text) => vscode.Uri.parse(text, true));
    if (uris.length > 0) return (await collectFiles(uris, prefix)).items;
    const items: StoreItem[] = [];
    const withUri: vscode.Uri[] = [];
    dataTransfer.forEach((item) => {
      const file = item.asFile();
      if (file === undefined) return;
      if (file.uri !== undefined) withUri.push(file.uri);
      else items.push({ source: { name: file.name, data: () => file.data() }, key: keyFor(prefix, [file.name]), size: 0 });
    });
    return [...(await collectFiles(withUri, prefix)).items, ...items];
  }

  /** A drop has no caller to tell: failures go to the log and a notification. */
  private async report(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`Drop in the Storage view failed: ${message}`);
      void this.ctx.offerLog('error', message);
    }
  }
}
