// The state every part of the storage engine shares: the index, the access log, the tiers as
// configured, the local tier's policy and the cloud's state as last seen, with the small helpers
// they all use (records, intents, capacity, access counts, change events). The engine and its
// collaborators (store, retrieve, moves, uploader, restores, …) hold this, never each other's state.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BYTES_PER_GB, type StoragePrices } from '../prices';
import type { AccessEntry, AccessLog } from './accessLog';
import type { CloudTier, Place } from './cloudTier';
import { checksSignedPayload, type StorageConfig } from './config';
import { StorageError, describeError } from './errors';
import type { IndexOp, IndexStore, Intent } from './indexStore';
import { INCOMING_FOLDER, validateKey } from './keys';
import { createDefaultLocalTierPolicy, type LocalTierPolicy } from './placement';
import { toInfo } from './records';
import type { StorageChange, StorageOpenOptions } from './options';
import type { CloudServerSettings, EngineStatus, ObjectInfo, ObjectRecord, TierName, TierStates } from './types';

export type CloudState = { readonly kind: 'none' } | { readonly kind: 'unknown' } | { readonly kind: 'connected' } | { readonly kind: 'unreachable'; readonly reason: string };

/** Network steps under the index lock are bounded, so a hung server cannot hold every process up. */
export const LOCKED_CALL_MS = 15_000;

export class StorageCore {
  readonly listeners = new Set<(change: StorageChange) => void>();
  cloudState: CloudState;
  policy: LocalTierPolicy;
  policyStale = false;
  private pendingTouches: IndexOp[] = [];
  private touchTimer: NodeJS.Timeout | undefined;
  closed = false;
  /** Aborted on close: background work in flight stops. */
  readonly closing = new AbortController();

  /** Why the configured cloud tier is not in force (it would not find the recorded copies); see location.ts. */
  locationProblem: string | undefined;

  constructor(
    readonly dataFolder: string,
    /** The configuration in force: storage/config.json with the environment's overrides, as last read. */
    public config: StorageConfig,
    readonly localRoot: string,
    readonly index: IndexStore,
    readonly log: AccessLog,
    public cloud: CloudTier | undefined,
    readonly options: StorageOpenOptions,
    public prices: StoragePrices,
  ) {
    this.cloudState = cloud === undefined ? { kind: 'none' } : { kind: 'unknown' };
    this.policy = this.buildPolicy();
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

  /** How the tiers are set up, and the cloud's state as last seen (the engine's checkCloud() contacts it). */
  tiers(): TierStates {
    const archive = { storageClass: this.config.archive.storageClass, ...(this.cloud ? { uri: `s3://${this.cloud.bucketOf('archive')}/${this.cloud.nameOf('archive', '')}` } : {}) };
    const local = { path: this.localRoot };
    const cloud = this.cloud?.config;
    if (this.cloudState.kind === 'none' || cloud === undefined) return { local, cloud: { state: 'not-configured' }, archive };
    const uri = this.cloudUri();
    const server: CloudServerSettings = {
      endpoint: cloud.endpoint ?? '',
      region: cloud.region,
      pathStyle: cloud.forcePathStyle,
      sdkChecksums: cloud.requestChecksumCalculation,
      checksSignedPayload: checksSignedPayload(cloud),
    };
    switch (this.cloudState.kind) {
      case 'unknown':
        return { local, cloud: { state: 'not-contacted', uri, server }, archive };
      case 'connected':
        return { local, cloud: { state: 'connected', uri, server }, archive };
      case 'unreachable':
        return { local, cloud: { state: 'unreachable', uri, reason: this.cloudState.reason, server }, archive };
    }
  }

  /** The object as the index was last read: what list() shows alongside it. */
  stat(key: string): ObjectInfo {
    validateKey(key);
    const record = this.index.state.objects.get(key);
    if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
    return toInfo(this.withPendingTouches(record), this.cloud !== undefined);
  }

  /** Reads not yet journaled (they are batched) still count in what callers see. */
  withPendingTouches(record: ObjectRecord): ObjectRecord {
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

  /** Keys with a local copy and no cloud or archive copy, oldest first: the upload queue. */
  pendingUploads(): string[] {
    if (this.cloud === undefined) return [];
    const pending: ObjectRecord[] = [];
    for (const record of this.index.state.objects.values()) {
      if (record.copies.local && !record.copies.cloud && !record.copies.archive) pending.push(record);
    }
    return pending.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0)).map((record) => record.key);
  }

  /**
   * Checks, with a bounded HEAD, that the bucket holds this version, of this size, with one of the
   * expected ETags (any, when undefined: an upload the server checked against its signed SHA-256
   * without naming an ETag).
   */
  async verifyRemote(place: Place, key: string, version: string, etags: readonly string[] | undefined, size: number): Promise<string> {
    const head = await this.requireCloud().head(place, key, AbortSignal.timeout(LOCKED_CALL_MS));
    if (head === undefined || head.version !== version || (etags !== undefined && !etags.includes(head.etag)) || head.size !== size) {
      throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} could not be verified (${head === undefined ? 'missing' : head.version !== version ? 'another version is there' : `ETag ${head.etag}, ${head.size} bytes`}); nothing was removed.`);
    }
    return head.etag;
  }

  record(key: string): ObjectRecord {
    validateKey(key);
    const record = this.index.state.objects.get(key);
    if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
    return record;
  }

  requireCloud(): CloudTier {
    if (this.cloud === undefined) throw new StorageError('not-configured', 'No cloud tier is configured; run "neurolake storage configure --bucket …" (and --endpoint for MinIO, Ceph or s3rver).');
    return this.cloud;
  }

  intent(key: string, parts: Omit<Intent, 'id' | 'key'>): Intent {
    return { id: randomUUID(), key, ...parts };
  }

  incomingPath(): string {
    return join(this.localRoot, INCOMING_FOLDER, `${process.pid}-${randomUUID()}`);
  }

  capacityBytes(): number {
    return Math.floor(this.config.local.capacityGb * BYTES_PER_GB);
  }

  policyBudget(): number {
    return Math.floor(this.capacityBytes() * this.config.local.watermark);
  }

  /** Whether the local tier takes a new object of `size` without evicting anything unverified. */
  localWouldTake(key: string, size: number): boolean {
    const old = this.index.state.objects.get(key);
    const used = this.index.localBytes - (old?.copies.local ? old.size : 0);
    if (size > this.policyBudget()) return false;
    // Room under the watermark now, or room once objects with a verified cloud copy are dropped.
    if (used + size <= this.policyBudget()) return true;
    let evictable = 0;
    for (const record of this.index.state.objects.values()) if (record.copies.local && record.copies.cloud && record.key !== key) evictable += record.size;
    return used - evictable + size <= this.policyBudget();
  }

  buildPolicy(): LocalTierPolicy {
    const policy = (this.options.policy ?? createDefaultLocalTierPolicy)(this.policyBudget());
    const residents = [...this.index.state.objects.values()].filter((record) => record.copies.local).sort((a, b) => (a.lastAccess < b.lastAccess ? -1 : 1));
    for (const record of residents) {
      if (!record.copies.cloud) policy.setPinned(record.key, true);
      policy.store(record.key, record.size, Date.parse(record.lastAccess));
    }
    return policy;
  }

  syncPolicy(): void {
    if (!this.policyStale) return;
    this.policyStale = false;
    this.policy = this.buildPolicy();
  }

  touch(key: string, at: string, hit: boolean, bytes: number, tier: TierName): void {
    this.log.record({ at, key, bytes, op: 'read', tier, hit } satisfies AccessEntry);
    this.pendingTouches.push({ t: 'touch', key, at, hit });
    if (this.touchTimer === undefined) {
      this.touchTimer = setTimeout(() => void this.flushTouches().catch(() => undefined), 500);
      this.touchTimer.unref();
    }
  }

  /** Journals access counts in one line, without fsync: losing a few on a crash costs statistics only. */
  async flushTouches(): Promise<void> {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    const ops = this.pendingTouches;
    this.pendingTouches = [];
    if (ops.length === 0) return;
    await this.index.transact(() => ({ ops, result: undefined }), false);
  }

  setCloudState(state: CloudState): void {
    // Every cloud read and store says "connected": the status (which counts the upload queue over
    // every record) is only worth computing when the state changes.
    if (state.kind === this.cloudState.kind && (state.kind !== 'unreachable' || state.reason === (this.cloudState as typeof state).reason)) return;
    const before = this.status();
    this.cloudState = state;
    const after = this.status();
    if (before.state !== after.state || before.detail !== after.detail) this.emit({ status: true });
  }

  noteCloudFailure(error: unknown): void {
    if (error instanceof StorageError && error.code === 'cloud-unavailable') this.setCloudState({ kind: 'unreachable', reason: error.message });
  }

  cloudUri(): string {
    return this.cloud ? `s3://${this.cloud.config.bucket}/${this.cloud.config.prefix}` : '';
  }

  emit(change: StorageChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.warn(`A storage change listener failed: ${describeError(error)}`);
      }
    }
  }

  warn(message: string): void {
    this.options.onWarning?.(message);
  }

  assertOpen(): void {
    if (this.closed) throw new StorageError('storage', 'Storage is closed.');
  }
}

/** Bytes for a message: "512 KB", "3.2 GB". */
export function human(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
