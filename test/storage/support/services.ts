// The real S3 servers the storage tests run against. runStorageTests.mjs starts s3rver and a
// RADOS Gateway once per run and passes them in NEUROLAKE_TEST_S3; a test file run on its own
// starts what it asks for itself and stops it when the file is done.
import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export type ServerKind = 's3rver' | 'radosgw';

export interface S3Server {
  readonly kind: ServerKind;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const started = new Map<ServerKind, Promise<S3Server>>();

export function s3Server(kind: ServerKind): Promise<S3Server> {
  const fromRunner = process.env['NEUROLAKE_TEST_S3'];
  if (fromRunner) {
    const servers = JSON.parse(fromRunner) as Partial<Record<ServerKind, S3Server>>;
    const server = servers[kind];
    if (server === undefined) throw new Error(`NEUROLAKE_TEST_S3 has no ${kind} server`);
    return Promise.resolve(server);
  }
  let pending = started.get(kind);
  if (pending === undefined) {
    pending = (async () => {
      const harness = await import('../../harness/s3Services.mjs');
      const directory = mkdtempSync(join(tmpdir(), `neurolake-${kind}-`));
      const server = kind === 's3rver' ? await harness.startS3rver(directory) : await harness.startRadosgw(directory);
      after(() => server.stop());
      return server;
    })();
    started.set(kind, pending);
  }
  return pending;
}

/** A new, empty bucket on the server: each test gets its own, so tests never see each other's objects. */
export async function createBucket(server: S3Server, name = `nl-${Math.random().toString(36).slice(2, 10)}`): Promise<string> {
  const client = s3Client(server);
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return name;
}

export function s3Client(server: S3Server): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
