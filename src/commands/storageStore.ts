// Getting data into storage and keeping it where it is cheapest: Store Files…, Store Folder…,
// the Explorer's "Store in NeuroLake" and Optimize Placement. Run from a tier or folder row, the
// files go there (prefix and tier); from the palette, the prefix is asked and the engine picks the tier.
import * as vscode from 'vscode';
import { StoragePlanPanel } from '../webviews/storagePlan';
import { type StorageNode } from '../views/storageNodes';
import { type CommandFactories } from './registry';
import { assertTrusted, collectFiles, storeItems } from './storeRun';
import { normalizePrefix, targetOf, TIER_LABELS, type StoreTarget } from './storeTargets';

/** A row of the Storage view, as opposed to a URI from the Explorer or a test. */
function isStorageNode(value: unknown): value is StorageNode {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && 'type' in value && 'tier' in value;
}

/** The clicked row's place, or (from the palette) the prefix the user types; undefined: they dismissed it. */
async function chooseTarget(node: unknown, title: string): Promise<StoreTarget | undefined> {
  if (isStorageNode(node)) return targetOf(node);
  const prefix = await vscode.window.showInputBox({
    title,
    prompt: 'Key prefix (a folder in storage), or empty to store at the top',
    placeHolder: 'datasets/2024/',
    value: '',
  });
  return prefix === undefined ? undefined : { tier: undefined, prefix: normalizePrefix(prefix) };
}

function storeTitle(target: StoreTarget): string {
  const where = `${target.tier === undefined ? 'NeuroLake' : TIER_LABELS[target.tier]}${target.prefix === '' ? '' : ` (${target.prefix})`}`;
  return `Storing in ${where}`;
}

function isUriList(value: unknown): value is readonly vscode.Uri[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => item instanceof vscode.Uri);
}

/** URIs a command got from the Explorer: the clicked one, or all selected ones. */
function explorerUris(clicked: unknown, selected: unknown): vscode.Uri[] {
  if (isUriList(selected)) return [...selected];
  return clicked instanceof vscode.Uri ? [clicked] : [];
}

export const storageStoreCommands: CommandFactories = {
  /** Store Files…: the files picked in an open dialog, each under the prefix as its own name. */
  'neurolake.storage.storeFiles':
    ({ ctx }) =>
    async (node?: StorageNode, files?: readonly unknown[]) => {
      assertTrusted();
      const target = await chooseTarget(node, 'Store Files');
      if (target === undefined) return undefined;
      // From a row's menu the second argument is the view's selection, not files: ask for those.
      const given = isUriList(files) ? files : undefined;
      const uris =
        given ??
        (await vscode.window.showOpenDialog({ title: `Store Files in ${storeTitle(target).slice('Storing in '.length)}`, canSelectMany: true, canSelectFiles: true, canSelectFolders: false, openLabel: 'Store' }));
      if (uris === undefined || uris.length === 0) return undefined;
      const { items } = await collectFiles(uris, target.prefix);
      return storeItems(ctx, items, target, storeTitle(target));
    },

  /** Store Folder…: every file under the folder, keys keeping its path from the folder's name down. */
  'neurolake.storage.storeFolder':
    ({ ctx }) =>
    async (node?: StorageNode, folder?: unknown) => {
      assertTrusted();
      const target = await chooseTarget(node, 'Store Folder');
      if (target === undefined) return undefined;
      const uri = (folder instanceof vscode.Uri ? folder : undefined) ?? (await vscode.window.showOpenDialog({ title: 'Store Folder', canSelectMany: false, canSelectFiles: false, canSelectFolders: true, openLabel: 'Store' }))?.[0];
      if (uri === undefined) return undefined;
      const { items, skipped } = await collectFiles([uri], target.prefix);
      if (skipped.length > 0) ctx.log.info(`Not stored (links to folders, or not regular files): ${skipped.join(', ')}`);
      return storeItems(ctx, items, target, storeTitle(target));
    },

  /** The Explorer's "Store in NeuroLake": the selected files and folders, at the top of storage. */
  'neurolake.storage.storeFromExplorer':
    ({ ctx }) =>
    async (clicked?: vscode.Uri, selected?: readonly vscode.Uri[]) => {
      assertTrusted();
      const uris = explorerUris(clicked, selected);
      if (uris.length === 0) throw new Error('Choose files or folders in the Explorer first.');
      const target: StoreTarget = { tier: undefined, prefix: '' };
      const { items, skipped } = await collectFiles(uris, target.prefix);
      if (skipped.length > 0) ctx.log.info(`Not stored (links to folders, or not regular files): ${skipped.join(', ')}`);
      return storeItems(ctx, items, target, storeTitle(target));
    },

  /** Optimize Placement: the plan, its moves and its saving, in a view with Apply. */
  'neurolake.storage.optimize':
    ({ ctx }) =>
    () =>
      StoragePlanPanel.show(ctx),
};
