// The entries of a bundle, checked and normalised before an import plans anything: each version as
// registering would store it (an entry the schema lets omit `description` or `tags` gets the same
// defaults a register gives), and no two entries that would collide in the catalog. Whatever the
// entries hold, a bundle that passes here imports in full; one that does not changes nothing.
import type { BundleEntry } from './bundle';
import { CatalogError } from './errors';
import type { CatalogEntry } from './types';
import { normaliseContent } from './validation';

/**
 * One bundle entry, checked as registering would check it and normalised as registering would
 * store it, every version carrying the entry's id; throws naming the first bad field.
 */
export function checkBundleEntry(entry: BundleEntry, index: number): BundleEntry {
  const latest = entry.versions[entry.versions.length - 1]!;
  const versions = entry.versions.map((version, v) => {
    const at = `/entries/${index}/versions/${v}`;
    if (version.kind !== latest.kind) {
      throw new CatalogError('invalid-bundle', `The bundle's entry /entries/${index} mixes kinds: version ${v} is a ${version.kind}, the latest a ${latest.kind}.`, `${at}/kind`);
    }
    let content;
    try {
      content = normaliseContent(version.kind, version as unknown as Record<string, unknown>, version.owner ?? '');
    } catch (error) {
      const path = error instanceof CatalogError && error.path !== undefined ? error.path.replace(/[.[\]]+/g, '/').replace(/\/$/, '') : '';
      throw new CatalogError('invalid-bundle', `The bundle's entry ${at} is invalid: ${(error as Error).message}`, `${at}/${path}`);
    }
    // All versions belong to the record of the latest's id, whatever ids older exports gave them.
    return { ...content, id: latest.id, version: version.version, createdAt: version.createdAt, updatedAt: version.updatedAt } as CatalogEntry;
  });
  return { versions, ...(entry.deprecated === undefined ? {} : { deprecated: { reason: entry.deprecated.reason, at: entry.deprecated.at } }) };
}

/** Two entries of one id, or of one kind and name in any case, would silently become one entry or two of one name. */
export function refuseDuplicates(entries: readonly BundleEntry[]): void {
  const byId = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const latest = latestOf(entry);
    byId.set(latest.id, [...(byId.get(latest.id) ?? []), index]);
    const name = `${latest.kind}:${latest.name.toLowerCase()}`;
    byName.set(name, [...(byName.get(name) ?? []), index]);
  });
  const where = (indexes: readonly number[]): string => indexes.map((index) => `/entries/${index}`).join(', ');
  const problems: { readonly text: string; readonly index: number }[] = [];
  for (const [id, indexes] of byId) {
    if (indexes.length > 1) problems.push({ text: `${where(indexes)} all have the id ${id}`, index: indexes[1]! });
  }
  for (const indexes of byName.values()) {
    const latest = indexes.map((index) => latestOf(entries[index]!));
    // Entries that share an id as well were reported above.
    if (new Set(latest.map((entry) => entry.id)).size < 2) continue;
    const names = [...new Set(latest.map((entry) => `"${entry.name}"`))].join(' / ');
    problems.push({ text: `${where(indexes)} are all named ${names} (names are unique within a kind, whatever their case)`, index: indexes[1]! });
  }
  if (problems.length === 0) return;
  const listed = problems.slice(0, 5).map((problem) => problem.text).join('; ');
  throw new CatalogError(
    'invalid-bundle',
    `The bundle holds duplicate entries: ${listed}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}. Remove or rename them and import again; nothing was imported.`,
    `/entries/${problems[0]!.index}`,
  );
}

function latestOf(entry: BundleEntry): CatalogEntry {
  return entry.versions[entry.versions.length - 1]!;
}
