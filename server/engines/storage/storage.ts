// The storage engine: objects by key on three tiers (local disk, an S3 bucket, an archive storage
// class), placed by a pluggable policy, and never lost.
//
// The rules every path follows:
// - A store is acknowledged only once its bytes are fsync'ed (a local file, or a cloud copy whose
//   ETag matched what we sent) and its index entry is journaled.
// - A move is copy -> verify -> commit the index -> delete the source. The deletion is journaled as
//   an intent with the commit, so a crash in between leaves a note reconcile carries out.
// - A local copy is evicted only when a cloud copy of the same version is verified again, under the
//   index lock, just before. New local objects are uploaded by a queue that is the index itself
//   (records with a local copy and no cloud copy), so it survives restarts by construction.
// - Several processes share a data folder: every change is made under the index's lock after
//   catching up with the others; file steps that must not interleave (a rename into place, an
//   unlink, a copy's last check) run under that lock too.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { CancelledError, DigestingStream, NO_PROGRESS, syncFolder, throwIfCancelled, type WorkOptions } from '../common';
import { BYTES_PER_GB, storagePrices, type StoragePrices } from '../prices';
import { AccessLog, type AccessEntry } from './accessLog';
import { CloudTier, type CloudTierOptions, type Place } from './cloudTier';
import { applyEnvironment, readStorageConfig, storageFolder, type StorageConfig } from './config';
import { computeStats, monthlyCost, tierBytes } from './costs';
import { fileError, makeFolders, streamToFile } from './durable';
import { StorageError, describeError } from './errors';
import { IndexStore, type IndexOp, type IndexState, type Intent } from './indexStore';
import { INCOMING_FOLDER, confinedPath, validateKey } from './keys';
import { adoptLocations, checkLocationChange } from './location';
import { pageKeys } from './listing';
import { createDefaultLocalTierPolicy, type LocalTierPolicy, type LocalTierPolicyFactory } from './placement';
import { tierOf, toInfo, withHistory } from './records';
import type {
  Disposable,
  EngineStatus,
  ListOptions,
  ListPage,
  MoveKind,
  MoveResult,
  ObjectInfo,
  ObjectRecord,
  PlacementPlan,
  PlannedMove,
  PresignedUrl,
  StorageStats,
  TierName,
  TierStates,
  VerifyProblem,
  VerifyReport,
} from './types';

export interface StorageOpenOptions {
  readonly dataFolder: string;
  /** Environment whose AWS variables and NEUROLAKE_S3_BUCKET override the configuration; process.env when unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Use this configuration instead of the data folder's storage/config.json. */
  readonly config?: StorageConfig;
  /** Credentials from the extension's SecretStorage; otherwise the AWS default chain. */
  readonly credentials?: CloudTierOptions['credentials'];
  readonly policy?: LocalTierPolicyFactory;
  /** Upload queued objects and poll restores in the background (a long-lived server); off for one CLI command. */
  readonly background?: boolean;
  readonly restorePollMs?: number;
  /** Back-off of the upload queue after a failure: doubles from min to max. */
  readonly uploadRetryMs?: { readonly min: number; readonly max: number };
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly partSize?: number;
  /** Copies between tiers of objects above this many bytes go part by part (at most, and by default, 5 GB). */
  readonly multipartCopyAbove?: number;
  readonly onWarning?: (message: string) => void;
}

export type StoreSource = Readable | AsyncIterable<Uint8Array> | Uint8Array | { readonly path: string };

export interface StoreOptions extends WorkOptions {
  /** Size in bytes when known ahead (a file): lets an object the local tier will not take go straight to the cloud. */
  readonly size?: number;
}

export interface RestoreOutcome {
  readonly key: string;
  readonly state: 'restored' | 'restoring';
  readonly expectedAt?: string;
}

export interface StorageChange {
  /** The keys that changed, when known; otherwise anything may have. */
  readonly keys?: readonly string[];
  readonly status?: boolean;
}

type CloudState = { readonly kind: 'none' } | { readonly kind: 'unknown' } | { readonly kind: 'connected' } | { readonly kind: 'unreachable'; readonly reason: string };

/**
 * What an upload superseded by a newer version found when it had landed on the newer version's
 * cloud copy: that copy is then uploaded again from the local one, left to the archive copy, or lost.
 */
type Overwrite = 'requeued' | 'archive-remains' | 'lost';

/** Days a restored archive copy stays readable. */
const RESTORE_DAYS = 7;
/** How long each archive class usually takes to make an object readable (Standard retrieval). */
const RESTORE_HOURS: Readonly<Record<string, number>> = { GLACIER: 5, DEEP_ARCHIVE: 12, GLACIER_IR: 0 };
/** Network steps under the index lock are bounded, so a hung server cannot hold every process up. */
const LOCKED_CALL_MS = 15_000;
/** SigV4 presigned URLs last at most a week. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export class StorageEngine {
  private readonly listeners = new Set<(change: StorageChange) => void>();
  private cloudState: CloudState;
  private policy: LocalTierPolicy;
  private policyStale = false;
  private pendingTouches: IndexOp[] = [];
  private touchTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly closing = new AbortController();
  private uploaderWake: (() => void) | undefined;
  private uploaderDone: Promise<void> = Promise.resolve();
  private restoreTimer: NodeJS.Timeout | undefined;
  private readonly failedUploads = new Map<string, number>();
  /** Per key, the end of the last upload to its cloud name started here: each waits for the one before (see inCloudWriteOrder). */
  private readonly cloudWrites = new Map<string, Promise<unknown>>();
  private uploaderStarted = false;
  /** Tiers of configurations replaced while running: requests in flight may still use them, so they are destroyed on close. */
  private readonly retiredClouds: CloudTier[] = [];
  private reloading: Promise<boolean> | undefined;
  private lastConfigProblem: string | undefined;
  /** Why the configured cloud tier is not in force (it would not find the recorded copies); see location.ts. */
  private locationProblem: string | undefined;

  private constructor(
    readonly dataFolder: string,
    private current: StorageConfig,
    readonly localRoot: string,
    private readonly index: IndexStore,
    private readonly log: AccessLog,
    private cloud: CloudTier | undefined,
    private readonly options: StorageOpenOptions,
    private currentPrices: StoragePrices,
  ) {
    this.cloudState = cloud === undefined ? { kind: 'none' } : { kind: 'unknown' };
    this.policy = this.buildPolicy();
  }

  /** The configuration in force: storage/config.json with the environment's overrides, as last read. */
  get config(): StorageConfig {
    return this.current;
  }

  get prices(): StoragePrices {
    return this.currentPrices;
  }

  /** Opens the data folder's storage, reconciling what a crash may have left half done. */
  static async open(options: StorageOpenOptions): Promise<StorageEngine> {
    const config = applyEnvironment(options.config ?? (await readStorageConfig(options.dataFolder)), options.env ?? process.env);
    const folder = storageFolder(options.dataFolder);
    const localRoot = config.local.path ?? join(folder, 'local');
    try {
      await mkdir(join(localRoot, INCOMING_FOLDER), { recursive: true });
    } catch (error) {
      throw fileError(error, `creating the local tier ${localRoot}`);
    }
    // The index calls back into the engine, which needs the index to exist first.
    const late: { engine?: StorageEngine } = {};
    const index = await IndexStore.open(join(folder, 'index.json'), {
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      onExternalChange: () => late.engine?.externalChange(),
      beforeCompact: async () => late.engine?.finishStaged(),
    });
    const log = new AccessLog(join(folder, 'access.log'), undefined, undefined, options.onWarning);
    // A cloud tier at a place that does not hold the recorded copies would report them missing
    // and upload beside them: it is not started, and the local tier works on its own.
    const refusal = await adoptLocations(index, options.dataFolder, config, options.onWarning);
    const inForce: StorageConfig = refusal === undefined ? config : withoutCloud(config);
    if (refusal !== undefined) options.onWarning?.(`${refusal} The cloud tier is not started until then; local copies stay readable.`);
    const cloud = cloudTierFor(inForce, options);
    const engine = new StorageEngine(options.dataFolder, inForce, localRoot, index, log, cloud, options, storagePrices(config.prices.preset, config.prices.localGbMonth));
    engine.locationProblem = refusal;
    late.engine = engine;
    await engine.reconcile();
    if (options.background === true) engine.startBackground();
    return engine;
  }

  /** Stops the background work (an upload in flight stays queued), flushes the access log and compacts the index. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    clearInterval(this.restoreTimer);
    this.uploaderWake?.();
    await this.uploaderDone;
    await this.flushTouches().catch(() => undefined);
    await this.log.flush();
    await this.index.close();
    this.cloud?.destroy();
    for (const retired of this.retiredClouds.splice(0)) retired.destroy();
    this.emit({ status: true });
    this.listeners.clear();
  }

  status(): EngineStatus {
    if (this.closed) return { state: 'failed', detail: 'storage is closed' };
    if (this.locationProblem !== undefined) return { state: 'degraded', detail: `the configured cloud tier is not in force: ${this.locationProblem}` };
    const pending = this.pendingUploads().length;
    const queued = pending === 0 ? '' : `; ${pending} upload${pending === 1 ? '' : 's'} queued`;
    switch (this.cloudState.kind) {
      case 'none':
        return { state: 'ready', detail: 'local tier only: no cloud tier configured' };
      case 'unknown':
        return { state: 'ready', detail: `cloud ${this.cloudUri()} configured, not contacted yet${queued}` };
      case 'connected':
        return { state: 'ready', detail: `cloud ${this.cloudUri()} connected${queued}` };
      case 'unreachable':
        return { state: 'degraded', detail: `cloud ${this.cloudUri()} unreachable: ${this.cloudState.reason}${queued}` };
    }
  }

  onDidChange(listener: (change: StorageChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Contacts the bucket now; the status says how it went. */
  async checkCloud(work: WorkOptions = {}): Promise<EngineStatus> {
    if (this.cloud === undefined) return this.status();
    try {
      await this.cloud.check(work.signal);
      this.setCloudState({ kind: 'connected' });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.noteCloudFailure(error);
    }
    return this.status();
  }

  // ---------------------------------------------------------------- reads of the index

  /** The object as the index was last read: what list() shows alongside it. */
  stat(key: string): ObjectInfo {
    validateKey(key);
    const record = this.index.state.objects.get(key);
    if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
    return toInfo(this.withPendingTouches(record), this.cloud !== undefined);
  }

  /**
   * stat() for a caller that may ask about another process's store of a moment ago (a request
   * from VS Code after the CLI's put): a miss re-reads the index once before answering not found.
   * The re-read only stats the snapshot and reads new journal lines, so it is cheap when nothing changed.
   */
  async lookup(key: string): Promise<ObjectInfo> {
    validateKey(key);
    if (!this.index.state.objects.has(key) && !this.closed) await this.index.refresh();
    return this.stat(key);
  }

  /** Throws `invalid-config`, saving nothing, when `next` moves the cloud or archive tier away from objects only there. */
  async checkConfigChange(next: StorageConfig): Promise<void> {
    this.assertOpen();
    await this.index.refresh();
    await checkLocationChange(this.dataFolder, this.index.state.objects.values(), this.current, applyEnvironment(next, this.options.env ?? process.env));
  }

  /** Reads not yet journaled (they are batched) still count in what callers see. */
  private withPendingTouches(record: ObjectRecord): ObjectRecord {
    if (this.pendingTouches.length === 0) return record;
    let { accessCount, hits, lastAccess } = record;
    for (const op of this.pendingTouches) {
      if (op.t !== 'touch' || op.key !== record.key) continue;
      accessCount += 1;
      if (op.hit) hits += 1;
      if (op.at > lastAccess) lastAccess = op.at;
    }
    return accessCount === record.accessCount ? record : { ...record, accessCount, hits, lastAccess };
  }

  list(options: ListOptions = {}): ListPage {
    const { tier, ...paging } = options;
    const objects = this.index.state.objects;
    const page = pageKeys(this.index.keys(), tier === undefined ? paging : { ...paging, include: (key) => objects.get(key)?.copies[tier] !== undefined });
    return { objects: page.keys.map((key) => toInfo(this.withPendingTouches(objects.get(key)!), this.cloud !== undefined)), prefixes: page.prefixes, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  }

  /**
   * Picks up what other processes changed: the index, and storage/config.json (written by the
   * CLI, another window or Configure Cloud Tier); true when anything did.
   */
  async refresh(): Promise<boolean> {
    const reconfigured = await this.reloadConfig();
    const changed = await this.index.refresh();
    return reconfigured || changed;
  }

  /**
   * Applies storage/config.json when it differs from the configuration in force: a new cloud
   * tier (new endpoint, bucket or credentials chain), capacity, archive class and prices, with no
   * restart. The local tier's folder is the one exception: moving it needs a reopen. A file that
   * does not parse is reported once and the configuration in force stays. True when applied.
   */
  reloadConfig(): Promise<boolean> {
    if (this.options.config !== undefined || this.closed) return Promise.resolve(false);
    this.reloading ??= this.readAndApplyConfig().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async readAndApplyConfig(): Promise<boolean> {
    let next: StorageConfig;
    try {
      next = applyEnvironment(await readStorageConfig(this.dataFolder), this.options.env ?? process.env);
      this.lastConfigProblem = undefined;
    } catch (error) {
      const problem = describeError(error);
      if (problem !== this.lastConfigProblem) this.warn(`${problem} The storage configuration in force stays until it is fixed.`);
      this.lastConfigProblem = problem;
      return false;
    }
    const before = this.current;
    if ((next.local.path ?? '') !== (before.local.path ?? '')) {
      this.warn(`The local tier's folder changed in the storage configuration (local.path); it moves when storage reopens (restart the server). Until then it stays ${this.localRoot}.`);
      const { path: _moved, ...local } = next.local;
      next = { ...next, local: before.local.path === undefined ? local : { ...local, path: before.local.path } };
    }
    if (JSON.stringify(next) === JSON.stringify(before) || this.closed) return false;
    if (JSON.stringify([next.cloud, next.archive]) !== JSON.stringify([before.cloud, before.archive])) {
      // A hand edit (or another tool) that moves the cloud or archive tier away from objects only
      // there is not applied: the place in force stays, told once, until the edit is undone or they are promoted.
      const refusal = await adoptLocations(this.index, this.dataFolder, next, this.options.onWarning);
      if (refusal !== undefined && refusal !== this.locationProblem) this.warn(`${refusal} Until then the cloud tier stays ${this.cloudUri() || 'off'}.`);
      if (refusal !== undefined) next = keepPlaces(next, before);
      const wasRefused = this.locationProblem !== undefined;
      this.locationProblem = refusal;
      if (wasRefused && refusal === undefined) this.emit({ status: true });
      if (JSON.stringify(next) === JSON.stringify(before) || this.closed) return false;
    }
    const cloudChanged = JSON.stringify([next.cloud, next.archive]) !== JSON.stringify([before.cloud, before.archive]);
    this.current = next;
    this.currentPrices = storagePrices(next.prices.preset, next.prices.localGbMonth);
    this.policyStale = true;
    if (cloudChanged) {
      if (this.cloud !== undefined) this.retiredClouds.push(this.cloud);
      this.cloud = cloudTierFor(next, this.options);
      this.failedUploads.clear();
      this.setCloudState(this.cloud === undefined ? { kind: 'none' } : { kind: 'unknown' });
      if (this.options.background === true && this.cloud !== undefined) {
        if (!this.uploaderStarted) this.startUploader();
        // A long-lived server shows the new tier's state as soon as it is known.
        void this.checkCloud().catch(() => undefined);
      }
    }
    this.emit({ status: true });
    this.uploaderWake?.();
    return true;
  }

  /** `s3://bucket/key` of the object's cloud or archive copy. */
  s3Uri(key: string): string {
    const record = this.record(key);
    if (this.cloud === undefined) throw new StorageError('not-configured', 'No cloud tier is configured; run "neurolake storage configure --bucket …".');
    return this.cloud.uri(record.copies.cloud || !record.copies.archive ? 'cloud' : 'archive', key);
  }

  /** How the tiers are set up, and the cloud's state as last seen (checkCloud() contacts it). */
  tiers(): TierStates {
    const archive = { storageClass: this.config.archive.storageClass, ...(this.cloud ? { uri: `s3://${this.cloud.bucketOf('archive')}/${this.cloud.nameOf('archive', '')}` } : {}) };
    const local = { path: this.localRoot };
    const uri = this.cloudUri();
    switch (this.cloudState.kind) {
      case 'none':
        return { local, cloud: { state: 'not-configured' }, archive };
      case 'unknown':
        return { local, cloud: { state: 'not-contacted', uri }, archive };
      case 'connected':
        return { local, cloud: { state: 'connected', uri }, archive };
      case 'unreachable':
        return { local, cloud: { state: 'unreachable', uri, reason: this.cloudState.reason }, archive };
    }
  }

  /**
   * A URL that reads the object's cloud copy without credentials for `expiresInSeconds` (1 s to
   * 7 days, the most S3's signature allows). Signing happens here, offline; only the cloud copy
   * is signed, since a local copy has no URL and an archived one cannot be read until restored.
   */
  async presign(key: string, expiresInSeconds: number): Promise<PresignedUrl> {
    const record = this.record(key);
    const cloud = this.requireCloud();
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

  async stats(): Promise<StorageStats> {
    await this.index.refresh();
    await this.flushTouches();
    const records = [...this.index.state.objects.values()];
    return computeStats(this.prices, records, this.index.state.counters, await this.log.entries(), {
      capacityBytes: this.capacityBytes(),
      uploadsPending: this.pendingUploads().length,
      now: Date.now(),
    });
  }

  /** Every read and write still in the access log, oldest first: what the cost engine replays and prices. */
  accessHistory(): Promise<AccessEntry[]> {
    return this.log.entries();
  }

  // ---------------------------------------------------------------- store

  /**
   * Stores `source` under `key`: on the local tier while the policy admits it and it fits, else
   * straight to the cloud (the overflow). Resolves once the object is durable.
   */
  async store(key: string, source: StoreSource, work: StoreOptions = {}): Promise<ObjectInfo> {
    this.assertOpen();
    validateKey(key);
    throwIfCancelled(work.signal, `Storing ${key}`);
    const path = await confinedPath(this.localRoot, key);
    let size = work.size;
    if (size === undefined && isPathSource(source)) size = await fileSize(source.path);
    if (source instanceof Uint8Array) size = source.length;
    await this.index.refresh();
    this.syncPolicy();
    const now = Date.now();
    const progress = work.progress ?? NO_PROGRESS;
    const total = size;
    const report = (done: number): void => progress.report({ message: `Storing ${key}`, done, ...(total !== undefined ? { total } : {}), unit: 'bytes' });

    // Known size that the local tier will not take: stream straight to the cloud, unless the cloud
    // is known to be down and the object fits the local tier anyway (it is then queued for upload).
    const cloudDown = this.cloudState.kind === 'unreachable' && size !== undefined && this.index.localBytes + size <= this.capacityBytes();
    if (size !== undefined && this.cloud !== undefined && !cloudDown && !this.localWouldTake(key, size)) {
      return this.storeToCloud(key, openSource(source), size, work, report);
    }
    const temp = this.incomingPath();
    const written = await streamToFile(openSource(source), temp, { ...(work.signal ? { signal: work.signal } : {}), onBytes: report });
    if (size === undefined && this.cloud !== undefined && !this.localWouldTake(key, written.size)) {
      try {
        return await this.storeToCloud(key, createReadStream(temp), written.size, work, report, written.sha256);
      } finally {
        await rm(temp, { force: true });
      }
    }
    // Make room first: the policy names what to evict, and only verified cloud copies are dropped.
    this.policy.setPinned(key, true);
    const outcome = this.policy.store(key, written.size, now);
    await this.evictForRoom(outcome.evicted, key);
    if (this.index.localBytes - (this.index.state.objects.get(key)?.copies.local ? this.index.state.objects.get(key)!.size : 0) + written.size > this.capacityBytes()) {
      this.policy.remove(key);
      if (this.cloud !== undefined && this.cloudState.kind !== 'unreachable') {
        try {
          return await this.storeToCloud(key, createReadStream(temp), written.size, work, report, written.sha256);
        } finally {
          await rm(temp, { force: true });
        }
      }
      await rm(temp, { force: true });
      throw new StorageError(
        'no-space',
        `The local tier is full (${human(this.index.localBytes)} of ${human(this.capacityBytes())}) and ${this.cloud ? 'the cloud tier cannot take it now' : 'no cloud tier is configured'}; ${key} was not stored.`,
      );
    }
    const at = new Date(now).toISOString();
    const staged = relative(this.localRoot, temp);
    try {
      // Before the commit: a folder that cannot be made (a full disk) must fail the store, not leave a record of a file that never arrived.
      await makeFolders(dirname(path), `storing ${key}`);
      await this.index.transact(async (state) => {
        const old = state.objects.get(key);
        const record = withHistory(
          {
            key,
            version: randomUUID(),
            size: written.size,
            sha256: written.sha256,
            created: at,
            lastAccess: at,
            accessCount: 0,
            hits: 0,
            copies: { local: { staged } },
            history: old?.history ?? [],
          },
          'stored',
          'local',
          at,
        );
        const ops: IndexOp[] = [{ t: 'put', r: record }];
        const stale = old && (old.copies.cloud || old.copies.archive) ? this.intent(key, { cloud: old.copies.cloud !== undefined, archive: old.copies.archive !== undefined }) : undefined;
        if (stale) ops.push({ t: 'intent', intent: stale });
        return {
          ops,
          result: record,
          // Under the lock, so no other process sees the record before its file is in place.
          afterCommit: async () => {
            await this.publishStaged(record, temp, path);
          },
        };
      });
    } catch (error) {
      await rm(temp, { force: true });
      throw error instanceof StorageError ? error : fileError(error, `storing ${key}`);
    }
    this.log.record({ at, key, bytes: written.size, op: 'write', tier: 'local', hit: false });
    this.emit({ keys: [key] });
    void this.runIntents().catch(() => undefined);
    if (this.config.writeThrough && this.cloud !== undefined) {
      await this.uploadOne(key, work);
    } else {
      this.uploaderWake?.();
    }
    return this.stat(key);
  }

  private storeToCloud(key: string, body: Readable, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectInfo> {
    const waiting = (): void => work.progress?.report({ message: `Storing ${key}: waiting for an earlier upload of it to finish`, done: 0, total: size, unit: 'bytes' });
    return this.inCloudWriteOrder(key, () => this.uploadAndRecord(key, body, size, work, report, knownSha), waiting);
  }

  private async uploadAndRecord(key: string, body: Readable, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectInfo> {
    const cloud = this.requireCloud();
    const version = randomUUID();
    let uploaded;
    try {
      uploaded = await cloud.upload('cloud', key, body, { version, size, ...(knownSha ? { sha256: knownSha } : {}), ...(work.signal ? { signal: work.signal } : {}), onBytes: report });
      this.setCloudState({ kind: 'connected' });
    } catch (error) {
      this.noteCloudFailure(error);
      throw error;
    }
    const { digests } = uploaded;
    // Some servers (Ceph) leave the ETag of a completed multipart upload empty: the HEAD below is the check.
    if (uploaded.etag !== '' && !digests.etags.includes(uploaded.etag)) {
      throw new StorageError('checksum-mismatch', `The cloud tier answered ETag ${uploaded.etag} for ${key}, which does not match what was sent; the object was not stored.`);
    }
    const at = new Date().toISOString();
    const record = await this.index.transact(async (state) => {
      const etag = await this.verifyRemote('cloud', key, version, digests.etags, digests.size);
      const old = state.objects.get(key);
      const record = withHistory(
        {
          key,
          version,
          size: digests.size,
          sha256: digests.sha256,
          md5: digests.md5,
          created: at,
          lastAccess: at,
          accessCount: 0,
          hits: 0,
          copies: { cloud: { etag, verifiedAt: at } },
          history: old?.history ?? [],
        },
        'stored',
        'cloud',
        at,
      );
      const ops: IndexOp[] = [{ t: 'put', r: record }];
      if (old && (old.copies.local || old.copies.archive)) ops.push({ t: 'intent', intent: this.intent(key, { local: old.copies.local !== undefined, archive: old.copies.archive !== undefined }) });
      return { ops, result: record };
    });
    this.policy.remove(key);
    this.log.record({ at, key, bytes: record.size, op: 'write', tier: 'cloud', hit: false });
    this.emit({ keys: [key] });
    void this.runIntents().catch(() => undefined);
    return this.stat(key);
  }

  // ---------------------------------------------------------------- retrieve

  /**
   * Writes the object to `destination` (ended when done). A local copy is served from disk; a
   * miss reads the cloud or archive copy, checks its SHA-256, and the policy decides whether to
   * keep a local copy. An archived object the server says must be restored first starts the
   * restore and fails with `restoring`, giving the expected time.
   */
  async retrieve(key: string, destination: Writable, work: WorkOptions = {}): Promise<ObjectInfo> {
    this.assertOpen();
    validateKey(key);
    await this.index.refresh();
    this.syncPolicy();
    let record = this.record(key);
    if (record.copies.local?.staged !== undefined) {
      await this.index.transact(() => ({ ops: [], result: undefined, afterCommit: () => this.finishStaged([key]) }));
      record = this.record(key);
    }
    const progress = work.progress ?? NO_PROGRESS;
    const report = (done: number): void => progress.report({ message: `Reading ${key}`, done, total: record.size, unit: 'bytes' });
    const now = Date.now();
    const at = new Date(now).toISOString();
    if (record.copies.local) {
      const path = await confinedPath(this.localRoot, key);
      let done = 0;
      const counter = new PassThrough();
      counter.on('data', (chunk: Buffer) => report((done += chunk.length)));
      try {
        await pipeline(createReadStream(path, { highWaterMark: FILE_CHUNK }), counter, destination, work.signal ? { signal: work.signal } : {});
      } catch (error) {
        if (work.signal?.aborted) throw new CancelledError(`Reading ${key}`);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          // Another process may have just evicted it: read from where the index now says it is.
          await this.index.refresh();
          if (this.index.state.objects.get(key)?.copies.local === undefined && this.index.state.objects.has(key)) return this.retrieve(key, destination, work);
          throw new StorageError('not-found', `The local copy of ${key} is missing from ${path}; run "neurolake storage verify".`);
        }
        throw fileError(error, `reading ${key}`);
      }
      const outcome = this.policy.read(key, record.size, now);
      this.touch(key, at, true, record.size, 'local');
      await this.evictForRoom(outcome.evicted, key);
      return this.stat(key);
    }
    const place: Place = record.copies.cloud ? 'cloud' : 'archive';
    const cloud = this.requireCloud();
    if (record.restoring !== undefined) await this.pollRestore(key);
    record = this.record(key);
    if (record.restoring !== undefined) throw restoringError(key, record.restoring.expectedAt);
    const outcome = this.policy.read(key, record.size, now);
    const keepLocal = outcome.admitted && this.index.localBytes + record.size <= this.capacityBytes();
    let body: Readable;
    try {
      body = await cloud.get(place, key, work.signal);
      this.setCloudState({ kind: 'connected' });
    } catch (error) {
      if (error instanceof StorageError && error.code === 'restoring' && place === 'archive') {
        const expectedAt = await this.startRestore(key, false);
        throw restoringError(key, expectedAt);
      }
      this.noteCloudFailure(error);
      if (outcome.admitted) this.policy.remove(key);
      throw error;
    }
    const temp = keepLocal ? this.incomingPath() : undefined;
    // Hashed on a worker while this thread receives the next bytes.
    const tee = new DigestingStream({ sha256: true }, report);
    const copy = temp === undefined ? undefined : new PassThrough();
    // A failed local copy (disk full) is dropped; the read itself goes on.
    copy?.on('error', () => undefined);
    const local = copy && temp ? streamToFile(copy, temp) : undefined;
    // Keep the local copy in step with what reaches the caller; its failure (disk full) only drops the copy.
    if (copy) tee.on('data', (chunk: Buffer) => copy.write(chunk));
    try {
      await pipeline(body, tee, destination, work.signal ? { signal: work.signal } : {});
    } catch (error) {
      copy?.destroy();
      await local?.catch(() => undefined);
      if (temp) await rm(temp, { force: true });
      if (outcome.admitted) this.policy.remove(key);
      if (work.signal?.aborted) throw new CancelledError(`Reading ${key}`);
      throw error instanceof StorageError ? error : new StorageError('cloud-unavailable', `Reading ${key} from the ${place} tier failed: ${describeError(error)}`);
    }
    copy?.end();
    let actual: string;
    try {
      actual = (await tee.digests()).sha256!;
    } catch (error) {
      await local?.catch(() => undefined);
      if (temp) await rm(temp, { force: true });
      throw new StorageError('storage', `Reading ${key}: ${describeError(error)}`);
    }
    if (actual !== record.sha256) {
      await local?.catch(() => undefined);
      if (temp) await rm(temp, { force: true });
      throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} does not match its checksum (expected sha256 ${record.sha256}, read ${actual}); run "neurolake storage verify".`);
    }
    this.touch(key, at, false, record.size, place);
    if (local && temp) {
      const kept = await local.then(
        () => true,
        () => false,
      );
      if (kept) await this.commitLocalCopy(key, record.version, temp, 'promoted').catch(() => rm(temp, { force: true }));
      else await rm(temp, { force: true });
    } else if (outcome.admitted) {
      this.policy.remove(key);
    }
    await this.evictForRoom(outcome.evicted, key);
    return this.stat(key);
  }

  // ---------------------------------------------------------------- delete

  /** Deletes the object and every copy of it. */
  async delete(key: string): Promise<{ key: string; copies: TierName[] }> {
    this.assertOpen();
    validateKey(key);
    const copies = await this.index.transact((state) => {
      const record = state.objects.get(key);
      if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
      const intent = this.intent(key, { local: record.copies.local !== undefined, cloud: record.copies.cloud !== undefined, archive: record.copies.archive !== undefined });
      return { ops: [{ t: 'del', key }, { t: 'intent', intent }], result: [...(record.copies.local ? ['local' as const] : []), ...(record.copies.cloud ? ['cloud' as const] : []), ...(record.copies.archive ? ['archive' as const] : [])] };
    });
    this.policy.remove(key);
    this.emit({ keys: [key] });
    await this.runIntents();
    return { key, copies };
  }

  // ---------------------------------------------------------------- moves

  /** Keeps a local copy (downloaded and checked); the cloud copy stays as the backup. */
  async promote(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    this.assertOpen();
    await this.index.refresh();
    const record = this.record(key);
    if (record.copies.local) return this.stat(key);
    const place: Place = record.copies.cloud ? 'cloud' : 'archive';
    const cloud = this.requireCloud();
    if (this.index.localBytes + record.size > this.capacityBytes()) {
      // Make room as a store would: drop least recently used objects that have a verified cloud copy.
      this.syncPolicy();
      const outcome = this.policy.store(key, record.size, Date.now());
      await this.evictForRoom(outcome.evicted, key);
      if (!outcome.admitted) this.policy.remove(key);
    }
    if (this.index.localBytes + record.size > this.capacityBytes()) {
      throw new StorageError('no-space', `The local tier has no room for ${key} (${human(record.size)}; ${human(this.index.localBytes)} of ${human(this.capacityBytes())} used by objects that cannot be evicted yet).`);
    }
    if (record.restoring !== undefined) throw restoringError(key, record.restoring.expectedAt);
    let body: Readable;
    try {
      body = await cloud.get(place, key, work.signal);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'restoring') throw restoringError(key, await this.startRestore(key, false));
      this.noteCloudFailure(error);
      throw error;
    }
    const temp = this.incomingPath();
    const progress = work.progress ?? NO_PROGRESS;
    const written = await streamToFile(body, temp, {
      ...(work.signal ? { signal: work.signal } : {}),
      onBytes: (done) => progress.report({ message: `Promoting ${key}`, done, total: record.size, unit: 'bytes' }),
    });
    if (written.sha256 !== record.sha256) {
      await rm(temp, { force: true });
      throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} does not match its checksum; it was not promoted. Run "neurolake storage verify".`);
    }
    try {
      await this.commitLocalCopy(key, record.version, temp, 'promoted');
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const outcome = this.policy.store(key, record.size, Date.now());
    await this.evictForRoom(outcome.evicted, key);
    return this.stat(key);
  }

  /** Makes sure a verified cloud copy exists (uploading if needed), then drops the local copy. */
  async demote(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    this.assertOpen();
    await this.index.refresh();
    let record = this.record(key);
    this.requireCloud();
    if (!record.copies.local) return this.stat(key);
    if (!record.copies.cloud) await this.uploadOne(key, work);
    record = this.record(key);
    if (!record.copies.cloud) throw new StorageError('cloud-unavailable', `${key} could not be copied to the cloud tier; it stays local.`);
    if (!(await this.evictLocal(key, 'demoted'))) {
      // The bucket no longer holds the copy the index recorded: upload it again, then drop the local one.
      await this.uploadOne(key, work);
      if (!(await this.evictLocal(key, 'demoted'))) throw new StorageError('checksum-mismatch', `The cloud copy of ${key} could not be verified; it stays local.`);
    }
    return this.stat(key);
  }

  /** Moves the object to the archive storage class; local and cloud copies go once the archive copy is verified. */
  async archive(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    this.assertOpen();
    await this.index.refresh();
    const cloud = this.requireCloud();
    let record = this.record(key);
    if (record.copies.archive && !record.copies.cloud && !record.copies.local) return this.stat(key);
    if (!record.copies.cloud && !record.copies.archive) await this.uploadOne(key, work);
    record = this.record(key);
    const storageClass = this.config.archive.storageClass;
    if (!record.copies.archive) {
      if (!record.copies.cloud) throw new StorageError('cloud-unavailable', `${key} could not be copied to the cloud tier, so it was not archived.`);
      let etag: string;
      try {
        etag = await cloud.copy('cloud', 'archive', key, record.version, storageClass, record.size, work.signal);
        this.setCloudState({ kind: 'connected' });
      } catch (error) {
        this.noteCloudFailure(error);
        throw error;
      }
      throwIfCancelled(work.signal, `Archiving ${key}`);
      const accepted = [...(record.md5 ? [record.md5] : []), record.copies.cloud.etag];
      // An empty ETag (Ceph, after a part-by-part copy) is checked by the HEAD below instead.
      if (etag !== '' && !accepted.includes(etag)) throw new StorageError('checksum-mismatch', `The archive copy of ${key} has ETag ${etag}, not the content's; ${key} was not archived.`);
      const at = new Date().toISOString();
      await this.index.transact(async (state) => {
        const current = state.objects.get(key);
        if (current?.version !== record.version) throw new StorageError('not-found', `${key} changed while it was being archived; nothing was removed.`);
        etag = await this.verifyRemote('archive', key, record.version, accepted, record.size);
        const next = withHistory({ ...current, copies: { archive: { etag, verifiedAt: at, storageClass } } }, 'archived', 'archive', at);
        return { ops: [{ t: 'put', r: next }, { t: 'intent', intent: this.intent(key, { local: current.copies.local !== undefined, cloud: true }) }], result: undefined };
      });
    }
    this.policy.remove(key);
    this.emit({ keys: [key] });
    await this.runIntents();
    return this.stat(key);
  }

  /**
   * Brings an archived object back to the cloud tier. When the archive must thaw it first, the
   * restore is requested and the object marked "restoring"; it moves once readable.
   */
  async restore(key: string, work: WorkOptions = {}): Promise<RestoreOutcome> {
    this.assertOpen();
    await this.index.refresh();
    const cloud = this.requireCloud();
    const record = this.record(key);
    if (!record.copies.archive || record.copies.cloud) return { key, state: 'restored' };
    if (record.restoring !== undefined) {
      await this.pollRestore(key);
      const now = this.record(key);
      if (now.restoring !== undefined) return { key, state: 'restoring', expectedAt: now.restoring.expectedAt };
      if (now.copies.cloud) return { key, state: 'restored' };
    }
    let etag: string;
    try {
      etag = await cloud.copy('archive', 'cloud', key, record.version, 'STANDARD', record.size, work.signal);
      this.setCloudState({ kind: 'connected' });
    } catch (error) {
      if (error instanceof StorageError && error.code === 'restoring') return { key, state: 'restoring', expectedAt: await this.startRestore(key, true) };
      this.noteCloudFailure(error);
      throw error;
    }
    const accepted = [...(record.md5 ? [record.md5] : []), record.copies.archive.etag];
    if (etag !== '' && !accepted.includes(etag)) throw new StorageError('checksum-mismatch', `The restored copy of ${key} has ETag ${etag}, not the content's; the archive copy was kept.`);
    const at = new Date().toISOString();
    await this.index.transact(async (state) => {
      const current = state.objects.get(key);
      if (current?.version !== record.version) throw new StorageError('not-found', `${key} changed while it was being restored; nothing was removed.`);
      etag = await this.verifyRemote('cloud', key, record.version, accepted, record.size);
      const { restoring: _restoring, ...rest } = current;
      const next = withHistory({ ...rest, copies: { ...(current.copies.local ? { local: current.copies.local } : {}), cloud: { etag, verifiedAt: at } } }, 'restored', 'cloud', at);
      return { ops: [{ t: 'put', r: next }, { t: 'intent', intent: this.intent(key, { archive: true }) }], result: undefined };
    });
    this.emit({ keys: [key] });
    await this.runIntents();
    return { key, state: 'restored' };
  }

  /** Uploads every queued object now, in this process (a CLI `sync`, write-through, an apply). */
  async flushUploads(work: WorkOptions = {}): Promise<{ uploaded: number; failed: number }> {
    if (this.cloud === undefined) return { uploaded: 0, failed: 0 };
    await this.index.refresh();
    const keys = this.pendingUploads();
    let uploaded = 0;
    let failed = 0;
    for (const [index, key] of keys.entries()) {
      throwIfCancelled(work.signal, 'Uploading');
      work.progress?.report({ message: `Uploading ${key}`, done: index, total: keys.length, unit: 'items' });
      try {
        await this.uploadOne(key, { ...(work.signal ? { signal: work.signal } : {}) });
        uploaded += 1;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        failed += 1;
        if (error instanceof StorageError && error.code === 'cloud-unavailable') throw error;
      }
    }
    return { uploaded, failed };
  }

  // ---------------------------------------------------------------- optimize

  /** What optimizing would do: each move with its bytes, and the monthly cost before and after. */
  async plan(): Promise<PlacementPlan> {
    await this.index.refresh();
    const records = [...this.index.state.objects.values()];
    const moves: PlannedMove[] = [];
    const scratch = (this.options.policy ?? createDefaultLocalTierPolicy)(this.policyBudget());
    const residents = records.filter((record) => record.copies.local).sort((a, b) => (a.lastAccess < b.lastAccess ? -1 : 1));
    const evicted = new Set<string>();
    for (const record of residents) {
      for (const key of scratch.store(record.key, record.size, Date.parse(record.lastAccess)).evicted) evicted.add(key);
    }
    for (const record of residents) {
      if (!scratch.isResident(record.key)) evicted.add(record.key);
    }
    if (this.cloud !== undefined) {
      for (const key of evicted) {
        const record = this.index.state.objects.get(key)!;
        moves.push({ key, move: 'demote', bytes: record.size, from: 'local', to: 'cloud', reason: `least recently used; the local tier keeps ${human(this.policyBudget())}` });
      }
      const cutoff = new Date(Date.now() - this.config.archive.afterDays * 24 * 3600 * 1000).toISOString();
      for (const record of records) {
        if (record.copies.local && !evicted.has(record.key)) continue;
        if (record.copies.archive || record.lastAccess >= cutoff) continue;
        moves.push({ key: record.key, move: 'archive', bytes: record.size, from: 'cloud', to: 'archive', reason: `not read for ${this.config.archive.afterDays} days` });
      }
    }
    const before = tierBytes(records);
    const after = { local: before.local, cloud: before.cloud, archive: { ...before.archive } };
    const archiveClass = this.config.archive.storageClass;
    for (const move of moves) {
      const record = this.index.state.objects.get(move.key)!;
      if (move.move === 'demote') {
        after.local -= record.size;
        if (!record.copies.cloud) after.cloud += record.size;
      } else if (move.move === 'archive') {
        if (record.copies.local && !evicted.has(record.key)) after.local -= record.size;
        if (record.copies.cloud || evicted.has(record.key)) after.cloud -= record.size;
        after.archive[archiveClass] = (after.archive[archiveClass] ?? 0) + record.size;
      }
    }
    return {
      moves,
      bytesMoved: moves.reduce((sum, move) => sum + move.bytes, 0),
      monthlyCostBefore: monthlyCost(this.prices, before),
      monthlyCostAfter: monthlyCost(this.prices, after),
      prices: { preset: this.prices.preset, asOf: this.prices.asOf },
    };
  }

  /** Carries out a plan's moves; each one independently, so one failure does not stop the rest. */
  async apply(plan: PlacementPlan, work: WorkOptions = {}): Promise<MoveResult[]> {
    const results: MoveResult[] = [];
    for (const [index, move] of plan.moves.entries()) {
      throwIfCancelled(work.signal, 'Optimizing placement');
      work.progress?.report({ message: `${move.move} ${move.key}`, done: index, total: plan.moves.length, unit: 'items' });
      try {
        await this.move(move.key, move.move, { ...(work.signal ? { signal: work.signal } : {}) });
        results.push({ key: move.key, move: move.move, ok: true });
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        results.push({ key: move.key, move: move.move, ok: false, error: describeError(error) });
      }
    }
    return results;
  }

  async move(key: string, move: MoveKind, work: WorkOptions = {}): Promise<unknown> {
    switch (move) {
      case 'promote':
        return this.promote(key, work);
      case 'demote':
        return this.demote(key, work);
      case 'archive':
        return this.archive(key, work);
      case 'restore':
        return this.restore(key, work);
    }
  }

  // ---------------------------------------------------------------- verify

  /**
   * Recomputes local checksums, checks every cloud and archive copy's ETag, version and size (with
   * `deep`, downloads and hashes cloud copies), and lists files and bucket objects no index entry
   * accounts for. Reports; never deletes.
   */
  async verify(work: WorkOptions & { prefix?: string; deep?: boolean } = {}): Promise<VerifyReport> {
    this.assertOpen();
    await this.index.refresh();
    const prefix = work.prefix ?? '';
    const keys = this.index.keys().filter((key) => key.startsWith(prefix));
    const problems: VerifyProblem[] = [];
    for (const [position, key] of keys.entries()) {
      throwIfCancelled(work.signal, 'Verifying');
      work.progress?.report({ message: `Verifying ${key}`, done: position, total: keys.length, unit: 'items' });
      const record = this.index.state.objects.get(key);
      if (record === undefined) continue;
      if (record.copies.local) {
        try {
          const actual = await hashFile(await confinedPath(this.localRoot, key));
          if (actual !== record.sha256) problems.push({ key, tier: 'local', problem: `checksum differs (recorded ${record.sha256.slice(0, 12)}…, file ${actual.slice(0, 12)}…)` });
        } catch (error) {
          problems.push({ key, tier: 'local', problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is missing' : describeError(error) });
        }
      }
      for (const place of ['cloud', 'archive'] as const) {
        const copy = record.copies[place];
        if (copy === undefined || this.cloud === undefined) continue;
        try {
          const head = await this.cloud.head(place, key, work.signal);
          if (head === undefined) problems.push({ key, tier: place, problem: 'the object is missing from the bucket' });
          else if (head.version !== record.version) problems.push({ key, tier: place, problem: 'the bucket holds another version' });
          else if (head.size !== record.size || head.etag !== copy.etag) problems.push({ key, tier: place, problem: `size or ETag differs (${head.size} bytes, ETag ${head.etag})` });
          else if (work.deep === true && place === 'cloud') {
            const sha = createHash('sha256');
            for await (const chunk of await this.cloud.get('cloud', key, work.signal)) sha.update(chunk as Buffer);
            const actual = sha.digest('hex');
            if (actual !== record.sha256) problems.push({ key, tier: place, problem: 'checksum differs' });
          }
        } catch (error) {
          if (error instanceof CancelledError) throw error;
          problems.push({ key, tier: place, problem: describeError(error) });
        }
      }
    }
    const orphans = prefix === '' ? await this.findOrphans(work.signal) : [];
    return { checked: keys.length, problems, orphans };
  }

  private async findOrphans(signal?: AbortSignal): Promise<string[]> {
    const orphans: string[] = [];
    const objects = this.index.state.objects;
    for (const file of await walkFiles(this.localRoot)) {
      const key = file.split(sep).join('/');
      if (key.startsWith(`${INCOMING_FOLDER}/`)) continue;
      if (!objects.get(key)?.copies.local) orphans.push(`local:${key}`);
    }
    if (this.cloud !== undefined) {
      for (const place of ['cloud', 'archive'] as const) {
        try {
          for await (const key of this.cloud.listKeys(place, signal)) {
            const record = objects.get(key);
            // A cloud object of a record still waiting for its upload is the queue's business, not an orphan.
            if (record?.copies[place] === undefined && !(place === 'cloud' && record?.copies.local)) orphans.push(`${place}:${key}`);
          }
        } catch (error) {
          if (error instanceof CancelledError) throw error;
          this.noteCloudFailure(error);
          break;
        }
      }
    }
    return orphans;
  }

  // ---------------------------------------------------------------- internals: copies

  /**
   * Runs `write` (an upload to the key's cloud name and its commit) after every earlier one of the
   * same key started in this process. An upload lands in the bucket when the server finishes it,
   * not when it started: without this order, a write-back upload of an old version that is slow to
   * finish could land on top of a newer version stored straight to the cloud meanwhile, and the
   * index would claim bytes the bucket no longer holds.
   */
  private inCloudWriteOrder<T>(key: string, write: () => Promise<T>, onWait?: () => void): Promise<T> {
    const before = this.cloudWrites.get(key) ?? Promise.resolve();
    if (this.cloudWrites.has(key)) onWait?.();
    const mine = before.then(write, write);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.cloudWrites.set(key, settled);
    void settled.then(() => {
      if (this.cloudWrites.get(key) === settled) this.cloudWrites.delete(key);
    });
    return mine;
  }

  /** Uploads the local copy of `key`, then records the cloud copy once verified under the lock. */
  private uploadOne(key: string, work: WorkOptions = {}): Promise<void> {
    return this.inCloudWriteOrder(key, () => this.uploadLocalCopy(key, work));
  }

  private async uploadLocalCopy(key: string, work: WorkOptions): Promise<void> {
    const cloud = this.requireCloud();
    // Another process may have stored a newer version since the queue picked this key.
    await this.index.refresh();
    const record = this.index.state.objects.get(key);
    if (record === undefined) return;
    if (record.copies.cloud || !record.copies.local) return;
    const path = await confinedPath(this.localRoot, key);
    const progress = work.progress ?? NO_PROGRESS;
    let uploaded;
    try {
      uploaded = await cloud.upload('cloud', key, createReadStream(path, { highWaterMark: FILE_CHUNK }), {
        version: record.version,
        sha256: record.sha256,
        size: record.size,
        ...(work.signal ? { signal: work.signal } : {}),
        onBytes: (done) => progress.report({ message: `Uploading ${key}`, done, total: record.size, unit: 'bytes' }),
      });
      this.setCloudState({ kind: 'connected' });
    } catch (error) {
      this.noteCloudFailure(error);
      throw error;
    }
    const { digests } = uploaded;
    if (digests.sha256 !== record.sha256) {
      throw new StorageError('checksum-mismatch', `The local copy of ${key} no longer matches its checksum; it was not uploaded. Run "neurolake storage verify".`);
    }
    if (uploaded.etag !== '' && !digests.etags.includes(uploaded.etag)) {
      throw new StorageError('checksum-mismatch', `The cloud tier answered ETag ${uploaded.etag} for ${key}, not the content's; the upload will be retried.`);
    }
    const at = new Date().toISOString();
    const overwritten = await this.index.transact<Overwrite | undefined>(async (state) => {
      const current = state.objects.get(key);
      // Deleted or stored anew meanwhile: this upload is of a version nobody needs, unless it landed on the newer one's copy.
      if (current === undefined || current.version !== record.version) return this.overwrittenBy(record.version, current);
      if (current.copies.cloud) return { ops: [], result: undefined };
      const etag = await this.verifyRemote('cloud', key, record.version, digests.etags, record.size);
      const next = withHistory({ ...current, md5: digests.md5, copies: { ...current.copies, cloud: { etag, verifiedAt: at } } }, 'uploaded', 'cloud', at);
      return { ops: [{ t: 'put', r: next }], result: undefined };
    });
    this.failedUploads.delete(key);
    if (overwritten === 'lost') {
      throw new StorageError('checksum-mismatch', `An upload of an older version of ${key} landed on top of the newer version another process had stored only in the cloud; the bucket holds the older bytes, so store ${key} again.`);
    }
    if (overwritten !== undefined) {
      const then = overwritten === 'requeued' ? 'the newer version is uploaded again from its local copy' : 'the newer version is kept by its archive copy';
      this.warn(`An upload of an older version of ${key} landed on top of the newer version's cloud copy; ${then}.`);
      this.emit({ keys: [key] });
      this.uploaderWake?.();
      return;
    }
    this.policy.setPinned(key, false);
    this.emit({ keys: [key] });
  }

  /**
   * Under the lock, after an upload of version `uploaded` finished while the record moved on to
   * `current`: if the bucket now holds the uploaded (older) version where the record claims a
   * cloud copy of the newer one, that copy was overwritten by an upload that started earlier (in
   * another process: this one orders its uploads of a key). When the newer version has another
   * copy the claim is dropped, so a local copy is queued for upload again and reads go to an
   * archive copy; with none, the claim stays (reads and verify report the mismatch) and the loss
   * is reported.
   */
  private async overwrittenBy(uploaded: string, current: ObjectRecord | undefined): Promise<{ ops: IndexOp[]; result: Overwrite | undefined }> {
    if (current?.copies.cloud === undefined) return { ops: [], result: undefined };
    const head = await this.requireCloud().head('cloud', current.key, AbortSignal.timeout(LOCKED_CALL_MS));
    if (head?.version !== uploaded) return { ops: [], result: undefined };
    if (!current.copies.local && !current.copies.archive) return { ops: [], result: 'lost' };
    const { cloud: _overwritten, ...copies } = current.copies;
    return { ops: [{ t: 'put', r: { ...current, copies } }], result: copies.local ? 'requeued' : 'archive-remains' };
  }

  /** Checks, with a bounded HEAD, that the bucket holds this version with one of the expected ETags. */
  private async verifyRemote(place: Place, key: string, version: string, etags: readonly string[], size: number): Promise<string> {
    const head = await this.requireCloud().head(place, key, AbortSignal.timeout(LOCKED_CALL_MS));
    if (head === undefined || head.version !== version || !etags.includes(head.etag) || head.size !== size) {
      throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} could not be verified (${head === undefined ? 'missing' : head.version !== version ? 'another version is there' : `ETag ${head.etag}, ${head.size} bytes`}); nothing was removed.`);
    }
    return head.etag;
  }

  /** Drops the local copy of `key`, only after its cloud copy is verified again under the lock. */
  private async evictLocal(key: string, event: 'demoted' | 'evicted'): Promise<boolean> {
    const path = await confinedPath(this.localRoot, key);
    const evicted = await this.index.transact<string | false>(async (state) => {
      const current = state.objects.get(key);
      if (current?.copies.local === undefined) return { ops: [], result: false as const };
      if (current.copies.cloud === undefined) return { ops: [], result: false as const };
      try {
        await this.verifyRemote('cloud', key, current.version, [current.copies.cloud.etag], current.size);
      } catch (error) {
        if (error instanceof StorageError && error.code === 'checksum-mismatch') {
          // The bucket lost or replaced the copy: queue a new upload, keep the local one.
          const { cloud: _gone, ...copies } = current.copies;
          return { ops: [{ t: 'put', r: { ...current, copies } }], result: false as const };
        }
        throw error;
      }
      const { local: _local, ...copies } = current.copies;
      const next = withHistory({ ...current, copies }, event, 'cloud');
      const intent = this.intent(key, { local: true });
      return {
        ops: [{ t: 'put', r: next }, { t: 'intent', intent }],
        result: intent.id,
        // Under the lock: another process may be about to put a new local copy of this key in place.
        afterCommit: () => rm(path, { force: true }),
      };
    });
    if (evicted !== false) {
      await this.index.transact(() => ({ ops: [{ t: 'done', id: evicted }], result: undefined }), false).catch(() => undefined);
      this.policy.remove(key);
      this.emit({ keys: [key] });
    }
    return evicted !== false;
  }

  /**
   * Carries out evictions the policy decided (`evicted`), then any needed to bring the local tier
   * back under its watermark. An object without a verified cloud copy is never dropped: it stays
   * resident (pinned) until its upload is verified.
   */
  private async evictForRoom(evicted: readonly string[] = [], keep?: string): Promise<void> {
    const budget = this.policyBudget();
    const victims = [...evicted];
    if (this.index.localBytes > budget) victims.push(...this.policy.resize(budget));
    for (const key of victims) {
      if (key === keep) continue;
      const record = this.index.state.objects.get(key);
      if (record?.copies.local === undefined) continue;
      if (this.cloud === undefined || record.copies.cloud === undefined) {
        this.policy.setPinned(key, true);
        this.policy.store(key, record.size, Date.parse(record.lastAccess));
        continue;
      }
      await this.evictLocal(key, 'evicted').catch((error: unknown) => this.warn(`Could not evict ${key}: ${describeError(error)}`));
    }
  }

  /** Journals a local copy of the current version (downloaded to `temp`) and moves it into place. */
  private async commitLocalCopy(key: string, version: string, temp: string, event: 'promoted'): Promise<void> {
    const path = await confinedPath(this.localRoot, key);
    const staged = relative(this.localRoot, temp);
    await makeFolders(dirname(path), `keeping a local copy of ${key}`);
    await this.index.transact((state) => {
      const current = state.objects.get(key);
      if (current === undefined || current.version !== version) throw new StorageError('not-found', `${key} changed while it was being copied; the copy was dropped.`);
      if (current.copies.local) return { ops: [], result: undefined, afterCommit: () => rm(temp, { force: true }) };
      const next = withHistory({ ...current, copies: { ...current.copies, local: { staged } } }, event, 'local');
      return { ops: [{ t: 'put', r: next }], result: undefined, afterCommit: () => this.publishStaged(next, temp, path) };
    });
    this.emit({ keys: [key] });
  }

  /** Renames a staged file into place (under the lock) and forgets the staging in memory. */
  private async publishStaged(record: ObjectRecord, temp: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await rename(temp, path);
    await syncFolder(dirname(path));
    this.index.patchInMemory({ ...record, copies: { ...record.copies, local: {} } });
  }

  /**
   * Finishes renames a crashed writer journaled but did not carry out (its staged file is still in
   * the incoming folder). Runs under the lock, where no live writer is between commit and rename.
   */
  private async finishStaged(keys?: readonly string[]): Promise<void> {
    const records = keys === undefined ? [...this.index.state.objects.values()] : keys.map((key) => this.index.state.objects.get(key)).filter((record) => record !== undefined);
    for (const record of records) {
      const staged = record.copies.local?.staged;
      if (staged === undefined) continue;
      const temp = join(this.localRoot, staged);
      const path = await confinedPath(this.localRoot, record.key);
      try {
        await this.publishStaged(record, temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Already renamed by its writer.
        this.index.patchInMemory({ ...record, copies: { ...record.copies, local: {} } });
      }
    }
  }

  /** Carries out journaled deletions of stale copies, skipping any copy the current record claims again. */
  private async runIntents(): Promise<void> {
    for (const intent of [...this.index.state.intents.values()]) {
      if (this.closed) return;
      await this.index.transact(async (state) => {
        if (!state.intents.has(intent.id)) return { ops: [], result: undefined };
        const record = state.objects.get(intent.key);
        if (intent.local && !record?.copies.local) await rm(await confinedPath(this.localRoot, intent.key), { force: true });
        for (const place of ['cloud', 'archive'] as const) {
          if (!intent[place] || record?.copies[place]) continue;
          if (this.cloud === undefined) continue;
          try {
            await this.cloud.delete(place, intent.key, AbortSignal.timeout(LOCKED_CALL_MS));
          } catch (error) {
            if (!(error instanceof StorageError && error.code === 'not-found')) {
              this.noteCloudFailure(error);
              // Kept for the next reconcile.
              return { ops: [], result: undefined };
            }
          }
        }
        return { ops: [{ t: 'done', id: intent.id }], result: undefined };
      }, false);
    }
  }

  // ---------------------------------------------------------------- internals: restore

  private async startRestore(key: string, thenMoveToCloud: boolean): Promise<string> {
    const cloud = this.requireCloud();
    await cloud.requestRestore(key, RESTORE_DAYS);
    const record = this.record(key);
    const hours = RESTORE_HOURS[record.copies.archive?.storageClass ?? 'GLACIER'] ?? 5;
    const now = new Date();
    const expectedAt = new Date(now.getTime() + hours * 3600 * 1000).toISOString();
    await this.index.transact((state) => {
      const current = state.objects.get(key);
      if (current === undefined) return { ops: [], result: undefined };
      const restoring = { requestedAt: now.toISOString(), expectedAt: current.restoring?.expectedAt ?? expectedAt, thenMoveToCloud: thenMoveToCloud || current.restoring?.thenMoveToCloud === true };
      return { ops: [{ t: 'put', r: withHistory({ ...current, restoring }, 'restore-requested', 'archive') }], result: undefined };
    });
    this.emit({ keys: [key] });
    this.scheduleRestorePolling();
    return this.record(key).restoring?.expectedAt ?? expectedAt;
  }

  /** Reads x-amz-restore; once the archive says the copy is readable, clears "restoring" (and moves it when asked). */
  private async pollRestore(key: string): Promise<void> {
    const cloud = this.requireCloud();
    const record = this.record(key);
    if (record.restoring === undefined) return;
    const head = await cloud.head('archive', key);
    if (head?.restore?.ongoing !== false) return;
    const restoring = record.restoring;
    await this.index.transact((state) => {
      const current = state.objects.get(key);
      if (current?.restoring === undefined || !current.copies.archive) return { ops: [], result: undefined };
      const { restoring: _done, ...rest } = current;
      const next = withHistory({ ...rest, copies: { ...current.copies, archive: { ...current.copies.archive, ...(head.restore?.expiry ? { restoredUntil: head.restore.expiry } : {}) } } }, 'restored', 'archive');
      return { ops: [{ t: 'put', r: next }], result: undefined };
    });
    this.emit({ keys: [key] });
    if (restoring.thenMoveToCloud) await this.restore(key);
  }

  private scheduleRestorePolling(): void {
    if (this.options.background !== true || this.restoreTimer !== undefined || this.closed) return;
    this.restoreTimer = setInterval(() => void this.pollAllRestores(), this.options.restorePollMs ?? 60_000);
    this.restoreTimer.unref();
  }

  private async pollAllRestores(): Promise<void> {
    const restoring = [...this.index.state.objects.values()].filter((record) => record.restoring !== undefined);
    if (restoring.length === 0) {
      clearInterval(this.restoreTimer);
      this.restoreTimer = undefined;
      return;
    }
    for (const record of restoring) {
      if (this.closed) return;
      await this.pollRestore(record.key).catch((error: unknown) => this.noteCloudFailure(error));
    }
  }

  // ---------------------------------------------------------------- internals: background

  private startBackground(): void {
    if (this.cloud !== undefined) {
      this.startUploader();
      // The Storage view shows the cloud tier's state: learn it now rather than on the first move.
      void this.checkCloud().catch(() => undefined);
    }
    if ([...this.index.state.objects.values()].some((record) => record.restoring !== undefined)) this.scheduleRestorePolling();
  }

  private startUploader(): void {
    this.uploaderStarted = true;
    this.uploaderDone = this.uploadLoop();
  }

  /** The write-back queue: uploads objects without a cloud copy, backing off while the cloud fails. */
  private async uploadLoop(): Promise<void> {
    const retry = this.options.uploadRetryMs ?? { min: 1000, max: 60_000 };
    let backoff = retry.min;
    while (!this.closed) {
      const next = this.pendingUploads().find((key) => (this.failedUploads.get(key) ?? 0) <= Date.now());
      if (next === undefined) {
        await this.sleepUntilWoken(this.failedUploads.size > 0 ? retry.max : undefined);
        continue;
      }
      try {
        await this.uploadOne(next, { signal: this.closing.signal });
        backoff = retry.min;
        await this.evictForRoom();
      } catch (error) {
        if (this.closed) return;
        if (error instanceof StorageError && error.code === 'cloud-unavailable') {
          await this.sleepUntilWoken(backoff);
          backoff = Math.min(retry.max, backoff * 2);
        } else {
          // This object alone failed (its file changed, the bucket answered oddly): try it again later.
          this.failedUploads.set(next, Date.now() + retry.max);
          this.warn(`Uploading ${next} failed: ${describeError(error)}`);
        }
      }
    }
  }

  private sleepUntilWoken(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.uploaderWake = () => {
        this.uploaderWake = undefined;
        done();
      };
    });
  }

  /** Keys with a local copy and no cloud or archive copy, oldest first: the upload queue. */
  pendingUploads(): string[] {
    if (this.cloud === undefined) return [];
    const pending: ObjectRecord[] = [];
    for (const record of this.index.state.objects.values()) {
      if (record.copies.local && !record.copies.cloud && !record.copies.archive) pending.push(record);
    }
    return pending.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0)).map((record) => record.key);
  }

  // ---------------------------------------------------------------- internals: reconcile

  /**
   * After a crash: finishes journaled renames, removes temp files of writers that are gone
   * (never acknowledged), and carries out pending deletions. Uploads need no re-queueing: the
   * queue is the index.
   */
  private async reconcile(): Promise<void> {
    if (this.index.takeDamaged()) await this.readoptLocalFiles();
    await this.index.transact(async () => {
      await this.finishStaged();
      const staged = new Set<string>();
      for (const record of this.index.state.objects.values()) if (record.copies.local?.staged) staged.add(record.copies.local.staged);
      const incoming = join(this.localRoot, INCOMING_FOLDER);
      for (const name of await readdir(incoming).catch(() => [] as string[])) {
        const pid = Number(name.split('-')[0]);
        if (staged.has(join(INCOMING_FOLDER, name)) || (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) || pid === process.pid) continue;
        await rm(join(incoming, name), { force: true });
      }
      return { ops: [], result: undefined };
    });
    const local = this.index.state.intents.size > 0 && [...this.index.state.intents.values()].every((intent) => !intent.cloud && !intent.archive);
    // Deletions in the bucket need the network: do them now only when cheap, else in the background.
    if (local || this.cloud === undefined) await this.runIntents();
    else void this.runIntents().catch(() => undefined);
  }

  /** After a damaged index was set aside: the local tier's files it no longer lists become objects again, hashed anew. */
  private async readoptLocalFiles(): Promise<void> {
    const keys = (await walkFiles(this.localRoot)).map((file) => file.split(sep).join('/')).filter((key) => !key.startsWith(`${INCOMING_FOLDER}/`));
    const added = await this.index.transact(async (state) => {
      const at = new Date().toISOString();
      const ops: IndexOp[] = [];
      for (const key of keys) {
        if (state.objects.has(key)) continue;
        try {
          const path = await confinedPath(this.localRoot, key);
          const { size } = await stat(path);
          const record: ObjectRecord = { key, version: randomUUID(), size, sha256: await hashFile(path), created: at, lastAccess: at, accessCount: 0, hits: 0, copies: { local: {} }, history: [] };
          ops.push({ t: 'put', r: withHistory(record, 'verified', 'local', at) });
        } catch (error) {
          this.warn(`The local file of ${key} was not added back to the storage index: ${describeError(error)}`);
        }
      }
      return { ops, result: ops.length };
    });
    this.warn(`${added} object${added === 1 ? '' : 's'} of the local tier ${added === 1 ? 'was' : 'were'} added back to the storage index from ${added === 1 ? 'its file' : 'their files'}.`);
  }

  // ---------------------------------------------------------------- internals: small things

  private record(key: string): ObjectRecord {
    validateKey(key);
    const record = this.index.state.objects.get(key);
    if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
    return record;
  }

  private requireCloud(): CloudTier {
    if (this.cloud === undefined) throw new StorageError('not-configured', 'No cloud tier is configured; run "neurolake storage configure --bucket …" (and --endpoint for MinIO, Ceph or s3rver).');
    return this.cloud;
  }

  private intent(key: string, parts: Omit<Intent, 'id' | 'key'>): Intent {
    return { id: randomUUID(), key, ...parts };
  }

  private incomingPath(): string {
    return join(this.localRoot, INCOMING_FOLDER, `${process.pid}-${randomUUID()}`);
  }

  private capacityBytes(): number {
    return Math.floor(this.config.local.capacityGb * BYTES_PER_GB);
  }

  private policyBudget(): number {
    return Math.floor(this.capacityBytes() * this.config.local.watermark);
  }

  /** Whether the local tier takes a new object of `size` without evicting anything unverified. */
  private localWouldTake(key: string, size: number): boolean {
    const old = this.index.state.objects.get(key);
    const used = this.index.localBytes - (old?.copies.local ? old.size : 0);
    if (size > this.policyBudget()) return false;
    // Room under the watermark now, or room once objects with a verified cloud copy are dropped.
    if (used + size <= this.policyBudget()) return true;
    let evictable = 0;
    for (const record of this.index.state.objects.values()) if (record.copies.local && record.copies.cloud && record.key !== key) evictable += record.size;
    return used - evictable + size <= this.policyBudget();
  }

  private buildPolicy(): LocalTierPolicy {
    const policy = (this.options.policy ?? createDefaultLocalTierPolicy)(this.policyBudget());
    const residents = [...this.index.state.objects.values()].filter((record) => record.copies.local).sort((a, b) => (a.lastAccess < b.lastAccess ? -1 : 1));
    for (const record of residents) {
      if (!record.copies.cloud) policy.setPinned(record.key, true);
      policy.store(record.key, record.size, Date.parse(record.lastAccess));
    }
    return policy;
  }

  private syncPolicy(): void {
    if (!this.policyStale) return;
    this.policyStale = false;
    this.policy = this.buildPolicy();
  }

  private externalChange(): void {
    this.policyStale = true;
    this.emit({});
    this.uploaderWake?.();
  }

  private touch(key: string, at: string, hit: boolean, bytes: number, tier: TierName): void {
    this.log.record({ at, key, bytes, op: 'read', tier, hit } satisfies AccessEntry);
    this.pendingTouches.push({ t: 'touch', key, at, hit });
    if (this.touchTimer === undefined) {
      this.touchTimer = setTimeout(() => void this.flushTouches().catch(() => undefined), 500);
      this.touchTimer.unref();
    }
  }

  /** Journals access counts in one line, without fsync: losing a few on a crash costs statistics only. */
  private async flushTouches(): Promise<void> {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    const ops = this.pendingTouches;
    this.pendingTouches = [];
    if (ops.length === 0) return;
    await this.index.transact(() => ({ ops, result: undefined }), false);
  }

  private setCloudState(state: CloudState): void {
    const before = this.status();
    this.cloudState = state;
    const after = this.status();
    if (before.state !== after.state || before.detail !== after.detail) this.emit({ status: true });
  }

  private noteCloudFailure(error: unknown): void {
    if (error instanceof StorageError && error.code === 'cloud-unavailable') this.setCloudState({ kind: 'unreachable', reason: error.message });
  }

  private cloudUri(): string {
    return this.cloud ? `s3://${this.cloud.config.bucket}/${this.cloud.config.prefix}` : '';
  }

  private emit(change: StorageChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.warn(`A storage change listener failed: ${describeError(error)}`);
      }
    }
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('storage', 'Storage is closed.');
  }
}

function withoutCloud(config: StorageConfig): StorageConfig {
  const { cloud: _cloud, ...rest } = config;
  return rest;
}

/** `next` with the cloud tier and the archive bucket of `inForce`: its other settings still apply. */
function keepPlaces(next: StorageConfig, inForce: StorageConfig): StorageConfig {
  const { bucket: _bucket, ...archive } = next.archive;
  const kept = { ...withoutCloud(next), archive: inForce.archive.bucket === undefined ? archive : { ...archive, bucket: inForce.archive.bucket } };
  return inForce.cloud === undefined ? kept : { ...kept, cloud: inForce.cloud };
}

function cloudTierFor(config: StorageConfig, options: StorageOpenOptions): CloudTier | undefined {
  if (config.cloud === undefined) return undefined;
  return new CloudTier(config.cloud, config.archive, {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.partSize ? { partSize: options.partSize } : {}),
    ...(options.multipartCopyAbove ? { multipartCopyAbove: options.multipartCopyAbove } : {}),
  });
}

function isPathSource(source: StoreSource): source is { readonly path: string } {
  return typeof source === 'object' && source !== null && 'path' in source && typeof (source as { path: unknown }).path === 'string' && !(source instanceof Readable);
}

/** Files are read a megabyte at a time: fewer calls than the 64 KB default, for the same memory bound. */
const FILE_CHUNK = 1024 * 1024;

function openSource(source: StoreSource): Readable {
  if (isPathSource(source)) return createReadStream(source.path, { highWaterMark: FILE_CHUNK });
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) return Readable.from([source]);
  return Readable.from(source);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new StorageError('not-found', `${path} is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageError('not-found', `No such file ${path}.`);
    throw fileError(error, `reading ${path}`);
  }
}

async function hashFile(path: string): Promise<string> {
  const sha = createHash('sha256');
  for await (const chunk of createReadStream(path)) sha.update(chunk as Buffer);
  return sha.digest('hex');
}

async function walkFiles(root: string, folder = root): Promise<string[]> {
  const files: string[] = [];
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walkFiles(root, path)));
    else files.push(relative(root, path));
  }
  return files;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function restoringError(key: string, expectedAt: string): StorageError {
  return new StorageError('restoring', `${key} is archived and being restored; it should be readable around ${expectedAt}. Try again then.`);
}

/** Bytes for a message: "512 KB", "3.2 GB". */
function human(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

// Re-exported for callers that need the plain record of a key (tests, the plan view).
export { tierOf };
export type { IndexState };
