// Holds a catalog file's cross-process lock from the test, as another window saving a change
// would: the catalog's own work (an import) can go on until it must write, and waits there. One
// place, so a test follows the store if its lock changes.
import lockfile from 'proper-lockfile';

/** Takes the lock of `catalogFile`; resolves to its release. */
export function holdCatalogLock(catalogFile: string): Promise<() => Promise<void>> {
  return lockfile.lock(catalogFile, { realpath: false, stale: 10_000, retries: { retries: 200, minTimeout: 2, maxTimeout: 50 } });
}
