// What S3 should answer as the ETag of content we sent, computed while the bytes stream past:
// the MD5 of the whole for a single PUT, the MD5 of the parts' MD5s plus "-N" for a multipart
// upload. A matching ETag means the server holds exactly our bytes, without reading them back.
import { createHash } from 'node:crypto';
import { DigestingStream } from '../common';

export const PART_SIZE = 8 * 1024 * 1024;

export interface ContentDigests {
  readonly size: number;
  readonly sha256: string;
  readonly md5: string;
  /** Every ETag a correct server may answer for this content, unquoted. */
  readonly etags: readonly string[];
}

/** A pass-through stream that computes `ContentDigests` of what flows through it (hashed on a worker thread). */
export class DigestStream extends DigestingStream {
  constructor(partSize = PART_SIZE, onBytes?: (done: number) => void) {
    super({ sha256: true, md5: true, partSize }, onBytes);
  }

  /** Call once the stream has ended. */
  async contentDigests(): Promise<ContentDigests> {
    const { size, sha256, md5, partMd5s } = await this.digests();
    const etags = [md5!];
    if (partMd5s !== undefined && partMd5s.length >= 1) etags.push(`${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`);
    return { size, sha256: sha256!, md5: md5!, etags };
  }
}

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
}
