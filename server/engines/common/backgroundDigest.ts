// Content digests (SHA-256, MD5, and the MD5 of each fixed-size part, for S3 multipart ETags)
// computed on a worker thread while the bytes stream past on this one. Hashing a megabyte takes
// about as long as writing and fsyncing it, or as receiving it from a server on loopback; done on
// the thread that also writes or parses the HTTP response, the two add up. On a worker they
// overlap: the digest is ready about when the disk flush or the last byte is.
//
// Bytes are copied into batches (the caller may reuse or still be writing its buffer) and each
// full batch is handed over without a copy. At most a few batches are in flight: `update` waits
// for the worker beyond that, so memory stays bounded whatever the size. Small contents never
// leave this thread: handing a few hundred kilobytes to the worker and back costs more than
// hashing them (up to a megabyte when the size is known up front: hashed as the bytes arrive).
//
// The SHA-256 of each part of an upload can be asked for while the content still streams in
// (`partSha256`): it is the signed payload hash of that part's request, which the server checks.
//
// The xxHash64 (see fastHash.ts) is always computed here, as the bytes arrive: it costs less than
// copying them for the worker would.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { fastHash, type FastHash } from './fastHash';

export interface DigestOptions {
  readonly sha256?: boolean;
  readonly md5?: boolean;
  /** Also a digest of every part of this many bytes (the last part may be shorter). */
  readonly partSize?: number;
  /** The digest of each part: MD5 (what S3 builds a multipart ETag from; the default) or SHA-256. */
  readonly partHash?: 'md5' | 'sha256';
  /** Also the xxHash64 of the whole content (needs loadFastHash() first). */
  readonly xxh64?: boolean;
}

export interface Digests {
  readonly size: number;
  readonly sha256?: string;
  readonly md5?: string;
  readonly xxh64?: string;
  /** Raw 16-byte MD5 of each part, in order; empty for empty content. */
  readonly partMd5s?: readonly Buffer[];
  /** Hex SHA-256 of each part, in order (with `partHash: 'sha256'`); one, of no bytes, for empty content. */
  readonly partSha256s?: readonly string[];
}

function noMoreParts(count: number): Error {
  return new Error(`the content has only ${count} parts`);
}

/** Small enough that the worker starts on the first bytes early and finishes soon after the last. */
const BATCH_BYTES = 256 * 1024;
const BATCHES_IN_FLIGHT = 16;
/** Contents up to this size are hashed here, at the end. */
const INLINE_BYTES = 256 * 1024;
/** Contents known up front to be at most this size are hashed here as they arrive. */
const INLINE_KNOWN_BYTES = 1024 * 1024;

/**
 * The hashing shared by the worker and the inline path: one function, so both give the same
 * digests. Its source is sent to the worker as it is, so it uses nothing from outside but its
 * parameters (`hash` is node:crypto's createHash). `onPart` hears each part's SHA-256 as soon as
 * the part's last byte is in (with `partHash: 'sha256'`).
 */
function digester(options: DigestOptions, hash: typeof createHash, onPart?: (number: number, sha256: string) => void): { feed(bytes: Uint8Array): void; finish(): Digests } {
  const partSize = options.partSize;
  const partsBySha = partSize !== undefined && options.partHash === 'sha256';
  const sha = options.sha256 || partsBySha ? hash('sha256') : undefined;
  const md5 = options.md5 || (partSize !== undefined && !partsBySha) ? hash('md5') : undefined;
  // The first part's digest is the whole content's hash up to the first boundary: a copy of that
  // hash, not a second pass over the same bytes (a content of one part is hashed once).
  const whole = partsBySha ? sha : md5;
  const parts: Buffer[] = [];
  let part: Hash | undefined;
  let partBytes = 0;
  let size = 0;
  // A method, not a named function: the bundler wraps those in a helper the worker does not have.
  const boundary = {
    endPart(): void {
      const digest = part === undefined ? whole!.copy().digest() : part.digest();
      parts.push(digest);
      if (partsBySha) onPart?.(parts.length, digest.toString('hex'));
    },
  };
  return {
    feed(bytes) {
      if (partSize === undefined) {
        sha?.update(bytes);
        md5?.update(bytes);
      } else {
        // The whole hashes are fed part by part, so that they stand exactly at each boundary.
        let offset = 0;
        while (offset < bytes.length) {
          const take = Math.min(bytes.length - offset, partSize - partBytes);
          const slice = bytes.subarray(offset, offset + take);
          sha?.update(slice);
          md5?.update(slice);
          part?.update(slice);
          partBytes += take;
          offset += take;
          if (partBytes === partSize) {
            boundary.endPart();
            part = hash(partsBySha ? 'sha256' : 'md5');
            partBytes = 0;
          }
        }
      }
      size += bytes.length;
    },
    finish() {
      // An empty content is still one request, whose payload is empty: its part is the empty hash.
      if (partSize !== undefined && (partBytes > 0 || (partsBySha && parts.length === 0))) boundary.endPart();
      return {
        size,
        ...(sha && options.sha256 ? { sha256: sha.digest('hex') } : {}),
        ...(md5 ? { md5: md5.digest('hex') } : {}),
        ...(partSize !== undefined && !partsBySha ? { partMd5s: parts } : {}),
        ...(partsBySha ? { partSha256s: parts.map((digest) => digest.toString('hex')) } : {}),
      };
    },
  };
}

// The worker's whole program: CommonJS evaluated from a string, so the bundles need no second file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const digester = ${digester.toString()};
const jobs = new Map();
parentPort.on('message', (message) => {
  if (message.t === 'open') {
    const id = message.id;
    jobs.set(id, digester(message.options, createHash, (number, sha256) => parentPort.postMessage({ t: 'part', id, number, sha256 })));
  }
  else if (message.t === 'data') {
    jobs.get(message.id)?.feed(new Uint8Array(message.buffer, 0, message.length));
    parentPort.postMessage({ t: 'ack', id: message.id });
  } else if (message.t === 'end') {
    const job = jobs.get(message.id);
    jobs.delete(message.id);
    const result = job ? job.finish() : undefined;
    parentPort.postMessage({ t: 'done', id: message.id, result: result && { ...result, partMd5s: result.partMd5s?.map((part) => new Uint8Array(part)) } });
  } else if (message.t === 'drop') jobs.delete(message.id);
});
`;

interface Pending {
  acked: () => void;
  part: (number: number, sha256: string) => void;
  done: (result: Digests) => void;
  failed: (error: Error) => void;
}

type WorkerMessage = { t: 'ack'; id: number } | { t: 'part'; id: number; number: number; sha256: string } | { t: 'done'; id: number; result?: Digests };

/** The one worker of this process, started on first use; it does not keep the process alive when idle. */
class DigestWorker {
  private static current: DigestWorker | undefined;
  private readonly worker: Worker;
  private readonly jobs = new Map<number, Pending>();
  private nextId = 1;
  private waiters = 0;

  static get(): DigestWorker {
    DigestWorker.current ??= new DigestWorker();
    return DigestWorker.current;
  }

  private constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on('message', (message: WorkerMessage) => {
      const job = this.jobs.get(message.id);
      if (job === undefined) return;
      if (message.t === 'ack') job.acked();
      else if (message.t === 'part') job.part(message.number, message.sha256);
      else {
        this.release(message.id);
        if (message.result === undefined) job.failed(new Error('the digest worker lost this job'));
        else job.done({ ...message.result, ...(message.result.partMd5s ? { partMd5s: message.result.partMd5s.map((part) => Buffer.from(part)) } : {}) });
      }
    });
    const fail = (error: Error): void => {
      if (DigestWorker.current === this) DigestWorker.current = undefined;
      for (const job of this.jobs.values()) job.failed(new Error(`Computing a checksum failed: ${error.message}`));
      this.jobs.clear();
      this.worker.unref();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the digest worker stopped (exit code ${code})`)));
    // After the listeners: adding a 'message' listener references the worker again.
    this.worker.unref();
  }

  open(options: DigestOptions, pending: Pending): number {
    const id = this.nextId++;
    this.jobs.set(id, pending);
    this.worker.postMessage({ t: 'open', id, options });
    return id;
  }

  send(id: number, batch: Buffer): void {
    const buffer = batch.buffer as ArrayBuffer;
    this.worker.postMessage({ t: 'data', id, buffer, length: batch.length }, [buffer]);
  }

  end(id: number): void {
    this.worker.postMessage({ t: 'end', id });
  }

  drop(id: number): void {
    if (!this.jobs.has(id)) return;
    this.release(id);
    this.worker.postMessage({ t: 'drop', id });
  }

  /**
   * The worker keeps the process alive only while someone waits for it: a promise alone does not,
   * and a process whose last step awaits a digest would otherwise exit before it. A job its owner
   * abandoned (a failed upload) does not hold a CLI process open.
   */
  hold(): void {
    if (this.waiters++ === 0) this.worker.ref();
  }

  unhold(): void {
    if (--this.waiters === 0) this.worker.unref();
  }

  private release(id: number): void {
    this.jobs.delete(id);
  }
}

/** Digests of bytes fed in order; `digest()` once at the end. */
export class BackgroundDigest {
  private batch: Buffer | undefined;
  private filled = 0;
  /** Bytes copied into batches so far: where the next part boundary falls in them. */
  private copied = 0;
  private heldBytes = 0;
  private jobId: number | undefined;
  /** The worker this content's job runs on, once it has one. */
  private worker: DigestWorker | undefined;
  private inFlight = 0;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private result: Promise<Digests> | undefined;
  private settle: { done: (result: Digests) => void; failed: (error: Error) => void } | undefined;
  /** The first bytes, kept here until the content proves too large to hash inline at the end. */
  private readonly held: Buffer[] = [];
  /** Hashing on this thread as the bytes arrive: a content known to be small. */
  private inline: ReturnType<typeof digester> | undefined;
  /** Each finished part's SHA-256 (hex), by part number - 1, and whoever waits for one not finished yet. */
  private readonly partSha256s: string[] = [];
  private readonly partWaiters = new Map<number, { resolve: (sha256: string) => void; reject: (error: Error) => void }[]>();
  /** The number of parts, once the content has ended: asking for a part past it fails. */
  private partCount: number | undefined;
  private readonly fast: FastHash | undefined;

  /**
   * `where.expectedSize`, when known and small, or `where.here`, has the bytes hashed on this
   * thread as they arrive, with no copy: for a transfer whose other end runs on this machine's
   * few cores (a server on loopback), copying the bytes for the worker costs about as much as
   * hashing them, and the worker takes a core from that server.
   */
  constructor(
    private readonly options: DigestOptions,
    where: { readonly expectedSize?: number; readonly here?: boolean } = {},
  ) {
    this.fast = options.xxh64 === true ? fastHash() : undefined;
    if (where.here === true || (where.expectedSize !== undefined && where.expectedSize <= INLINE_KNOWN_BYTES)) this.inline = digester(options, createHash, (number, sha256) => this.partDone(number, sha256));
  }

  /** Takes a copy of `bytes` (or hashes them at once); resolves once there is room for more (the worker keeps up). */
  update(bytes: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.fast?.update(bytes);
    if (this.inline) {
      this.inline.feed(bytes);
      return undefined;
    }
    if (this.jobId === undefined) {
      this.heldBytes += bytes.length;
      if (this.heldBytes <= INLINE_BYTES) {
        this.held.push(Buffer.from(bytes));
        return undefined;
      }
      this.start();
    }
    this.copyIn(bytes);
    return this.inFlight < BATCHES_IN_FLIGHT ? undefined : this.room();
  }

  /**
   * The SHA-256 (hex) of part `number` (from 1), with `partSize` and `partHash: 'sha256'`: resolves
   * once the part's last byte has been fed and hashed, or once the content ended (a last, short part).
   */
  partSha256(number: number): Promise<string> {
    const known = this.partSha256s[number - 1];
    if (known !== undefined) return Promise.resolve(known);
    const ended = this.failure ?? (this.partCount === undefined ? undefined : noMoreParts(this.partCount));
    if (ended) return Promise.reject(ended);
    const worker = this.worker;
    worker?.hold();
    return new Promise<string>((resolve, reject) => {
      const waiters = this.partWaiters.get(number) ?? [];
      waiters.push({ resolve, reject });
      this.partWaiters.set(number, waiters);
    }).finally(() => worker?.unhold());
  }

  /** The digests of everything fed; the worker may still be hashing when this is called. */
  digest(): Promise<Digests> {
    if (this.result) return this.result;
    if (this.inline || this.jobId === undefined) {
      let inline = this.inline;
      if (inline === undefined) {
        inline = digester(this.options, createHash, (number, sha256) => this.partDone(number, sha256));
        for (const bytes of this.held) inline.feed(bytes);
        this.held.length = 0;
      }
      this.inline = undefined;
      const result = inline.finish();
      this.allPartsDone(result);
      this.result = Promise.resolve(this.withFast(result));
      return this.result;
    }
    if (this.failure) return (this.result = Promise.reject(this.failure));
    const worker = this.worker!;
    worker.hold();
    this.result = new Promise<Digests>((done, failed) => (this.settle = { done, failed })).then((result) => this.withFast(result)).finally(() => worker.unhold());
    if (this.filled > 0) this.flush();
    worker.end(this.jobId);
    return this.result;
  }

  /** Every byte was fed before digest() was called, so the xxHash64 is complete by then. */
  private withFast(result: Digests): Digests {
    return this.fast === undefined ? result : { ...result, xxh64: this.fast.digest() };
  }

  /** Forgets the job (a failed or cancelled transfer). */
  abort(): void {
    if (this.jobId !== undefined && this.settle === undefined) this.worker!.drop(this.jobId);
    this.held.length = 0;
    this.batch = undefined;
    this.inline = undefined;
    this.failed(new Error('the content was not hashed to the end (the transfer stopped)'));
  }

  private start(): void {
    this.worker = DigestWorker.get();
    this.jobId = this.worker.open(this.options, {
      acked: () => {
        this.inFlight -= 1;
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.();
      },
      part: (number, sha256) => this.partDone(number, sha256),
      done: (result) => {
        this.allPartsDone(result);
        this.settle?.done(result);
      },
      failed: (error) => {
        this.failed(error);
        this.settle?.failed(error);
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.();
      },
    });
    // What was held back while the content still looked small goes first, in order.
    for (const bytes of this.held.splice(0)) this.copyIn(bytes);
  }

  private partDone(number: number, sha256: string): void {
    this.partSha256s[number - 1] = sha256;
    const waiters = this.partWaiters.get(number);
    this.partWaiters.delete(number);
    for (const waiter of waiters ?? []) waiter.resolve(sha256);
  }

  private allPartsDone(result: Digests): void {
    for (const [index, sha256] of (result.partSha256s ?? []).entries()) if (this.partSha256s[index] === undefined) this.partDone(index + 1, sha256);
    // Asked for a part the content never reached: it has fewer parts. The error is made only for
    // someone waiting: nearly always nobody is, and an Error costs its stack trace.
    this.partCount = result.partSha256s?.length ?? 0;
    if (this.partWaiters.size > 0) this.rejectPartWaiters(noMoreParts(this.partCount));
  }

  private failed(error: Error): void {
    this.failure ??= error;
    this.rejectPartWaiters(error);
  }

  private rejectPartWaiters(error: Error): void {
    const waiters = [...this.partWaiters.values()].flat();
    this.partWaiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  private async room(): Promise<void> {
    const worker = this.worker!;
    worker.hold();
    try {
      while (this.inFlight >= BATCHES_IN_FLIGHT && this.failure === undefined) await new Promise<void>((resolve) => (this.waiting = resolve));
    } finally {
      worker.unhold();
    }
    if (this.failure) throw this.failure;
  }

  private copyIn(bytes: Uint8Array): void {
    const partSize = this.options.partSize;
    let offset = 0;
    while (offset < bytes.length) {
      this.batch ??= Buffer.allocUnsafeSlow(BATCH_BYTES);
      // A batch also ends at a part boundary, so a part's last bytes reach the worker with it, not with the next part's.
      const toBoundary = partSize === undefined ? Infinity : partSize - (this.copied % partSize);
      const take = Math.min(bytes.length - offset, BATCH_BYTES - this.filled, toBoundary);
      this.batch.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      this.copied += take;
      offset += take;
      if (this.filled === BATCH_BYTES || take === toBoundary) this.flush();
    }
  }

  private flush(): void {
    const batch = this.batch!.subarray(0, this.filled);
    this.batch = undefined;
    this.filled = 0;
    this.inFlight += 1;
    this.worker!.send(this.jobId!, batch);
  }
}

/**
 * A pass-through stream that computes `Digests` of what flows through it, on the worker (or here,
 * for a content known to be small). It ends without waiting for the worker, so whoever reads it
 * (an upload) goes on while the last bytes are hashed; `digests()` waits for them.
 */
export class DigestingStream extends Transform {
  private readonly digest: BackgroundDigest;
  private size = 0;
  private result: Promise<Digests> | undefined;

  constructor(
    options: DigestOptions,
    private readonly onBytes?: (done: number) => void,
    where: { readonly expectedSize?: number; readonly here?: boolean } = {},
  ) {
    super();
    this.digest = new BackgroundDigest(options, where);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.onBytes?.(this.size);
    // The chunk goes on at once (the digest keeps a copy); only a worker that falls behind holds it up.
    const room = this.digest.update(chunk);
    if (room === undefined) callback(null, chunk);
    else room.then(() => callback(null, chunk), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.result = this.digest.digest();
    // Whoever awaits `digests()` sees a failure; this keeps an unawaited one from crashing the process.
    this.result.catch(() => undefined);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.result === undefined) this.digest.abort();
    callback(error);
  }

  /** The SHA-256 of part `number` of what flows through (see BackgroundDigest.partSha256). */
  partSha256(number: number): Promise<string> {
    return this.digest.partSha256(number);
  }

  /** The digests of everything that flowed through; call once the stream has ended. */
  digests(): Promise<Digests> {
    if (this.result === undefined) return Promise.reject(new Error('DigestingStream read before it ended'));
    return this.result;
  }
}
