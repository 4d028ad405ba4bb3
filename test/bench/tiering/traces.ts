// Reads the public cache traces the tiering bench replays, streaming and decompressing them
// (gzip with node's zlib, xz through Debian's `xz -dc`) without copying them anywhere.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type TraceFormat = 'lirs' | 'cache2k' | 'adapt';

/** One replayable trace: keys as strings (what the local tier sees) and sizes in bytes. */
export interface Trace {
  readonly keys: readonly string[];
  /** Size of each request in bytes; 1 for every request of an unsized trace. */
  readonly sizes: readonly number[];
  readonly sized: boolean;
}

export function formatOfFile(file: string): TraceFormat | undefined {
  const base = file.split('/').pop() ?? file;
  if (base.startsWith('lirs-')) return 'lirs';
  if (base.startsWith('cache2k-')) return 'cache2k';
  if (base.startsWith('adapt_size-')) return 'adapt';
  return undefined;
}

function decompressed(file: string): Readable {
  if (file.endsWith('.gz')) return createReadStream(file).pipe(createGunzip());
  if (file.endsWith('.xz')) {
    const child = spawn('xz', ['-dc', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', (error) => {
      throw new Error(`Cannot run xz to read ${file} (install xz-utils): ${error.message}`);
    });
    return child.stdout;
  }
  return createReadStream(file);
}

export async function readTrace(file: string, format: TraceFormat): Promise<Trace> {
  const keys: string[] = [];
  const sizes: number[] = [];
  const input = decompressed(file);
  if (format === 'cache2k') {
    // Raw 32-bit big-endian keys; a chunk can end mid-key, so the remainder is carried over.
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 4);
      for (let offset = 0; offset < whole; offset += 4) {
        keys.push(String(bytes.readInt32BE(offset)));
        sizes.push(1);
      }
      carry = bytes.subarray(whole);
    }
    return { keys, sizes, sized: false };
  }
  let lineNumber = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    const line = raw.trim();
    // LIRS traces mark their end with '*' lines.
    if (line === '' || line === '*') continue;
    if (format === 'lirs') {
      if (!/^-?\d+$/.test(line)) throw new Error(`${file}:${lineNumber}: expected an integer key, got "${line}".`);
      keys.push(line);
      sizes.push(1);
    } else {
      const fields = line.split(/\s+/);
      const size = Number(fields[2]);
      if (fields.length < 3 || !Number.isInteger(size) || size < 0) {
        throw new Error(`${file}:${lineNumber}: expected "timestamp key size_bytes", got "${line}".`);
      }
      keys.push(fields[1] as string);
      sizes.push(size);
    }
  }
  return { keys, sizes, sized: format === 'adapt' };
}

/** Bytes of the distinct objects of a trace, each at the size of its first request. */
export function distinctBytes(trace: Trace): number {
  const seen = new Set<string>();
  let total = 0;
  trace.keys.forEach((key, index) => {
    if (seen.has(key)) return;
    seen.add(key);
    total += trace.sizes[index] ?? 0;
  });
  return total;
}
