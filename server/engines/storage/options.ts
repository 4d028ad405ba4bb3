// The types callers of the storage engine pass and get back: how it opens, what a store reads
// from, what a restore answers and what a change event says.
import type { WorkOptions } from '../common';
import type { CloudTierOptions } from './cloudTier';
import type { StorageConfig } from './config';
import type { LocalTierPolicyFactory } from './placement';
import type { Readable } from 'node:stream';

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
