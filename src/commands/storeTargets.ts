// Where stored files go: the key each file gets (a prefix, then its path below what was chosen,
// joined with `/`), the tier and prefix a clicked or dropped-on row stands for, and the move that
// takes an object to a tier. Pure, so it is tested without VS Code; the engine still validates
// every key and refuses a bad one with a message naming the problem.
import type { StorageMove, StorageObject, StorageTier } from '../../server/protocol';
import type { StorageNode } from '../views/storageNodes';

/** A tier to put objects in (undefined: the engine chooses) and the prefix their keys start with. */
export interface StoreTarget {
  readonly tier: StorageTier | undefined;
  readonly prefix: string;
}

/** The tiers' names, as the Storage view's rows show them. */
export { TIER_LABELS } from '../views/storageRows';

/**
 * A prefix as typed or taken from a folder row: no leading `/`, no empty segments, and a trailing
 * `/` unless it is empty, so `prefix + name` is always a key in that folder.
 */
export function normalizePrefix(prefix: string): string {
  const segments = prefix.split('/').filter((segment) => segment !== '');
  return segments.length === 0 ? '' : `${segments.join('/')}/`;
}

/**
 * The key of a file `segments` below what was chosen (its name for a file, the folder's name and
 * the path inside it for a folder). Segments are kept as they are, even odd ones: changing a
 * name here would store it under a key the user never chose, so a key the engine refuses is
 * reported with the engine's reason instead.
 */
export function keyFor(prefix: string, segments: readonly string[]): string {
  if (segments.length === 0) throw new Error('A stored file needs a name.');
  return `${normalizePrefix(prefix)}${segments.join('/')}`;
}

/** The folder (prefix) a key lives in: `a/b/c.csv` → `a/b/`. */
export function folderOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash === -1 ? '' : key.slice(0, slash + 1);
}

/** What a row stands for as a place to store into; undefined (the empty view, the palette): the engine chooses. */
export function targetOf(node: StorageNode | undefined): StoreTarget {
  if (node === undefined) return { tier: undefined, prefix: '' };
  switch (node.type) {
    case 'tier':
      return { tier: node.tier, prefix: '' };
    case 'folder':
    case 'more':
      return { tier: node.tier, prefix: normalizePrefix(node.prefix) };
    case 'object':
      return { tier: node.tier, prefix: folderOf(node.object.key) };
  }
}

/**
 * The move that puts `object` in `tier`, or undefined when it is served from there already.
 * Cloud is reached from Local by demoting and from Archive by restoring; Local by promoting from
 * either; Archive by archiving from either.
 */
export function moveToward(object: Pick<StorageObject, 'tier'>, tier: StorageTier): StorageMove | undefined {
  // `tier` is the fastest tier holding a copy, so an object served from the target is there already.
  if (object.tier === tier) return undefined;
  switch (tier) {
    case 'local':
      return 'promote';
    case 'cloud':
      return object.tier === 'archive' ? 'restore' : 'demote';
    case 'archive':
      return 'archive';
  }
}

/** How a move reads in a menu, a plan and a summary. */
export const MOVE_LABELS: Readonly<Record<StorageMove, string>> = {
  promote: 'Promote to Local',
  demote: 'Demote to Cloud',
  archive: 'Archive',
  restore: 'Restore to Cloud',
};

/** `text/uri-list` (RFC 2483), as the Explorer and the OS drop files: one URI a line, `#` lines are comments. */
export function parseUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
