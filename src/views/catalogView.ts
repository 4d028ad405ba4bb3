// The Catalog view: entries grouped by kind, then (optionally) by tag. The top rows come from
// one small request (counts per kind and tag); entries load a page at a time when a group opens,
// so a catalog of 100,000 entries opens as fast as one of ten. Refreshes when the catalog
// changes, in this window or another.
import * as vscode from 'vscode';
import { CatalogGroupsRequest, CatalogListRequest, type CatalogGroup, type CatalogListParams, type EntryKind, type EntrySummary } from '../../server/protocol';
import { type Ctx } from '../ctx';

const KINDS: readonly { kind: EntryKind; label: string; icon: string }[] = [
  { kind: 'template', label: 'SQL Templates', icon: 'file-code' },
  { kind: 'pipeline', label: 'Pipeline Patterns', icon: 'type-hierarchy' },
  { kind: 'businessLogic', label: 'Business Logic', icon: 'law' },
];
const UNTAGGED = '(untagged)';
const GROUP_BY_TAG_CONTEXT = 'neurolake.catalog.groupedByTag';
export const PAGE_SIZE = 200;

export type CatalogNode =
  | { readonly type: 'kind'; readonly group: CatalogGroup }
  | { readonly type: 'tag'; readonly kind: EntryKind; readonly tag: string; readonly count: number }
  | { readonly type: 'entry'; readonly entry: EntrySummary; readonly parentKey: string }
  | { readonly type: 'more'; readonly parentKey: string; readonly remaining: number };

export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private groups: Promise<CatalogGroup[]> | undefined;
  /** Pages shown per group (by parent key); a refresh keeps them, so nothing the user opened collapses. */
  private readonly pages = new Map<string, number>();
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
    this.groups = undefined;
    this.changed.fire();
  }

  /** The top rows as the view shows them after a refresh: each kind's label and entry count. */
  async topRows(): Promise<{ label: string; count: number }[]> {
    return (await this.loadGroups()).map((group) => ({ label: KINDS.find((k) => k.kind === group.kind)!.label, count: group.count }));
  }

  setGroupByTag(on: boolean): void {
    this.groupByTag = on;
    void vscode.commands.executeCommand('setContext', GROUP_BY_TAG_CONTEXT, on);
    this.changed.fire();
  }

  /** Shows the next page of a group (the "more" row's command). */
  loadMore(parentKey: string): void {
    this.pages.set(parentKey, (this.pages.get(parentKey) ?? 1) + 1);
    this.changed.fire();
  }

  async getChildren(node?: CatalogNode): Promise<CatalogNode[]> {
    if (node === undefined) {
      // Empty catalog: no groups, so VS Code shows the welcome content.
      return (await this.loadGroups()).map((group) => ({ type: 'kind' as const, group }));
    }
    switch (node.type) {
      case 'kind':
        if (!this.groupByTag) return this.page(node.group.kind, { kind: node.group.kind }, node.group.count);
        return [
          ...Object.entries(node.group.tags)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([tag, count]) => ({ type: 'tag' as const, kind: node.group.kind, tag, count })),
          ...(node.group.untagged > 0 ? [{ type: 'tag' as const, kind: node.group.kind, tag: UNTAGGED, count: node.group.untagged }] : []),
        ];
      case 'tag':
        return this.page(
          `${node.kind}/${node.tag}`,
          node.tag === UNTAGGED ? { kind: node.kind, untagged: true } : { kind: node.kind, tags: [node.tag] },
          node.count,
        );
      default:
        return [];
    }
  }

  getTreeItem(node: CatalogNode): vscode.TreeItem {
    switch (node.type) {
      case 'kind': {
        const { label, icon } = KINDS.find((k) => k.kind === node.group.kind)!;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `kind/${node.group.kind}/${this.groupByTag}`;
        item.iconPath = new vscode.ThemeIcon(icon);
        item.description = String(node.group.count);
        item.contextValue = 'catalogGroup';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `tag/${node.kind}/${node.tag}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.description = String(node.count);
        item.contextValue = 'catalogGroup';
        return item;
      }
      case 'entry':
        return entryItem(node.entry, node.parentKey);
      case 'more': {
        const item = new vscode.TreeItem(`Show ${Math.min(PAGE_SIZE, node.remaining)} more…`, vscode.TreeItemCollapsibleState.None);
        item.id = `more/${node.parentKey}`;
        item.description = `${node.remaining} not shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'neurolake.catalog.loadMore', title: 'Show more', arguments: [node.parentKey] };
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private loadGroups(): Promise<CatalogGroup[]> {
    this.groups ??= this.ctx.request(CatalogGroupsRequest, {}).catch((error: unknown) => {
      this.groups = undefined;
      this.ctx.log.error(`Loading the catalog failed: ${String(error)}`);
      throw error;
    });
    return this.groups;
  }

  /** The first pages of a group, in name order, and a "more" row when it holds more. */
  private async page(parentKey: string, filter: CatalogListParams, count: number): Promise<CatalogNode[]> {
    const limit = PAGE_SIZE * (this.pages.get(parentKey) ?? 1);
    const entries = await this.ctx.request(CatalogListRequest, { ...filter, offset: 0, limit });
    const nodes: CatalogNode[] = entries.map((entry) => ({ type: 'entry' as const, entry, parentKey }));
    return count > entries.length ? [...nodes, { type: 'more' as const, parentKey, remaining: count - entries.length }] : nodes;
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
