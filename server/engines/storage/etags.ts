// What S3 should answer as the ETag of content we sent, computed while the bytes stream past:
// the MD5 of the whole for a single PUT, the MD5 of the parts' MD5s plus "-N" for a multipart
// upload. A matching ETag means the server holds exactly our bytes, without reading them back.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const PART_SIZE = 8 * 1024 * 1024;

export interface ContentDigests {
  readonly size: number;
  readonly sha256: string;
  readonly md5: string;
  /** Every ETag a correct server may answer for this content, unquoted. */
  readonly etags: readonly string[];
}

/** A pass-through stream that computes `ContentDigests` of what flows through it. */
export class DigestStream extends Transform {
  private readonly sha = createHash('sha256');
  private readonly md5 = createHash('md5');
  private part: Hash = createHash('md5');
  private partBytes = 0;
  private readonly partDigests: Buffer[] = [];
  private size = 0;
  private result: ContentDigests | undefined;

  constructor(
    private readonly partSize = PART_SIZE,
    private readonly onBytes?: (done: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sha.update(chunk);
    this.md5.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, this.partSize - this.partBytes);
      this.part.update(chunk.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
      if (this.partBytes === this.partSize) {
        this.partDigests.push(this.part.digest());
        this.part = createHash('md5');
        this.partBytes = 0;
      }
    }
    this.size += chunk.length;
    this.onBytes?.(this.size);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.partBytes > 0) this.partDigests.push(this.part.digest());
    const md5 = this.md5.digest('hex');
    const etags = [md5];
    if (this.partDigests.length >= 1) etags.push(`${createHash('md5').update(Buffer.concat(this.partDigests)).digest('hex')}-${this.partDigests.length}`);
    this.result = { size: this.size, sha256: this.sha.digest('hex'), md5, etags };
    callback();
  }

  /** Available once the stream has ended. */
  digests(): ContentDigests {
    if (this.result === undefined) throw new Error('DigestStream read before it ended');
    return this.result;
  }
}

export function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '');
}
