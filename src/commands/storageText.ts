// The words of the storage commands: Delete's confirmation, the presigned URL's lifetime, the
// statistics and verify reports, and the summary after moving several objects. Pure, so it is
// tested without VS Code.
import type { StorageObject, StorageStats, StorageTier, StorageVerifyReport } from '../../server/protocol';
import { TIER_LABELS, formatBytes } from '../views/storageRows';

export const MIN_PRESIGN_SECONDS = 60;
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
export const DEFAULT_PRESIGN_TEXT = '1h';
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * "90s", "15m", "1h", "7d" or a number of seconds, between a minute and a week (the longest a
 * SigV4 signature lasts). Returns the seconds, or the sentence that says what is wrong.
 */
export function parseExpiry(text: string): { seconds: number } | { error: string } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(text);
  if (match === null) return { error: 'Give a duration such as 90s, 15m, 1h or 7d (a plain number is seconds).' };
  const seconds = Math.round(Number(match[1]) * UNIT_SECONDS[(match[2] || 's').toLowerCase()]!);
  if (seconds < MIN_PRESIGN_SECONDS) return { error: `At least 60 seconds (1m); ${seconds} s is too short to use.` };
  if (seconds > MAX_PRESIGN_SECONDS) return { error: 'At most 7 days (7d): S3 does not honour a presigned URL for longer.' };
  return { seconds };
}

/** "1 hour", "7 days", "90 seconds": the lifetime as the confirmation names it. */
export function describeSeconds(seconds: number): string {
  for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? '' : 's'}`;
  }
  return `${seconds} seconds`;
}

function copies(tiers: readonly StorageTier[]): string {
  return tiers.map((tier) => TIER_LABELS[tier]).join(' and ');
}

/** Delete's modal question: which objects, and which copies of each go (every one: nothing remains). */
export function deleteQuestion(objects: readonly StorageObject[]): { message: string; detail: string } {
  if (objects.length === 1) {
    const object = objects[0]!;
    const count = object.tiers.length;
    return {
      message: `Delete ${object.key}?`,
      detail: `${count === 1 ? 'Its only copy' : `All ${count} copies`} (${copies(object.tiers)}) will be deleted; no other copy of it remains. ${formatBytes(object.size)}.`,
    };
  }
  const lines = objects.slice(0, 10).map((object) => `${object.key}: ${copies(object.tiers)}`);
  if (objects.length > 10) lines.push(`…and ${objects.length - 10} more`);
  const bytes = objects.reduce((sum, object) => sum + object.size, 0);
  return {
    message: `Delete ${objects.length} objects (${formatBytes(bytes)})?`,
    detail: `Every copy of each is deleted; no other copy remains.\n\n${lines.join('\n')}`,
  };
}

export type MoveName = 'promote' | 'demote' | 'archive' | 'restore';

export const MOVE_TITLES: Readonly<Record<MoveName, { title: string; done: string }>> = {
  promote: { title: 'Promote to Local', done: 'promoted to the local tier' },
  demote: { title: 'Demote to Cloud', done: 'demoted to the cloud tier' },
  archive: { title: 'Archive', done: 'archived' },
  restore: { title: 'Restore', done: 'restored to the cloud tier' },
};

export interface MoveFailure {
  readonly key: string;
  readonly message: string;
}

/** One sentence after a move of several objects: how many moved, which failed and why. */
export function moveSummary(move: MoveName, moved: readonly StorageObject[], failed: readonly MoveFailure[], restoring: readonly StorageObject[]): string {
  const parts: string[] = [];
  const settled = moved.length - restoring.length;
  if (settled > 0) parts.push(settled === 1 && moved.length === 1 ? `${moved[0]!.key} ${MOVE_TITLES[move].done}.` : `${settled} object${settled === 1 ? '' : 's'} ${MOVE_TITLES[move].done}.`);
  for (const object of restoring) parts.push(`${object.key} is being restored; readable about ${object.restoring === undefined ? 'later' : new Date(object.restoring.expectedAt).toLocaleString()}.`);
  if (failed.length > 0) {
    parts.push(`${failed.length} failed: ${failed.slice(0, 3).map((failure) => `${failure.key}: ${failure.message}`).join(' ')}${failed.length > 3 ? ` (and ${failed.length - 3} more; see the log)` : ''}`);
  }
  return parts.join(' ');
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2)}`;
}

/** Show Storage Statistics: the figures of `neurolake storage stats` as a Markdown page. */
export function statsMarkdown(stats: StorageStats, now = new Date()): string {
  const reads = stats.hits + stats.misses;
  const rows = (['local', 'cloud', 'archive'] as const).map((tier) => {
    const figures = stats.tiers[tier];
    const capacity = figures.capacityBytes === undefined ? '' : ` of ${formatBytes(figures.capacityBytes)}`;
    return `| ${TIER_LABELS[tier]} | ${figures.objects.toLocaleString('en')} | ${formatBytes(figures.bytes)}${capacity} | ${usd(figures.monthlyCostUsd)} |`;
  });
  return [
    '# Storage statistics',
    '',
    `${stats.objects.toLocaleString('en')} objects, ${formatBytes(stats.bytes)}. As of ${now.toLocaleString()}.`,
    '',
    '## Cache',
    '',
    `- Hit rate: **${(stats.cache_hit_rate * 100).toFixed(1)}%** (${stats.hits.toLocaleString('en')} of ${reads.toLocaleString('en')} reads served from local disk; ${stats.misses.toLocaleString('en')} misses)`,
    `- Estimated monthly saving against keeping everything in the cloud: **${usd(stats.estimated_monthly_cost_saved_usd)}**, of which egress avoided: ${usd(stats.egress_avoided_usd)}`,
    `- Monthly cost now: ${usd(stats.monthly_cost_usd)}; all in the cloud: ${usd(stats.monthly_cost_all_cloud_usd)}`,
    ...(stats.uploadsPending > 0 ? [`- Uploads pending: ${stats.uploadsPending}`] : []),
    ...(stats.restoring > 0 ? [`- Restores in progress: ${stats.restoring}`] : []),
    '',
    '## Tiers',
    '',
    '| tier | objects | bytes | monthly cost |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Prices: the \`${stats.prices.preset}\` preset, as of ${stats.prices.asOf}.`,
    '',
  ].join('\n');
}

/** Verify Storage's report: what was checked and each problem, or that there is none. */
export function verifyMarkdown(report: StorageVerifyReport): string {
  const lines = ['# Storage verification', '', `Checked ${report.checked.toLocaleString('en')} object${report.checked === 1 ? '' : 's'}.`, ''];
  if (report.problems.length === 0) lines.push('Every copy matches its checksum.', '');
  else {
    lines.push(`## ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`, '', '| object | tier | problem |', '| --- | --- | --- |');
    for (const problem of report.problems) lines.push(`| \`${problem.key}\` | ${TIER_LABELS[problem.tier]} | ${problem.problem.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  if (report.orphans.length > 0) {
    lines.push(`## ${report.orphans.length} orphan${report.orphans.length === 1 ? '' : 's'}`, '', 'Files or bucket objects no index entry accounts for. Nothing was deleted.', '');
    for (const orphan of report.orphans) lines.push(`- \`${orphan}\``);
    lines.push('');
  }
  return lines.join('\n');
}
