// Holds a catalog file's cross-process lock from the test, as another window saving a change
// would: the catalog's own work (an import) can go on until it must write, and waits there. One
// place, so a test follows the store if its lock changes.
import { acquireLock } from '../../../server/engines/common';

/** Takes the lock of `catalogFile`; resolves to its release. */
export async function holdCatalogLock(catalogFile: string): Promise<() => Promise<void>> {
  const lock = await acquireLock(catalogFile);
  return () => lock.release();
}
