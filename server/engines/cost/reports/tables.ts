// The report's content as plain tables, built once, so the Markdown, HTML and CSV renderings say
// the same thing and a test can compare any of them with the dashboard data.
import { STORAGE_TIERS } from '../../prices';
import { COMPUTE_TIERS, GB, WORKLOAD_TYPES } from '../records';
import type { DashboardData } from '../dashboard';
import type { EngineAction } from '../recommendations';

export type Unit = 'USD' | 'USD/month' | '%' | 'GB' | 'h' | 'runs' | 'months' | 'text';

export interface Column {
  /** Machine name, snake_case: the CSV's `measure`. */
  readonly id: string;
  /** Heading a person reads. */
  readonly label: string;
  readonly unit: Unit;
}

export interface ReportTable {
  /** Machine name, snake_case: the CSV's `section`. */
  readonly id: string;
  readonly title: string;
  /** The first column: what each row is (a day, a tier, a model). */
  readonly keyLabel: string;
  readonly columns: readonly Column[];
  readonly rows: readonly { readonly key: string; readonly cells: readonly (number | string | null)[] }[];
  readonly note?: string;
}

const usd = (id: string, label: string): Column => ({ id, label, unit: 'USD' });

export function reportTables(data: DashboardData): ReportTable[] {
  const s = data.summary;
  const tables: ReportTable[] = [];

  tables.push({
    id: 'storage_by_tier',
    title: 'Storage cost by tier',
    keyLabel: 'Tier',
    columns: [
      { id: 'gb_months', label: 'GB-months', unit: 'GB' },
      usd('storage_usd', 'Storage'),
      usd('request_usd', 'Requests'),
      usd('retrieval_usd', 'Retrieval'),
      usd('egress_usd', 'Egress'),
      usd('early_removal_usd', 'Early removal'),
      usd('total_usd', 'Total'),
    ],
    rows: STORAGE_TIERS.map((tier) => {
      const c = s.storageByTier[tier];
      return { key: tier, cells: [c.gbMonths, c.storageUsd, c.requestUsd, c.retrievalUsd, c.egressUsd, c.earlyRemovalUsd, c.totalUsd] };
    }),
  });

  tables.push({
    id: 'compute_by_type',
    title: 'Compute cost by workload type',
    keyLabel: 'Workload type',
    columns: COMPUTE_TIERS.flatMap((tier): Column[] => [
      { id: `${tier}_runs`, label: `${cap(tier)} runs`, unit: 'runs' },
      { id: `${tier}_hours`, label: `${cap(tier)} hours`, unit: 'h' },
      usd(`${tier}_usd`, `${cap(tier)} cost`),
    ]),
    rows: WORKLOAD_TYPES.map((type) => ({
      key: type,
      cells: COMPUTE_TIERS.flatMap((tier) => {
        const c = s.computeByType[type][tier];
        return [c.runs, c.hours, c.usd];
      }),
    })),
  });

  tables.push({
    id: 'daily_cost',
    title: 'Cost by day',
    keyLabel: 'Day',
    columns: [
      ...STORAGE_TIERS.map((tier) => usd(`${tier}_storage_usd`, `${cap(tier)} storage`)),
      ...COMPUTE_TIERS.map((tier) => usd(`${tier}_compute_usd`, `${cap(tier)} compute`)),
      usd('total_usd', 'Total'),
    ],
    rows: s.days.map((d) => ({ key: d.day, cells: [...STORAGE_TIERS.map((t) => d.storage[t]), ...COMPUTE_TIERS.map((t) => d.compute[t]), d.totalUsd] })),
  });

  const f = data.forecast;
  tables.push({
    id: 'forecast',
    title: 'Forecast of next month',
    keyLabel: 'Month',
    columns: [usd('expected_usd', 'Expected'), usd('low_usd', 'Low'), usd('high_usd', 'High'), { id: 'confidence_pct', label: 'Band holds', unit: '%' }, { id: 'method', label: 'Method', unit: 'text' }],
    rows: f.ok ? [{ key: f.month, cells: [f.expectedUsd, f.lowUsd, f.highUsd, f.confidence * 100, `${f.method}, from ${f.historyDays} days`] }] : [],
    ...(f.ok ? {} : { note: f.message }),
  });

  const c = data.comparison;
  tables.push({
    id: 'deployment_models',
    title: `Deployment models for ${fmt(c.monthlyDataGb, 0)} GB and ${fmt(c.monthlyComputeHours, 0)} compute hours a month`,
    keyLabel: 'Model',
    columns: [usd('storage_usd', 'Storage'), usd('compute_usd', 'Compute'), usd('egress_usd', 'Egress'), usd('hardware_usd', 'Hardware'), usd('total_usd', 'Total'), { id: 'saved_pct', label: 'Saved vs cloud', unit: '%' }],
    rows: (
      [
        ['cloud_only', c.cloudOnly, 0],
        ['hybrid', c.hybrid, c.savingsVsCloudPct.hybrid],
        ['local_only', c.localOnly, c.savingsVsCloudPct.localOnly],
      ] as const
    ).map(([key, m, saved]) => ({ key, cells: [m.storageUsd, m.computeUsd, m.egressUsd, m.hardwareUsd, m.totalUsd, saved] })),
    note:
      `Hybrid keeps ${fmt(c.hybridShares.storage * 100, 0)}% of the data (${c.hybridShares.storageSource}) and ${fmt(c.hybridShares.compute * 100, 0)}% of the hours (${c.hybridShares.computeSource}) local; ` +
      `cloud hours on the ${c.computeSize} machine. The archive tier is left out: it costs the same in each model.`,
  });

  tables.push({
    id: 'savings_to_date',
    title: 'Savings to date',
    keyLabel: 'Period',
    columns: [usd('cloud_only_usd', 'All in the cloud'), usd('actual_usd', 'Actual'), usd('saved_usd', 'Saved')],
    rows: [{ key: s.days.length > 0 ? `${s.days[0]?.day} to ${s.days[s.days.length - 1]?.day}` : 'none', cells: [data.savings.cloudOnlyUsd, data.savings.actualUsd, data.savings.savedUsd] }],
  });

  if (data.capacity !== undefined) {
    const current = data.capacity.currentBytes;
    tables.push({
      id: 'hit_ratio_by_capacity',
      title: 'Local hit ratio by capacity',
      keyLabel: 'Capacity (GB)',
      columns: [{ id: 'hit_ratio_pct', label: 'Hit ratio', unit: '%' }, { id: 'byte_hit_ratio_pct', label: 'Bytes served locally', unit: '%' }, { id: 'miss_gb', label: 'Read from the cloud (GB, replayed period)', unit: 'GB' }, { id: 'current', label: 'Now', unit: 'text' }],
      rows: data.capacity.curve.map((p) => ({ key: fmt(p.capacityBytes / GB, 2), cells: [p.hitRatio * 100, p.byteHitRatio * 100, p.missBytes / GB, p.capacityBytes === current ? 'current' : ''] })),
    });
  }

  tables.push({
    id: 'recommendations',
    title: 'Recommendations',
    keyLabel: 'Id',
    columns: [
      { id: 'priority', label: 'Priority', unit: 'text' },
      { id: 'recommendation', label: 'Recommendation', unit: 'text' },
      { id: 'impact', label: 'Impact', unit: 'text' },
      { id: 'estimated_savings_usd_month', label: 'Saves', unit: 'USD/month' },
      { id: 'action', label: 'Action', unit: 'text' },
    ],
    rows: data.recommendations.map((r) => ({ key: r.id, cells: [r.priority, r.recommendation, r.impact, r.estimated_savings_usd_month, actionText(r.action)] })),
    ...(data.recommendations.length === 0 ? { note: 'Nothing in the records suggests a change.' } : {}),
  });

  if (data.roi !== undefined) {
    const r = data.roi;
    tables.push({
      id: 'roi',
      title: 'Return on the hardware',
      keyLabel: 'Hardware',
      columns: [usd('monthly_savings_usd', 'Saved a month'), usd('annual_savings_usd', 'Saved a year'), { id: 'payback_months', label: 'Pays back in', unit: 'months' }, usd('net_usd', `Net after ${r.horizonMonths} months`)],
      rows: [{ key: `$${fmt(r.hardwareUsd, 2)}`, cells: [r.monthlySavingsUsd, r.annualSavingsUsd, r.paybackMonths, r.netUsd] }],
    });
  }
  return tables;
}

export function actionText(action: EngineAction | undefined): string {
  if (action === undefined) return '';
  switch (action.kind) {
    case 'archive-keys':
      return `archive ${action.keys.length} key${action.keys.length === 1 ? '' : 's'}`;
    case 'set-local-capacity':
      return `set local capacity to ${fmt(action.capacityBytes / GB, 2)} GB`;
    case 'set-compute-limit':
      return `set ${action.limit} to ${action.value}`;
  }
}

/** A cell as a person reads it. */
export function cellText(value: number | string | null, unit: Unit): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'USD':
      return `$${fmt(value, 2)}`;
    case 'USD/month':
      return `$${fmt(value, 2)}/month`;
    case '%':
      return `${fmt(value, 1)}%`;
    case 'GB':
      return fmt(value, 2);
    case 'h':
      return fmt(value, 1);
    case 'months':
      return `${fmt(value, 1)} months`;
    default:
      return fmt(value, 0);
  }
}

export function fmt(value: number, decimals: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
