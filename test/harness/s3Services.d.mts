// Types of s3Services.mjs for the TypeScript tests and the benchmark.
export interface HarnessS3Server {
  readonly kind: 's3rver' | 'radosgw';
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stop(): Promise<void>;
}
export const S3RVER_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string };
export const CEPH_PACKAGES: readonly string[];
export function freePort(): Promise<number>;
export function startS3rver(directory: string, options?: { buckets?: readonly string[]; port?: number }): Promise<HarnessS3Server>;
export function startEmbeddedCloud(options: { directory: string; dataFolder: string; bucket?: string; port?: number }): Promise<HarnessS3Server & { readonly bucket: string; readonly env: Readonly<Record<string, string>> }>;
export function startRadosgw(directory: string, options?: { memoryBytes?: number }): Promise<HarnessS3Server>;
export function ensureCephPackages(): void;
