// `npm run bench:storage`: the storage engine beside the baselines it must keep up with, in one
// run. Local tier put/get of 1 MB and 64 MB objects against raw fs (goal >= 0.7x); cloud tier
// put/get against the raw AWS SDK on the same RADOS Gateway (goal >= 0.9x); an index of 100,000
// objects: open, list a prefix, stat (p50/p95); a 1,000-file folder store. Figures only: nothing
// here passes or fails. The RADOS Gateway is started by the harness (Ceph installed on first use).
//
// NEUROLAKE_BENCH_OBJECTS shrinks the index while working on it; NEUROLAKE_BENCH_S3=s3rver uses
// the embedded server instead of Ceph; `npm run bench:storage -- --local-only` measures the local
// tier alone, with no S3 server started, and `-- --cloud-only` the cloud tier alone.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DEFAULT_CONFIG, StorageEngine, defaultCloud, type StorageConfig } from '../../server/engines/storage';
import { IndexStore, type IndexOp } from '../../server/engines/storage/indexStore';
import type { ObjectRecord } from '../../server/engines/storage/types';
import { startRadosgw, startS3rver } from '../harness/s3Services.mjs';

const MB = 1024 * 1024;
const INDEX_OBJECTS = Number(process.env['NEUROLAKE_BENCH_OBJECTS'] ?? 100_000);
const FOLDER_FILES = 1000;
// The RADOS Gateway keeps objects in memory (memstore); the cloud rows store about 2.5 GB, and a
// full store blocks writes instead of refusing them.
const RADOSGW_MEMORY_BYTES = 5 * 1024 ** 3;

const root = mkdtempSync(join(tmpdir(), 'nl-bench-storage-'));
const rows: string[] = [];

function report(line: string): void {
  rows.push(line);
  console.log(line);
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Every timing (ms) of each of `works`, run `runs` times in turns, a different one going first each run. */
async function inTurns<Name extends string>(runs: number, works: Record<Name, (run: number) => Promise<void>>): Promise<Record<Name, number[]>> {
  const names = Object.keys(works) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let run = 0; run < runs; run += 1) {
    for (let turn = 0; turn < names.length; turn += 1) {
      const name = names[(run + turn) % names.length]!;
      const started = performance.now();
      await works[name](run);
      samples[name].push(performance.now() - started);
    }
  }
  return samples;
}

/**
 * The ratio raw/engine of each turn (the two ran back to back, so a burst of load falls on both),
 * as its median and quartiles: steadier than the best or the median of each side on its own, which
 * can come from different moments of a noisy box.
 */
function paired(theirs: readonly number[], ours: readonly number[]): string {
  const ratios = ours.map((mine, run) => theirs[run]! / mine).sort((a, b) => a - b);
  // The order statistics that bracket the median with 95% confidence, whatever the distribution
  // (the binomial's normal approximation): how far another run's median may fall from this one.
  const spread = 0.98 * Math.sqrt(ratios.length);
  const low = ratios[Math.max(0, Math.floor(ratios.length / 2 - spread))]!;
  const high = ratios[Math.min(ratios.length - 1, Math.ceil(ratios.length / 2 + spread))]!;
  return `paired per turn ${percentile(ratios, 50).toFixed(2)}x (95% interval of that median ${low.toFixed(2)}–${high.toFixed(2)}x; quartiles ${percentile(ratios, 25).toFixed(2)}–${percentile(ratios, 75).toFixed(2)}x)`;
}

/** Best of `runs` timings of `work`, in ms: the least disturbed by the other work on a shared box. */
async function best(runs: number, work: (run: number) => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work(run);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

/** The medians of two sides' timings, and the ratio of theirs to ours. */
function medians(ours: readonly number[], theirs: readonly number[]): string {
  const [ourMedian, theirMedian] = [percentile(ours, 50), percentile(theirs, 50)];
  return `medians: engine ${ourMedian.toFixed(1)} ms, raw ${theirMedian.toFixed(1)} ms (${ratio(ourMedian, theirMedian)})`;
}

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });
const rate = (bytes: number, ms: number): string => `${((bytes / MB) / (ms / 1000)).toFixed(0)} MB/s`;
const ratio = (ours: number, theirs: number): string => `${(theirs / ours).toFixed(2)}x`;

/** Copies `source` into a new file the way a careful program does: 64 KB at a time, then fsync. */
async function rawPut(source: string, target: string, syncFolderToo: boolean): Promise<void> {
  const handle = await open(target, 'w');
  for await (const chunk of createReadStream(source)) await handle.write(chunk as Buffer);
  await handle.sync();
  await handle.close();
  if (!syncFolderToo) return;
  // A new file survives a power cut only once its name does: fsync of the folder holding it.
  let folder: FileHandle | undefined;
  try {
    folder = await open(dirname(target), 'r');
    await folder.sync();
  } finally {
    await folder?.close();
  }
}

async function localTier(): Promise<void> {
  const dataFolder = join(root, 'local');
  const engine = await StorageEngine.open({ dataFolder, config: { ...DEFAULT_CONFIG, local: { capacityGb: 4, watermark: 1 } }, env: {} });
  const rawFolder = join(root, 'raw');
  await mkdir(rawFolder, { recursive: true });
  for (const size of [MB, 64 * MB]) {
    const content = randomBytes(size);
    const source = join(root, `source-${size}`);
    await writeFile(source, content);
    const runs = size === MB ? 120 : 10;
    // The three puts take turns, each going first in a third of the runs, so a burst of load on
    // the box falls on all of them alike.
    const samples = await inTurns(runs, {
      raw: (run) => rawPut(source, join(rawFolder, `o${run}`), false),
      rawDurable: (run) => rawPut(source, join(rawFolder, `d${run}`), true),
      engine: async (run) => void (await engine.store(`bench/${size}/${run}`, { path: source })),
    });
    const rawPutMs = Math.min(...samples.raw);
    const rawDurablePutMs = Math.min(...samples.rawDurable);
    const ourPut = Math.min(...samples.engine);
    const medianLine = `${medians(samples.engine, samples.raw)}, with the folder fsync ${percentile(samples.rawDurable, 50).toFixed(1)} ms (${ratio(percentile(samples.engine, 50), percentile(samples.rawDurable, 50))}); ${paired(samples.raw, samples.engine)}`;
    const rawGet = await best(runs, async (run) => pipeline(createReadStream(join(rawFolder, `o${run}`)), sink()));
    const ourGet = await best(runs, async (run) => {
      await engine.retrieve(`bench/${size}/${run}`, sink());
    });
    const label = size === MB ? '1 MB' : '64 MB';
    report(
      `local put ${label.padEnd(6)} engine ${ourPut.toFixed(1)} ms (${rate(size, ourPut)}) raw fs ${rawPutMs.toFixed(1)} ms: ${ratio(ourPut, rawPutMs)} of raw (goal >= 0.7x); ` +
        `raw fs with the folder fsync ${rawDurablePutMs.toFixed(1)} ms: ${ratio(ourPut, rawDurablePutMs)}; ${medianLine}`,
    );
    report(`local get ${label.padEnd(6)} engine ${ourGet.toFixed(1)} ms (${rate(size, ourGet)}) raw fs ${rawGet.toFixed(1)} ms: ${ratio(ourGet, rawGet)} of raw (goal >= 0.7x)`);
  }
  await engine.close();
}

async function cloudTier(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, kind: string): Promise<void> {
  const clientConfig = { region: 'us-east-1', endpoint, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;
  const client = new S3Client(clientConfig);
  // The engine reads through a client that resolves its middleware once (readerClients.ts): the
  // same SDK set up the same way is the second baseline for reads, shown beside the first.
  const cachedClient = new S3Client({ ...clientConfig, cacheMiddleware: true });
  const bucket = `bench-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  // No local tier: every store goes to the cloud and every read comes from it. The RADOS Gateway
  // refuses a body that does not match its signed SHA-256, and is configured as such; s3rver does not.
  const config: StorageConfig = { ...DEFAULT_CONFIG, local: { capacityGb: 0, watermark: 1 }, cloud: { ...defaultCloud(bucket, endpoint), checksSignedPayload: kind === 'radosgw' } };
  const engine = await StorageEngine.open({ dataFolder: join(root, `cloud-${kind}`), config, credentials, env: {} });
  for (const size of [MB, 64 * MB]) {
    const source = join(root, `source-${size}`);
    if (!existsSync(source)) await writeFile(source, randomBytes(size));
    const runs = size === MB ? 200 : 16;
    // Reads store nothing, so they take more turns, over the same objects again: a 1 MB GET is a few
    // ms, and on a shared box each turn's figure swings by a quarter either way.
    const reads = size === MB ? 1000 : 48;
    // Raw and engine take turns, each going first in half the runs, so a burst of load on the box
    // falls on both alike; the ratio is of the best run of each, the medians follow.
    const puts = await inTurns(runs, {
      raw: async (run) => void (await new Upload({ client, partSize: 8 * MB, queueSize: 4, params: { Bucket: bucket, Key: `raw/${size}/${run}`, Body: createReadStream(source), ContentLength: size } }).done()),
      engine: async (run) => void (await engine.store(`bench/${size}/${run}`, { path: source })),
    });
    const rawGet = (through: S3Client) => async (run: number) => {
      const output = await through.send(new GetObjectCommand({ Bucket: bucket, Key: `raw/${size}/${run % runs}` }));
      await pipeline(output.Body as NodeJS.ReadableStream, sink());
    };
    const engineGet = async (run: number) => void (await engine.retrieve(`bench/${size}/${run % runs}`, sink()));
    const gets = await inTurns(reads, { raw: rawGet(client), engine: engineGet });
    const cachedGets = await inTurns(reads, { raw: rawGet(cachedClient), engine: engineGet });
    // The raw GET in turns with itself: how far each figure moves by chance on this box.
    const selfGets = await inTurns(reads, { first: rawGet(client), second: rawGet(client) });
    const label = size === MB ? '1 MB' : '64 MB';
    for (const [what, samples] of [['put', puts], ['get', gets]] as const) {
      const [ours, theirs] = [Math.min(...samples.engine), Math.min(...samples.raw)];
      report(
        `cloud ${what} ${label.padEnd(6)} engine ${ours.toFixed(1)} ms (${rate(size, ours)}) raw SDK ${theirs.toFixed(1)} ms: ${ratio(ours, theirs)} of raw on ${kind} (goal >= 0.9x); ` +
          `${medians(samples.engine, samples.raw)}; ${paired(samples.raw, samples.engine)}`,
      );
    }
    const [ours, theirs] = [Math.min(...cachedGets.engine), Math.min(...cachedGets.raw)];
    report(
      `  beside it: raw SDK with cacheMiddleware ${theirs.toFixed(1)} ms, engine ${ours.toFixed(1)} ms: ${ratio(ours, theirs)}; ` +
        `${medians(cachedGets.engine, cachedGets.raw)}; ${paired(cachedGets.raw, cachedGets.engine)}`,
    );
    report(
      `  by chance: the raw GET in turns with itself: best runs ${ratio(Math.min(...selfGets.second), Math.min(...selfGets.first))}; ` +
        `medians ${ratio(percentile(selfGets.second, 50), percentile(selfGets.first, 50))}; ${paired(selfGets.first, selfGets.second)}`,
    );
  }
  await engine.close();
  client.destroy();
  cachedClient.destroy();
}

async function bigIndex(): Promise<void> {
  const dataFolder = join(root, 'index');
  // The index is written directly (one batch), as 100,000 stores would take most of an hour of fsyncs.
  const store = await IndexStore.open(join(dataFolder, 'storage', 'index.json'));
  const at = new Date().toISOString();
  const ops: IndexOp[] = [];
  for (let index = 0; index < INDEX_OBJECTS; index += 1) {
    const record: ObjectRecord = {
      key: `datasets/p${String(index % 100).padStart(2, '0')}/file-${String(index).padStart(6, '0')}.parquet`,
      version: randomUUID(),
      size: 1000 + index,
      sha256: randomBytes(32).toString('hex'),
      created: at,
      lastAccess: at,
      accessCount: 0,
      hits: 0,
      copies: { cloud: { etag: randomBytes(16).toString('hex'), verifiedAt: at } },
      history: [{ at, event: 'stored', tier: 'cloud' }],
    };
    ops.push({ t: 'put', r: record });
  }
  await store.transact(() => ({ ops, result: undefined }));
  await store.close();
  const snapshotBytes = (await readFile(join(dataFolder, 'storage', 'index.json'))).length;
  const opens: number[] = [];
  let engine: StorageEngine | undefined;
  for (let run = 0; run < 3; run += 1) {
    await engine?.close();
    const started = performance.now();
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    opens.push(performance.now() - started);
  }
  const lists: number[] = [];
  const stats: number[] = [];
  for (let run = 0; run < 200; run += 1) {
    const prefix = `datasets/p${String(run % 100).padStart(2, '0')}/`;
    let started = performance.now();
    const page = engine!.list({ prefix, limit: 200 });
    lists.push(performance.now() - started);
    if (page.objects.length === 0) throw new Error('empty listing');
    started = performance.now();
    engine!.stat(page.objects[run % page.objects.length]!.key);
    stats.push(performance.now() - started);
  }
  await engine!.close();
  report(`index ${INDEX_OBJECTS} objects (${(snapshotBytes / MB).toFixed(1)} MB snapshot): open best ${Math.min(...opens).toFixed(0)} ms; list a prefix (page of 200) p50 ${percentile(lists, 50).toFixed(2)} ms p95 ${percentile(lists, 95).toFixed(2)} ms; stat p50 ${percentile(stats, 50).toFixed(3)} ms p95 ${percentile(stats, 95).toFixed(3)} ms`);
}

async function folderStore(): Promise<void> {
  const folder = join(root, 'folder');
  await mkdir(folder, { recursive: true });
  for (let index = 0; index < FOLDER_FILES; index += 1) await writeFile(join(folder, `f${index}.csv`), randomBytes(4096));
  const engine = await StorageEngine.open({ dataFolder: join(root, 'folder-store'), config: DEFAULT_CONFIG, env: {} });
  const started = performance.now();
  for (let index = 0; index < FOLDER_FILES; index += 1) await engine.store(`folder/f${index}.csv`, { path: join(folder, `f${index}.csv`) });
  const ms = performance.now() - started;
  await engine.close();
  report(`folder store ${FOLDER_FILES} files of 4 KB (each fsync'ed and journaled): ${(ms / 1000).toFixed(2)} s, ${(FOLDER_FILES / (ms / 1000)).toFixed(0)} files/s`);
}

/** What each baseline does, printed first: a ratio means little without it. */
const BASELINES = [
  'raw fs put: write a new file in 64 KB chunks and fsync it (the goal is against this one). The engine on top: the key\'s confinement, the source\'s',
  '  size and the index catch-up (looked at while the writing starts); the SHA-256 of the bytes, on the same thread between the writes and during the',
  '  flush (a file over 8 MB is also flushed every 8 MB as it is written); an fsync of the incoming file\'s folder beside the file\'s; under the',
  '  cross-process lock (for a file of up to 4 MB taken while its flush still runs), the file renamed to its final name and that folder fsynced, then',
  '  the index entry appended to the journal (O_DSYNC): all of it on disk before the store returns. (A store over a local copy renames after the append.)',
  'raw fs put with the folder fsync: the same plus an fsync of the folder, since POSIX makes a new file\'s name durable only then: the least a durable',
  '  create of a new file costs. Shown beside the first, not instead of it. The three puts take turns (120 runs of 1 MB, 10 of 64 MB); the ratios are of the',
  '  best run of each; then the medians, and the median of each turn\'s own ratio with its quartiles.',
  'raw fs get: read the file. The engine on top: the index look-up and the access count.',
  'raw SDK put: lib-storage Upload (8 MB parts, 4 at once; the SDK signs each part with its SHA-256), nothing compared. The engine on top: the',
  '  SHA-256 and xxHash64 of the whole content for the index, computed from the bytes sent; each request signed with a SHA-256 the engine computed from the',
  '  same bytes (one part up to 8 MB: one PutObject, hashed once; several: each part\'s own), which radosgw checks (cloud.checksSignedPayload;',
  '  on s3rver, which does not check, the MD5s and ETag are compared instead). Then the journaled index entry under the index lock, with a HEAD',
  '  of the copy under the lock (its version, size and ETag), or, up to 1 MB, the PUT itself sent and answered under the lock (the HEAD redundant).',
  'raw SDK get: GetObject read to the end, through a client as the SDK makes it by default (the goal is against this one). The engine reads through a',
  '  client that resolves its middleware stack once (the SDK\'s cacheMiddleware, one client per bucket; see readerClients.ts), and on top: the',
  '  xxHash64 of what arrived (hashed on the same thread as it arrives) checked against the index, the index look-up and access count. Raw and',
  '  engine take turns (puts: 200 runs of 1 MB, 16 of 64 MB; then gets: 1,000 and 48 runs over those objects); the ratios are of the best run of',
  '  each; then the medians, and the median of each turn\'s own ratio with the 95% interval of that median and its quartiles.',
  'raw SDK get with cacheMiddleware: the same GetObject through a client set up as the engine\'s reader is, in turns with the engine again',
  '  ("beside it", under each get row): what the engine adds to the SDK itself. Shown beside the first, not instead of it.',
  'raw SDK get against itself ("by chance", under each get row): the default client\'s GET in turns with itself, the same runs: how far each figure',
  '  moves with nothing changed. Its best-run ratio, of two extremes, moves the most.',
];

async function main(): Promise<void> {
  const kind = process.env['NEUROLAKE_BENCH_S3'] === 's3rver' ? 's3rver' : 'radosgw';
  const localOnly = process.argv.includes('--local-only');
  const cloudOnly = process.argv.includes('--cloud-only');
  console.log(`storage bench: baselines measured in the same run (best of several runs each):\n${BASELINES.map((line) => `  ${line}`).join('\n')}`);
  console.log(`load average at start ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  try {
    if (localOnly) await localTier();
    else {
      console.log(`storage bench: starting ${kind}…`);
      const server = kind === 's3rver' ? await startS3rver(join(root, 's3rver')) : await startRadosgw(join(root, 'radosgw'), { memoryBytes: RADOSGW_MEMORY_BYTES });
      try {
        if (!cloudOnly) await localTier();
        await cloudTier(server.endpoint, server.credentials, kind);
        if (!cloudOnly) {
          await bigIndex();
          await folderStore();
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`\nSummary (figures, not assertions; load average at the end ${loadavg().map((load) => load.toFixed(1)).join(' ')}):`);
  for (const row of rows) console.log(`  ${row}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
