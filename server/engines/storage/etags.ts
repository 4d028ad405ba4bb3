// What S3 should answer as the ETag of content we sent, computed while the bytes stream past:
// the MD5 of the whole for a single PUT, the MD5 of the parts' MD5s plus "-N" for a multipart
// upload. A matching ETag means the server holds exactly our bytes, without reading them back.
// Only the parts are hashed with MD5: the whole content's MD5 is the ETag of a single part, and
// of a larger content nothing needs it (its copies are made part by part, with the same ETag), so
// a 64 MB upload is hashed with MD5 once rather than twice.
import { createHash } from 'node:crypto';
import { DigestingStream } from '../common';

export const PART_SIZE = 8 * 1024 * 1024;

export interface ContentDigests {
  readonly size: number;
  readonly sha256: string;
  /** The whole content's MD5, for a content of one part (its ETag); undefined beyond one part. */
  readonly md5?: string;
  /** Every ETag a correct server may answer for this content, unquoted. */
  readonly etags: readonly string[];
}

/** A pass-through stream that computes `ContentDigests` of what flows through it (hashed on a worker thread). */
export class DigestStream extends DigestingStream {
  constructor(partSize = PART_SIZE, onBytes?: (done: number) => void, expectedSize?: number) {
    super({ sha256: true, partSize }, onBytes, expectedSize);
  }

  /** Call once the stream has ended. */
  async contentDigests(): Promise<ContentDigests> {
    const { size, sha256, partMd5s = [] } = await this.digests();
    return { size, sha256: sha256!, ...etagsOf(partMd5s) };
  }
}

/** The ETags of a content whose parts have these MD5s (none: the empty content). */
export function etagsOf(partMd5s: readonly Buffer[]): { md5?: string; etags: string[] } {
  if (partMd5s.length === 0) {
    const md5 = createHash('md5').digest('hex');
    return { md5, etags: [md5] };
  }
  const multipart = `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
  // One part: sent as one PUT (the ETag is its MD5), or copied as a one-part multipart upload.
  if (partMd5s.length === 1) return { md5: partMd5s[0]!.toString('hex'), etags: [partMd5s[0]!.toString('hex'), multipart] };
  return { etags: [multipart] };
}

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
}
