// Content digests (SHA-256, MD5, and the MD5 of each fixed-size part, for S3 multipart ETags)
// computed on a worker thread while the bytes stream past on this one. Hashing a megabyte takes
// about as long as writing and fsyncing it, or as receiving it from a server on loopback; done on
// the thread that also writes or parses the HTTP response, the two add up. On a worker they
// overlap: the digest is ready about when the disk flush or the last byte is.
//
// Bytes are copied into batches (the caller may reuse or still be writing its buffer) and each
// full batch is handed over without a copy. At most a few batches are in flight: `update` waits
// for the worker beyond that, so memory stays bounded whatever the size. Small contents never
// leave this thread: starting a worker costs more than hashing a few hundred kilobytes.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';

export interface DigestOptions {
  readonly sha256?: boolean;
  readonly md5?: boolean;
  /** Also the MD5 of every part of this many bytes (the last part may be shorter). */
  readonly partSize?: number;
}

export interface Digests {
  readonly size: number;
  readonly sha256?: string;
  readonly md5?: string;
  /** Raw 16-byte MD5 of each part, in order; empty for empty content. */
  readonly partMd5s?: readonly Buffer[];
}

/** Small enough that the worker starts on the first bytes early and finishes soon after the last. */
const BATCH_BYTES = 256 * 1024;
const BATCHES_IN_FLIGHT = 16;
/** Contents up to this size are hashed here, at the end. */
const INLINE_BYTES = 256 * 1024;

/**
 * The hashing shared by the worker and the inline path: one function, so both give the same
 * digests. Its source is sent to the worker as it is, so it uses nothing from outside but its
 * parameters (`hash` is node:crypto's createHash).
 */
function digester(options: DigestOptions, hash: typeof createHash): { feed(bytes: Uint8Array): void; finish(): Digests } {
  const sha = options.sha256 ? hash('sha256') : undefined;
  const md5 = options.md5 || options.partSize ? hash('md5') : undefined;
  const partSize = options.partSize;
  const parts: Buffer[] = [];
  // The first part's MD5 is the whole content's MD5 up to the first boundary: a copy of that hash,
  // not a second pass over the same bytes (a single-part object is hashed with MD5 once).
  let part: Hash | undefined;
  let partBytes = 0;
  let size = 0;
  return {
    feed(bytes) {
      sha?.update(bytes);
      if (partSize === undefined) md5?.update(bytes);
      else {
        // The whole MD5 is fed part by part, so that it stands exactly at each boundary.
        let offset = 0;
        while (offset < bytes.length) {
          const take = Math.min(bytes.length - offset, partSize - partBytes);
          const slice = bytes.subarray(offset, offset + take);
          md5!.update(slice);
          part?.update(slice);
          partBytes += take;
          offset += take;
          if (partBytes === partSize) {
            parts.push(part === undefined ? md5!.copy().digest() : part.digest());
            part = hash('md5');
            partBytes = 0;
          }
        }
      }
      size += bytes.length;
    },
    finish() {
      if (partSize !== undefined && partBytes > 0) parts.push(part === undefined ? md5!.copy().digest() : part.digest());
      return {
        size,
        ...(sha ? { sha256: sha.digest('hex') } : {}),
        ...(md5 && (options.md5 || partSize) ? { md5: md5.digest('hex') } : {}),
        ...(partSize !== undefined ? { partMd5s: parts } : {}),
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
  if (message.t === 'open') jobs.set(message.id, digester(message.options, createHash));
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
  done: (result: Digests) => void;
  failed: (error: Error) => void;
}

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
    this.worker.on('message', (message: { t: 'ack' | 'done'; id: number; result?: Digests }) => {
      const job = this.jobs.get(message.id);
      if (job === undefined) return;
      if (message.t === 'ack') job.acked();
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

  constructor(private readonly options: DigestOptions) {}

  /** Takes a copy of `bytes`; resolves once there is room for more (the worker keeps up). */
  update(bytes: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
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

  /** The digests of everything fed; the worker may still be hashing when this is called. */
  digest(): Promise<Digests> {
    if (this.result) return this.result;
    if (this.jobId === undefined) {
      const inline = digester(this.options, createHash);
      for (const bytes of this.held) inline.feed(bytes);
      this.held.length = 0;
      this.result = Promise.resolve(inline.finish());
      return this.result;
    }
    if (this.failure) return (this.result = Promise.reject(this.failure));
    const worker = this.worker!;
    worker.hold();
    this.result = new Promise<Digests>((done, failed) => (this.settle = { done, failed })).finally(() => worker.unhold());
    if (this.filled > 0) this.flush();
    worker.end(this.jobId);
    return this.result;
  }

  /** Forgets the job (a failed or cancelled transfer). */
  abort(): void {
    if (this.jobId !== undefined && this.settle === undefined) this.worker!.drop(this.jobId);
    this.held.length = 0;
    this.batch = undefined;
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
      done: (result) => this.settle?.done(result),
      failed: (error) => {
        this.failure = error;
        this.settle?.failed(error);
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.();
      },
    });
    // What was held back while the content still looked small goes first, in order.
    for (const bytes of this.held.splice(0)) this.copyIn(bytes);
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
    let offset = 0;
    while (offset < bytes.length) {
      this.batch ??= Buffer.allocUnsafeSlow(BATCH_BYTES);
      const take = Math.min(bytes.length - offset, BATCH_BYTES - this.filled);
      this.batch.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BATCH_BYTES) this.flush();
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
 * A pass-through stream that computes `Digests` of what flows through it, on the worker. It ends
 * without waiting for the worker, so whoever reads it (an upload) goes on while the last bytes are
 * hashed; `digests()` waits for them.
 */
export class DigestingStream extends Transform {
  private readonly digest: BackgroundDigest;
  private size = 0;
  private result: Promise<Digests> | undefined;

  constructor(
    options: DigestOptions,
    private readonly onBytes?: (done: number) => void,
  ) {
    super();
    this.digest = new BackgroundDigest(options);
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

  /** The digests of everything that flowed through; call once the stream has ended. */
  digests(): Promise<Digests> {
    if (this.result === undefined) return Promise.reject(new Error('DigestingStream read before it ended'));
    return this.result;
  }
}
