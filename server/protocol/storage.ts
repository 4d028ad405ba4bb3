// Custom messages of the storage tiers, and the shapes they carry: the Storage view and its
// commands use these. Method strings are written here and nowhere else. The shapes mirror the
// engine's plain data (server/engines/storage/types.ts), which the handlers pass through as they are.
import { notification, request } from './descriptors';
import type { WorkDoneParams } from './progress';

/** A sealed value on the wire (see secrets.ts): base64 of IV, authentication tag and ciphertext. */
export interface SealedSecret {
  readonly sealed: string;
}

export type StorageTier = 'local' | 'cloud' | 'archive';
export type StorageMove = 'promote' | 'demote' | 'archive' | 'restore';

export interface StorageObject {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly created: string;
  readonly lastAccess: string;
  readonly accessCount: number;
  readonly hits: number;
  /** The fastest tier holding a verified copy: where a read is served from. */
  readonly tier: StorageTier;
  readonly tiers: readonly StorageTier[];
  /** Waiting for its first upload (write-back). */
  readonly uploadPending: boolean;
  /** Archived and being restored: readable around `expectedAt` (the view's "restoring" badge). */
  readonly restoring?: { readonly requestedAt: string; readonly expectedAt: string; readonly thenMoveToCloud: boolean };
  readonly storageClass?: string;
  readonly history: readonly { readonly at: string; readonly event: string; readonly tier?: StorageTier }[];
}

export interface StorageListParams {
  readonly prefix?: string;
  /** `/` folds keys into folders (the view); unset lists every key under the prefix. */
  readonly delimiter?: string;
  /** The previous page's `nextCursor`: pages of a few hundred, so 100,000 objects open at once. */
  readonly cursor?: string;
  readonly limit?: number;
  /** Only objects with a copy in this tier, and the folders holding one: each tier row of the view pages its own. */
  readonly tier?: StorageTier;
}

export interface StorageListResult {
  readonly objects: readonly StorageObject[];
  readonly prefixes: readonly string[];
  readonly nextCursor?: string;
}

export interface StorageTierStats {
  readonly objects: number;
  readonly bytes: number;
  readonly monthlyCostUsd: number;
  readonly capacityBytes?: number;
}

/** Figures of "Show Storage Statistics" and `neurolake storage stats`, in snake_case where scripts read them. */
export interface StorageStats {
  readonly objects: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly cache_hit_rate: number;
  readonly estimated_monthly_cost_saved_usd: number;
  readonly egress_avoided_usd: number;
  readonly monthly_cost_usd: number;
  readonly monthly_cost_all_cloud_usd: number;
  readonly tiers: Readonly<Record<StorageTier, StorageTierStats>>;
  readonly uploadsPending: number;
  readonly restoring: number;
  readonly prices: { readonly preset: string; readonly asOf: string };
}

export interface StoragePlannedMove {
  readonly key: string;
  readonly move: StorageMove;
  readonly bytes: number;
  readonly from: StorageTier;
  readonly to: StorageTier;
  readonly reason: string;
}

export interface StorageCost {
  readonly local: number;
  readonly cloud: number;
  readonly archive: number;
  readonly total: number;
}

export interface StoragePlan {
  readonly moves: readonly StoragePlannedMove[];
  readonly bytesMoved: number;
  readonly monthlyCostBefore: StorageCost;
  readonly monthlyCostAfter: StorageCost;
  /** The prices both costs are at. */
  readonly prices: { readonly preset: string; readonly asOf: string };
}

export interface StorageMoveResult {
  readonly key: string;
  readonly move: StorageMove;
  readonly ok: boolean;
  readonly error?: string;
}

export interface StorageVerifyReport {
  readonly checked: number;
  readonly problems: readonly { readonly key: string; readonly tier: StorageTier; readonly problem: string }[];
  readonly orphans: readonly string[];
}

/** How the tiers are set up and whether the cloud answers (the view's tier rows; figures come from the statistics). */
export interface StorageTierStates {
  readonly local: { readonly path: string };
  readonly cloud:
    | { readonly state: 'not-configured' }
    | { readonly state: 'not-contacted' | 'connected'; readonly uri: string; readonly server: StorageCloudServer }
    | { readonly state: 'unreachable'; readonly uri: string; readonly reason: string; readonly server: StorageCloudServer };
  readonly archive: { readonly storageClass: string; readonly uri?: string };
}

/** How the cloud tier talks to its server, defaults worked out: what Configure Cloud Tier does not ask. */
export interface StorageCloudServer {
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

export interface StoragePresignParams {
  readonly key: string;
  /** 1 second to 7 days (604,800 s). */
  readonly expiresInSeconds: number;
}

/** Error data of every storage request: the engine's code ("invalid-key", "no-space", "restoring", …). */
export interface StorageErrorData {
  readonly code: string;
}

/** Sent by the Storage view for each folder it expands and each "Show more…". */
export const StorageListRequest = request<StorageListParams, StorageListResult, StorageErrorData>('neurolake/storage/list');

/** Sent by an object's tooltip and Delete's confirmation (which copies exist). */
export const StorageStatRequest = request<{ key: string }, StorageObject, StorageErrorData>('neurolake/storage/stat');

/** Sent by Store Files…, Store Folder… and drag and drop, once per file. Reports bytes; cancellable until committed. */
export const StorageStoreRequest = request<{ key: string; path: string } & WorkDoneParams, StorageObject, StorageErrorData>('neurolake/storage/store');

/** Sent by Download… and Open: writes the object to `path` (complete and checked, or not at all). */
export const StorageRetrieveRequest = request<{ key: string; path: string } & WorkDoneParams, StorageObject, StorageErrorData>('neurolake/storage/retrieve');

/** Sent by Delete after the user confirmed. */
export const StorageDeleteRequest = request<{ key: string }, { key: string; copies: readonly StorageTier[] }, StorageErrorData>('neurolake/storage/delete');

/** Sent by Promote to Local, Demote to Cloud, Archive and Restore. Restore answers with the object, "restoring" when the archive must thaw it first. */
export const StorageMoveRequest = request<{ key: string; move: StorageMove } & WorkDoneParams, StorageObject, StorageErrorData>('neurolake/storage/move');

/** Sent by Optimize Placement: the plan, shown with its savings before Apply. */
export const StoragePlanRequest = request<Record<string, never>, StoragePlan, StorageErrorData>('neurolake/storage/plan');

/** Sent by the plan view's Apply. Reports items; cancellable between moves. */
export const StorageApplyRequest = request<{ plan: StoragePlan } & WorkDoneParams, readonly StorageMoveResult[], StorageErrorData>('neurolake/storage/apply');

/** Sent by Show Storage Statistics and the view's tier nodes (used / capacity). */
export const StorageStatsRequest = request<Record<string, never>, StorageStats, StorageErrorData>('neurolake/storage/stats');

/** Sent by Verify Storage: recomputed checksums, copies checked, orphans listed (never deleted). */
export const StorageVerifyRequest = request<{ prefix?: string; deep?: boolean } & WorkDoneParams, StorageVerifyReport, StorageErrorData>('neurolake/storage/verify');

/** Sent by Copy S3 URI. */
export const StorageS3UriRequest = request<{ key: string }, { uri: string }, StorageErrorData>('neurolake/storage/s3Uri');

/**
 * Sent by the Storage view for its tier rows. The cloud is contacted when it has not been yet, or
 * when `check` is set (the view's Refresh), so "connected" means it answered.
 */
export const StorageTiersRequest = request<{ check?: boolean }, StorageTierStates, StorageErrorData>('neurolake/storage/tiers');

/** Sent by Copy Presigned URL: a URL that reads the cloud copy without credentials until `expiresAt`. */
export const StoragePresignRequest = request<StoragePresignParams, { url: string; expiresAt: string }, StorageErrorData>('neurolake/storage/presign');

/** Sent by the server whenever objects changed, in this window or another process; `keys` empty means "anything may have". */
export const DidChangeStorageNotification = notification<{ keys: readonly string[] }>('neurolake/storage/didChange');

/** The cloud tier Configure Cloud Tier proposes: the part of storage/config.json it sets. */
export interface StorageCloudTarget {
  /** Empty for AWS itself; `http://127.0.0.1:9000` for MinIO, Ceph or s3rver. No credentials in it. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Prepended to every object name in the bucket; ends in `/` unless empty. */
  readonly prefix: string;
  readonly archiveClass: 'GLACIER' | 'DEEP_ARCHIVE' | 'GLACIER_IR';
  /**
   * Whether the server refuses a body that does not match the SHA-256 signed with it (AWS S3, Ceph
   * RGW, MinIO do; s3rver does not): uploads are then proven by that check and NeuroLake computes
   * no MD5 to compare with their ETags. Unset: the saved value when the endpoint is the saved one,
   * else the endpoint's default (true for AWS itself, false for a custom endpoint), never a value
   * said of another server. In the cloudConfig answer, the value in force, default included.
   */
  readonly checksSignedPayload?: boolean;
}

export type StorageCloudTestStep = 'reach bucket' | 'write probe' | 'read probe' | 'delete probe';
/** `unchecked-payload`: the target says the server checks signed payloads, and it stored a probe signed with a wrong SHA-256. */
export type StorageCloudTestFailure = 'unreachable' | 'no-such-bucket' | 'access-denied' | 'no-credentials' | 'wrong-region' | 'probe-mismatch' | 'unchecked-payload' | 'invalid-config' | 'error';

export interface StorageCloudTestParams extends WorkDoneParams {
  readonly target: StorageCloudTarget;
  /**
   * `{ accessKeyId, secretAccessKey }` as JSON, sealed with the session key (./secrets.ts): never
   * in plain text on the wire. Unset: the server's AWS default chain.
   */
  readonly credentials?: SealedSecret;
}

export interface StorageCloudTestResult {
  readonly ok: boolean;
  /** What went wrong, when not ok. */
  readonly failure?: StorageCloudTestFailure;
  /** The step that failed, when not ok. */
  readonly step?: StorageCloudTestStep;
  /** In words a user can act on: the endpoint, the bucket and the reason. */
  readonly message: string;
  readonly steps: readonly StorageCloudTestStep[];
  /**
   * What the server did with the probe sent once signed with a wrong SHA-256: true when it refused
   * it (it checks signed payloads), false when it stored it (deleted again); unset when the test did
   * not get that far or the server refused it for another reason.
   */
  readonly checksSignedPayload?: boolean;
}

/**
 * Sent by Configure Cloud Tier before it saves anything: checks the bucket with the proposed
 * settings and credentials (HeadBucket, then a probe object written, read back and deleted under
 * the prefix, once signed wrongly to see whether the server checks signed payloads). Answers with
 * the outcome; a failing bucket is an answer, not an error. Cancellable.
 */
export const StorageTestCloudRequest = request<StorageCloudTestParams, StorageCloudTestResult, StorageErrorData>('neurolake/storage/testCloud');

export interface StorageConfigureResult {
  /** The storage/config.json written. */
  readonly file: string;
  /** The storage engine's status line once it took the new configuration. */
  readonly status: string;
}

/**
 * Sent by Configure Cloud Tier after a passing connection test: the server writes the cloud tier
 * and archive class into the data folder's storage/config.json (never a secret: credentials stay
 * in the extension's SecretStorage and reach the server in its environment) and applies it.
 */
export const StorageConfigureRequest = request<{ target: StorageCloudTarget }, StorageConfigureResult, StorageErrorData>('neurolake/storage/configure');

/** Sent by Configure Cloud Tier to fill its steps with what storage/config.json says now (no environment overrides). */
export const StorageCloudConfigRequest = request<Record<string, never>, { target?: StorageCloudTarget; file: string }, StorageErrorData>('neurolake/storage/cloudConfig');
