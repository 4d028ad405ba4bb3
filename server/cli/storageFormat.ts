// How `neurolake storage` prints for people (scripts use --json): short lines, sizes in units.
import type { ListPage, ObjectInfo, PlacementPlan, StorageConfig, StorageStats, VerifyReport } from '../engines/storage';
import { formatBytes } from './storageContext';

export function formatObject(info: ObjectInfo): string {
  const lines = [
    `${info.key}`,
    `  size:         ${formatBytes(info.size)} (${info.size} bytes)`,
    `  sha256:       ${info.sha256}`,
    `  tier:         ${info.tier}${info.tiers.length > 1 ? ` (copies: ${info.tiers.join(', ')})` : ''}${info.storageClass && info.tier !== 'local' ? `, ${info.storageClass}` : ''}`,
    `  created:      ${info.created}`,
    `  last access:  ${info.lastAccess} (${info.accessCount} reads, ${info.hits} local hits)`,
  ];
  if (info.uploadPending) lines.push('  upload:       queued (write-back)');
  if (info.restoring) lines.push(`  restoring:    requested ${info.restoring.requestedAt}, expected ${info.restoring.expectedAt}`);
  return lines.join('\n');
}

export function formatStored(info: ObjectInfo): string {
  return `stored ${info.key} (${formatBytes(info.size)}) on ${info.tier}${info.uploadPending ? ', upload queued' : ''}  sha256:${info.sha256}`;
}

export function formatListing(page: ListPage): string {
  const lines = page.prefixes.map((prefix) => `${'folder'.padEnd(8)} ${''.padStart(10)}  ${prefix}`);
  for (const object of page.objects) {
    const badge = object.restoring ? 'restoring' : object.uploadPending ? 'queued' : '';
    lines.push(`${object.tier.padEnd(8)} ${formatBytes(object.size).padStart(10)}  ${object.key}${badge ? `  (${badge})` : ''}`);
  }
  if (page.nextCursor !== undefined) lines.push(`… more: --cursor ${JSON.stringify(page.nextCursor)}`);
  return lines.length === 0 ? 'no objects' : lines.join('\n');
}

export function formatPlan(plan: PlacementPlan): string {
  const lines = plan.moves.map((move) => `${move.move.padEnd(8)} ${formatBytes(move.bytes).padStart(10)}  ${move.key}  (${move.from} -> ${move.to}: ${move.reason})`);
  if (lines.length === 0) lines.push('Placement is already optimal: nothing to move.');
  lines.push(
    `${plan.moves.length} move${plan.moves.length === 1 ? '' : 's'}, ${formatBytes(plan.bytesMoved)}; monthly cost $${plan.monthlyCostBefore.total.toFixed(4)} -> $${plan.monthlyCostAfter.total.toFixed(4)}`,
  );
  return lines.join('\n');
}

export function formatStats(stats: StorageStats): string {
  const tier = (name: 'local' | 'cloud' | 'archive'): string => {
    const t = stats.tiers[name];
    return `  ${name.padEnd(8)} ${String(t.objects).padStart(7)} objects ${formatBytes(t.bytes).padStart(10)}${t.capacityBytes ? ` of ${formatBytes(t.capacityBytes)}` : ''}  $${t.monthlyCostUsd.toFixed(4)}/month`;
  };
  return [
    `${stats.objects} objects, ${formatBytes(stats.bytes)}`,
    tier('local'),
    tier('cloud'),
    tier('archive'),
    `cache hit rate ${(stats.cache_hit_rate * 100).toFixed(1)}% (${stats.hits} hits, ${stats.misses} misses)`,
    `monthly cost $${stats.monthly_cost_usd.toFixed(4)}; all in cloud $${stats.monthly_cost_all_cloud_usd.toFixed(4)}; saved $${stats.estimated_monthly_cost_saved_usd.toFixed(4)} (egress avoided $${stats.egress_avoided_usd.toFixed(4)})`,
    `${stats.uploadsPending} uploads queued, ${stats.restoring} restoring; prices: ${stats.prices.preset} (${stats.prices.asOf})`,
  ].join('\n');
}

export function formatVerify(report: VerifyReport): string {
  const lines = [`checked ${report.checked} objects: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}, ${report.orphans.length} orphan${report.orphans.length === 1 ? '' : 's'}`];
  for (const problem of report.problems) lines.push(`  ${problem.tier.padEnd(8)} ${problem.key}: ${problem.problem}`);
  for (const orphan of report.orphans) lines.push(`  orphan   ${orphan} (kept; not in the index)`);
  return lines.join('\n');
}

export function formatConfig(config: StorageConfig, file: string): string {
  const lines = [
    `storage configuration (${file})`,
    `  local:    ${config.local.path ?? '<data folder>/storage/local'}, ${config.local.capacityGb} GB, watermark ${config.local.watermark}`,
    config.cloud
      ? `  cloud:    s3://${config.cloud.bucket}/${config.cloud.prefix} at ${config.cloud.endpoint ?? 'AWS'} (${config.cloud.region}${config.cloud.forcePathStyle ? ', path-style' : ''}, checksums ${config.cloud.requestChecksumCalculation})`
      : '  cloud:    not configured',
    `  archive:  ${config.archive.storageClass}${config.archive.bucket ? ` in ${config.archive.bucket}` : ''}, after ${config.archive.afterDays} days unread`,
    `  uploads:  ${config.writeThrough ? 'write-through (before a store returns)' : 'write-back (queued)'}`,
    `  prices:   ${config.prices.preset}${config.prices.localGbMonth === undefined ? '' : `, local $${config.prices.localGbMonth}/GB-month`}`,
  ];
  return lines.join('\n');
}
