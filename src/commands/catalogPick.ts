// Finding the entry a catalog command acts on: the tree row it was run on, or a QuickPick that
// searches the catalog as the user types.
import * as vscode from 'vscode';
import { CatalogSearchRequest, type EntryKind, type EntrySummary } from '../../server/protocol';
import { type Ctx } from '../ctx';

const KIND_ICONS: Record<EntryKind, string> = { template: 'file-code', pipeline: 'type-hierarchy', businessLogic: 'law' };

export interface EntryPickItem extends vscode.QuickPickItem {
  readonly entry: EntrySummary;
}

export function pickItem(entry: EntrySummary): EntryPickItem {
  return {
    label: `$(${entry.deprecated === undefined ? KIND_ICONS[entry.kind] : 'warning'}) ${entry.name}`,
    description: [`v${entry.version}`, ...entry.tags.map((t) => `#${t}`), entry.builtin === true ? 'built-in' : ''].filter(Boolean).join(' '),
    detail: entry.description || undefined,
    entry,
  };
}

/** The entry from a tree node, a summary or an id passed by another command; undefined if none. */
export function entryFromArgument(arg: unknown): { id: string; name?: string } | undefined {
  if (typeof arg === 'string' && arg !== '') return { id: arg };
  if (typeof arg === 'object' && arg !== null) {
    const node = arg as { type?: string; entry?: EntrySummary; id?: unknown };
    if (node.type === 'entry' && node.entry !== undefined) return node.entry;
    if (typeof node.id === 'string') return node as EntrySummary;
  }
  return undefined;
}

/**
 * A QuickPick over the catalog that searches on the server as the user types (ranked, typo
 * tolerant). Resolves to the chosen entry, or undefined when dismissed.
 */
export function searchCatalog(
  ctx: Ctx,
  options: { title: string; kind?: EntryKind; placeholder?: string; initialValue?: string },
): Promise<EntrySummary | undefined> {
  const pick = vscode.window.createQuickPick<EntryPickItem>();
  pick.title = options.title;
  pick.placeholder = options.placeholder ?? 'Type a name, tag or words of a description (#tag filters by tag)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.value = options.initialValue ?? '';
  let cancel: vscode.CancellationTokenSource | undefined;
  let timer: NodeJS.Timeout | undefined;

  const query = (value: string): void => {
    cancel?.cancel();
    const source = new vscode.CancellationTokenSource();
    cancel = source;
    const words = value.split(/\s+/).filter(Boolean);
    const tags = words.filter((w) => w.startsWith('#') && w.length > 1).map((w) => w.slice(1));
    const text = words.filter((w) => !w.startsWith('#')).join(' ');
    pick.busy = true;
    ctx
      .request(CatalogSearchRequest, { text, tags, limit: 100, ...(options.kind === undefined ? {} : { kind: options.kind }) }, source.token)
      .then(
        ({ results, total }) => {
          if (source.token.isCancellationRequested) return;
          // The server already ranked them; keep its order instead of VS Code's fuzzy sort.
          pick.items = results.map((entry) => ({ ...pickItem(entry), alwaysShow: true }));
          pick.title = `${options.title} (${total} found)`;
        },
        (error: unknown) => {
          if (!source.token.isCancellationRequested) pick.title = `${options.title}: ${(error as Error).message}`;
        },
      )
      .finally(() => {
        if (cancel === source) pick.busy = false;
      });
  };

  return new Promise((resolve) => {
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => query(value), 80);
    });
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.entry);
      pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      cancel?.cancel();
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
    query(pick.value);
  });
}

/** The entry for a command: the argument when given, else ask. */
export async function resolveEntry(ctx: Ctx, arg: unknown, title: string, kind?: EntryKind): Promise<{ id: string; name?: string } | undefined> {
  return entryFromArgument(arg) ?? (await searchCatalog(ctx, { title, ...(kind === undefined ? {} : { kind }) }));
}
