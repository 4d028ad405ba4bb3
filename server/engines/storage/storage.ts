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
//
// The engine is the public face; the work is done by collaborators that share a StorageCore
// (core.ts): store.ts, retrieve.ts, moves.ts, uploader.ts, restores.ts, copies.ts, intents.ts,
// verify.ts, plan.ts and configReload.ts.
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { CancelledError, loadFastHash, type WorkOptions } from '../common';
import { storagePrices, type StoragePrices } from '../prices';
import { AccessLog, type AccessEntry } from './accessLog';
import { applyEnvironment, readStorageConfig, storageFolder, type StorageConfig } from './config';
import { presign, s3Uri } from './cloudLinks';
import { ConfigReloader, cloudTierFor, withoutCloud } from './configReload';
import { finishStaged } from './copies';
import { StorageCore } from './core';
import { computeStats } from './costs';
import { makeFolders } from './durable';
import { IndexStore, type IndexState } from './indexStore';
import { reconcile } from './intents';
import { INCOMING_FOLDER, validateKey } from './keys';
import { adoptLocations, checkLocationChange } from './location';
import { pageKeys } from './listing';
import { archive, deleteObject, demote, promote, restore } from './moves';
import type { RestoreOutcome, StorageChange, StorageOpenOptions, StoreOptions, StoreSource } from './options';
import { apply, plan } from './plan';
import { tierOf, toInfo } from './records';
import { Restores } from './restores';
import { retrieve } from './retrieve';
import { store } from './store';
import type {
  Disposable,
  EngineStatus,
  ListOptions,
  ListPage,
  MoveKind,
  MoveResult,
  ObjectInfo,
  PlacementPlan,
  PresignedUrl,
  StorageStats,
  TierName,
  TierStates,
  VerifyReport,
} from './types';
import { Uploader, type FlushResult } from './uploader';
import { verify } from './verify';

export type { RestoreOutcome, StorageChange, StorageOpenOptions, StoreOptions, StoreSource } from './options';

export class StorageEngine {
  readonly dataFolder: string;
  readonly localRoot: string;
  private readonly uploads: Uploader;
  private readonly restores: Restores;
  private readonly reloader: ConfigReloader;

  private constructor(private readonly core: StorageCore) {
    this.dataFolder = core.dataFolder;
    this.localRoot = core.localRoot;
    this.uploads = new Uploader(core);
    this.restores = new Restores(core, (key) => this.restore(key));
    this.reloader = new ConfigReloader(core, this.uploads, () => this.checkCloud());
  }

  /** The configuration in force: storage/config.json with the environment's overrides, as last read. */
  get config(): StorageConfig {
    return this.core.config;
  }

  get prices(): StoragePrices {
    return this.core.prices;
  }

  /** Opens the data folder's storage, reconciling what a crash may have left half done. */
  static async open(options: StorageOpenOptions): Promise<StorageEngine> {
    const folder = storageFolder(options.dataFolder);
    // First, so a data folder that is a file, or on a read-only disk, is said in those words. The
    // hash that reads check is compiled meanwhile: every store and read after this needs it.
    await Promise.all([makeFolders(folder, 'opening storage'), loadFastHash()]);
    const config = applyEnvironment(options.config ?? (await readStorageConfig(options.dataFolder)), options.env ?? process.env);
    const localRoot = config.local.path ?? join(folder, 'local');
    await makeFolders(join(localRoot, INCOMING_FOLDER), `creating the local tier ${localRoot}`);
    // The index calls back into the engine, which needs the index to exist first.
    const late: { engine?: StorageEngine; core?: StorageCore } = {};
    const index = await IndexStore.open(join(folder, 'index.json'), {
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      onExternalChange: () => late.engine?.externalChange(),
      beforeCompact: async () => {
        if (late.core) await finishStaged(late.core);
      },
    });
    const log = new AccessLog(join(folder, 'access.log'), undefined, undefined, options.onWarning);
    // A cloud tier at a place that does not hold the recorded copies would report them missing
    // and upload beside them: it is not started, and the local tier works on its own.
    const refusal = await adoptLocations(index, options.dataFolder, config, options.onWarning);
    const inForce: StorageConfig = refusal === undefined ? config : withoutCloud(config);
    if (refusal !== undefined) options.onWarning?.(`${refusal} The cloud tier is not started until then; local copies stay readable.`);
    const cloud = cloudTierFor(inForce, options);
    const core = new StorageCore(options.dataFolder, inForce, localRoot, index, log, cloud, options, storagePrices(config.prices.preset, config.prices.localGbMonth));
    core.locationProblem = refusal;
    const engine = new StorageEngine(core);
    late.core = core;
    late.engine = engine;
    await reconcile(core);
    if (options.background === true) engine.startBackground();
    return engine;
  }

  /** Stops the background work (an upload in flight stays queued), flushes the access log and compacts the index. */
  async close(): Promise<void> {
    if (this.core.closed) return;
    this.core.closed = true;
    this.core.closing.abort();
    this.restores.stop();
    this.uploads.wake();
    await this.uploads.stopped();
    await this.core.flushTouches().catch(() => undefined);
    await this.core.log.flush();
    await this.core.index.close();
    this.core.cloud?.destroy();
    this.reloader.destroyRetired();
    this.core.emit({ status: true });
    this.core.listeners.clear();
  }

  status(): EngineStatus {
    return this.core.status();
  }

  onDidChange(listener: (change: StorageChange) => void): Disposable {
    this.core.listeners.add(listener);
    return { dispose: () => this.core.listeners.delete(listener) };
  }

  /** Contacts the bucket now; the status says how it went. */
  async checkCloud(work: WorkOptions = {}): Promise<EngineStatus> {
    if (this.core.cloud === undefined) return this.status();
    try {
      await this.core.cloud.check(work.signal);
      this.core.setCloudState({ kind: 'connected' });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.core.noteCloudFailure(error);
    }
    return this.status();
  }

  // ---------------------------------------------------------------- reads of the index

  /** The object as the index was last read: what list() shows alongside it. */
  stat(key: string): ObjectInfo {
    return this.core.stat(key);
  }

  /**
   * stat() for a caller that may ask about another process's store of a moment ago (a request
   * from VS Code after the CLI's put): a miss re-reads the index once before answering not found.
   * The re-read only stats the snapshot and reads new journal lines, so it is cheap when nothing changed.
   */
  async lookup(key: string): Promise<ObjectInfo> {
    validateKey(key);
    if (!this.core.index.state.objects.has(key) && !this.core.closed) await this.core.index.refresh();
    return this.stat(key);
  }

  /** Throws `invalid-config`, saving nothing, when `next` moves the cloud or archive tier away from objects only there. */
  async checkConfigChange(next: StorageConfig): Promise<void> {
    this.core.assertOpen();
    await this.core.index.refresh();
    await checkLocationChange(this.dataFolder, this.core.index.state.objects.values(), this.config, applyEnvironment(next, this.core.options.env ?? process.env));
  }

  list(options: ListOptions = {}): ListPage {
    const { tier, ...paging } = options;
    const objects = this.core.index.state.objects;
    const page = pageKeys(this.core.index.keys(), tier === undefined ? paging : { ...paging, include: (key) => objects.get(key)?.copies[tier] !== undefined });
    return { objects: page.keys.map((key) => toInfo(this.core.withPendingTouches(objects.get(key)!), this.core.cloud !== undefined)), prefixes: page.prefixes, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  }

  /**
   * Picks up what other processes changed: the index, and storage/config.json (written by the
   * CLI, another window or Configure Cloud Tier); true when anything did.
   */
  async refresh(): Promise<boolean> {
    const reconfigured = await this.reloadConfig();
    const changed = await this.core.index.refresh();
    return reconfigured || changed;
  }

  /**
   * Applies storage/config.json when it differs from the configuration in force: a new cloud
   * tier (new endpoint, bucket or credentials chain), capacity, archive class and prices, with no
   * restart. The local tier's folder is the one exception: moving it needs a reopen. A file that
   * does not parse is reported once and the configuration in force stays. True when applied.
   */
  reloadConfig(): Promise<boolean> {
    return this.reloader.reload();
  }

  /** `s3://bucket/key` of the object's cloud or archive copy. */
  s3Uri(key: string): string {
    return s3Uri(this.core, key);
  }

  /** How the tiers are set up, and the cloud's state as last seen (checkCloud() contacts it). */
  tiers(): TierStates {
    return this.core.tiers();
  }

  /**
   * A URL that reads the object's cloud copy without credentials for `expiresInSeconds` (1 s to
   * 7 days, the most S3's signature allows). Signing happens here, offline; only the cloud copy
   * is signed, since a local copy has no URL and an archived one cannot be read until restored.
   */
  presign(key: string, expiresInSeconds: number): Promise<PresignedUrl> {
    return presign(this.core, key, expiresInSeconds);
  }

  async stats(): Promise<StorageStats> {
    await this.core.index.refresh();
    await this.core.flushTouches();
    const records = [...this.core.index.state.objects.values()];
    return computeStats(this.prices, records, this.core.index.state.counters, await this.core.log.entries(), {
      capacityBytes: this.core.capacityBytes(),
      uploadsPending: this.core.pendingUploads().length,
      now: Date.now(),
    });
  }

  /** Every read and write still in the access log, oldest first: what the cost engine replays and prices. */
  accessHistory(): Promise<AccessEntry[]> {
    return this.core.log.entries();
  }

  // ---------------------------------------------------------------- store and retrieve

  /**
   * Stores `source` under `key`: on the local tier while the policy admits it and it fits, else
   * straight to the cloud (the overflow). Resolves once the object is durable.
   */
  store(key: string, source: StoreSource, work: StoreOptions = {}): Promise<ObjectInfo> {
    return store(this.core, this.uploads, key, source, work);
  }

  /**
   * Writes the object to `destination` (ended when done). A local copy is served from disk; a
   * miss reads the cloud or archive copy, checks its SHA-256, and the policy decides whether to
   * keep a local copy. An archived object the server says must be restored first starts the
   * restore and fails with `restoring`, giving the expected time.
   */
  retrieve(key: string, destination: Writable, work: WorkOptions = {}): Promise<ObjectInfo> {
    return retrieve(this.core, this.restores, key, destination, work);
  }

  /** Deletes the object and every copy of it. */
  delete(key: string): Promise<{ key: string; copies: TierName[] }> {
    return deleteObject(this.core, key);
  }

  // ---------------------------------------------------------------- moves

  /** Keeps a local copy (downloaded and checked); the cloud copy stays as the backup. */
  promote(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    return promote(this.core, this.restores, key, work);
  }

  /** Makes sure a verified cloud copy exists (uploading if needed), then drops the local copy. */
  demote(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    return demote(this.core, this.uploads, key, work);
  }

  /** Moves the object to the archive storage class; local and cloud copies go once the archive copy is verified. */
  archive(key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
    return archive(this.core, this.uploads, key, work);
  }

  /**
   * Brings an archived object back to the cloud tier. When the archive must thaw it first, the
   * restore is requested and the object marked "restoring"; it moves once readable.
   */
  restore(key: string, work: WorkOptions = {}): Promise<RestoreOutcome> {
    return restore(this.core, this.restores, key, work);
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

  /** Uploads every queued object now, in this process (a CLI `sync`, write-through, an apply). */
  flushUploads(work: WorkOptions = {}): Promise<FlushResult> {
    return this.uploads.flushUploads(work);
  }

  /** Keys with a local copy and no cloud or archive copy, oldest first: the upload queue. */
  pendingUploads(): string[] {
    return this.core.pendingUploads();
  }

  // ---------------------------------------------------------------- optimize and verify

  /** What optimizing would do: each move with its bytes, and the monthly cost before and after. */
  plan(): Promise<PlacementPlan> {
    return plan(this.core);
  }

  /** Carries out a plan's moves; each one independently, so one failure does not stop the rest. */
  apply(plan: PlacementPlan, work: WorkOptions = {}): Promise<MoveResult[]> {
    return apply(plan, (key, move, options) => this.move(key, move, options), work);
  }

  /**
   * Recomputes local checksums, checks every cloud and archive copy's ETag, version and size (with
   * `deep`, downloads and hashes cloud copies), and lists files and bucket objects no index entry
   * accounts for. Reports; never deletes.
   */
  verify(work: WorkOptions & { prefix?: string; deep?: boolean } = {}): Promise<VerifyReport> {
    return verify(this.core, work);
  }

  // ---------------------------------------------------------------- background

  private startBackground(): void {
    if (this.core.cloud !== undefined) {
      this.uploads.start();
      // The Storage view shows the cloud tier's state: learn it now rather than on the first move.
      void this.checkCloud().catch(() => undefined);
    }
    if ([...this.core.index.state.objects.values()].some((record) => record.restoring !== undefined)) this.restores.scheduleRestorePolling();
  }

  private externalChange(): void {
    this.core.policyStale = true;
    this.core.emit({});
    this.uploads.wake();
  }
}

// Re-exported for callers that need the plain record of a key (tests, the plan view).
export { tierOf };
export type { IndexState };
