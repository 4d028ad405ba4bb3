// Listing by prefix over the index's sorted keys: pages that start after a cursor, with keys
// below a delimiter folded into common prefixes (folders), as S3's ListObjectsV2 does. A filter
// (the objects with a copy in one tier) leaves out keys, and folders that hold none it keeps.

export interface KeyPage {
  readonly keys: readonly string[];
  readonly prefixes: readonly string[];
  readonly nextCursor?: string;
}

/** First index in sorted `keys` whose key is > `after` (or >= `from`). */
function lowerBound(keys: readonly string[], target: string, inclusive: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const key = keys[middle]!;
    if (inclusive ? key < target : key <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export interface PageOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly cursor?: string;
  readonly limit?: number;
  /** Keys to list; a folder is listed when it holds at least one. Every key when unset. */
  readonly include?: (key: string) => boolean;
}

export function pageKeys(keys: readonly string[], options: PageOptions): KeyPage {
  const prefix = options.prefix ?? '';
  const limit = Math.max(1, Math.min(options.limit ?? 1000, 10_000));
  const delimiter = options.delimiter ?? '';
  let index = lowerBound(keys, prefix, true);
  if (options.cursor !== undefined && options.cursor >= prefix) {
    // A cursor that is a folder skips everything inside it.
    const after = delimiter !== '' && options.cursor.endsWith(delimiter) ? `${options.cursor}\uffff` : options.cursor;
    index = Math.max(index, lowerBound(keys, after, false));
  }
  const include = options.include;
  // The next key under the prefix that is listed: a folder is shown once its first listed key is met.
  const skipExcluded = (from: number): number => {
    let at = from;
    if (include === undefined) return at;
    while (at < keys.length && keys[at]!.startsWith(prefix) && !include(keys[at]!)) at += 1;
    return at;
  };
  index = skipExcluded(index);
  const found: string[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  while (index < keys.length && found.length + prefixes.length < limit) {
    const key = keys[index]!;
    if (!key.startsWith(prefix)) break;
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut !== -1) {
      const folder = key.slice(0, cut + delimiter.length);
      prefixes.push(folder);
      last = folder;
      index = skipExcluded(lowerBound(keys, `${folder}\uffff`, true));
      continue;
    }
    found.push(key);
    last = key;
    index = skipExcluded(index + 1);
  }
  const more = index < keys.length && keys[index]!.startsWith(prefix);
  return { keys: found, prefixes, ...(more && last !== undefined ? { nextCursor: last } : {}) };
}
