// The cost engine as the server and the CLI hold it: current prices (a preset, the user's
// overrides, an imported price list) and a source of the other engines' records, turned into the
// dashboard data and reports on request. Every figure is computed from the records when asked;
// the engine keeps no state but its prices.
import { compareDeploymentModels, type ComparisonInput, type DeploymentComparison } from './comparison';
import { dashboardData, type CostRecords, type DashboardData } from './dashboard';
import { CostError } from './errors';
import { importAwsOffer, type OfferImport } from './prices/awsOffer';
import type { PriceBook, PriceOverrides } from '../prices';
import { PRESETS } from '../prices';
import { resolvePriceBook } from './prices/resolve';
import { loadSavedPrices, savePrices } from './prices/savedPrices';
import type { ComputeLimits } from './records';
import { csvReport } from './reports/csv';
import { htmlReport } from './reports/html';
import { markdownReport } from './reports/markdown';
import type { EngineAction, Recommendation } from './recommendations';
import type { Roi } from './roi';
import type { LocalTierPolicyFactory } from '../storage';

export type ReportFormat = 'md' | 'html' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'html', 'csv'];

/** Where the engine reads what the storage and compute engines recorded, and how it acts on them. */
export interface CostSources {
  records(): Promise<CostRecords> | CostRecords;
  localTier?(): LocalTier | undefined | Promise<LocalTier | undefined>;
  /** Days unread after which an object is proposed for the archive, as the storage engine is configured. */
  archiveAfterDays?(): number | undefined;
  computeLimits?(): ComputeLimits | undefined;
  /** The engines the records come from right now ("storage", "compute"), for the status line. */
  present?(): readonly string[];
  /**
   * Carries out a recommendation's action on the engine that owns it and says what was done;
   * rejects, naming the engine, when that engine is not running.
   */
  apply?(action: EngineAction): Promise<string>;
}

/** The local tier's capacity, how its placement policy is built, and the most its disk could give it. */
export interface LocalTier {
  readonly capacityBytes: number;
  readonly policyFor: LocalTierPolicyFactory;
  readonly maxCapacityBytes?: number;
}

/** What changed: the prices in use, or the records the figures are computed from. */
export interface CostChange {
  readonly reason: 'prices' | 'records';
}

export interface AppliedRecommendation {
  readonly recommendation: Recommendation;
  /** What the engine that carried out the action did, in its words. */
  readonly done: string;
}

export interface CostEngineOptions {
  /** A preset name ("aws", "seed", or one of `presets`); "aws" when absent. */
  readonly preset?: string;
  readonly overrides?: PriceOverrides;
  /** Further named price books (saved imports, a team's own). */
  readonly presets?: Readonly<Record<string, PriceBook>>;
  /** Folder of saved price books (`<name>.json`), loaded as presets at open; where `savePrices` writes. */
  readonly pricesFolder?: string;
  readonly onWarning?: (message: string) => void;
  readonly sources?: CostSources;
  readonly now?: () => number;
}

export interface CostEngineStatus {
  /** The runtime's contract: `failed` once closed. */
  readonly state: 'ready' | 'failed';
  /** Only when failed: why. */
  readonly detail?: string;
  readonly prices: { readonly name: string; readonly asOf: string; readonly source: string };
  /** Offer files imported since open, newest last. */
  readonly imports: readonly { readonly offerCode: string; readonly version: string; readonly changes: number }[];
  readonly hasRecords: boolean;
  /** The engines the records come from now ("storage", "compute"); empty when none runs. */
  readonly recordsFrom: readonly string[];
}

const NO_RECORDS: CostSources = { records: () => ({ storage: [], runs: [] }) };

export class CostEngine {
  private book: PriceBook;
  private closed = false;
  private readonly presets: Record<string, PriceBook>;
  private readonly imports: { offerCode: string; version: string; changes: number }[] = [];
  private readonly listeners = new Set<(change: CostChange) => void>();

  private constructor(
    private readonly options: CostEngineOptions,
    private readonly sources: CostSources,
    saved: Readonly<Record<string, PriceBook>>,
  ) {
    this.presets = { ...saved, ...options.presets };
    this.book = resolvePriceBook(options.preset ?? 'aws', options.overrides, this.presets);
  }

  /** Loads the saved price books, resolves the prices (refusing a bad preset or override) and returns the engine. */
  static async open(options: CostEngineOptions = {}): Promise<CostEngine> {
    const saved = options.pricesFolder === undefined ? {} : await loadSavedPrices(options.pricesFolder, options.onWarning);
    return new CostEngine(options, options.sources ?? NO_RECORDS, saved);
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }

  status(): CostEngineStatus {
    const present = this.sources.present?.() ?? (this.sources === NO_RECORDS ? [] : ['the given sources']);
    return {
      ...(this.closed ? { state: 'failed', detail: 'The cost engine is closed.' } : { state: 'ready' }),
      prices: { name: this.book.name, asOf: this.book.asOf, source: this.book.source },
      imports: [...this.imports],
      hasRecords: present.length > 0,
      recordsFrom: present,
    };
  }

  /** Fires when the prices change or the records behind the figures do (see `recordsChanged`). */
  onDidChange(listener: (change: CostChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Told by whoever watches the storage and compute engines: the figures must be computed again. */
  recordsChanged(): void {
    if (!this.closed) this.fire({ reason: 'records' });
  }

  prices(): PriceBook {
    this.checkOpen();
    return this.book;
  }

  /** Switches to another preset and overrides; the current prices stay when they are refused. */
  usePrices(preset: string, overrides?: PriceOverrides): PriceBook {
    this.checkOpen();
    const book = resolvePriceBook(preset, overrides, this.presets);
    const changed = JSON.stringify(book) !== JSON.stringify(this.book);
    this.book = book;
    if (changed) this.fire({ reason: 'prices' });
    return this.book;
  }

  /** Lays an AWS Price List offer file over the current prices; a refused file changes nothing. */
  importPriceList(file: string | unknown, fileName?: string): OfferImport {
    this.checkOpen();
    const result = importAwsOffer(file, this.book, fileName);
    this.book = result.book;
    this.imports.push({ offerCode: result.offerCode, version: result.version, changes: result.changes.length });
    this.fire({ reason: 'prices' });
    return result;
  }

  /** The names `usePrices` accepts: the built-in presets and the saved books. */
  presetNames(): string[] {
    return [...new Set([...Object.keys(PRESETS), ...Object.keys(this.presets)])];
  }

  /** Saves the prices in use (an import, say) as the preset `name`, durably, and uses them under that name. */
  async savePrices(name: string): Promise<PriceBook> {
    this.checkOpen();
    if (this.options.pricesFolder === undefined) throw new CostError('invalid-input', 'This cost engine has no folder to save prices in.');
    const book = await savePrices(this.options.pricesFolder, name, this.book);
    this.presets[name] = book;
    this.book = book;
    this.fire({ reason: 'prices' });
    return book;
  }

  compare(input: ComparisonInput): DeploymentComparison {
    this.checkOpen();
    return compareDeploymentModels(this.book, input);
  }

  /** The hardware against the hybrid's monthly savings at the recorded usage. */
  async roi(hardwareUsd: number): Promise<Roi> {
    const data = await this.dashboard({ hardwareUsd });
    return data.roi as Roi;
  }

  async dashboard(options: { readonly hardwareUsd?: number; readonly archiveAfterDays?: number } = {}): Promise<DashboardData> {
    this.checkOpen();
    const [records, localTier] = await Promise.all([this.sources.records(), this.sources.localTier?.()]);
    const computeLimits = this.sources.computeLimits?.();
    const archiveAfterDays = options.archiveAfterDays ?? this.sources.archiveAfterDays?.();
    return dashboardData({
      book: this.book,
      records,
      now: (this.options.now ?? Date.now)(),
      ...(localTier !== undefined ? { localTier } : {}),
      ...(computeLimits !== undefined ? { computeLimits } : {}),
      ...options,
      ...(archiveAfterDays !== undefined ? { archiveAfterDays } : {}),
    });
  }

  async report(format: ReportFormat, options?: { readonly hardwareUsd?: number }): Promise<string> {
    if (!REPORT_FORMATS.includes(format)) throw new CostError('invalid-input', `A report is md, html or csv, not ${JSON.stringify(format)}.`, 'format');
    const data = await this.dashboard(options);
    return format === 'md' ? markdownReport(data) : format === 'html' ? htmlReport(data) : csvReport(data);
  }

  /**
   * Carries out the recommendation with this id as the current records make it (so a stale id,
   * or one whose situation has passed, is refused rather than acted on with old figures).
   */
  async apply(id: string, options: { readonly archiveAfterDays?: number } = {}): Promise<AppliedRecommendation> {
    const data = await this.dashboard(options);
    const recommendation = data.recommendations.find((r) => r.id === id);
    if (recommendation === undefined) {
      const known = data.recommendations.map((r) => r.id);
      throw new CostError('not-found', `There is no recommendation "${id}" now; ${known.length === 0 ? 'there are none' : `the current ones are ${known.join(', ')}`}.`, 'id');
    }
    if (recommendation.action === undefined) throw new CostError('not-applicable', `"${recommendation.recommendation}" is a change to make by hand; no engine can carry it out.`, 'id');
    if (this.sources.apply === undefined) throw new CostError('not-applicable', `"${recommendation.recommendation}" needs the storage or compute engine, which this process does not run.`, 'id');
    const done = await this.sources.apply(recommendation.action);
    this.fire({ reason: 'records' });
    return { recommendation, done };
  }

  private fire(change: CostChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private checkOpen(): void {
    if (this.closed) throw new CostError('closed', 'The cost engine is closed.');
  }
}
