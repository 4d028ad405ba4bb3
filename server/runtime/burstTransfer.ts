// A burst job's files through the storage engine's cloud tier: inputs are copied from storage to
// staging objects the job downloads by presigned GET, outputs and the log come back by presigned
// PUT and are then stored under their keys (through the storage engine, so its index, tiers and
// durability rules hold). Staging objects live under `<prefix>compute/` in the cloud bucket.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BurstTransfer } from '../engines/compute';
import { applyEnvironment, CloudTier, readStorageConfig, type StorageEngine } from '../engines/storage';

/** The transfer over the data folder's cloud tier, or undefined when it has none. */
export async function cloudBurstTransfer(
  dataFolder: string,
  storage: () => StorageEngine | undefined,
  options: { env?: NodeJS.ProcessEnv; credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } } = {},
): Promise<BurstTransfer | undefined> {
  const config = applyEnvironment(await readStorageConfig(dataFolder), options.env ?? process.env);
  if (config.cloud === undefined) return undefined;
  // The same bucket and access key as the storage engine's cloud tier.
  const cloud = new CloudTier(config.cloud, config.archive, options.credentials === undefined ? {} : { credentials: options.credentials });
  const bucket = config.cloud.bucket;
  const name = (staged: string): string => `${config.cloud!.prefix}${staged}`;
  const engine = (): StorageEngine => {
    const opened = storage();
    if (opened === undefined) throw new Error('the storage engine is not running, so the workload\'s storage keys cannot be read or written');
    return opened;
  };
  const scratch = (): Promise<string> => mkdtemp(join(dataFolder, 'compute', 'transfer-'));

  return {
    async shareObject(key, staged, seconds) {
      // Through a file: the storage engine reads from whichever tier holds the current copy.
      const folder = await scratch();
      try {
        const file = join(folder, 'object');
        await engine().retrieve(key, createWriteStream(file));
        const { size } = await stat(file);
        await cloud.client.send(new PutObjectCommand({ Bucket: bucket, Key: name(staged), Body: createReadStream(file), ContentLength: size }));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      return getSignedUrl(cloud.client, new GetObjectCommand({ Bucket: bucket, Key: name(staged) }), { expiresIn: seconds });
    },
    async shareFile(path, staged, seconds) {
      const { size } = await stat(path);
      await cloud.client.send(new PutObjectCommand({ Bucket: bucket, Key: name(staged), Body: createReadStream(path), ContentLength: size }));
      return getSignedUrl(cloud.client, new GetObjectCommand({ Bucket: bucket, Key: name(staged) }), { expiresIn: seconds });
    },
    uploadUrl: (staged, seconds) => getSignedUrl(cloud.client, new PutObjectCommand({ Bucket: bucket, Key: name(staged) }), { expiresIn: seconds }),
    async collectObject(staged, key) {
      const folder = await scratch();
      try {
        const file = join(folder, 'object');
        if (!(await download(cloud, bucket, name(staged), file))) return false;
        const { size } = await stat(file);
        await engine().store(key, { path: file }, { size });
        return true;
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
    collectFile: (staged, path) => download(cloud, bucket, name(staged), path),
    async discard(prefix) {
      let token: string | undefined;
      do {
        const page = await cloud.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: name(prefix), ...(token === undefined ? {} : { ContinuationToken: token }) }));
        for (const object of page.Contents ?? []) if (object.Key !== undefined) await cloud.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
  };
}

/** Downloads an object to a file; false when there is no such object. */
async function download(cloud: CloudTier, bucket: string, key: string, file: string): Promise<boolean> {
  let body: Readable;
  try {
    body = (await cloud.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return false;
    throw error;
  }
  await pipeline(body, createWriteStream(file));
  return true;
}
