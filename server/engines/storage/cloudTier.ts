// The cloud and archive tiers: one S3 bucket (AWS, MinIO, Ceph, s3rver) reached through the AWS
// SDK. Objects live under `<prefix>objects/<key>`, archived ones under `<prefix>archive/<key>` in
// the archive bucket, each tagged with the version of the record it belongs to, so a stale copy is
// never mistaken for the current one. Retries with back-off are the SDK's (bounded attempts);
// what still fails becomes `cloud-unavailable` with the server's reason.
//
// Every request that carries content is signed with a SHA-256 computed here from the very bytes
// that are hashed for the record (the SDK uses a present x-amz-content-sha256 instead of hashing
// the body again): a server that checks it (checksSignedPayload) refuses a body that differs.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  RestoreObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
  type PutObjectCommandInput,
  type S3ClientConfig,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { CancelledError, loadFastHash } from '../common';
import type { StorageClassName } from '../prices';
import { checksSignedPayload, type ArchiveConfig, type CloudConfig } from './config';
import { DigestStream, PART_SIZE, digestsOf, unquote, type ContentDigests } from './etags';
import { StorageError, describeError } from './errors';
import { ReaderClients } from './readerClients';
import { readSmall } from './sources';

// The SDK warns on every run under Node 20 that *future* SDK releases will need Node 22. The SDK is
// bundled at a fixed version, so the warning is not something a NeuroLake user can act on.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export type Place = 'cloud' | 'archive';

export interface RemoteHead {
  readonly etag: string;
  readonly size: number;
  readonly version?: string;
  readonly storageClass: StorageClassName;
  /** From x-amz-restore: undefined when never restored. */
  readonly restore?: { readonly ongoing: boolean; readonly expiry?: string };
}

export interface UploadOptions {
  /** The record's version, kept in the object's metadata so a stale copy is never taken for the current one. */
  readonly version: string;
  readonly sha256?: string;
  readonly storageClass?: StorageClassName;
  /** Known up front: a content of one part is then sent as one request. */
  readonly size?: number;
  readonly signal?: AbortSignal;
  readonly onBytes?: (done: number) => void;
}

export interface CloudTierOptions {
  readonly credentials?: S3ClientConfig['credentials'];
  /** Per-request timeout; a slow server beyond it counts as a failed attempt. */
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly partSize?: number;
  /** Objects larger than this are copied between tiers part by part; S3 allows one CopyObject up to 5 GB. */
  readonly multipartCopyAbove?: number;
}

/** The largest object S3 copies in one CopyObject. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;

export class CloudTier {
  readonly client: S3Client;
  /** GetObject and HeadObject go through these: see readerClients.ts. */
  private readonly readers: ReaderClients;
  private readonly partSize: number;
  private readonly multipartCopyAbove: number;
  private readonly checksPayload: boolean;
  /**
   * The SHA-256 of each part of an upload in flight, by the upload's Metadata object: lib-storage
   * passes that object on to every request of the upload (PutObject, or each UploadPart), which is
   * how the signing step below finds the hash of the part it signs.
   */
  private readonly payloadHashes = new WeakMap<object, (partNumber: number) => Promise<string>>();

  constructor(
    readonly config: CloudConfig,
    readonly archive: ArchiveConfig,
    options: CloudTierOptions = {},
  ) {
    this.partSize = options.partSize ?? PART_SIZE;
    this.multipartCopyAbove = Math.min(options.multipartCopyAbove ?? MAX_SINGLE_COPY_BYTES, MAX_SINGLE_COPY_BYTES);
    const clientConfig = {
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      requestChecksumCalculation: config.requestChecksumCalculation,
      responseChecksumValidation: config.requestChecksumCalculation,
      maxAttempts: options.maxAttempts ?? 4,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    };
    // A request past its timeout is a failed attempt (retried), not just a warning.
    const handler = { connectionTimeout: 3000, requestTimeout: options.requestTimeoutMs ?? 60_000, throwOnRequestTimeout: true };
    this.client = new S3Client({ ...clientConfig, requestHandler: handler });
    // The readers share the general client's credentials provider, which resolves and refreshes
    // them once for all (a profile's role is assumed once, not once per client).
    this.readers = new ReaderClients({ ...clientConfig, credentials: this.client.config.credentials }, handler);
    this.checksPayload = checksSignedPayload(config);
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Metadata?: object; PartNumber?: number };
        const carriesContent = context.commandName === 'PutObjectCommand' || context.commandName === 'UploadPartCommand';
        const partHash = carriesContent && input.Metadata !== undefined ? this.payloadHashes.get(input.Metadata) : undefined;
        if (partHash !== undefined) (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = await partHash(input.PartNumber ?? 1);
        return next(args);
      },
      { step: 'build', name: 'neurolakeSignedPayloadHash' },
    );
  }

  bucketOf(place: Place): string {
    return place === 'archive' ? (this.archive.bucket ?? this.config.bucket) : this.config.bucket;
  }

  nameOf(place: Place, key: string): string {
    return `${this.config.prefix}${place === 'archive' ? 'archive' : 'objects'}/${key}`;
  }

  /** `s3://bucket/name` of the object's copy in `place`. */
  uri(place: Place, key: string): string {
    return `s3://${this.bucketOf(place)}/${this.nameOf(place, key)}`;
  }

  /** HeadBucket: resolves when the bucket answers, throws `cloud-unavailable` or `not-configured` otherwise. */
  async check(signal?: AbortSignal): Promise<void> {
    try {
      await this.send((options) => this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }), options), `reaching bucket ${this.config.bucket}`, signal);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'not-found') {
        throw new StorageError('not-configured', `The bucket ${this.config.bucket} does not exist${this.config.endpoint ? ` at ${this.config.endpoint}` : ''}; create it, or run "neurolake storage configure --create-bucket".`);
      }
      throw error;
    }
  }

  /** Creates the cloud tier's bucket unless it exists (for `configure --create-bucket` and `npm start`). */
  async createBucketIfMissing(signal?: AbortSignal): Promise<void> {
    try {
      await this.check(signal);
      return;
    } catch (error) {
      if (!(error instanceof StorageError && error.code === 'not-configured')) throw error;
    }
    await this.send((options) => this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket }), options), `creating bucket ${this.config.bucket}`, signal);
  }

  /**
   * Uploads a content (multipart above one part), tagging it with `version`; resolves with the
   * digests of what was sent and the server's ETag, or throws before anything is committed. Where
   * the server checks signed payloads, it has then checked every byte against the digests, and
   * `digests.etags` holds just the ETag it answered (none when it gave none); elsewhere it is
   * for the caller to compare the ETag with `digests.etags`.
   */
  async upload(place: Place, key: string, content: Readable | Uint8Array, options: UploadOptions): Promise<{ digests: ContentDigests; etag: string }> {
    const size = content instanceof Uint8Array ? content.length : options.size;
    // Loaded when the engine opened; awaited here too for a tier used on its own.
    await loadFastHash();
    const { digests, etag } = size !== undefined && size <= this.partSize ? await this.putWhole(place, key, content, size, options) : await this.putParts(place, key, content, size, options);
    if (!this.checksPayload) return { digests, etag };
    const { etags: _unused, ...checked } = digests;
    return { digests: etag === '' ? checked : { ...checked, etags: [etag] }, etag };
  }

  /**
   * A content of one part, read into memory, hashed here and sent as one PutObject signed with
   * its SHA-256: the hash the record needs is the one the server checks, and nothing is hashed
   * twice. Reading it first also means the bytes hashed are the bytes sent, whatever the source
   * does with its buffers afterwards.
   */
  private async putWhole(place: Place, key: string, content: Readable | Uint8Array, size: number, options: UploadOptions): Promise<{ digests: ContentDigests; etag: string }> {
    const bytes = await readSmall(content, size, key, options.signal);
    const digests = digestsOf(bytes, this.checksPayload);
    const params = this.putParams(place, key, options);
    this.payloadHashes.set(params.Metadata, () => Promise.resolve(digests.sha256));
    options.onBytes?.(size);
    const output = await this.send((sendOptions) => this.client.send(new PutObjectCommand({ ...params, Body: bytes, ContentLength: size }), sendOptions), `uploading ${key} to ${this.uri(place, key)}`, options.signal);
    return { digests, etag: unquote(output.ETag) };
  }

  /**
   * A content of several parts (or of unknown size), streamed through lib-storage's multipart
   * upload and hashed on the worker on its way: each part's request is signed with that part's
   * SHA-256 from the same bytes (a server that checks refuses a part that differs), or, where the
   * server does not check, the part MD5s are computed for the ETag instead.
   */
  private async putParts(place: Place, key: string, content: Readable | Uint8Array, size: number | undefined, options: UploadOptions): Promise<{ digests: ContentDigests; etag: string }> {
    const body = content instanceof Uint8Array ? Readable.from([content]) : content;
    const digest = new DigestStream(this.partSize, this.checksPayload, options.onBytes);
    body.on('error', (error) => digest.destroy(error));
    const params = this.putParams(place, key, options);
    if (this.checksPayload) this.payloadHashes.set(params.Metadata, (partNumber) => digest.partSha256(partNumber));
    const upload = new Upload({
      client: this.client,
      partSize: this.partSize,
      queueSize: 4,
      leavePartsOnError: false,
      params: {
        ...params,
        Body: body.pipe(digest),
        ...(size !== undefined ? { ContentLength: size } : {}),
      },
    });
    const abort = (): void => void upload.abort().catch(() => undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const result = await upload.done();
      return { digests: await digest.contentDigests(), etag: unquote(result.ETag) };
    } catch (error) {
      digest.destroy();
      if (options.signal?.aborted) throw new CancelledError('The upload');
      throw toStorageError(error, `uploading ${key} to ${this.uri(place, key)}`);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** A new Metadata object each time: it names the upload to the signing step. */
  private putParams(place: Place, key: string, options: UploadOptions): PutObjectCommandInput & { Bucket: string; Key: string; Metadata: Record<string, string> } {
    return {
      Bucket: this.bucketOf(place),
      Key: this.nameOf(place, key),
      Metadata: { 'neurolake-version': options.version, ...(options.sha256 ? { 'neurolake-sha256': options.sha256 } : {}) },
      ...(options.storageClass && options.storageClass !== 'STANDARD' ? { StorageClass: options.storageClass as StorageClass } : {}),
    };
  }

  /** Undefined when there is no such object. */
  async head(place: Place, key: string, signal?: AbortSignal): Promise<RemoteHead | undefined> {
    try {
      const head = await this.send(() => this.readers.headObject(this.bucketOf(place), this.nameOf(place, key), signal), `checking ${this.uri(place, key)}`, signal);
      return {
        etag: unquote(head.ETag),
        size: head.ContentLength ?? 0,
        ...(head.Metadata?.['neurolake-version'] ? { version: head.Metadata['neurolake-version'] } : {}),
        storageClass: (head.StorageClass ?? 'STANDARD') as StorageClassName,
        ...(head.Restore ? { restore: parseRestore(head.Restore) } : {}),
      };
    } catch (error) {
      if (error instanceof StorageError && error.code === 'not-found') return undefined;
      throw error;
    }
  }

  /** The object's bytes. Throws `restoring` (with `needsRestore`) when the archive must thaw it first. */
  async get(place: Place, key: string, signal?: AbortSignal): Promise<Readable> {
    const output = await this.send(() => this.readers.getObject(this.bucketOf(place), this.nameOf(place, key), signal), `reading ${this.uri(place, key)}`, signal);
    return output.Body as Readable;
  }

  /** A GET URL signed with this tier's credentials, valid for `expiresIn` seconds; made offline. */
  async presignGet(place: Place, key: string, expiresIn: number): Promise<string> {
    try {
      return await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucketOf(place), Key: this.nameOf(place, key) }), { expiresIn });
    } catch (error) {
      throw toStorageError(error, `signing a URL for ${this.uri(place, key)}`);
    }
  }

  /**
   * Server-side copy into `to`, in the storage class given; resolves with the new copy's ETag ('' if
   * the server gave none: the caller's HEAD is then the check). A source uploaded in parts (its
   * ETag `sourceEtag` ends in -N) is copied part by part (UploadPartCopy) with the same part size
   * as uploads, so the copy has the same multipart ETag as the object it was copied from on every
   * server (one CopyObject gives it a new ETag on AWS: the whole content's MD5, which is not known
   * for a content of several parts). S3 also refuses a single CopyObject above 5 GB.
   */
  async copy(from: Place, to: Place, key: string, version: string, storageClass: StorageClassName, size: number, sourceEtag: string, signal?: AbortSignal): Promise<string> {
    const target = { Bucket: this.bucketOf(to), Key: this.nameOf(to, key) };
    const source = encodeURI(`${this.bucketOf(from)}/${this.nameOf(from, key)}`);
    const metadata = { 'neurolake-version': version };
    const what = `copying ${key} to the ${to} tier`;
    const sourceParts = Number(/-(\d+)$/.exec(sourceEtag)?.[1] ?? 1);
    const sameLayout = sourceParts > 1 && Math.ceil(size / this.partSize) === sourceParts;
    if (size <= this.multipartCopyAbove && !sameLayout) {
      const output = await this.send((options) => this.client.send(new CopyObjectCommand({ ...target, CopySource: source, MetadataDirective: 'REPLACE', Metadata: metadata, StorageClass: storageClass as StorageClass }), options), what, signal);
      return unquote(output.CopyObjectResult?.ETag);
    }
    const created = await this.send((options) => this.client.send(new CreateMultipartUploadCommand({ ...target, Metadata: metadata, StorageClass: storageClass as StorageClass }), options), what, signal);
    const uploadId = created.UploadId!;
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let start = 0, number = 1; start < size; start += this.partSize, number += 1) {
        const end = Math.min(size, start + this.partSize) - 1;
        const part = await this.send((options) => this.client.send(new UploadPartCopyCommand({ ...target, UploadId: uploadId, PartNumber: number, CopySource: source, CopySourceRange: `bytes=${start}-${end}` }), options), `${what} (part ${number})`, signal);
        parts.push({ ETag: part.CopyPartResult?.ETag ?? '', PartNumber: number });
      }
      const done = await this.send((options) => this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId, MultipartUpload: { Parts: parts } }), options), what, signal);
      return unquote(done.ETag);
    } catch (error) {
      // Parts of an unfinished copy are billed until aborted.
      await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }

  async delete(place: Place, key: string, signal?: AbortSignal): Promise<void> {
    await this.send((options) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucketOf(place), Key: this.nameOf(place, key) }), options), `deleting ${this.uri(place, key)}`, signal);
  }

  /** Asks the archive to make the object readable for `days`; already in progress is fine. */
  async requestRestore(key: string, days: number, signal?: AbortSignal): Promise<void> {
    try {
      await this.send((options) => this.client.send(new RestoreObjectCommand({ Bucket: this.bucketOf('archive'), Key: this.nameOf('archive', key), RestoreRequest: { Days: days, GlacierJobParameters: { Tier: 'Standard' } } }), options),
        `requesting a restore of ${this.uri('archive', key)}`,
        signal,
      );
    } catch (error) {
      if (error instanceof StorageError && /RestoreAlreadyInProgress/.test(error.message)) return;
      throw error;
    }
  }

  /** Every key under `place` in the bucket, for orphan reports. */
  async *listKeys(place: Place, signal?: AbortSignal): AsyncGenerator<string> {
    const prefix = `${this.config.prefix}${place === 'archive' ? 'archive' : 'objects'}/`;
    let token: string | undefined;
    do {
      const page = await this.send((options) => this.client.send(new ListObjectsV2Command({ Bucket: this.bucketOf(place), Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), options), `listing ${this.bucketOf(place)}`, signal);
      for (const item of page.Contents ?? []) if (item.Key) yield item.Key.slice(prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  destroy(): void {
    this.client.destroy();
    this.readers.destroy();
  }

  /** Runs one SDK call with the caller's abort signal, turning its failure into a StorageError. */
  private async send<T>(call: (options: { abortSignal?: AbortSignal }) => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
    try {
      return await call(signal ? { abortSignal: signal } : {});
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`${what[0]?.toUpperCase()}${what.slice(1)}`);
      throw toStorageError(error, what);
    }
  }
}

function parseRestore(header: string): { ongoing: boolean; expiry?: string } {
  const ongoing = /ongoing-request="true"/i.test(header);
  const expiry = /expiry-date="([^"]+)"/i.exec(header)?.[1];
  return { ongoing, ...(expiry ? { expiry: new Date(expiry).toISOString() } : {}) };
}

/** S3's answer, or the network's silence, as an error naming what was being done. */
export function toStorageError(error: unknown, what: string): StorageError | CancelledError {
  if (error instanceof StorageError || error instanceof CancelledError) return error;
  const name = (error as { name?: string }).name ?? '';
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  if (name === 'InvalidObjectState') return new StorageError('restoring', `InvalidObjectState while ${what}: the object is archived and must be restored first.`);
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    if (name === 'NoSuchBucket') return new StorageError('not-configured', `The bucket does not exist while ${what}; create it or run "neurolake storage configure".`);
    return new StorageError('not-found', `Not found while ${what}.`);
  }
  if (name === 'NoSuchBucket') return new StorageError('not-configured', `The bucket does not exist while ${what}; create it or run "neurolake storage configure".`);
  if (name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch' || status === 403) {
    return new StorageError('cloud-unavailable', `Access denied while ${what} (${name || 'HTTP 403'}); check the credentials (AWS_ACCESS_KEY_ID/AWS_PROFILE or the extension's stored key).`);
  }
  if (name === 'CredentialsProviderError') return new StorageError('cloud-unavailable', `No AWS credentials while ${what}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or store a key from VS Code.`);
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code ?? (status !== undefined ? `HTTP ${status}${name ? ` ${name}` : ''}` : name || describeError(error));
  return new StorageError('cloud-unavailable', `The cloud tier is unreachable while ${what} (${reason}: ${describeError(error)}).`);
}
