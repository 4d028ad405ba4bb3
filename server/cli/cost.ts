// `neurolake cost …`: what storage and compute cost, the three deployment models, the forecast,
// recommendations (and applying one), ROI, reports and prices, from the shell, over the same
// engines and data folder as the cost dashboard. Every figure names the prices it used.
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { CostError, REPORT_FORMATS, type CostEngine, type CostErrorCode, type DeploymentComparison, type MonthForecast, type PriceBook, type Recommendation, type ReportFormat, type Roi } from '../engines/cost';
import { EngineUnavailableError } from '../runtime';
import { readInputFile } from './catalogContext';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';
import { withRuntime, type CliContext } from './runtimeContext';

interface CostOptions extends OutputOptions {
  readonly preset?: string;
}

const EXAMPLES = `
Examples:
  $ neurolake cost compare --data-gb 500 --compute-hours 200 --preset seed
  $ neurolake cost recommend --json
  $ neurolake cost roi --hardware-usd 3000
  $ neurolake cost report --format html -o cost.html
  $ neurolake cost prices --import AmazonS3.json --save-as aws-2026-05

Exit codes: 0 success, 1 general failure, 2 usage, 3 no such preset, recommendation or file,
4 the recommendation cannot be applied here, 5 refused input (prices, price list, figures).`;

export function addCostCommands(program: Command, ctx: CliContext): Command {
  const cost = program
    .command('cost')
    .description('what storage and compute cost, what local-first saves, and what to change next')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .enablePositionalOptions(false)
    .addHelpText('after', EXAMPLES);
  const leaf = (name: string, description: string): Command =>
    cost.command(name).description(description).option('--json', 'print JSON').option('--preset <name>', 'prices: aws, seed or a saved price book (default aws)');

  leaf('compare', 'price a month of data and compute hours cloud-only, hybrid and local-only')
    .requiredOption('--data-gb <gb>', 'data kept, in GB', amount)
    .requiredOption('--compute-hours <hours>', 'compute hours a month', amount)
    .option('--size <name>', 'cloud machine size the hours would rent (default: the preset\'s first)')
    .option('--egress-gb <gb>', 'GB a month read out of the cloud when all data is there', amount)
    .option('--storage-local-share <0-1>', 'the hybrid\'s share of data kept locally (default: measured, else 0.7)', share)
    .option('--compute-local-share <0-1>', 'the hybrid\'s share of hours run locally (default: measured, else 0.8)', share)
    .action((options: CostOptions & { dataGb: number; computeHours: number; size?: string; egressGb?: number; storageLocalShare?: number; computeLocalShare?: number }) =>
      withCost(ctx, options, { records: false }, (engine) => {
        const comparison = engine.compare({
          monthlyDataGb: options.dataGb,
          monthlyComputeHours: options.computeHours,
          ...(options.size === undefined ? {} : { computeSize: options.size }),
          ...(options.egressGb === undefined ? {} : { monthlyEgressGb: options.egressGb }),
          ...(options.storageLocalShare === undefined ? {} : { storageLocalShare: options.storageLocalShare }),
          ...(options.computeLocalShare === undefined ? {} : { computeLocalShare: options.computeLocalShare }),
        });
        print(ctx.io, options, comparison, () => formatComparison(comparison));
      }),
    );

  leaf('forecast', "next month's cost from the recorded daily history, with an 80% band")
    .action((options: CostOptions) =>
      withCost(ctx, options, { records: true }, async (engine) => {
        const forecast = (await engine.dashboard()).forecast;
        print(ctx.io, options, forecast, () => formatForecast(forecast, engine.prices()));
      }),
    );

  leaf('recommend', 'what to change next, from the records, largest saving first')
    .option('--archive-after-days <days>', 'propose archiving objects unread this long (default 90)', wholeNumber)
    .action((options: CostOptions & { archiveAfterDays?: number }) =>
      withCost(ctx, options, { records: true }, async (engine) => {
        const { recommendations } = await engine.dashboard(options.archiveAfterDays === undefined ? {} : { archiveAfterDays: options.archiveAfterDays });
        print(ctx.io, options, recommendations, () => formatRecommendations(recommendations, engine.prices()));
      }),
    );

  leaf('apply', 'carry out a recommendation by its id (see `cost recommend`) on the engine that owns it')
    .argument('<id>')
    .action((id: string, options: CostOptions) =>
      withCost(ctx, options, { records: true }, async (engine) => {
        const applied = await engine.apply(id);
        print(ctx.io, options, applied, () => `Applied ${applied.recommendation.id}: ${applied.done}`);
      }),
    );

  leaf('roi', 'a hardware purchase against the monthly savings at the recorded usage: payback and 3-year net')
    .requiredOption('--hardware-usd <usd>', 'what the machine costs', amount)
    .action((options: CostOptions & { hardwareUsd: number }) =>
      withCost(ctx, options, { records: true }, async (engine) => {
        const roi = await engine.roi(options.hardwareUsd);
        print(ctx.io, options, roi, () => formatRoi(roi, engine.prices()));
      }),
    );

  leaf('report', 'the cost report: Markdown, self-contained HTML with charts, or CSV')
    .option('--format <format>', REPORT_FORMATS.join(' | '), reportFormat, 'md')
    .option('-o, --out <file>', 'write to this file (default: standard output)')
    .option('--hardware-usd <usd>', 'include the ROI of this purchase', amount)
    .action((options: CostOptions & { format: ReportFormat; out?: string; hardwareUsd?: number }) =>
      withCost(ctx, options, { records: true }, async (engine) => {
        const text = await engine.report(options.format, options.hardwareUsd === undefined ? {} : { hardwareUsd: options.hardwareUsd });
        if (options.out === undefined) {
          ctx.io.out(text.trimEnd());
          return;
        }
        try {
          await writeFile(options.out, text);
        } catch (error) {
          throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`, EXIT.general);
        }
        print(ctx.io, options, { file: options.out, format: options.format, bytes: Buffer.byteLength(text) }, () => `Wrote the ${options.format} report to ${options.out}`);
      }),
    );

  leaf('prices', 'show the prices in use and where they come from; --import lays an AWS Price List offer file over them')
    .option('--import <file>', 'an AWS Price List offer file (AmazonS3 or AmazonEC2 bulk JSON)')
    .option('--save-as <name>', 'save the imported prices as this preset (default: imported)', 'imported')
    .action((options: CostOptions & { import?: string; saveAs: string }) =>
      withCost(ctx, options, { records: false }, async (engine) => {
        if (options.import === undefined) {
          const prices = engine.prices();
          print(ctx.io, options, { ...prices, presets: engine.presetNames() }, () => formatPrices(prices, engine.presetNames()));
          return;
        }
        const text = await readInputFile(options.import, 'price list');
        const result = engine.importPriceList(text, options.import);
        const saved = await engine.savePrices(options.saveAs);
        print(ctx.io, options, { offerCode: result.offerCode, version: result.version, found: result.found, changes: result.changes, savedAs: saved.name }, () =>
          [
            `Imported ${result.offerCode} ${result.version}: ${result.found} prices found, ${result.changes.length} changed; saved as preset "${saved.name}" (use --preset ${saved.name}).`,
            ...result.changes.map((c) => `  ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`),
          ].join('\n'),
        );
      }),
    );

  return cost;
}

/**
 * Opens the runtime (every engine when the command reads records: storage and compute are where
 * they come from), picks the prices, runs `work`, and turns cost failures into exit codes.
 */
async function withCost(ctx: CliContext, options: CostOptions, use: { records: boolean }, work: (engine: CostEngine) => Promise<void> | void): Promise<void> {
  try {
    await withRuntime(ctx, { ...(use.records ? {} : { only: ['cost'] }), warnings: true }, async (runtime) => {
      const engine = runtime.engine('cost');
      if (options.preset !== undefined) engine.usePrices(options.preset);
      await work(engine);
    });
  } catch (error) {
    if (error instanceof CostError) throw new CliError(error.message, exitCodeForCost(error.code));
    if (error instanceof EngineUnavailableError) throw new CliError(error.message, EXIT.general);
    throw error;
  }
}

function exitCodeForCost(code: CostErrorCode): number {
  switch (code) {
    case 'unknown-preset':
    case 'not-found':
      return EXIT.notFound;
    case 'not-applicable':
      return EXIT.conflict;
    case 'invalid-prices':
    case 'invalid-offer-file':
    case 'invalid-input':
      return EXIT.invalidInput;
    case 'closed':
      return EXIT.general;
  }
}

function amount(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of at least 0, not "${value}"`);
  return n;
}

function share(value: string): number {
  const n = amount(value);
  if (n > 1) throw new InvalidArgumentError(`expected a share from 0 to 1, not "${value}"`);
  return n;
}

function wholeNumber(value: string): number {
  const n = amount(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, not "${value}"`);
  return n;
}

function reportFormat(value: string): ReportFormat {
  if (!REPORT_FORMATS.includes(value as ReportFormat)) throw new InvalidArgumentError(`expected ${REPORT_FORMATS.join(', ')}, not "${value}"`);
  return value as ReportFormat;
}

const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pricesLine = (p: { name: string; asOf: string }): string => `(${p.name} prices as of ${p.asOf})`;

function formatComparison(c: DeploymentComparison): string {
  const row = (label: string, m: DeploymentComparison['cloudOnly'], saving?: number): string =>
    `  ${label.padEnd(11)} ${usd(m.totalUsd).padStart(11)}   storage ${usd(m.storageUsd)}, compute ${usd(m.computeUsd)}, egress ${usd(m.egressUsd)}, hardware ${usd(m.hardwareUsd)}${saving === undefined ? '' : `   saves ${saving.toFixed(0)}%`}`;
  return [
    `A month of ${c.monthlyDataGb} GB and ${c.monthlyComputeHours} compute hours (${c.computeSize}) ${pricesLine(c.prices)}:`,
    row('cloud-only', c.cloudOnly),
    row('hybrid', c.hybrid, c.savingsVsCloudPct.hybrid),
    row('local-only', c.localOnly, c.savingsVsCloudPct.localOnly),
    `  hybrid keeps ${(c.hybridShares.storage * 100).toFixed(0)}% of data (${c.hybridShares.storageSource}) and ${(c.hybridShares.compute * 100).toFixed(0)}% of hours (${c.hybridShares.computeSource}) local`,
  ].join('\n');
}

function formatForecast(f: MonthForecast, book: PriceBook): string {
  if (!f.ok) return f.message;
  return `${f.month}: ${usd(f.expectedUsd)} expected, ${Math.round(f.confidence * 100)}% band ${usd(f.lowUsd)} to ${usd(f.highUsd)} ${pricesLine(book)}\n  ${f.method}, from ${f.historyDays} days of history`;
}

function formatRecommendations(list: readonly Recommendation[], book: PriceBook): string {
  if (list.length === 0) return `Nothing to recommend from the records ${pricesLine(book)}.`;
  return list
    .map((r) => `[${r.priority}] ${r.recommendation} — saves ${usd(r.estimated_savings_usd_month)}/month ${r.action === undefined ? '' : `(apply: neurolake cost apply ${r.id})`}\n    ${r.impact}`.trimEnd())
    .join('\n')
    .concat(`\n${pricesLine(book)}`);
}

function formatRoi(roi: Roi, book: PriceBook): string {
  return [
    `A ${usd(roi.hardwareUsd)} machine against ${usd(roi.monthlySavingsUsd)} saved a month (${roi.monthlySavingsPct.toFixed(0)}%), ${usd(roi.annualSavingsUsd)} a year ${pricesLine(book)}:`,
    `  payback: ${roi.paybackMonths === null ? 'never (nothing saved at the recorded usage)' : `${roi.paybackMonths.toFixed(1)} months`}`,
    `  net after ${roi.horizonMonths} months: ${usd(roi.netUsd)}${roi.roiPct === null ? '' : ` (${roi.roiPct.toFixed(0)}% return)`}`,
  ].join('\n');
}

function formatPrices(book: PriceBook, presets: readonly string[]): string {
  const lines = [`${book.name} prices as of ${book.asOf}, ${book.region}: ${book.source}`];
  for (const tier of ['cloud', 'archive'] as const) {
    const p = book.storage[tier];
    lines.push(`  ${tier.padEnd(8)} ${p.label}: $${p.usdPerGbMonth}/GB-month, retrieval $${p.retrievalUsdPerGb}/GB, ${p.minimumDays}-day minimum`);
  }
  lines.push(`  local    $${book.local.storageUsdPerGbMonth}/GB-month; machine ${usd(book.local.machineUsd)} over ${book.local.lifeMonths} months, ${book.local.powerWatts} W at $${book.local.electricityUsdPerKwh}/kWh`);
  for (const [size, m] of Object.entries(book.cloudCompute)) lines.push(`  compute  ${size}${m.instanceType === undefined ? '' : ` (${m.instanceType})`}: $${m.usdPerHour}/hour`);
  lines.push(`  egress   ${book.egress.bands.map((b) => `${b.upToGb === null ? 'beyond' : `to ${b.upToGb} GB`} $${b.usdPerGb}/GB`).join(', ')}`);
  lines.push(`presets: ${presets.join(', ')}`);
  return lines.join('\n');
}
