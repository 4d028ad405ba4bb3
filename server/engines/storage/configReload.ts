// Applying storage/config.json while running: a new cloud tier (endpoint, bucket or credentials
// chain), capacity, archive class and prices take effect with no restart. A change that would
// move the cloud or archive tier away from objects only there is refused (see location.ts).
import { storagePrices } from '../prices';
import { CloudTier } from './cloudTier';
import { applyEnvironment, readStorageConfig, type StorageConfig } from './config';
import type { StorageCore } from './core';
import { describeError } from './errors';
import { adoptLocations } from './location';
import type { StorageOpenOptions } from './options';
import type { Uploader } from './uploader';

export class ConfigReloader {
  /** Tiers of configurations replaced while running: requests in flight may still use them, so they are destroyed on close. */
  private readonly retiredClouds: CloudTier[] = [];
  private reloading: Promise<boolean> | undefined;
  private lastConfigProblem: string | undefined;

  /** `checkCloud` contacts a new cloud tier so a long-lived server shows its state. */
  constructor(
    private readonly core: StorageCore,
    private readonly uploads: Uploader,
    private readonly checkCloud: () => Promise<unknown>,
  ) {}

  /**
   * Applies storage/config.json when it differs from the configuration in force: a new cloud
   * tier (new endpoint, bucket or credentials chain), capacity, archive class and prices, with no
   * restart. The local tier's folder is the one exception: moving it needs a reopen. A file that
   * does not parse is reported once and the configuration in force stays. True when applied.
   */
  reload(): Promise<boolean> {
    if (this.core.options.config !== undefined || this.core.closed) return Promise.resolve(false);
    this.reloading ??= this.readAndApplyConfig().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async readAndApplyConfig(): Promise<boolean> {
    let next: StorageConfig;
    try {
      next = applyEnvironment(await readStorageConfig(this.core.dataFolder), this.core.options.env ?? process.env);
      this.lastConfigProblem = undefined;
    } catch (error) {
      const problem = describeError(error);
      if (problem !== this.lastConfigProblem) this.core.warn(`${problem} The storage configuration in force stays until it is fixed.`);
      this.lastConfigProblem = problem;
      return false;
    }
    const before = this.core.config;
    if ((next.local.path ?? '') !== (before.local.path ?? '')) {
      this.core.warn(`The local tier's folder changed in the storage configuration (local.path); it moves when storage reopens (restart the server). Until then it stays ${this.core.localRoot}.`);
      const { path: _moved, ...local } = next.local;
      next = { ...next, local: before.local.path === undefined ? local : { ...local, path: before.local.path } };
    }
    if (JSON.stringify(next) === JSON.stringify(before) || this.core.closed) return false;
    if (JSON.stringify([next.cloud, next.archive]) !== JSON.stringify([before.cloud, before.archive])) {
      // A hand edit (or another tool) that moves the cloud or archive tier away from objects only
      // there is not applied: the place in force stays, told once, until the edit is undone or they are promoted.
      const refusal = await adoptLocations(this.core.index, this.core.dataFolder, next, (message) => this.core.warn(message));
      if (refusal !== undefined && refusal !== this.core.locationProblem) this.core.warn(`${refusal} Until then the cloud tier stays ${this.core.cloudUri() || 'off'}.`);
      if (refusal !== undefined) next = keepPlaces(next, before);
      const wasRefused = this.core.locationProblem !== undefined;
      this.core.locationProblem = refusal;
      if (wasRefused && refusal === undefined) this.core.emit({ status: true });
      if (JSON.stringify(next) === JSON.stringify(before) || this.core.closed) return false;
    }
    const cloudChanged = JSON.stringify([next.cloud, next.archive]) !== JSON.stringify([before.cloud, before.archive]);
    this.core.config = next;
    this.core.prices = storagePrices(next.prices.preset, next.prices.localGbMonth);
    this.core.policyStale = true;
    if (cloudChanged) {
      if (this.core.cloud !== undefined) this.retiredClouds.push(this.core.cloud);
      this.core.cloud = cloudTierFor(next, this.core.options);
      this.uploads.forgetFailures();
      this.core.setCloudState(this.core.cloud === undefined ? { kind: 'none' } : { kind: 'unknown' });
      if (this.core.options.background === true && this.core.cloud !== undefined) {
        if (!this.uploads.started) this.uploads.start();
        // A long-lived server shows the new tier's state as soon as it is known.
        void this.checkCloud().catch(() => undefined);
      }
    }
    this.core.emit({ status: true });
    this.uploads.wake();
    return true;
  }

  /** Destroys the tiers of replaced configurations (on close, when no request can still use them). */
  destroyRetired(): void {
    for (const retired of this.retiredClouds.splice(0)) retired.destroy();
  }
}

export function withoutCloud(config: StorageConfig): StorageConfig {
  const { cloud: _cloud, ...rest } = config;
  return rest;
}

/** `next` with the cloud tier and the archive bucket of `inForce`: its other settings still apply. */
export function keepPlaces(next: StorageConfig, inForce: StorageConfig): StorageConfig {
  const { bucket: _bucket, ...archive } = next.archive;
  const kept = { ...withoutCloud(next), archive: inForce.archive.bucket === undefined ? archive : { ...archive, bucket: inForce.archive.bucket } };
  return inForce.cloud === undefined ? kept : { ...kept, cloud: inForce.cloud };
}

export function cloudTierFor(config: StorageConfig, options: StorageOpenOptions): CloudTier | undefined {
  if (config.cloud === undefined) return undefined;
  return new CloudTier(config.cloud, config.archive, {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.partSize ? { partSize: options.partSize } : {}),
    ...(options.multipartCopyAbove ? { multipartCopyAbove: options.multipartCopyAbove } : {}),
  });
}
