// What the storage engine tells its callers: objects, tiers, plans and statistics. Plain data,
// so the server can send them as they are and the CLI can print them with --json.
import type { StorageClassName } from '../prices';

export type TierName = 'local' | 'cloud' | 'archive';
export const TIER_NAMES: readonly TierName[] = ['local', 'cloud', 'archive'];

export interface VerifiedCopy {
  /** ETag the server gave for this copy, checked against the content's MD5 when it was made. */
  readonly etag: string;
  readonly verifiedAt: string;
}

export interface ArchiveCopy extends VerifiedCopy {
  readonly storageClass: StorageClassName;
  /** Until when a restored copy can be read (from x-amz-restore), if restored. */
  readonly restoredUntil?: string;
}

export interface RestoreState {
  readonly requestedAt: string;
  /** When the archive class usually makes a restored object readable. */
  readonly expectedAt: string;
  /** Move the object back to the cloud tier once it is readable (a `restore`, not just a read). */
  readonly thenMoveToCloud: boolean;
}

export interface HistoryEvent {
  readonly at: string;
  readonly event: 'stored' | 'uploaded' | 'promoted' | 'demoted' | 'evicted' | 'archived' | 'restore-requested' | 'restored' | 'verified';
  readonly tier?: TierName;
}

/** The index's record of one object; copies say where verified copies of this version exist. */
export interface ObjectRecord {
  readonly key: string;
  /** Changes on every store of the key, so a stale copy of an older version is never trusted. */
  readonly version: string;
  readonly size: number;
  readonly sha256: string;
  /**
   * The content's xxHash64 (16 hex digits), what a read from the cloud or archive checks: SHA-256
   * costs that read a third of the raw GET's time (see fastHash.ts). Recorded with the first cloud
   * copy (a local store does not need it); records made before it was kept check the SHA-256.
   */
  readonly xxh64?: string;
  /** Hex MD5 of the content, once computed (on the first upload): what an ETag is checked against. */
  readonly md5?: string;
  readonly created: string;
  readonly lastAccess: string;
  readonly accessCount: number;
  readonly hits: number;
  readonly copies: {
    readonly local?: { readonly staged?: string };
    readonly cloud?: VerifiedCopy;
    readonly archive?: ArchiveCopy;
  };
  readonly restoring?: RestoreState;
  /** The last few changes of place, newest last. */
  readonly history: readonly HistoryEvent[];
}

/** An object as callers see it. */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly created: string;
  readonly lastAccess: string;
  readonly accessCount: number;
  readonly hits: number;
  /** The fastest tier holding a verified copy: where a read is served from. */
  readonly tier: TierName;
  /** Every tier holding a verified copy. */
  readonly tiers: readonly TierName[];
  /** Waiting for its first upload (write-back). */
  readonly uploadPending: boolean;
  readonly restoring?: RestoreState;
  readonly storageClass?: StorageClassName;
  readonly history: readonly HistoryEvent[];
}

export interface ListOptions {
  readonly prefix?: string;
  /** With `/`, keys below the next `/` after the prefix are folded into `prefixes`. */
  readonly delimiter?: string;
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  readonly limit?: number;
  /** Only objects with a verified copy in this tier (and the folders holding one). */
  readonly tier?: TierName;
}

export interface ListPage {
  readonly objects: readonly ObjectInfo[];
  readonly prefixes: readonly string[];
  readonly nextCursor?: string;
}

export type MoveKind = 'promote' | 'demote' | 'archive' | 'restore';

export interface PlannedMove {
  readonly key: string;
  readonly move: MoveKind;
  readonly bytes: number;
  readonly from: TierName;
  readonly to: TierName;
  readonly reason: string;
}

export interface CostBreakdown {
  readonly local: number;
  readonly cloud: number;
  readonly archive: number;
  readonly total: number;
}

export interface PlacementPlan {
  readonly moves: readonly PlannedMove[];
  readonly bytesMoved: number;
  readonly monthlyCostBefore: CostBreakdown;
  readonly monthlyCostAfter: CostBreakdown;
  /** The prices both costs are at, shown beside them. */
  readonly prices: { readonly preset: string; readonly asOf: string };
}

export interface MoveResult {
  readonly key: string;
  readonly move: MoveKind;
  readonly ok: boolean;
  readonly error?: string;
}

export interface TierStats {
  readonly objects: number;
  readonly bytes: number;
  readonly monthlyCostUsd: number;
  readonly capacityBytes?: number;
}

export interface StorageStats {
  readonly objects: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly cache_hit_rate: number;
  readonly estimated_monthly_cost_saved_usd: number;
  /** Of the saving: egress the local copies avoided over the last 30 days of reads. */
  readonly egress_avoided_usd: number;
  readonly monthly_cost_usd: number;
  readonly monthly_cost_all_cloud_usd: number;
  readonly tiers: Readonly<Record<TierName, TierStats>>;
  readonly uploadsPending: number;
  readonly restoring: number;
  readonly prices: { readonly preset: string; readonly asOf: string };
}

export interface VerifyProblem {
  readonly key: string;
  readonly tier: TierName;
  readonly problem: string;
}

export interface VerifyReport {
  readonly checked: number;
  readonly problems: readonly VerifyProblem[];
  /** Files in the local tier and objects in the bucket that no index entry accounts for; never deleted. */
  readonly orphans: readonly string[];
}

/** How each tier is set up and whether the cloud answers: the Storage view's tier rows. */
export interface TierStates {
  readonly local: { readonly path: string };
  readonly cloud:
    | { readonly state: 'not-configured' }
    | { readonly state: 'not-contacted' | 'connected'; readonly uri: string; readonly server: CloudServerSettings }
    | { readonly state: 'unreachable'; readonly uri: string; readonly reason: string; readonly server: CloudServerSettings };
  /** The archive needs the cloud tier's connection; its class is configured whether or not there is one. */
  readonly archive: { readonly storageClass: StorageClassName; readonly uri?: string };
}

/**
 * How the cloud tier talks to its server, defaults worked out: the part of the configuration
 * Configure Cloud Tier does not ask (`neurolake storage configure` sets it), shown so that a
 * surprising value can be seen where the tier is.
 */
export interface CloudServerSettings {
  /** Empty for AWS itself. */
  readonly endpoint: string;
  readonly region: string;
  /** The bucket in the path rather than in the host name. */
  readonly pathStyle: boolean;
  /** When the SDK adds its own checksums to requests. */
  readonly sdkChecksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  /** Uploads proven by the server's check of their signed SHA-256, else by comparing MD5s with ETags. */
  readonly checksSignedPayload: boolean;
}

/** A time-limited URL that lets anyone holding it read the object's cloud copy. */
export interface PresignedUrl {
  readonly url: string;
  readonly expiresAt: string;
}

export interface EngineStatus {
  readonly state: 'ready' | 'degraded' | 'failed';
  readonly detail?: string;
}

export interface Disposable {
  dispose(): void;
}
