// Semantic versions chosen from what changed: major when the entry's interface changes (a
// template's variables, a pipeline's logic shape), minor for content and description/tag edits,
// patch for bookkeeping such as the owner.
import type { CatalogEntry } from './types';
import type { EntryContent } from './validation';

export type VersionBump = 'major' | 'minor' | 'patch';

export const FIRST_VERSION = '1.0.0';

export function bumpVersion(version: string, bump: VersionBump): string {
  const [major = 1, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The bump a change from `before` to `after` deserves, or undefined when nothing changed. */
export function classifyChange(before: CatalogEntry | EntryContent, after: EntryContent): VersionBump | undefined {
  if (interfaceOf(before) !== interfaceOf(after)) return 'major';
  if (contentOf(before) !== contentOf(after)) return 'minor';
  if (before.owner !== after.owner) return 'patch';
  return undefined;
}

/** What callers depend on: for templates the variables' names, types and requiredness. */
function interfaceOf(entry: CatalogEntry | EntryContent): string {
  switch (entry.kind) {
    case 'template':
      return JSON.stringify(entry.variables.map((v) => [v.name, v.type, v.required]).sort());
    case 'pipeline':
      return JSON.stringify(shapeOf(entry.logic));
    case 'businessLogic':
      return '';
  }
}

function contentOf(entry: CatalogEntry | EntryContent): string {
  const { owner: _owner, ...rest } = entry as EntryContent & Record<string, unknown>;
  const content: Record<string, unknown> = {};
  for (const key of Object.keys(rest).sort()) {
    if (['id', 'version', 'createdAt', 'updatedAt', 'deprecated', 'deletedAt', 'builtin'].includes(key)) continue;
    content[key] = rest[key];
  }
  return JSON.stringify(content);
}

/** The structure of a pipeline's logic without its values: keys and value types, recursively. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]));
  }
  return typeof value;
}
