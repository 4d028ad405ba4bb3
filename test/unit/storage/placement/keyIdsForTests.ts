// Tests drive a cache structure by key, as NeuroLake's policy does: each key gets the small
// integer id the structures index their nodes by, and keeps it for the whole test.
import { KeyIds } from '../../../../server/engines/storage';

/** A function from a key to its id, the same id every time for the same key. */
export function keyIdsForTests(): (key: string) => number {
  const ids = new KeyIds();
  return (key) => ids.intern(key, () => true);
}
