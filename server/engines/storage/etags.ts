// What proves that the bucket holds exactly the bytes we sent, computed while they stream past.
// Where the server checks each request's body against the SHA-256 signed with it (AWS S3, Ceph
// RGW, MinIO), that SHA-256 is the proof: each part is signed with its own, so a body that does
// not match is refused, and no MD5 is needed. Elsewhere (s3rver) the server's ETag is compared
// with what S3 defines it to be: the MD5 of the whole for a single PUT, the MD5 of the parts'
// MD5s plus "-N" for a multipart upload.
import { createHash } from 'node:crypto';
import { DigestingStream, fastHashOf } from '../common';

export const PART_SIZE = 8 * 1024 * 1024;

export interface ContentDigests {
  readonly size: number;
  readonly sha256: string;
  readonly xxh64: string;
  /** The whole content's MD5, when the ETag is how the upload is checked. */
  readonly md5?: string;
  /**
   * Every ETag a correct server may answer for this content, unquoted. Undefined when the server
   * checked every request's body against its signed SHA-256 and gave no ETag: any it shows later
   * is its own name for those bytes.
   */
  readonly etags?: readonly string[];
}

/** Whether a server's ETag (unquoted) is one the content may have. */
export function etagMatches(digests: ContentDigests, etag: string): boolean {
  return digests.etags === undefined || digests.etags.includes(etag);
}

/** The MD5 ETags a content with these part MD5s may have: one PUT's, and a multipart upload's. */
function etagsOf(md5: string, partMd5s: readonly Buffer[]): string[] {
  const etags = [md5];
  if (partMd5s.length >= 1) etags.push(`${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`);
  return etags;
}

/**
 * A pass-through stream that computes `ContentDigests` of what flows through it: with
 * `serverChecksPayload`, the SHA-256 of each part for its request's signature (`partSha256`),
 * hashed on this thread as the bytes pass (see BackgroundDigest); otherwise the MD5s an ETag is
 * made of, on the worker.
 */
export class DigestStream extends DigestingStream {
  constructor(partSize: number, serverChecksPayload: boolean, onBytes?: (done: number) => void) {
    super(serverChecksPayload ? { sha256: true, xxh64: true, partSize, partHash: 'sha256' } : { sha256: true, xxh64: true, md5: true, partSize }, onBytes, { here: serverChecksPayload });
  }

  /** Call once the stream has ended. */
  async contentDigests(): Promise<ContentDigests> {
    const { size, sha256, xxh64, md5, partMd5s } = await this.digests();
    if (md5 === undefined) return { size, sha256: sha256!, xxh64: xxh64! };
    return { size, sha256: sha256!, xxh64: xxh64!, md5, etags: etagsOf(md5, partMd5s ?? []) };
  }
}

/** The digests of a content in memory, hashed here; the MD5 ETags too unless the server checks the signed SHA-256. */
export function digestsOf(bytes: Uint8Array, serverChecksPayload: boolean): ContentDigests {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const xxh64 = fastHashOf(bytes);
  if (serverChecksPayload) return { size: bytes.length, sha256, xxh64 };
  const md5 = createHash('md5').update(bytes).digest();
  return { size: bytes.length, sha256, xxh64, md5: md5.toString('hex'), etags: etagsOf(md5.toString('hex'), bytes.length === 0 ? [] : [md5]) };
}

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
}
