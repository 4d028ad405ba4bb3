// Catalog commands on entries: open/edit, search, versions, copy, deprecate, delete, restore.
import * as vscode from 'vscode';
import {
  CatalogCopyRequest,
  CatalogGetRequest,
  CatalogListRequest,
  CatalogSetFlagRequest,
  CatalogVersionsRequest,
  type CatalogEntry,
} from '../../server/protocol';
import { entryUri } from '../catalogDocuments';
import { type Ctx } from '../ctx';
import { pickItem, resolveEntry, searchCatalog } from './catalogPick';
import { type CommandFactories } from './registry';

async function openEntry(ctx: Ctx, id: string, version?: string): Promise<vscode.TextEditor> {
  const entry = await ctx.request(CatalogGetRequest, { id });
  const document = await vscode.workspace.openTextDocument(entryUri(entry, version));
  return vscode.window.showTextDocument(document, { preview: false });
}

export const catalogCommands: CommandFactories = {
  'neurolake.catalog.open':
    ({ ctx }) =>
    async (arg?: unknown) => {
      const target = await resolveEntry(ctx, arg, 'Open Catalog Entry');
      if (target !== undefined) return openEntry(ctx, target.id);
      return undefined;
    },

  /** Search, then act on the chosen entry: what a person means by "find me that pattern". */
  'neurolake.catalog.search':
    ({ ctx }) =>
    async (initial?: unknown) => {
      const entry = await searchCatalog(ctx, { title: 'Search Catalog', ...(typeof initial === 'string' ? { initialValue: initial } : {}) });
      if (entry === undefined) return undefined;
      const actions = [
        ...(entry.kind === 'template' ? [{ label: '$(insert) Insert into Editor', command: 'neurolake.catalog.insert' }] : []),
        { label: entry.builtin === true ? '$(go-to-file) Open (read-only)' : '$(edit) Edit', command: 'neurolake.catalog.open' },
        { label: '$(history) Show Versions', command: 'neurolake.catalog.showVersions' },
        { label: '$(copy) Copy ID', command: 'neurolake.catalog.copyId' },
      ];
      const action = await vscode.window.showQuickPick(actions, { title: entry.name, placeHolder: entry.description });
      if (action !== undefined) await vscode.commands.executeCommand(action.command, entry);
      return entry;
    },

  /** Pick two versions and see their diff; `(entry, ['1.0.0', '1.1.0'])` opens that diff directly. */
  'neurolake.catalog.showVersions':
    ({ ctx }) =>
    async (arg?: unknown, pair?: readonly [string, string]) => {
      const target = await resolveEntry(ctx, arg, 'Show Versions');
      if (target === undefined) return undefined;
      const versions = (await ctx.request(CatalogVersionsRequest, { id: target.id })).reverse();
      if (pair !== undefined) {
        const [from, to] = pair.map((version) => versions.find((v) => v.version === version)) as [CatalogEntry | undefined, CatalogEntry | undefined];
        if (from === undefined || to === undefined) throw new Error(`${versions[0]?.name ?? target.id} has no version ${from === undefined ? pair[0] : pair[1]}.`);
        await vscode.commands.executeCommand('vscode.diff', entryUri(from, from.version), entryUri(to, to.version), `${to.name}: v${from.version} ↔ v${to.version}`);
        return versions;
      }
      if (versions.length === 1) {
        void vscode.window.showInformationMessage(`${versions[0]!.name} has one version (${versions[0]!.version}) so far.`);
        await openEntry(ctx, target.id, versions[0]!.version);
        return versions;
      }
      const items = versions.map((v, index) => ({
        label: `v${v.version}`,
        description: `${new Date(v.updatedAt).toLocaleString()}${index === 0 ? ' · current' : ''}`,
        detail: v.description,
        version: v,
        picked: index < 2,
      }));
      const chosen = await vscode.window.showQuickPick(items, {
        title: `Versions of ${versions[0]!.name}: pick two to compare`,
        canPickMany: true,
      });
      if (chosen === undefined || chosen.length === 0) return versions;
      if (chosen.length === 1) {
        await openEntry(ctx, target.id, chosen[0]!.version.version);
        return versions;
      }
      const [newer, older] = chosen.slice(0, 2).map((c) => c.version) as [CatalogEntry, CatalogEntry];
      const [from, to] = compareVersions(newer.version, older.version) < 0 ? [newer, older] : [older, newer];
      await vscode.commands.executeCommand('vscode.diff', entryUri(from, from.version), entryUri(to, to.version), `${to.name}: v${from.version} ↔ v${to.version}`);
      return versions;
    },

  'neurolake.catalog.copyId':
    ({ ctx }) =>
    async (arg?: unknown) => {
      const target = await resolveEntry(ctx, arg, 'Copy ID');
      if (target === undefined) return undefined;
      await vscode.env.clipboard.writeText(target.id);
      void vscode.window.setStatusBarMessage(`$(copy) Copied the id of ${target.name ?? target.id}`, 3000);
      return target.id;
    },

  'neurolake.catalog.copy':
    ({ ctx }) =>
    async (arg?: unknown) => {
      const target = await resolveEntry(ctx, arg, 'Copy to My Catalog');
      if (target === undefined) return undefined;
      const source = await ctx.request(CatalogGetRequest, { id: target.id });
      const name = await vscode.window.showInputBox({
        title: `Copy ${source.name}`,
        prompt: 'Name of your copy',
        value: `${source.name}_copy`,
        validateInput: (value) => (value.trim() === '' ? 'A name is required.' : undefined),
      });
      if (name === undefined) return undefined;
      const copy = await ctx.request(CatalogCopyRequest, { id: source.id, name });
      await openEntry(ctx, copy.id);
      return copy;
    },

  'neurolake.catalog.deprecate':
    ({ ctx }) =>
    async (arg?: unknown, reasonArg?: unknown) => {
      const target = await resolveEntry(ctx, arg, 'Deprecate Catalog Entry');
      if (target === undefined) return undefined;
      const reason =
        typeof reasonArg === 'string'
          ? reasonArg
          : await vscode.window.showInputBox({ title: `Deprecate ${target.name ?? ''}`, prompt: 'Why, and what to use instead (shown to everyone who uses it)' });
      if (reason === undefined) return undefined;
      return ctx.request(CatalogSetFlagRequest, { id: target.id, action: 'deprecate', reason });
    },

  'neurolake.catalog.undeprecate':
    ({ ctx }) =>
    async (arg?: unknown) => {
      const target = await resolveEntry(ctx, arg, 'Undo Deprecation');
      if (target === undefined) return undefined;
      return ctx.request(CatalogSetFlagRequest, { id: target.id, action: 'undeprecate' });
    },

  'neurolake.catalog.delete':
    ({ ctx }) =>
    async (arg?: unknown, options?: { confirm?: boolean }) => {
      const target = await resolveEntry(ctx, arg, 'Delete Catalog Entry');
      if (target === undefined) return undefined;
      if (options?.confirm !== false) {
        const answer = await vscode.window.showWarningMessage(
          `Delete "${target.name ?? target.id}"?`,
          { modal: true, detail: 'It disappears from the catalog with all its versions kept; "NeuroLake: Restore Deleted Entry" brings it back.' },
          'Delete',
        );
        if (answer !== 'Delete') return undefined;
      }
      const deleted = await ctx.request(CatalogSetFlagRequest, { id: target.id, action: 'delete' });
      void vscode.window.showInformationMessage(`Deleted ${deleted.name}.`, 'Undo').then(async (choice) => {
        if (choice === 'Undo') await ctx.request(CatalogSetFlagRequest, { id: deleted.id, action: 'restore' });
      });
      return deleted;
    },

  'neurolake.catalog.restore':
    ({ ctx }) =>
    async (arg?: unknown) => {
      let id = typeof arg === 'string' ? arg : undefined;
      if (id === undefined) {
        const deleted = (await ctx.request(CatalogListRequest, { includeDeleted: true })).filter((e) => e.deletedAt !== undefined);
        if (deleted.length === 0) {
          void vscode.window.showInformationMessage('No deleted catalog entries to restore.');
          return undefined;
        }
        const chosen = await vscode.window.showQuickPick(deleted.map(pickItem), { title: 'Restore Deleted Entry' });
        id = chosen?.entry.id;
      }
      if (id === undefined) return undefined;
      return ctx.request(CatalogSetFlagRequest, { id, action: 'restore' });
    },

  'neurolake.catalog.refresh':
    ({ views }) =>
    () =>
      views.catalog.refresh(),

  'neurolake.catalog.loadMore':
    ({ views }) =>
    (parentKey?: unknown) => {
      if (typeof parentKey === 'string') views.catalog.loadMore(parentKey);
    },

  'neurolake.catalog.groupByTag':
    ({ views }) =>
    () =>
      views.catalog.setGroupByTag(true),

  'neurolake.catalog.groupByKind':
    ({ views }) =>
    () =>
      views.catalog.setGroupByTag(false),
};

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
