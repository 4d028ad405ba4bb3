// What each row of the Storage view says: labels, descriptions, Markdown tooltips, icons and the
// words in contextValue that menus match. Plain data and no `vscode`, so it is tested outside VS
// Code; storageView.ts turns these into tree items.
import type { StorageCloudServer, StorageObject, StorageStats, StorageTier, StorageTierStates } from '../../server/protocol';

/** Objects (and folders) fetched per "Show more…": enough to scroll, few enough that 100,000 objects open at once. */
export const STORAGE_PAGE_SIZE = 200;
/** The most one list request returns (the server's own cap). */
const MAX_LIST_LIMIT = 10_000;

export interface RowIcon {
  /** A codicon id, with `~spin` when it turns. */
  readonly id: string;
  /** A theme colour id, when the icon says something is wrong. */
  readonly color?: string;
}

export interface RowText {
  readonly label: string;
  readonly description: string;
  /** Markdown; codicons as `$(name)`. */
  readonly tooltip: string;
  readonly contextValue: string;
  readonly icon: RowIcon;
}

export const TIER_LABELS: Readonly<Record<StorageTier, string>> = { local: 'Local', cloud: 'Cloud', archive: 'Archive' };
export const TIER_ICONS: Readonly<Record<StorageTier, string>> = { local: 'device-desktop', cloud: 'cloud', archive: 'archive' };
const TIERS: readonly StorageTier[] = ['local', 'cloud', 'archive'];

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

export interface ByteFormat {
  /**
   * Pick the unit for this many bytes instead, and always show one decimal: "12.0 of 40.0 MB"
   * then share one unit and a running count does not jump between "12" and "12.5".
   */
  readonly scale?: number;
  /** False: the number alone, for the first half of "12.0 of 40.0 MB". */
  readonly withUnit?: boolean;
}

/** "512 B", "1.2 MB", "10 GB": binary units, as the local tier's capacity is counted. */
export function formatBytes(bytes: number, { scale, withUnit = true }: ByteFormat = {}): string {
  const reference = scale ?? bytes;
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && reference >= 1024 ** (unit + 1)) unit += 1;
  const value = bytes / 1024 ** unit;
  const fixed = value.toFixed(1);
  const text = unit === 0 ? String(Math.round(value)) : scale === undefined && fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
  return withUnit ? `${text} ${BYTE_UNITS[unit]}` : text;
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "now", "5 minutes ago", "yesterday", "3 months ago". */
export function relativeTime(iso: string, now: number): string {
  let value = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(value)) return 'never';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return Math.abs(value) < 1 && unit === 'second' ? 'now' : RELATIVE.format(Math.round(value), unit);
    value /= size;
  }
  return RELATIVE.format(Math.round(value), 'year');
}

/** "14:05" in the user's time zone: when a restoring object should be readable. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The last key segment: what a row under its folder is called. */
export function keyName(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The badge an object wears, if any: a restore in progress or an upload still queued. */
export function objectBadge(object: StorageObject): string | undefined {
  if (object.restoring !== undefined) return `restoring — readable about ${clockTime(object.restoring.expectedAt)}`;
  if (object.uploadPending) return 'upload pending';
  return undefined;
}

/**
 * The row of `object` under the tier row `tier`. contextValue words: `storageObject`, each tier
 * holding a copy (`local`, `cloud`, `archive`) or its absence (`noLocal`, `noCloud`,
 * `noArchive`), `restoring`, `uploadPending`, and `archiveOnly` (opened read-only).
 */
export function objectRow(object: StorageObject, tier: StorageTier, now: number): RowText {
  const hits = `${object.hits} hit${object.hits === 1 ? '' : 's'}`;
  const lastAccess = object.accessCount === 0 ? `stored ${relativeTime(object.created, now)}` : relativeTime(object.lastAccess, now);
  const badge = objectBadge(object);
  const has = (t: StorageTier): boolean => object.tiers.includes(t);
  const words = [
    'storageObject',
    ...TIERS.map((t) => (has(t) ? t : `no${TIER_LABELS[t]}`)),
    ...(object.restoring !== undefined ? ['restoring'] : []),
    ...(object.uploadPending ? ['uploadPending'] : []),
    ...(object.tiers.length === 1 && has('archive') ? ['archiveOnly'] : []),
  ];
  const icon: RowIcon =
    object.restoring !== undefined ? { id: 'clock' } : object.uploadPending && tier === 'local' ? { id: 'cloud-upload' } : { id: TIER_ICONS[tier] };
  return {
    label: keyName(object.key),
    description: [formatBytes(object.size), lastAccess, hits, ...(badge === undefined ? [] : [badge])].join(' · '),
    tooltip: objectTooltip(object, now),
    contextValue: words.join(' '),
    icon,
  };
}

export function objectTooltip(object: StorageObject, now: number): string {
  const copies = object.tiers.map((t) => TIER_LABELS[t]).join(', ');
  const lines = [
    `**${escapeMarkdown(object.key)}**`,
    '',
    `Size: ${formatBytes(object.size)} (${object.size.toLocaleString('en')} bytes)  `,
    `SHA-256: \`${object.sha256}\`  `,
    `Copies: ${copies}${object.uploadPending ? ' (upload to the cloud pending)' : ''}  `,
    ...(object.storageClass === undefined ? [] : [`Storage class: ${object.storageClass}  `]),
    ...(object.restoring === undefined
      ? []
      : [`$(clock) Restoring since ${new Date(object.restoring.requestedAt).toLocaleString()}; readable about ${new Date(object.restoring.expectedAt).toLocaleString()}  `]),
    `Last access: ${object.accessCount === 0 ? 'never read' : `${new Date(object.lastAccess).toLocaleString()} (${relativeTime(object.lastAccess, now)})`}  `,
    `Accesses: ${object.accessCount} (${object.hits} served from local disk)  `,
    `Stored: ${new Date(object.created).toLocaleString()}`,
  ];
  const recent = object.history.slice(-5).reverse();
  if (recent.length > 0) {
    lines.push('', 'Recent history:', '');
    for (const event of recent) lines.push(`- ${new Date(event.at).toLocaleString()}: ${event.event}${event.tier === undefined ? '' : ` (${TIER_LABELS[event.tier]})`}`);
  }
  return lines.join('\n');
}

/**
 * How the cloud tier talks to its server, in the cloud row's tooltip: Configure Cloud Tier does
 * not ask for path style or SDK checksums (`neurolake storage configure` sets them), so this is
 * where a surprising value shows.
 */
function serverLines(server: StorageCloudServer): string[] {
  const endpoint = server.endpoint === '' ? 'AWS S3' : `\`${server.endpoint}\``;
  return [
    `Server: ${endpoint}, region \`${server.region}\`  `,
    `Addressing: ${server.pathStyle ? 'path style (bucket in the path)' : 'virtual-hosted (bucket in the host name)'}  `,
    `SDK checksums: ${server.sdkChecksums === 'WHEN_REQUIRED' ? 'only where an operation requires them' : 'wherever the operation supports them'}  `,
    `Uploads proven by: ${server.checksSignedPayload ? "the server's check of each signed SHA-256" : 'MD5s compared with the ETags'}`,
  ];
}

/** The figures and state a tier row shows; `stats` undefined while they load or failed. */
export function tierRow(tier: StorageTier, states: StorageTierStates, stats: StorageStats | undefined): RowText {
  const figures = stats?.tiers[tier];
  const count = figures === undefined ? undefined : `${figures.objects.toLocaleString('en')} object${figures.objects === 1 ? '' : 's'}`;
  const cost = figures === undefined ? [] : [`Monthly cost: $${figures.monthlyCostUsd.toFixed(4)}`];
  switch (tier) {
    case 'local': {
      const used = figures === undefined ? '' : figures.capacityBytes === undefined ? formatBytes(figures.bytes) : `${formatBytes(figures.bytes)} of ${formatBytes(figures.capacityBytes)}`;
      return {
        label: TIER_LABELS.local,
        description: [used, count].filter(Boolean).join(' · '),
        tooltip: [`**Local disk**`, '', `Folder: \`${states.local.path}\`  `, ...(figures === undefined ? [] : [`${count}, ${used} used  `, ...cost])].join('\n'),
        contextValue: 'storageTier local',
        icon: { id: TIER_ICONS.local },
      };
    }
    case 'cloud': {
      const cloud = states.cloud;
      const amount = figures === undefined ? [] : [formatBytes(figures.bytes), count];
      const base = { label: TIER_LABELS.cloud, icon: { id: TIER_ICONS.cloud } };
      switch (cloud.state) {
        case 'not-configured':
          return {
            ...base,
            description: 'not configured — Configure…',
            tooltip: '**Cloud (S3)**\n\nNo cloud tier is configured: objects stay on this disk only. Click to configure an S3 bucket (AWS S3, MinIO, Ceph).',
            contextValue: 'storageTier cloud notConfigured',
          };
        case 'unreachable':
          return {
            ...base,
            icon: { id: 'cloud', color: 'list.errorForeground' },
            description: ['unreachable', ...amount].join(' · '),
            tooltip: [`**Cloud (S3)** — unreachable`, '', `Bucket: \`${cloud.uri}\`  `, `$(error) ${escapeMarkdown(cloud.reason)}  `, 'New objects stay local and are uploaded once it answers.', '', ...serverLines(cloud.server)].join('\n'),
            contextValue: 'storageTier cloud configured unreachable',
          };
        default: {
          const word = cloud.state === 'connected' ? 'connected' : 'connecting…';
          return {
            ...base,
            description: [word, ...amount].join(' · '),
            tooltip: [`**Cloud (S3)** — ${word}`, '', `Bucket: \`${cloud.uri}\`  `, ...(count === undefined ? [] : [`${count}, ${formatBytes(figures!.bytes)}  `, ...cost]), '', ...serverLines(cloud.server)].join('\n'),
            contextValue: `storageTier cloud configured ${cloud.state === 'connected' ? 'connected' : 'notContacted'}`,
          };
        }
      }
    }
    case 'archive': {
      const archive = states.archive;
      const noCloud = states.cloud.state === 'not-configured';
      const amount = figures === undefined ? [] : [formatBytes(figures.bytes), count];
      return {
        label: TIER_LABELS.archive,
        description: [archive.storageClass, ...(noCloud ? ['needs the cloud tier'] : amount)].join(' · '),
        tooltip: [
          `**Archive** — storage class ${archive.storageClass}`,
          '',
          ...(archive.uri === undefined ? ['Archived objects live in the cloud tier\'s bucket: configure it first.'] : [`Location: \`${archive.uri}\`  `, ...(count === undefined ? [] : [`${count}, ${formatBytes(figures!.bytes)}  `, ...cost])]),
          '',
          'Reading an archived object may need a restore first (hours for GLACIER and DEEP_ARCHIVE).',
        ].join('\n'),
        contextValue: `storageTier archive${noCloud ? ' notConfigured' : ''}`,
        icon: { id: TIER_ICONS.archive },
      };
    }
  }
}

export function folderRow(tier: StorageTier, prefix: string): RowText {
  return { label: keyName(prefix), description: '', tooltip: `${escapeMarkdown(prefix)} in ${TIER_LABELS[tier]}`, contextValue: `storageFolder ${tier}`, icon: { id: 'folder' } };
}

/**
 * How many pages of each folder the user has opened ("Show more…"), by folder. A refresh keeps
 * them, so nothing the user scrolled to collapses when the view repaints.
 */
export class PageBook {
  private readonly pages = new Map<string, number>();

  static keyOf(tier: StorageTier, prefix: string): string {
    return `${tier}:${prefix}`;
  }

  pagesOf(key: string): number {
    return this.pages.get(key) ?? 1;
  }

  /** Rows to show for `key`: whole pages, as many as were opened. */
  rowsWanted(key: string): number {
    return STORAGE_PAGE_SIZE * this.pagesOf(key);
  }

  showMore(key: string): void {
    this.pages.set(key, this.pagesOf(key) + 1);
  }

  /** The limit of the next list request towards `wanted` rows when `have` are there already. */
  static nextLimit(wanted: number, have: number): number {
    return Math.max(1, Math.min(MAX_LIST_LIMIT, wanted - have));
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
