// The Storage view: one row per tier (Local with used / capacity, Cloud with its connection,
// Archive with its storage class); under each, folders by `/` and the objects that have a copy in
// that tier, a page at a time, so 100,000 objects open as fast as ten. Refreshes when storage
// changes, in this window, another one or the CLI.
import * as vscode from 'vscode';
import { StorageListRequest, StorageStatsRequest, StorageTiersRequest, type StorageStats, type StorageTier, type StorageTierStates } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { type StorageNode } from './storageNodes';
import { PageBook, folderRow, objectRow, tierRow, type RowText } from './storageRows';

const TIERS: readonly StorageTier[] = ['local', 'cloud', 'archive'];
export const CONFIGURE_CLOUD_COMMAND = 'neurolake.storage.configureCloud';
/** True once the tiers are read and a cloud tier is configured; the view's welcome offers Configure Cloud Tier until then. */
export const CLOUD_CONFIGURED_CONTEXT = 'neurolake.storage.cloudConfigured';
export const LOAD_MORE_COMMAND = 'neurolake.storage.loadMore';

interface TopRows {
  readonly states: StorageTierStates;
  /** Undefined when the statistics could not be read: the rows then show states without figures. */
  readonly stats: StorageStats | undefined;
}

/** A row as the view shows it, with the rows under it: what Refresh resolves to (tests read it). */
export interface StorageRowSnapshot {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  /** The hover's Markdown. */
  readonly tooltip: string;
  readonly children?: readonly StorageRowSnapshot[];
}

export class StorageTreeProvider implements vscode.TreeDataProvider<StorageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StorageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private top: Promise<TopRows> | undefined;
  private readonly pages = new PageBook();
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    // A folder store or another window's moves send many changes at once: repaint once for them.
    const soon = (): void => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refresh(), 150);
    };
    this.disposables.push(
      ctx.onDidChangeStorage(soon),
      ctx.onDidChangeState((state) => {
        if (state === 'running') soon();
      }),
    );
  }

  /** Reads everything again; `check` contacts the cloud tier first (the Refresh button), so its state is current. */
  refresh(options: { check?: boolean } = {}): void {
    clearTimeout(this.refreshTimer);
    this.top = options.check === true ? this.loadTop(true) : undefined;
    this.changed.fire(undefined);
  }

  /** Shows the next page of a folder (the "Show more…" row's command). */
  loadMore(tier: StorageTier, prefix: string): void {
    this.pages.showMore(PageBook.keyOf(tier, prefix));
    this.changed.fire(undefined);
  }

  async getChildren(node?: StorageNode): Promise<StorageNode[]> {
    if (node === undefined) {
      try {
        await this.topRows();
      } catch {
        // The engine is not running: no rows, so the view shows its welcome content instead.
        return [];
      }
      return TIERS.map((tier) => ({ type: 'tier' as const, tier }));
    }
    switch (node.type) {
      case 'tier':
        if (!tierUsable(node.tier, (await this.topRows()).states)) return [];
        return this.page(node.tier, '');
      case 'folder':
        return this.page(node.tier, node.prefix);
      default:
        return [];
    }
  }

  async getTreeItem(node: StorageNode): Promise<vscode.TreeItem> {
    switch (node.type) {
      case 'tier': {
        const { states, stats } = await this.topRows();
        const usable = tierUsable(node.tier, states);
        const item = treeItem(tierRow(node.tier, states, stats), !usable ? vscode.TreeItemCollapsibleState.None : node.tier === 'archive' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.id = `tier/${node.tier}`;
        if (!usable) item.command = { command: CONFIGURE_CLOUD_COMMAND, title: 'Configure Cloud Tier…' };
        return item;
      }
      case 'folder': {
        const item = treeItem(folderRow(node.tier, node.prefix), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `folder/${node.tier}/${node.prefix}`;
        return item;
      }
      case 'object': {
        const item = treeItem(objectRow(node.object, node.tier, Date.now()), vscode.TreeItemCollapsibleState.None);
        // One object appears under each tier holding a copy: one id per place.
        item.id = `object/${node.tier}/${node.object.key}`;
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Show more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more/${node.tier}/${node.prefix}`;
        item.description = `after ${node.cursor}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'storageMore';
        item.command = { command: LOAD_MORE_COMMAND, title: 'Show more', arguments: [node.tier, node.prefix] };
        return item;
      }
    }
  }

  /**
   * The rows as the view shows them now: tiers, and under each the folders and objects of its
   * opened pages, folders expanded down to `depth` levels.
   */
  async snapshot(depth = 3): Promise<StorageRowSnapshot[]> {
    const walk = async (nodes: readonly StorageNode[], level: number): Promise<StorageRowSnapshot[]> =>
      Promise.all(
        nodes.map(async (node) => {
          const item = await this.getTreeItem(node);
          const row = {
            label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
            description: typeof item.description === 'string' ? item.description : '',
            contextValue: item.contextValue ?? '',
            tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? ''),
          };
          if (item.collapsibleState === vscode.TreeItemCollapsibleState.None || level >= depth) return row;
          return { ...row, children: await walk(await this.getChildren(node), level + 1) };
        }),
      );
    return walk(await this.getChildren(), 0);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private topRows(): Promise<TopRows> {
    this.top ??= this.loadTop(false);
    return this.top;
  }

  private loadTop(check: boolean): Promise<TopRows> {
    const loading = (async (): Promise<TopRows> => {
      const [states, stats] = await Promise.all([
        this.ctx.request(StorageTiersRequest, { check }),
        this.ctx.request(StorageStatsRequest, {}).catch((error: unknown) => {
          this.ctx.log.warn(`Reading the storage statistics failed: ${messageOf(error)}`);
          return undefined;
        }),
      ]);
      void vscode.commands.executeCommand('setContext', CLOUD_CONFIGURED_CONTEXT, states.cloud.state !== 'not-configured');
      return { states, stats };
    })();
    loading.catch((error: unknown) => {
      if (this.top === loading) this.top = undefined;
      this.ctx.log.error(`Loading the Storage view failed: ${messageOf(error)}`);
    });
    return loading;
  }

  /** The opened pages of one folder in one tier: sub-folders first, then objects, and "Show more…" when there are more. */
  private async page(tier: StorageTier, prefix: string): Promise<StorageNode[]> {
    const wanted = this.pages.rowsWanted(PageBook.keyOf(tier, prefix));
    const folders: StorageNode[] = [];
    const objects: StorageNode[] = [];
    let cursor: string | undefined;
    do {
      const result = await this.ctx.request(StorageListRequest, {
        prefix,
        delimiter: '/',
        tier,
        limit: PageBook.nextLimit(wanted, folders.length + objects.length),
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const folder of result.prefixes) folders.push({ type: 'folder', tier, prefix: folder });
      for (const object of result.objects) objects.push({ type: 'object', tier, object });
      cursor = result.nextCursor;
    } while (cursor !== undefined && folders.length + objects.length < wanted);
    return [...folders, ...objects, ...(cursor === undefined ? [] : [{ type: 'more' as const, tier, prefix, cursor }])];
  }
}

/** Cloud and archive rows open only when a cloud tier is configured. */
function tierUsable(tier: StorageTier, states: StorageTierStates): boolean {
  return tier === 'local' || states.cloud.state !== 'not-configured';
}

function treeItem(row: RowText, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, state);
  item.description = row.description;
  item.tooltip = new vscode.MarkdownString(row.tooltip, true);
  item.contextValue = row.contextValue;
  item.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color === undefined ? undefined : new vscode.ThemeColor(row.icon.color));
  return item;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
