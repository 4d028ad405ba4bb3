// Addresses of an object's cloud copy: its s3:// URI, and URLs that read it without credentials.
import type { StorageCore } from './core';
import { StorageError } from './errors';
import type { PresignedUrl } from './types';

/** SigV4 presigned URLs last at most a week. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** `s3://bucket/key` of the object's cloud or archive copy. */
export function s3Uri(core: StorageCore, key: string): string {
  const record = core.record(key);
  if (core.cloud === undefined) throw new StorageError('not-configured', 'No cloud tier is configured; run "neurolake storage configure --bucket …".');
  return core.cloud.uri(record.copies.cloud || !record.copies.archive ? 'cloud' : 'archive', key);
}

/**
 * A URL that reads the object's cloud copy without credentials for `expiresInSeconds` (1 s to
 * 7 days, the most S3's signature allows). Signing happens here, offline; only the cloud copy
 * is signed, since a local copy has no URL and an archived one cannot be read until restored.
 */
export async function presign(core: StorageCore, key: string, expiresInSeconds: number): Promise<PresignedUrl> {
  const record = core.record(key);
  const cloud = core.requireCloud();
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new StorageError('invalid-argument', `A presigned URL lasts from 1 second to 7 days (${MAX_PRESIGN_SECONDS} s); ${String(expiresInSeconds)} s was asked for.`);
  }
  if (!record.copies.cloud) {
    const where = record.copies.archive ? 'its only copy is archived; restore it to the cloud tier first' : 'it is only on the local tier; demote it to the cloud tier first (Demote to Cloud, or "neurolake storage demote")';
    throw new StorageError('not-found', `${key} has no cloud copy to sign a URL for: ${where}.`);
  }
  const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
  return { url: await cloud.presignGet('cloud', key, expiresInSeconds), expiresAt };
}
