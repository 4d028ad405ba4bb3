// Four months of real storage records in a data folder, for the UI tests of the cost dashboard and
// its screenshot: files stored on the local tier four months ago, read now and then since, the
// idle ones moved to the cloud tier today, and a few workloads run on this machine. Everything
// goes through the real storage and compute engines; only the clock is set back while the past is
// written (the engines stamp what they do with the time of day).
//   node --import tsx test/e2e/support/costHistory.ts <data folder>
// The cloud tier is the data folder's storage configuration; its credentials come from the environment.
import { mock } from 'node:test';
import { Writable } from 'node:stream';
import { ComputeEngine } from '../../../server/engines/compute';
import { StorageEngine } from '../../../server/engines/storage';

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;
const [given] = process.argv.slice(2);
if (given === undefined) throw new Error('usage: costHistory.ts <data folder>');
const dataFolder: string = given;
const now = Date.now();

const FILES: readonly { key: string; bytes: number; readEveryDays?: number }[] = [
  { key: 'datasets/sales-2025.csv', bytes: 6 * MB, readEveryDays: 3 },
  { key: 'datasets/customers.csv', bytes: 2 * MB, readEveryDays: 7 },
  // Big enough that archiving them saves more than the cent a month a recommendation must be worth.
  { key: 'logs/2025-q3.csv', bytes: 320 * MB },
  { key: 'logs/2025-q4.csv', bytes: 300 * MB },
];

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

async function withStorageAt(at: number | undefined, work: (storage: StorageEngine) => Promise<void>): Promise<void> {
  if (at !== undefined) mock.timers.enable({ apis: ['Date'], now: at });
  try {
    const storage = await StorageEngine.open({ dataFolder });
    try {
      await work(storage);
    } finally {
      await storage.close();
    }
  } finally {
    if (at !== undefined) mock.timers.reset();
  }
}

/** The project is CommonJS, so no top-level await. */
async function main(): Promise<void> {
  const start = now - 120 * DAY_MS;
  await withStorageAt(start, async (storage) => {
    for (const file of FILES) await storage.store(file.key, Buffer.alloc(file.bytes, file.key.length));
  });
  // The datasets are read on a schedule; the logs never again.
  for (let day = 1; day < 120; day++) {
    const readers = FILES.filter((file) => file.readEveryDays !== undefined && day % file.readEveryDays === 0);
    if (readers.length === 0) continue;
    await withStorageAt(start + day * DAY_MS, async (storage) => {
      for (const file of readers) await storage.retrieve(file.key, discard());
    });
  }
  await withStorageAt(undefined, async (storage) => {
    await storage.flushUploads();
    for (const file of FILES.filter((f) => f.readEveryDays === undefined)) await storage.demote(file.key);
  });

  const compute = await ComputeEngine.open({ dataFolder });
  try {
    for (const [name, type] of [['Load sales', 'etl'], ['Count customers', 'query']] as const) {
      const run = await compute.submit({ name, type, run: { kind: 'shell', command: 'exit 0' }, cpus: 1, memoryGb: 0.1, tier: 'local' });
      await compute.waitFor(run.id);
    }
  } finally {
    await compute.close();
  }
  console.log(`[cost history] ${FILES.length} files since ${new Date(start).toISOString().slice(0, 10)} and 2 runs in ${dataFolder}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
