// A seeded, realistic catalog for benchmarks: data-team names, skewed tags, sentence descriptions,
// and a mix of pipeline patterns, business logic and SQL templates. Same seed, same catalog.
import type { EntryKind } from '../../server/engines/catalog/types';

/** mulberry32: tiny, fast and good enough to make the same catalog on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DOMAINS = ['customer', 'order', 'invoice', 'payment', 'product', 'inventory', 'shipment', 'supplier', 'employee', 'campaign', 'session', 'account', 'subscription', 'refund', 'ledger', 'warehouse', 'store', 'marketing', 'clickstream', 'pricing', 'loyalty', 'fraud', 'support', 'churn'];
export const NOUNS = ['orders', 'events', 'snapshots', 'balances', 'metrics', 'facts', 'dimension', 'history', 'totals', 'profiles', 'sessions', 'lines', 'returns', 'scores', 'cohorts', 'forecast', 'attribution', 'funnel'];
export const ACTIONS = ['load', 'transform', 'dedupe', 'enrich', 'aggregate', 'merge', 'scd2', 'validate', 'reconcile', 'export', 'sync', 'backfill', 'cleanse', 'rollup', 'ingest', 'publish'];
const CADENCES = ['daily', 'hourly', 'weekly', 'monthly', 'realtime', 'nightly'];
const SOURCES = ['postgres', 'mysql', 's3', 'kafka', 'snowflake', 'bigquery', 'salesforce', 'stripe', 'shopify', 'hubspot'];
const LAYERS = ['bronze', 'silver', 'gold'];
const TEAMS = ['finance', 'growth', 'ops', 'risk', 'product', 'sales', 'logistics', 'data-platform', 'analytics', 'crm'];
const REGIONS = ['emea', 'amer', 'apac', 'latam', 'us', 'eu', 'uk', 'de', 'fr', 'jp'];
const EXTRA_TAGS = ['etl', 'pii', 'gdpr', 'critical', 'experimental', 'deprecated-soon', 'sla-1h', 'sla-24h', 'incremental', 'full-refresh', 'streaming', 'batch', 'ml-feature', 'kpi', 'audit'];
/** Tags by popularity, most used first; picked with a skew so a few (etl, daily) are very common. */
export const TAGS = ['etl', 'daily', ...DOMAINS, ...CADENCES.slice(1), ...LAYERS, ...TEAMS, ...SOURCES, ...REGIONS, ...EXTRA_TAGS.slice(1)];
const VERBS_3RD = ['loads', 'deduplicates', 'enriches', 'aggregates', 'merges', 'validates', 'reconciles', 'exports', 'backfills', 'cleanses', 'rolls up', 'publishes'];
const KEYS = ['customer_id', 'order_id', 'account_id', 'sku', 'email', 'session_id', 'invoice_no', 'event_time'];

export interface CorpusEntry {
  readonly kind: EntryKind;
  readonly input: { kind: EntryKind } & Record<string, unknown>;
}

export class Corpus {
  private readonly random: () => number;
  private readonly names = new Set<string>();

  constructor(seed: number) {
    this.random = prng(seed);
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** Zipf-like: index i is picked with weight ~ 1/(i+1). */
  private skewed<T>(list: readonly T[]): T {
    const index = Math.floor(list.length ** this.random()) - 1;
    return list[Math.max(0, Math.min(list.length - 1, index))]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A fresh, unique name such as `customer_orders_enrich_daily` or `ledger_totals_rollup_emea_v3`. */
  name(): string {
    const parts = [this.pick(DOMAINS), this.pick(NOUNS), this.pick(ACTIONS)];
    if (this.chance(0.6)) parts.push(this.pick(CADENCES));
    if (this.chance(0.4)) parts.push(this.pick(REGIONS));
    const base = parts.join('_');
    let name = base;
    for (let v = 2; this.names.has(name); v++) name = `${base}_v${v}`;
    this.names.add(name);
    return name;
  }

  tags(name: string): string[] {
    const tags = new Set<string>(name.split('_').filter((word) => TAGS.includes(word)).slice(0, 2));
    const count = 1 + Math.floor(this.random() * 4);
    while (tags.size < count + 1) tags.add(this.skewed(TAGS));
    return [...tags];
  }

  description(name: string): string {
    const [domain, noun] = name.split('_');
    const sentence = `${capitalise(this.pick(VERBS_3RD))} ${domain} ${noun} from ${this.pick(SOURCES)} into the ${this.pick(LAYERS)} layer`;
    const more = [
      `keyed by ${this.pick(KEYS)}`,
      `for the ${this.pick(TEAMS)} team`,
      `refreshed ${this.pick(CADENCES)}`,
      `with ${this.pick(['late-arriving', 'duplicate', 'out-of-order', 'soft-deleted'])} rows handled`,
    ].filter(() => this.chance(0.6));
    return `${[sentence, ...more].join(', ')}.`;
  }

  entry(kind?: EntryKind): CorpusEntry {
    const roll = this.random();
    const chosen: EntryKind = kind ?? (roll < 0.5 ? 'pipeline' : roll < 0.75 ? 'businessLogic' : 'template');
    const name = this.name();
    const common = { name, description: this.description(name), tags: this.tags(name) };
    const [domain, noun] = name.split('_');
    switch (chosen) {
      case 'pipeline':
        return {
          kind: chosen,
          input: {
            kind: chosen,
            ...common,
            logic: {
              source: `${this.pick(SOURCES)}.${domain}_${noun}`,
              transformations: ACTIONS.filter(() => this.chance(0.2)),
              target: `dw.${this.pick(LAYERS)}_${domain}_${noun}`,
              ...(this.chance(0.3) ? { schedule: `@${this.pick(CADENCES)}` } : {}),
            },
          },
        };
      case 'businessLogic':
        return {
          kind: chosen,
          input: {
            kind: chosen,
            ...common,
            expression: `${this.pick(['sum', 'count', 'avg', 'max'])}(${this.pick(['amount', 'quantity', 'revenue', 'duration_s'])}) filter (where status = '${this.pick(['paid', 'open', 'shipped', 'active'])}' and ${this.pick(KEYS)} is not null)`,
            domain: this.pick(TEAMS),
          },
        };
      case 'template':
        return {
          kind: chosen,
          input: {
            kind: chosen,
            ...common,
            templateKind: this.pick(['etl', 'data_quality', 'scd', 'dedup', 'custom']),
            dialects: [this.pick(['postgresql', 'snowflake', 'bigquery', 'duckdb'])],
            body: `SELECT {{columns group_columns}} FROM {{ident source_table}} WHERE {{ident date_column}} >= {{literal since}} GROUP BY {{columns group_columns}}`,
            variables: [
              { name: 'source_table', type: 'identifier', description: 'table to read' },
              { name: 'group_columns', type: 'column_list', description: 'grouping columns', default: [this.pick(KEYS)] },
              { name: 'date_column', type: 'identifier', description: 'date column', default: 'created_at' },
              { name: 'since', type: 'string', description: 'first day', default: '2024-01-01' },
            ],
          },
        };
    }
  }

  /** A UUID-shaped id from the seeded stream, so ids are the same on every run too. */
  id(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

/** One edit away: what a hurried typist does to a word. */
export function typo(word: string, random: () => number): string {
  const i = Math.floor(random() * (word.length - 1)) + 1;
  switch (Math.floor(random() * 3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i - 1] + word.slice(i);
    default:
      return word.slice(0, i - 1) + (word[i] ?? '') + word[i - 1] + word.slice(i + 1);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
