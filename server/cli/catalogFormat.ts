// How catalog answers read in a terminal. `--json` prints the engine's objects unchanged instead.
import type { ImportReport, CatalogStats, FoundEntry, EntryDiff, CatalogEntry } from '../engines/catalog';
import { kindName } from './catalogContext';

/** One line per entry, for list and search. */
export function entryLine(entry: CatalogEntry): string {
  const flags = [entry.deprecated === undefined ? '' : 'deprecated', entry.deletedAt === undefined ? '' : 'deleted'].filter((f) => f !== '');
  const tags = entry.tags.length === 0 ? '' : `  [${entry.tags.join(', ')}]`;
  return `${entry.name}  ${kindName(entry.kind)} ${entry.version}${tags}${flags.length === 0 ? '' : `  (${flags.join(', ')})`}`;
}

export function formatEntry(entry: CatalogEntry): string {
  const lines = [
    `${entry.name}  (${kindName(entry.kind)} ${entry.version})`,
    `  id           ${entry.id}`,
    `  owner        ${entry.owner}`,
    `  tags         ${entry.tags.join(', ') || '-'}`,
    `  updated      ${entry.updatedAt}`,
  ];
  if (entry.description !== '') lines.push(`  description  ${entry.description}`);
  if (entry.deprecated !== undefined) lines.push(`  DEPRECATED   ${entry.deprecated.reason} (${entry.deprecated.at})`);
  if (entry.deletedAt !== undefined) lines.push(`  DELETED      ${entry.deletedAt} (restore brings it back)`);
  switch (entry.kind) {
    case 'pipeline':
      lines.push('  logic', indent(JSON.stringify(entry.logic, null, 2), 4));
      break;
    case 'businessLogic':
      lines.push(`  domain       ${entry.domain || '-'}`, '  expression', indent(entry.expression, 4));
      break;
    case 'template':
      lines.push(`  template     ${entry.templateKind}, for ${entry.dialects.join(', ')}`);
      for (const v of entry.variables) {
        const fallback = v.default === undefined ? '' : ` = ${JSON.stringify(v.default)}`;
        lines.push(`  variable     ${v.name}: ${v.type}${fallback}${v.required ? ' (required)' : ''}${v.description === '' ? '' : `  ${v.description}`}`);
      }
      lines.push('  body', indent(entry.body, 4));
      break;
  }
  return lines.join('\n');
}

export function formatList(entries: readonly CatalogEntry[]): string {
  if (entries.length === 0) return 'No entries.';
  return [...entries.map(entryLine), `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`].join('\n');
}

export function formatSearch(found: { results: readonly FoundEntry[]; total: number }): string {
  if (found.total === 0) return 'No matches.';
  const lines = found.results.map(({ entry, match }) => `${entryLine(entry)}  ${match}`);
  lines.push(found.total > found.results.length ? `${found.results.length} of ${found.total} matches (use --limit for more)` : `${found.total} ${found.total === 1 ? 'match' : 'matches'}`);
  return lines.join('\n');
}

export function formatVersions(versions: readonly CatalogEntry[]): string {
  return versions.map((v) => `${v.version.padEnd(8)} ${v.updatedAt}  ${v.description}`).join('\n');
}

export function formatDiff(diff: EntryDiff): string {
  if (diff.changes.length === 0) return `${diff.from} → ${diff.to}: no differences`;
  return [`${diff.from} → ${diff.to}`, ...diff.changes.map((c) => `  ${c.path}: ${show(c.before)} → ${show(c.after)}`)].join('\n');
}

export function formatStats(stats: CatalogStats): string {
  const lines = [
    `entries         ${stats.total_entries}  (${stats.total_pipelines} pipelines, ${stats.total_business_logic} business logic, ${stats.total_templates} templates)`,
    `built-in        ${stats.builtin_templates}`,
    `deprecated      ${stats.deprecated}`,
    `deleted         ${stats.deleted}`,
    `uses            ${stats.total_usage}  (inserted ${stats.usage_by_action.inserted}, rendered ${stats.usage_by_action.rendered}, executed ${stats.usage_by_action.executed})`,
  ];
  const tags = Object.entries(stats.by_tag).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
  if (tags.length > 0) lines.push(`top tags        ${tags.map(([tag, count]) => `${tag} ${count}`).join(', ')}`);
  for (const used of stats.most_used) lines.push(`most used       ${used.name} (${kindName(used.kind)}) ${used.uses}`);
  return lines.join('\n');
}

export function formatImport(report: ImportReport): string {
  const lines = report.items.map((item) => `  ${item.action.padEnd(10)} ${item.name} (${kindName(item.kind)})${item.reason === undefined ? '' : `  ${item.reason}`}`);
  const counts = Object.entries(report.counts).filter(([, n]) => n > 0).map(([action, n]) => `${n} ${action}`).join(', ') || 'nothing';
  lines.unshift(report.dryRun ? `Dry run, nothing changed: ${counts}` : `Imported: ${counts}`);
  return lines.join('\n');
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((line) => `${' '.repeat(spaces)}${line}`).join('\n');
}
