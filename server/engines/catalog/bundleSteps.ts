// The long parts of sharing a catalog, done a slice at a time so they report progress and can be
// cancelled: checking every entry of an imported bundle, and writing an exported bundle's text.
import { eachStep, NO_PROGRESS, throwIfCancelled, type WorkOptions } from '../common';
import { checkBundleEntry, parseBundle, type CatalogBundle } from './bundle';

export const IMPORT_WORK = 'The import';
export const EXPORT_WORK = 'The export';

/** Parses a bundle and checks each entry as registering would; throws CancelledError when asked to stop. */
export async function readBundle(text: string, work: WorkOptions): Promise<CatalogBundle> {
  // Parsing a large bundle is one long step: not worth starting when the caller already gave up.
  throwIfCancelled(work.signal, IMPORT_WORK);
  (work.progress ?? NO_PROGRESS).report({ message: 'Reading the bundle' });
  const bundle = parseBundle(text);
  await eachStep(bundle.entries, { ...work, message: 'Checking entries', what: IMPORT_WORK }, checkBundleEntry);
  return bundle;
}

/**
 * The bundle as `JSON.stringify(bundle, null, 2)` writes it, built one entry at a time: a large
 * catalog's text takes long enough to deserve a progress bar and a Cancel.
 */
export async function bundleText(bundle: CatalogBundle, work: WorkOptions): Promise<string> {
  const { entries, ...header } = bundle;
  const empty = JSON.stringify({ ...header, entries: [] }, null, 2);
  if (entries.length === 0) return empty;
  const parts: string[] = [];
  await eachStep(entries, { ...work, message: 'Exporting entries', what: EXPORT_WORK }, (entry) => {
    parts.push(JSON.stringify(entry, null, 2).replace(/^/gm, '    '));
  });
  // `entries` is the header's last field, so its `[]` closes the text: put the entries inside.
  return `${empty.slice(0, -'[]\n}'.length)}[\n${parts.join(',\n')}\n  ]\n}`;
}
