// The Catalog view: entries grouped by kind, then (optionally) by tag. Asks the server for the
// list and refreshes when the catalog changes, in this window or another.
import * as vscode from 'vscode';
import { CatalogListRequest, type EntryKind, type EntrySummary } from '../../server/protocol';
import { type Ctx } from '../ctx';

const KINDS: readonly { kind: EntryKind; label: string; icon: string }[] = [
  { kind: 'template', label: 'SQL Templates', icon: 'file-code' },
  { kind: 'pipeline', label: 'Pipeline Patterns', icon: 'type-hierarchy' },
  { kind: 'businessLogic', label: 'Business Logic', icon: 'law' },
];
const UNTAGGED = '(untagged)';
const GROUP_BY_TAG_CONTEXT = 'neurolake.catalog.groupedByTag';

export type CatalogNode =
  | { readonly type: 'kind'; readonly kind: EntryKind; readonly entries: readonly EntrySummary[] }
  | { readonly type: 'tag'; readonly kind: EntryKind; readonly tag: string; readonly entries: readonly EntrySummary[] }
  | { readonly type: 'entry'; readonly entry: EntrySummary; readonly parentKey: string };

export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: Promise<EntrySummary[]> | undefined;
  private groupByTag = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    void vscode.commands.executeCommand('setContext', GROUP_BY_TAG_CONTEXT, false);
    // Many changes arrive at once during an import or from another window: refresh once for them.
    this.disposables.push(
      ctx.onDidChangeCatalog(() => {
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => this.refresh(), 100);
      }),
    );
  }

  refresh(): void {
    this.entries = undefined;
    this.changed.fire();
  }

  setGroupByTag(on: boolean): void {
    this.groupByTag = on;
    void vscode.commands.executeCommand('setContext', GROUP_BY_TAG_CONTEXT, on);
    this.changed.fire();
  }

  /** The entries currently listed, loading them once per refresh. */
  list(): Promise<EntrySummary[]> {
    this.entries ??= this.ctx.request(CatalogListRequest.type, {}).catch((error: unknown) => {
      this.entries = undefined;
      this.ctx.log.error(`Loading the catalog failed: ${String(error)}`);
      throw error;
    });
    return this.entries;
  }

  async getChildren(node?: CatalogNode): Promise<CatalogNode[]> {
    if (node === undefined) {
      const entries = await this.list();
      // Empty catalog: no groups, so VS Code shows the welcome content.
      if (entries.length === 0) return [];
      return KINDS.map(({ kind }) => ({ type: 'kind' as const, kind, entries: entries.filter((e) => e.kind === kind) })).filter(
        (group) => group.entries.length > 0,
      );
    }
    if (node.type === 'kind' && this.groupByTag) {
      const tags = new Map<string, EntrySummary[]>();
      for (const entry of node.entries) {
        for (const tag of entry.tags.length === 0 ? [UNTAGGED] : entry.tags) tags.set(tag, [...(tags.get(tag) ?? []), entry]);
      }
      return [...tags.keys()]
        .sort((a, b) => (a === UNTAGGED ? 1 : b === UNTAGGED ? -1 : a.localeCompare(b)))
        .map((tag) => ({ type: 'tag' as const, kind: node.kind, tag, entries: tags.get(tag)! }));
    }
    if (node.type === 'entry') return [];
    const parentKey = node.type === 'kind' ? node.kind : `${node.kind}/${node.tag}`;
    return [...node.entries].sort((a, b) => a.name.localeCompare(b.name)).map((entry) => ({ type: 'entry' as const, entry, parentKey }));
  }

  getTreeItem(node: CatalogNode): vscode.TreeItem {
    switch (node.type) {
      case 'kind': {
        const { label, icon } = KINDS.find((k) => k.kind === node.kind)!;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `kind/${node.kind}/${this.groupByTag}`;
        item.iconPath = new vscode.ThemeIcon(icon);
        item.description = String(node.entries.length);
        item.contextValue = 'catalogGroup';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `tag/${node.kind}/${node.tag}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.description = String(node.entries.length);
        item.contextValue = 'catalogGroup';
        return item;
      }
      case 'entry':
        return entryItem(node.entry, node.parentKey);
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function entryItem(entry: EntrySummary, parentKey: string): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
  // An entry listed under several tags needs one id per place in the tree.
  item.id = `entry/${parentKey}/${entry.id}`;
  const icon = KINDS.find((k) => k.kind === entry.kind)!.icon;
  item.iconPath =
    entry.deprecated === undefined ? new vscode.ThemeIcon(icon) : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  item.description = [`v${entry.version}`, entry.builtin === true ? 'built-in' : undefined, entry.deprecated === undefined ? undefined : 'deprecated']
    .filter(Boolean)
    .join(' · ');
  item.tooltip = entryTooltip(entry);
  // Menus in package.json match on these words: kind, built-in, deprecated.
  item.contextValue = ['catalogEntry', entry.kind, entry.builtin === true ? 'builtin' : 'editable', entry.deprecated === undefined ? 'current' : 'deprecated'].join(' ');
  item.command = { command: 'neurolake.catalog.open', title: 'Open', arguments: [entry] };
  return item;
}

export function entryTooltip(entry: EntrySummary): vscode.MarkdownString {
  const usage = entry.usage;
  const uses = usage === undefined ? 0 : usage.counts.inserted + usage.counts.rendered + usage.counts.executed;
  const text = new vscode.MarkdownString(undefined, true);
  text.appendMarkdown(`**${escape(entry.name)}** — v${entry.version}${entry.builtin === true ? ' (built-in)' : ''}\n\n`);
  if (entry.description !== '') text.appendMarkdown(`${escape(entry.description)}\n\n`);
  if (entry.deprecated !== undefined) text.appendMarkdown(`$(warning) Deprecated: ${escape(entry.deprecated.reason)}\n\n`);
  text.appendMarkdown(`Owner: ${escape(entry.owner)}  \n`);
  if (entry.tags.length > 0) text.appendMarkdown(`Tags: ${entry.tags.map((t) => `\`${t}\``).join(' ')}  \n`);
  text.appendMarkdown(
    uses === 0
      ? 'Not used yet'
      : `Used ${uses}× (inserted ${usage!.counts.inserted}, rendered ${usage!.counts.rendered}, executed ${usage!.counts.executed})${usage!.lastUsedAt === undefined ? '' : `, last ${new Date(usage!.lastUsedAt).toLocaleString()}`}`,
  );
  return text;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
