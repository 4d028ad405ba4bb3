// What the storage tests share: a fresh data folder, an engine configured for a server and bucket,
// a sink that collects what a read writes, and the SHA-256 of bytes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_CONFIG, StorageEngine, defaultCloud, type StorageConfig, type StorageOpenOptions } from '../../../server/engines/storage';
import type { S3Server } from './services';

export function tempFolder(prefix = 'nl-storage-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cloudConfig(endpoint: string, bucket: string, overrides: Partial<StorageConfig> = {}): StorageConfig {
  return { ...DEFAULT_CONFIG, cloud: defaultCloud(bucket, endpoint), ...overrides };
}

export function openEngine(
  server: S3Server,
  options: { dataFolder: string; config: StorageConfig } & Partial<StorageOpenOptions>,
): Promise<StorageEngine> {
  return StorageEngine.open({ credentials: server.credentials, env: {}, ...options });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function randomContent(size: number): Buffer {
  return randomBytes(size);
}

/** A Writable that keeps what it is given; `bytes()` once the read is done. */
export function collector(): { stream: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}

export async function readAll(engine: StorageEngine, key: string): Promise<Buffer> {
  const sink = collector();
  await engine.retrieve(key, sink.stream);
  return sink.bytes();
}

/** Resolves on the first change notification for which `predicate` holds (checked on every change). */
export function waitForChange(engine: StorageEngine, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the awaited storage change did not happen within ${timeoutMs / 1000} s (status: ${engine.status().detail})`));
    }, timeoutMs);
    const subscription = engine.onDidChange(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

export const MB = 1024 * 1024;
