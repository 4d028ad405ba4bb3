// Where the cloud and archive copies the index records actually live, and the guard that keeps a
// configuration change from pointing the engine at a place that does not hold them.
//
// A record says "there is a verified cloud copy" but not in which bucket: the endpoint, bucket and
// prefix come from the configuration. Changing them under existing copies would make those copies
// unreachable, and an object whose only copies were there would be lost. The simplest rule that
// loses nothing:
// - storage/locations.json pins the place the recorded copies are in (written under the index
//   lock whenever the engine adopts a place).
// - A change of place is refused while an object has copies only there (no local copy): configure
//   says how many and to promote them first; a running engine keeps the pinned place in force; an
//   engine opening on such a configuration starts no cloud tier (local copies stay readable).
// - Otherwise the change is adopted: objects that also have a local copy forget their copies at
//   the old place (left there untouched) and the write-back queue uploads them to the new one.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../common';
import { storageFolder, type StorageConfig } from './config';
import { fileError } from './durable';
import { StorageError } from './errors';
import type { IndexOp, IndexStore } from './indexStore';
import type { ObjectRecord } from './types';

/** Where each remote tier's copies are: endpoint and `s3://bucket/prefix`; absent when no such tier. */
export interface TierLocations {
  readonly cloud?: string;
  readonly archive?: string;
}

export function locationsFile(dataFolder: string): string {
  return join(storageFolder(dataFolder), 'locations.json');
}

export function locationsOf(config: StorageConfig): TierLocations {
  const cloud = config.cloud;
  if (cloud === undefined) return {};
  const at = cloud.endpoint ? ` at ${cloud.endpoint}` : '';
  return {
    cloud: `s3://${cloud.bucket}/${cloud.prefix}objects/${at}`,
    archive: `s3://${config.archive.bucket ?? cloud.bucket}/${cloud.prefix}archive/${at}`,
  };
}

export function sameLocations(a: TierLocations, b: TierLocations): boolean {
  return a.cloud === b.cloud && a.archive === b.archive;
}

/** The remote tiers whose place differs between the pinned locations and `next`. */
export function movedTiers(pinned: TierLocations, next: TierLocations): ('cloud' | 'archive')[] {
  return (['cloud', 'archive'] as const).filter((tier) => pinned[tier] !== undefined && pinned[tier] !== next[tier]);
}

/** Objects with no local copy and a copy in a moved tier: they would be lost by the move. */
export function strandedBy(moved: readonly ('cloud' | 'archive')[], objects: Iterable<ObjectRecord>): string[] {
  const keys: string[] = [];
  for (const record of objects) {
    if (record.copies.local === undefined && moved.some((tier) => record.copies[tier] !== undefined)) keys.push(record.key);
  }
  return keys;
}

/** The record without its copies in the moved tiers, or undefined when it has none there. */
export function withoutCopiesIn(moved: readonly ('cloud' | 'archive')[], record: ObjectRecord): ObjectRecord | undefined {
  if (!moved.some((tier) => record.copies[tier] !== undefined)) return undefined;
  const { cloud, archive, ...rest } = record.copies;
  const keepCloud = !moved.includes('cloud') && cloud !== undefined;
  const keepArchive = !moved.includes('archive') && archive !== undefined;
  const { restoring: _restoring, ...withoutRestore } = record;
  const base = keepArchive ? record : withoutRestore;
  return { ...base, copies: { ...rest, ...(keepCloud ? { cloud } : {}), ...(keepArchive ? { archive } : {}) } };
}

/** What the user is told when a move would strand objects; undefined when nothing would be. */
export function describeRefusedMove(pinned: TierLocations, next: TierLocations, moved: readonly ('cloud' | 'archive')[], stranded: readonly string[]): string | undefined {
  if (stranded.length === 0) return undefined;
  // The archive lives under the cloud tier's prefix, so a new bucket or prefix usually moves both: name the cloud tier only then.
  const named = moved.includes('cloud') ? ['cloud' as const] : moved;
  const places = named.map((tier) => `the ${tier} tier from ${pinned[tier]} to ${next[tier] ?? 'nowhere (removed)'}`).join(' and ');
  const count = `${stranded.length} object${stranded.length === 1 ? ' has its' : 's have their'} only cop${stranded.length === 1 ? 'y' : 'ies'} there`;
  const example = stranded.slice(0, 3).join(', ') + (stranded.length > 3 ? ', …' : '');
  return (
    `The storage configuration moves ${places}, but ${count} (${example}). ` +
    'Promote them to the local tier first ("neurolake storage promote <keys>" or "--prefix <folder>/"; restore archived ones before), then configure again; ' +
    'objects with a local copy are uploaded to the new place by themselves.'
  );
}

export async function readPinnedLocations(dataFolder: string, onWarning?: (message: string) => void): Promise<TierLocations | undefined> {
  const file = locationsFile(dataFolder);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(error, `reading ${file}`);
  }
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    return {
      ...(typeof raw['cloud'] === 'string' ? { cloud: raw['cloud'] } : {}),
      ...(typeof raw['archive'] === 'string' ? { archive: raw['archive'] } : {}),
    };
  } catch (error) {
    // Written durably, so only a hand edit breaks it: it is kept for the user to look at, never
    // written over, and the configuration's places are adopted again.
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(file, aside);
    } catch (renameError) {
      throw fileError(renameError, `keeping the damaged ${file} aside`);
    }
    onWarning?.(`The storage locations ${file} are not valid JSON (${(error as Error).message}); the file was kept as ${aside}, and the configured cloud and archive places are taken as where the recorded copies are.`);
    return undefined;
  }
}

export async function writePinnedLocations(dataFolder: string, locations: TierLocations): Promise<void> {
  const file = locationsFile(dataFolder);
  try {
    await writeFileDurably(file, `${JSON.stringify(locations, null, 2)}\n`, 'the storage locations');
  } catch (error) {
    throw fileError(error, `saving ${file}`);
  }
}

/**
 * Adopts `config`'s places under the index lock, so no other process commits a copy in between:
 * the refusal to tell the user, or undefined once the places are pinned (objects with a local copy
 * having forgotten their copies at the old place, to be uploaded again).
 */
export function adoptLocations(index: IndexStore, dataFolder: string, config: StorageConfig, onWarning?: (message: string) => void): Promise<string | undefined> {
  const next = locationsOf(config);
  return index.transact(async (state) => {
    const pinned = await readPinnedLocations(dataFolder, onWarning);
    if (pinned === undefined) {
      // A new data folder, or one from before places were pinned: its copies were made where the configuration says.
      return { ops: [], result: undefined, ...(next.cloud === undefined ? {} : { afterCommit: () => writePinnedLocations(dataFolder, next) }) };
    }
    if (sameLocations(pinned, next)) return { ops: [], result: undefined };
    const moved = movedTiers(pinned, next);
    const refusal = describeRefusedMove(pinned, next, moved, strandedBy(moved, state.objects.values()));
    if (refusal !== undefined) return { ops: [], result: refusal };
    const ops: IndexOp[] = [];
    for (const record of state.objects.values()) {
      const stripped = withoutCopiesIn(moved, record);
      if (stripped !== undefined) ops.push({ t: 'put', r: stripped });
    }
    // The records first: a crash before the pin is written repeats this, finding nothing left to strip.
    return { ops, result: undefined, afterCommit: () => writePinnedLocations(dataFolder, next) };
  });
}

/** Throws `invalid-config` when saving `next` would strand objects at the pinned places. */
export async function checkLocationChange(dataFolder: string, objects: Iterable<ObjectRecord>, inForce: StorageConfig, next: StorageConfig): Promise<void> {
  const pinned = (await readPinnedLocations(dataFolder)) ?? locationsOf(inForce);
  const to = locationsOf(next);
  const moved = movedTiers(pinned, to);
  const refusal = describeRefusedMove(pinned, to, moved, strandedBy(moved, objects));
  if (refusal !== undefined) throw new StorageError('invalid-config', `${refusal} The configuration was not saved.`);
}
