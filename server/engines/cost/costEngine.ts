// The cost engine as the server and the CLI hold it: current prices (a preset, the user's
// overrides, an imported price list) and a source of the other engines' records, turned into the
// dashboard data and reports on request. Every figure is computed from the records when asked;
// the engine keeps no state but its prices.
import { compareDeploymentModels, type ComparisonInput, type DeploymentComparison } from './comparison';
import { dashboardData, type CostRecords, type DashboardData } from './dashboard';
import { CostError } from './errors';
import { importAwsOffer, type OfferImport } from './prices/awsOffer';
import type { PriceBook, PriceOverrides } from './prices/priceBook';
import { resolvePriceBook } from './prices/resolve';
import type { ComputeLimits } from './records';
import { csvReport } from './reports/csv';
import { htmlReport } from './reports/html';
import { markdownReport } from './reports/markdown';
import type { Roi } from './roi';
import type { LocalTierPolicyFactory } from '../storage';

export type ReportFormat = 'md' | 'html' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'html', 'csv'];

/** Where the engine reads what the storage and compute engines recorded. */
export interface CostSources {
  records(): Promise<CostRecords> | CostRecords;
  localTier?(): { readonly capacityBytes: number; readonly policyFor: LocalTierPolicyFactory } | undefined;
  computeLimits?(): ComputeLimits | undefined;
}

export interface CostEngineOptions {
  /** A preset name ("aws", "seed", or one of `presets`); "aws" when absent. */
  readonly preset?: string;
  readonly overrides?: PriceOverrides;
  /** Further named price books (saved imports, a team's own). */
  readonly presets?: Readonly<Record<string, PriceBook>>;
  readonly sources?: CostSources;
  readonly now?: () => number;
}

export interface CostEngineStatus {
  readonly state: 'open' | 'closed';
  readonly prices: { readonly name: string; readonly asOf: string; readonly source: string };
  /** Offer files imported since open, newest last. */
  readonly imports: readonly { readonly offerCode: string; readonly version: string; readonly changes: number }[];
  readonly hasRecords: boolean;
}

const NO_RECORDS: CostSources = { records: () => ({ storage: [], runs: [] }) };

export class CostEngine {
  private book: PriceBook;
  private closed = false;
  private readonly imports: { offerCode: string; version: string; changes: number }[] = [];

  private constructor(
    private readonly options: CostEngineOptions,
    private readonly sources: CostSources,
  ) {
    this.book = resolvePriceBook(options.preset ?? 'aws', options.overrides, options.presets);
  }

  /** Resolves the prices (refusing a bad preset or override) and returns the engine. */
  static async open(options: CostEngineOptions = {}): Promise<CostEngine> {
    return new CostEngine(options, options.sources ?? NO_RECORDS);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  status(): CostEngineStatus {
    return {
      state: this.closed ? 'closed' : 'open',
      prices: { name: this.book.name, asOf: this.book.asOf, source: this.book.source },
      imports: [...this.imports],
      hasRecords: this.sources !== NO_RECORDS,
    };
  }

  prices(): PriceBook {
    this.checkOpen();
    return this.book;
  }

  /** Switches to another preset and overrides; the current prices stay when they are refused. */
  usePrices(preset: string, overrides?: PriceOverrides): PriceBook {
    this.checkOpen();
    this.book = resolvePriceBook(preset, overrides, this.options.presets);
    return this.book;
  }

  /** Lays an AWS Price List offer file over the current prices; a refused file changes nothing. */
  importPriceList(file: string | unknown, fileName?: string): OfferImport {
    this.checkOpen();
    const result = importAwsOffer(file, this.book, fileName);
    this.book = result.book;
    this.imports.push({ offerCode: result.offerCode, version: result.version, changes: result.changes.length });
    return result;
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
    const records = await this.sources.records();
    const localTier = this.sources.localTier?.();
    const computeLimits = this.sources.computeLimits?.();
    return dashboardData({
      book: this.book,
      records,
      now: (this.options.now ?? Date.now)(),
      ...(localTier !== undefined ? { localTier } : {}),
      ...(computeLimits !== undefined ? { computeLimits } : {}),
      ...options,
    });
  }

  async report(format: ReportFormat, options?: { readonly hardwareUsd?: number }): Promise<string> {
    if (!REPORT_FORMATS.includes(format)) throw new CostError('invalid-input', `A report is md, html or csv, not ${JSON.stringify(format)}.`, 'format');
    const data = await this.dashboard(options);
    return format === 'md' ? markdownReport(data) : format === 'html' ? htmlReport(data) : csvReport(data);
  }

  private checkOpen(): void {
    if (this.closed) throw new CostError('closed', 'The cost engine is closed.');
  }
}
