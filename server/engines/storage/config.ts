// The storage configuration: which tiers exist and how they are reached. It lives in the data
// folder (storage/config.json) so every window and the CLI share it, and never holds a secret:
// credentials come from the AWS default chain (environment, profile) or are passed in by the
// extension from its SecretStorage. The standard AWS variables and NEUROLAKE_S3_BUCKET override
// the file for one run.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isStoragePreset, type StorageClassName, type StoragePresetName } from '../prices';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileDurably } from '../common';
import { fileError } from './durable';
import { StorageError } from './errors';

export type ArchiveClass = Extract<StorageClassName, 'GLACIER' | 'DEEP_ARCHIVE' | 'GLACIER_IR'>;
export const ARCHIVE_CLASSES: readonly ArchiveClass[] = ['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];

export interface CloudConfig {
  /** Empty for AWS itself; `http://127.0.0.1:9000` for MinIO, Ceph or s3rver. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Prepended to every object name in the bucket; ends in `/` unless empty. */
  readonly prefix: string;
  /** `bucket` in the path instead of the host name: what most S3-compatible servers need. */
  readonly forcePathStyle: boolean;
  /**
   * When the SDK adds its own checksums. WHEN_REQUIRED for custom endpoints: current SDKs send
   * stream bodies aws-chunked with a trailing CRC32, which several servers refuse (411) or store
   * framing and all as the object.
   */
  readonly requestChecksumCalculation: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  /**
   * Whether the server refuses a request whose body does not match the SHA-256 signed with it
   * (x-amz-content-sha256), as AWS S3, Ceph RGW and MinIO do and s3rver does not. Then that
   * check proves an upload, and no MD5 is computed to compare with its ETag. Unset: true for AWS
   * itself, false for a custom endpoint (see `checksSignedPayload`).
   */
  readonly checksSignedPayload?: boolean;
}

/** Whether uploads to this cloud tier are proven by the server's check of their signed SHA-256 (else by their MD5 ETag). */
export function checksSignedPayload(config: CloudConfig): boolean {
  return config.checksSignedPayload ?? (config.endpoint === undefined || config.endpoint === '');
}

export interface ArchiveConfig {
  /** Bucket for archived objects; the cloud tier's when unset. */
  readonly bucket?: string;
  readonly storageClass: ArchiveClass;
  /** Objects in the cloud tier not read for this many days are planned for the archive. */
  readonly afterDays: number;
}

export interface StorageConfig {
  readonly local: {
    /** The local tier's folder; `<data folder>/storage/local` when unset. */
    readonly path?: string;
    readonly capacityGb: number;
    /** Fraction of the capacity the placement policy fills before it evicts. */
    readonly watermark: number;
  };
  readonly cloud?: CloudConfig;
  readonly archive: ArchiveConfig;
  /** Upload to the cloud before a store returns, instead of from the durable queue afterwards. */
  readonly writeThrough: boolean;
  readonly prices: { readonly preset: StoragePresetName; readonly localGbMonth?: number };
}

export const DEFAULT_CONFIG: StorageConfig = {
  local: { capacityGb: 10, watermark: 0.9 },
  archive: { storageClass: 'GLACIER', afterDays: 90 },
  writeThrough: false,
  prices: { preset: 'aws' },
};

export function storageFolder(dataFolder: string): string {
  return join(dataFolder, 'storage');
}

export function configFile(dataFolder: string): string {
  return join(storageFolder(dataFolder), 'config.json');
}

/** Reads storage/config.json; the defaults when it does not exist. */
export async function readStorageConfig(dataFolder: string): Promise<StorageConfig> {
  const file = configFile(dataFolder);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new StorageError('storage', `Could not read the storage configuration ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StorageError('invalid-config', `The storage configuration ${file} is not valid JSON (${(error as Error).message}); fix or delete it.`);
  }
  return normaliseConfig(raw, file);
}

export async function writeStorageConfig(dataFolder: string, config: StorageConfig): Promise<void> {
  const checked = normaliseConfig(config, 'the new storage configuration');
  const file = configFile(dataFolder);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileDurably(file, `${JSON.stringify(checked, null, 2)}\n`, 'the storage configuration');
  } catch (error) {
    throw fileError(error, `saving ${file}`);
  }
}

/** The environment's say for this run: endpoint, region and bucket; the SDK reads the keys itself. */
export function applyEnvironment(config: StorageConfig, env: Readonly<Record<string, string | undefined>>): StorageConfig {
  const endpoint = env['AWS_ENDPOINT_URL_S3']?.trim() || env['AWS_ENDPOINT_URL']?.trim();
  const region = env['AWS_REGION']?.trim() || env['AWS_DEFAULT_REGION']?.trim();
  const bucket = env['NEUROLAKE_S3_BUCKET']?.trim();
  if (!endpoint && !region && !bucket) return config;
  if (config.cloud === undefined && !bucket) return config;
  const cloud = cloudAfterChange(config.cloud, { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(bucket ? { bucket } : {}) });
  return { ...config, cloud };
}

/**
 * What one writer of the cloud tier (`neurolake storage configure`, Configure Cloud Tier, the
 * environment for one run) says of it. A field left unset is one the user was not asked about.
 */
export interface CloudChange {
  /** `''` for AWS itself. */
  readonly endpoint?: string;
  readonly bucket?: string;
  readonly region?: string;
  readonly prefix?: string;
  readonly forcePathStyle?: boolean;
  readonly requestChecksumCalculation?: CloudConfig['requestChecksumCalculation'];
  readonly checksSignedPayload?: boolean;
}

/**
 * The cloud tier `saved` becomes with `change`, the one rule of which saved fields survive. What
 * the change sets wins; bucket, region and prefix otherwise keep their saved values, whatever the
 * server. Path style, SDK checksums and whether the server checks signed payloads are said of one
 * server: they keep their saved values while the endpoint stays the saved one (given again or not
 * given), and start from the defaults of a different endpoint. Not checked here: the caller passes
 * the configuration it builds through normaliseConfig.
 */
export function cloudAfterChange(saved: CloudConfig | undefined, change: CloudChange): CloudConfig {
  const savedEndpoint = saved?.endpoint?.trim() ?? '';
  const endpoint = change.endpoint === undefined ? savedEndpoint : change.endpoint.trim();
  const bucket = change.bucket ?? saved?.bucket;
  if (bucket === undefined) throw new StorageError('invalid-config', 'The cloud tier needs a bucket: none was given and none is saved.');
  const defaults = defaultCloud(bucket, endpoint);
  const sameServer = saved !== undefined && sameEndpoint(endpoint, savedEndpoint);
  const server: CloudConfig = sameServer ? saved : defaults;
  const checks = change.checksSignedPayload ?? server.checksSignedPayload;
  return {
    ...(endpoint !== '' ? { endpoint } : {}),
    region: change.region ?? saved?.region ?? defaults.region,
    bucket,
    prefix: change.prefix ?? saved?.prefix ?? defaults.prefix,
    forcePathStyle: change.forcePathStyle ?? server.forcePathStyle,
    requestChecksumCalculation: change.requestChecksumCalculation ?? server.requestChecksumCalculation,
    ...(checks !== undefined ? { checksSignedPayload: checks } : {}),
  };
}

/**
 * Whether two endpoints name one server: as URLs, the scheme, host (any case) and port (a default
 * one written or not) and the path without its trailing slash, so `http://H:80/` is `http://h`.
 * A different host name for the same address (localhost, 127.0.0.1) is a different endpoint.
 */
export function sameEndpoint(one: string, other: string): boolean {
  const canonical = (endpoint: string): string => {
    try {
      const url = new URL(endpoint.trim());
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return endpoint.trim();
    }
  };
  return canonical(one) === canonical(other);
}

export function defaultCloud(bucket: string, endpoint?: string): CloudConfig {
  const custom = endpoint !== undefined && endpoint !== '';
  return {
    ...(custom ? { endpoint } : {}),
    region: 'us-east-1',
    bucket,
    prefix: 'neurolake/',
    forcePathStyle: custom,
    requestChecksumCalculation: custom ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
  };
}

/** Checks every field, filling defaults; throws `invalid-config` naming the field. */
export function normaliseConfig(raw: unknown, where: string): StorageConfig {
  const bad = (field: string, why: string): never => {
    throw new StorageError('invalid-config', `In ${where}, ${field} ${why}.`);
  };
  const object = (value: unknown, field: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(field, 'must be an object');
    return value as Record<string, unknown>;
  };
  const number = (value: unknown, field: string, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return bad(field, `must be a number from ${min} to ${max}`);
    return value;
  };
  const text = (value: unknown, field: string): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return bad(field, 'must be a string');
    return value;
  };
  const top = object(raw, 'the file');
  const local = object(top['local'], 'local');
  const localPath = text(local['path'], 'local.path');
  // Relative to what? The CLI and the server run in different folders and would use different tiers.
  if (localPath !== undefined && !isAbsolute(localPath)) bad('local.path', `must be an absolute path, not "${localPath}"`);
  const archive = object(top['archive'], 'archive');
  const storageClass = archive['storageClass'] ?? DEFAULT_CONFIG.archive.storageClass;
  if (!ARCHIVE_CLASSES.includes(storageClass as ArchiveClass)) bad('archive.storageClass', `must be one of ${ARCHIVE_CLASSES.join(', ')}`);
  const archiveBucket = text(archive['bucket'], 'archive.bucket');
  const prices = object(top['prices'], 'prices');
  const preset = prices['preset'] ?? 'aws';
  if (typeof preset !== 'string' || !isStoragePreset(preset)) bad('prices.preset', 'must be "aws" or "seed"');
  const localGbMonth = prices['localGbMonth'] === undefined ? undefined : number(prices['localGbMonth'], 'prices.localGbMonth', 0, 0, 100);
  if (top['writeThrough'] !== undefined && typeof top['writeThrough'] !== 'boolean') bad('writeThrough', 'must be true or false');
  return {
    local: {
      ...(localPath ? { path: localPath } : {}),
      capacityGb: number(local['capacityGb'], 'local.capacityGb', DEFAULT_CONFIG.local.capacityGb, 0, 1e6),
      watermark: number(local['watermark'], 'local.watermark', DEFAULT_CONFIG.local.watermark, 0.05, 1),
    },
    ...(top['cloud'] === undefined || top['cloud'] === null ? {} : { cloud: normaliseCloud(object(top['cloud'], 'cloud'), bad, text) }),
    archive: {
      ...(archiveBucket ? { bucket: archiveBucket } : {}),
      storageClass: storageClass as ArchiveClass,
      afterDays: number(archive['afterDays'], 'archive.afterDays', DEFAULT_CONFIG.archive.afterDays, 0, 36500),
    },
    writeThrough: top['writeThrough'] === true,
    prices: { preset: preset as StoragePresetName, ...(localGbMonth === undefined ? {} : { localGbMonth }) },
  };
}

function normaliseCloud(
  cloud: Record<string, unknown>,
  bad: (field: string, why: string) => never,
  text: (value: unknown, field: string) => string | undefined,
): CloudConfig {
  const bucket = text(cloud['bucket'], 'cloud.bucket');
  if (bucket === undefined) return bad('cloud.bucket', 'is required when a cloud tier is configured');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) bad('cloud.bucket', `"${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  const endpoint = text(cloud['endpoint'], 'cloud.endpoint');
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return bad('cloud.endpoint', `"${endpoint}" is not a URL such as http://127.0.0.1:9000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') bad('cloud.endpoint', 'must start with http:// or https://');
    if (url.username !== '' || url.password !== '') bad('cloud.endpoint', 'must not contain credentials; they come from the AWS credential chain');
  }
  const defaults = defaultCloud(bucket, endpoint);
  let prefix = text(cloud['prefix'], 'cloud.prefix') ?? (cloud['prefix'] === '' ? '' : defaults.prefix);
  if (prefix !== '' && !prefix.endsWith('/')) prefix = `${prefix}/`;
  if (prefix.startsWith('/')) bad('cloud.prefix', 'must not start with /');
  const segments = prefix.split('/').slice(0, -1);
  // Object names are prefix + key: a ".." here would name objects outside the prefix on servers that map names to files.
  if (segments.some((segment) => segment === '..' || segment === '.')) bad('cloud.prefix', `"${prefix}" must not contain a "." or ".." segment`);
  if (segments.some((segment) => segment === '')) bad('cloud.prefix', `"${prefix}" must not contain an empty segment (//)`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(prefix)) bad('cloud.prefix', 'must not contain control characters or backslashes');
  const pathStyle = cloud['forcePathStyle'];
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') bad('cloud.forcePathStyle', 'must be true or false');
  const checksums = cloud['requestChecksumCalculation'];
  if (checksums !== undefined && checksums !== 'WHEN_SUPPORTED' && checksums !== 'WHEN_REQUIRED') bad('cloud.requestChecksumCalculation', 'must be WHEN_SUPPORTED or WHEN_REQUIRED');
  const signedPayload = cloud['checksSignedPayload'];
  if (signedPayload !== undefined && typeof signedPayload !== 'boolean') bad('cloud.checksSignedPayload', 'must be true or false');
  return {
    ...(endpoint ? { endpoint } : {}),
    region: text(cloud['region'], 'cloud.region') ?? defaults.region,
    bucket,
    prefix,
    forcePathStyle: (pathStyle as boolean | undefined) ?? defaults.forcePathStyle,
    requestChecksumCalculation: (checksums as CloudConfig['requestChecksumCalculation'] | undefined) ?? defaults.requestChecksumCalculation,
    ...(signedPayload !== undefined ? { checksSignedPayload: signedPayload as boolean } : {}),
  };
}
