// The NUIC catalog: register, find, version, deprecate, share and count reusable pipeline
// patterns, business logic and SQL templates. Plain TypeScript, used by the language server and
// the CLI alike.
import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { throwIfCancelled, type WorkOptions } from '../common';
import { buildBundle, nameKey, planImport, type CatalogBundle, type ConflictMode, type ExportFilter, type ImportReport } from './bundle';
import { bundleText, IMPORT_WORK, readBundle } from './bundleSteps';
import { diffEntries, type EntryDiff } from './diff';
import { CatalogError } from './errors';
import { currentEntry, totalUses, type CatalogRecord } from './record';
import { SearchIndex, type MatchKind, type SearchQuery } from './searchIndex';
import { CatalogStore, type CatalogOp, type StoreOptions } from './store';
import { ENTRY_KINDS, type CatalogEntry, type EntryKind, type EntryUsage, type UsageAction } from './types';
import { normaliseContent, type EntryContent } from './validation';
import { bumpVersion, classifyChange, FIRST_VERSION } from './versioning';

export interface CatalogOptions {
  /** The catalog's JSON file (a journal and a lock live beside it). */
  readonly file: string;
  /** Owner recorded on entries registered without one. */
  readonly owner: string;
  /** Read-only entries shipped with NeuroLake. */
  readonly builtins?: readonly CatalogEntry[];
  readonly now?: () => Date;
  readonly store?: Omit<StoreOptions, 'onApply' | 'onReload'>;
}

export interface FoundEntry {
  readonly entry: CatalogEntry;
  readonly match: MatchKind;
  readonly score: number;
  readonly usage: EntryUsage | undefined;
}

/** The figures of `stats`, with snake_case keys (`total_entries`, `most_used`) that scripts read as they are. */
export interface CatalogStats {
  readonly total_entries: number;
  readonly total_pipelines: number;
  readonly total_business_logic: number;
  readonly total_templates: number;
  readonly builtin_templates: number;
  readonly deprecated: number;
  readonly deleted: number;
  readonly total_usage: number;
  readonly usage_by_action: Readonly<Record<UsageAction, number>>;
  readonly most_used: readonly { id: string; name: string; kind: EntryKind; uses: number; last_used_at?: string }[];
  readonly by_tag: Readonly<Record<string, number>>;
}

export interface CatalogGroup {
  readonly kind: EntryKind;
  count: number;
  untagged: number;
  readonly tags: Record<string, number>;
}

export interface ChangeEvent {
  /** Ids whose entries changed; empty when everything was reloaded. */
  readonly ids: readonly string[];
}

export class Catalog {
  private index = new SearchIndex();
  private readonly builtins: ReadonlyMap<string, CatalogEntry>;
  private readonly builtinNames: ReadonlyMap<string, string>;
  /** kind:name → id of live entries, and of deleted ones, so name checks and look-ups never scan. */
  private liveNames = new Map<string, string>();
  private deletedNames = new Map<string, string>();
  private nameKeyOfId = new Map<string, string>();
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly warningList: string[] = [];
  private store!: CatalogStore;
  private opened = false;

  private constructor(private readonly options: CatalogOptions) {
    this.builtins = new Map((options.builtins ?? []).map((entry) => [entry.id, { ...entry, builtin: true }]));
    this.builtinNames = new Map([...this.builtins.values()].map((entry) => [nameKey(entry), entry.id]));
  }

  static async open(options: CatalogOptions): Promise<Catalog> {
    const catalog = new Catalog(options);
    catalog.store = await CatalogStore.open(options.file, {
      ...options.store,
      onApply: (op) => catalog.onApply(op),
      onReload: () => catalog.reindex(),
      onWarning: (message) => {
        catalog.warningList.push(message);
        options.store?.onWarning?.(message);
      },
    });
    catalog.opened = true;
    catalog.reindex();
    return catalog;
  }

  get file(): string {
    return this.options.file;
  }

  /** Problems met while opening or syncing that did not stop the catalog (a corrupt file kept aside). */
  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** Ready, with the warnings met so far as the detail a user reads in the status. */
  status(): { state: 'ready'; detail?: string } {
    return this.warningList.length === 0 ? { state: 'ready' } : { state: 'ready', detail: this.warningList.join(' ') };
  }

  onDidChange(listener: (event: ChangeEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async register(input: { kind: EntryKind } & Record<string, unknown>): Promise<CatalogEntry> {
    const content = normaliseContent(input.kind, input, this.options.owner);
    return this.store.commit(() => {
      this.assertNameFree(content);
      const now = this.now();
      const entry = { ...content, id: randomUUID(), version: FIRST_VERSION, createdAt: now, updatedAt: now } as CatalogEntry;
      return { op: { t: 'put', record: { id: entry.id, versions: [entry] } }, result: entry };
    });
  }

  /** Saves edited content as a new version (when anything changed), bumped by what changed. */
  async update(idOrName: string, changes: Record<string, unknown>): Promise<CatalogEntry> {
    const id = (await this.resolveFresh(idOrName)).id;
    return this.store.commit((state) => {
      const record = this.writableRecord(id, state.records);
      const current = currentEntry(record);
      const content = normaliseContent(current.kind, { ...current, ...changes, kind: current.kind }, current.owner);
      if (content.name.toLowerCase() !== current.name.toLowerCase()) this.assertNameFree(content);
      const bump = classifyChange(current, content);
      if (bump === undefined) return { op: { t: 'batch', ops: [] }, result: current };
      const entry = {
        ...content,
        id,
        version: bumpVersion(current.version, bump),
        createdAt: current.createdAt,
        updatedAt: this.now(),
      } as CatalogEntry;
      return { op: { t: 'put', record: { ...record, versions: [...record.versions, entry] } }, result: currentEntry({ ...record, versions: [...record.versions, entry] }) };
    });
  }

  /** Copies any entry (built-ins included) under a new name, as an editable entry of your own. */
  async copy(idOrName: string, name: string): Promise<CatalogEntry> {
    const source = await this.resolveFresh(idOrName);
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, deprecated: _d, deletedAt: _x, builtin: _b, ...content } = source;
    return this.register({ ...content, name, owner: this.options.owner });
  }

  get(idOrName: string, version?: string): CatalogEntry | undefined {
    const entry = this.lookup(idOrName);
    if (entry === undefined || version === undefined) return entry;
    return this.versions(entry.id).find((v) => v.version === version);
  }

  /** Like get, but says which entry or version is missing. */
  resolve(idOrName: string, version?: string): CatalogEntry {
    const entry = this.get(idOrName, version);
    if (entry !== undefined) return entry;
    const known = this.lookup(idOrName);
    throw new CatalogError(
      'not-found',
      known === undefined
        ? `No catalog entry has the id or name "${idOrName}".`
        : `"${known.name}" has no version ${version}; it has ${this.versions(known.id).map((v) => v.version).join(', ')}.`,
    );
  }

  /**
   * Like resolve, for changes: an entry another window registered a moment ago may not have
   * reached this process yet, so a miss catches up with the files once before giving up.
   */
  private async resolveFresh(idOrName: string): Promise<CatalogEntry> {
    if (this.get(idOrName) === undefined) await this.refresh();
    return this.resolve(idOrName);
  }

  versions(idOrName: string): CatalogEntry[] {
    const entry = this.lookup(idOrName);
    if (entry === undefined) return [];
    const record = this.store.state.records.get(entry.id);
    return record === undefined ? [entry] : [...record.versions];
  }

  diff(idOrName: string, from: string, to: string): EntryDiff {
    return diffEntries(this.resolve(idOrName, from), this.resolve(idOrName, to));
  }

  deprecate(idOrName: string, reason: string): Promise<CatalogEntry> {
    return this.changeFlags(idOrName, (record) => ({ ...record, deprecated: { reason: reason.trim() || 'deprecated', at: this.now() } }));
  }

  undeprecate(idOrName: string): Promise<CatalogEntry> {
    return this.changeFlags(idOrName, ({ deprecated: _d, ...record }) => record);
  }

  /** Hides the entry from lists and search; restore brings it back with all its versions. */
  delete(idOrName: string): Promise<CatalogEntry> {
    return this.changeFlags(idOrName, (record) => ({ ...record, deletedAt: this.now() }));
  }

  restore(idOrName: string): Promise<CatalogEntry> {
    return this.changeFlags(idOrName, ({ deletedAt: _x, ...record }) => {
      this.assertNameFree(currentEntry(record), record.id);
      return record;
    });
  }

  search(query: SearchQuery): { results: FoundEntry[]; total: number } {
    const { hits, total } = this.index.search(query);
    const results = hits.map((hit) => ({
      entry: this.lookup(hit.id)!,
      match: hit.match,
      score: hit.score,
      usage: this.store.state.usage.get(hit.id),
    }));
    return { results, total };
  }

  /** Every entry matching the filters, unranked, for tree views and `catalog list`. */
  list(query: Omit<SearchQuery, 'text'> & { offset?: number; untagged?: boolean } = {}): CatalogEntry[] {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = query.limit ?? Number.MAX_SAFE_INTEGER;
    if (query.untagged === true) {
      // No index answers "has no tags"; only the tree asks, one group at a time.
      const all = this.list({ ...query, untagged: false, offset: 0, limit: Number.MAX_SAFE_INTEGER });
      return all.filter((entry) => entry.tags.length === 0).slice(offset, offset + limit);
    }
    return this.index
      .search({ ...query, text: '', limit: Math.min(Number.MAX_SAFE_INTEGER, offset + limit) })
      .hits.slice(offset)
      .map((hit) => this.lookup(hit.id)!);
  }

  /** How many live entries each kind has, and each tag within a kind: what a tree shows before it opens. */
  groups(): CatalogGroup[] {
    const byKind = new Map<EntryKind, CatalogGroup>();
    const count = (kind: EntryKind, tags: readonly string[]): void => {
      const group = byKind.get(kind) ?? { kind, count: 0, untagged: 0, tags: {} };
      group.count += 1;
      if (tags.length === 0) group.untagged += 1;
      for (const tag of tags) group.tags[tag] = (group.tags[tag] ?? 0) + 1;
      byKind.set(kind, group);
    };
    for (const builtin of this.builtins.values()) count(builtin.kind, builtin.tags);
    // Reads the latest version in place: copying 100,000 entries just to count them is waste.
    for (const record of this.store.state.records.values()) {
      if (record.deletedAt !== undefined) continue;
      const latest = record.versions[record.versions.length - 1]!;
      count(latest.kind, latest.tags);
    }
    return ENTRY_KINDS.map((kind) => byKind.get(kind)).filter((group): group is CatalogGroup => group !== undefined);
  }

  usage(idOrName: string): EntryUsage | undefined {
    return this.store.state.usage.get(this.resolve(idOrName).id);
  }

  async recordUsage(idOrName: string, action: UsageAction): Promise<EntryUsage> {
    const id = (await this.resolveFresh(idOrName)).id;
    await this.store.commit(() => ({ op: { t: 'use', id, action, at: this.now() }, result: undefined }));
    // Applied by the commit: the counts now include this use (and any other process's before it).
    return this.store.state.usage.get(id)!;
  }

  stats(mostUsed = 10): CatalogStats {
    const live = this.allEntries().filter((entry) => entry.deletedAt === undefined);
    const own = live.filter((entry) => entry.builtin !== true);
    const byKind = (kind: EntryKind): number => own.filter((entry) => entry.kind === kind).length;
    const byTag: Record<string, number> = {};
    for (const entry of own) for (const tag of entry.tags) byTag[tag] = (byTag[tag] ?? 0) + 1;
    const usageByAction = { inserted: 0, rendered: 0, executed: 0 };
    for (const usage of this.store.state.usage.values()) {
      for (const action of Object.keys(usageByAction) as UsageAction[]) usageByAction[action] += usage.counts[action];
    }
    const ranked = live
      .map((entry) => ({ entry, usage: this.store.state.usage.get(entry.id) }))
      .filter(({ usage }) => totalUses(usage) > 0)
      .sort((a, b) => totalUses(b.usage) - totalUses(a.usage) || a.entry.name.localeCompare(b.entry.name))
      .slice(0, mostUsed);
    return {
      total_entries: own.length,
      total_pipelines: byKind('pipeline'),
      total_business_logic: byKind('businessLogic'),
      total_templates: byKind('template'),
      builtin_templates: live.filter((entry) => entry.builtin === true).length,
      deprecated: live.filter((entry) => entry.deprecated !== undefined).length,
      deleted: this.allEntries().length - live.length,
      total_usage: usageByAction.inserted + usageByAction.rendered + usageByAction.executed,
      usage_by_action: usageByAction,
      most_used: ranked.map(({ entry, usage }) => ({
        id: entry.id,
        name: entry.name,
        kind: entry.kind,
        uses: totalUses(usage),
        ...(usage?.lastUsedAt === undefined ? {} : { last_used_at: usage.lastUsedAt }),
      })),
      by_tag: byTag,
    };
  }

  exportBundle(filter: ExportFilter = {}): CatalogBundle {
    return buildBundle(this.store.state.records.values(), filter, this.now());
  }

  /** The export as the JSON text a bundle file holds, written with progress; cancelling changes nothing. */
  async exportBundleText(filter: ExportFilter = {}, work: WorkOptions = {}): Promise<{ text: string; count: number }> {
    const bundle = this.exportBundle(filter);
    return { text: await bundleText(bundle, work), count: bundle.entries.length };
  }

  /**
   * Validates the whole bundle, then applies it all or nothing; with dryRun only reports.
   * Cancelling (the signal) is honoured until the change is written, and leaves the catalog as it was.
   */
  async importBundle(text: string, options: { mode: ConflictMode; dryRun: boolean } & WorkOptions): Promise<ImportReport> {
    const bundle = await readBundle(text, options);
    options.progress?.report({ message: options.dryRun ? 'Comparing with the catalog' : 'Saving the imported entries' });
    return this.store.commit((state) => {
      const plan = planImport(bundle, state.records, new Set(this.builtins.keys()), options.mode, options.dryRun, this.now());
      // The last moment to give up: once the op is returned it is written and acknowledged.
      throwIfCancelled(options.signal, IMPORT_WORK);
      return { op: options.dryRun ? { t: 'batch', ops: [] } : plan.op, result: plan.report };
    });
  }

  /** Picks up changes other processes made to the same catalog file. */
  refresh(): Promise<boolean> {
    return this.store.refresh();
  }

  /** Watches the catalog's folder and refreshes when another process writes; debounced. */
  watchForExternalChanges(onError: (error: unknown) => void): { dispose(): void } {
    let timer: NodeJS.Timeout | undefined;
    const prefix = basename(this.options.file);
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(this.options.file), (_event, name) => {
        if (name !== null && !String(name).startsWith(prefix)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void this.refresh().catch(onError), 50);
      });
      watcher.on('error', onError);
    } catch (error) {
      onError(error);
    }
    return {
      dispose: () => {
        clearTimeout(timer);
        watcher?.close();
      },
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private lookup(idOrName: string): CatalogEntry | undefined {
    const record = this.store.state.records.get(idOrName);
    if (record !== undefined) return currentEntry(record);
    const builtin = this.builtins.get(idOrName);
    if (builtin !== undefined) return builtin;
    const name = idOrName.trim();
    for (const names of [this.builtinNames, this.liveNames, this.deletedNames]) {
      for (const kind of ENTRY_KINDS) {
        const id = names.get(nameKey({ kind, name }));
        if (id !== undefined) return this.builtins.get(id) ?? currentEntry(this.store.state.records.get(id)!);
      }
    }
    return undefined;
  }

  private allEntries(): CatalogEntry[] {
    return [...this.builtins.values(), ...[...this.store.state.records.values()].map(currentEntry)];
  }

  private writableRecord(id: string, records: ReadonlyMap<string, CatalogRecord>): CatalogRecord {
    if (this.builtins.has(id)) {
      throw new CatalogError('read-only', `"${this.builtins.get(id)!.name}" is built into NeuroLake and read-only; copy it to make your own version.`);
    }
    const record = records.get(id);
    if (record === undefined) throw new CatalogError('not-found', `No catalog entry has the id "${id}".`);
    return record;
  }

  private async changeFlags(
    idOrName: string,
    change: (record: CatalogRecord) => CatalogRecord,
  ): Promise<CatalogEntry> {
    const id = (await this.resolveFresh(idOrName)).id;
    return this.store.commit((state) => {
      const record = change(this.writableRecord(id, state.records));
      return { op: { t: 'put', record }, result: currentEntry(record) };
    });
  }

  /** Name checks read the name maps, which the store keeps current under its lock before `build` runs. */
  private assertNameFree(content: Pick<EntryContent, 'kind' | 'name'>, exceptId?: string): void {
    const key = nameKey(content);
    const takenBy = this.builtinNames.get(key) ?? this.liveNames.get(key);
    if (takenBy !== undefined && takenBy !== exceptId) {
      const taken = this.lookup(takenBy)!;
      throw new CatalogError('duplicate-name', `A ${kindLabel(content.kind)} named "${taken.name}" already exists (id ${taken.id}); choose another name or edit that one.`, 'name');
    }
  }

  /** Keeps the name maps in step with one record; called for every applied change. */
  private trackName(entry: CatalogEntry): void {
    const before = this.nameKeyOfId.get(entry.id);
    if (before !== undefined) {
      if (this.liveNames.get(before) === entry.id) this.liveNames.delete(before);
      if (this.deletedNames.get(before) === entry.id) this.deletedNames.delete(before);
    }
    const key = nameKey(entry);
    this.nameKeyOfId.set(entry.id, key);
    (entry.deletedAt === undefined ? this.liveNames : this.deletedNames).set(key, entry.id);
  }

  private onApply(op: CatalogOp): void {
    if (op.t === 'put') {
      const entry = currentEntry(op.record);
      this.index.upsert(searchable(entry));
      this.trackName(entry);
    }
    const ids = op.t === 'put' ? [op.record.id] : op.t === 'use' ? [op.id] : [];
    for (const listener of this.listeners) listener({ ids });
  }

  private reindex(): void {
    // Called by the store while it first loads, before `store` is assigned; open() reindexes after.
    if (!this.opened) return;
    this.liveNames = new Map();
    this.deletedNames = new Map();
    this.nameKeyOfId = new Map();
    const entries = [...this.store.state.records.values()].map(currentEntry);
    for (const entry of entries) this.trackName(entry);
    this.index = SearchIndex.build([...[...this.builtins.values()].map(searchable), ...entries.map(searchable)]);
    for (const listener of this.listeners) listener({ ids: [] });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function searchable(entry: CatalogEntry): Parameters<SearchIndex['upsert']>[0] {
  return { id: entry.id, kind: entry.kind, name: entry.name, description: entry.description, tags: entry.tags, deleted: entry.deletedAt !== undefined };
}

export function kindLabel(kind: EntryKind): string {
  return kind === 'businessLogic' ? 'business logic entry' : kind === 'pipeline' ? 'pipeline pattern' : 'template';
}
