// `npm run bench:catalog`: the catalog engine at 100,000 entries. Cold load in a fresh process,
// search latency by kind of query, register latency (lock + fsync'ed journal append, and any
// compaction that runs in between), and the files' sizes, each beside its target and a baseline
// measured in the same run. Figures only: nothing here passes or fails.
//
// NEUROLAKE_BENCH_ENTRIES and NEUROLAKE_BENCH_REGISTERS shrink the run while working on it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../server/engines/catalog/catalog';
import { DurableJsonFile } from '../../server/engines/catalog/durableJsonFile';
import type { CatalogRecord } from '../../server/engines/catalog/record';
import type { SearchQuery } from '../../server/engines/catalog/searchIndex';
import { CatalogStore, type CatalogOp } from '../../server/engines/catalog/store';
import type { CatalogEntry, EntryKind } from '../../server/engines/catalog/types';
import { normaliseContent } from '../../server/engines/catalog/validation';
import { ACTIONS, Corpus, DOMAINS, NOUNS, prng, TAGS, typo } from './catalogCorpus';

const ENTRIES = Number(process.env['NEUROLAKE_BENCH_ENTRIES'] ?? 100_000);
const REGISTERS = Number(process.env['NEUROLAKE_BENCH_REGISTERS'] ?? 1000);
/** Registers stop early past this, so a slow register cannot push the bench far beyond two minutes. */
const REGISTER_BUDGET_MS = 40_000;
const QUERIES_PER_KIND = 60;
const COLD_LOADS = 3;
const SEED = 20_240_601;
const OWNER = 'bench';

const TARGETS = { coldLoadMs: 1500, searchP95Ms: 20, registerP95Ms: 10 };

// ---------- child process: one cold measurement, printed as JSON ----------

async function child(mode: string, file: string): Promise<void> {
  if (mode === 'parse') {
    const started = performance.now();
    JSON.parse(readFileSync(file, 'utf8'));
    process.stdout.write(JSON.stringify({ ms: performance.now() - started }));
    return;
  }
  // How much of open() is reading and parsing the snapshot; the rest is building maps and the index.
  let readMs = 0;
  const read = DurableJsonFile.prototype.read;
  DurableJsonFile.prototype.read = async function (this: DurableJsonFile<unknown>) {
    const started = performance.now();
    const data = await read.call(this);
    readMs += performance.now() - started;
    return data;
  };
  const started = performance.now();
  const catalog = await Catalog.open({ file, owner: OWNER });
  const ms = performance.now() - started;
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  await catalog.close();
  process.stdout.write(JSON.stringify({ ms, readMs, heapMb }));
}

function inFreshProcess<T>(mode: string, file: string): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'catalog.bench.ts'), '--child', mode, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`child ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

// ---------- building the 100k catalog through the engine ----------

function record(corpus: Corpus, now: Date): CatalogRecord {
  const { input } = corpus.entry();
  const content = normaliseContent(input.kind, input, OWNER);
  const at = new Date(now.getTime() - Math.floor(corpus.pick([1, 7, 30, 365]) * 86_400_000 * Math.random())).toISOString();
  const first = { ...content, id: corpus.id(), version: '1.0.0', createdAt: at, updatedAt: at } as CatalogEntry;
  // One in ten has a second version, as a catalog in use does.
  const versions = corpus.chance(0.1) ? [first, { ...first, version: '1.1.0', description: `${first.description} Now incremental.`, updatedAt: now.toISOString() }] : [first];
  return { id: first.id, versions };
}

async function buildCatalog(file: string, corpus: Corpus): Promise<{ names: string[]; ms: number }> {
  const started = performance.now();
  const now = new Date('2026-06-01T00:00:00Z');
  const ops: CatalogOp[] = [];
  const names: string[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const r = record(corpus, now);
    names.push(r.versions[0]!.name);
    ops.push({ t: 'put', record: r });
    if (corpus.chance(0.15)) ops.push({ t: 'use', id: r.id, action: corpus.pick(['inserted', 'rendered', 'executed'] as const), at: now.toISOString() });
  }
  // One journaled batch, then one compaction on close: the snapshot is written by the store itself.
  const store = await CatalogStore.open(file, { compactAfterBytes: Number.MAX_SAFE_INTEGER, idleCompactMs: 3_600_000 });
  await store.commit(() => ({ op: { t: 'batch', ops }, result: undefined }));
  await store.close();
  return { names, ms: performance.now() - started };
}

// ---------- measurements ----------

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]!, n: sorted.length };
}

function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

function searchQueries(names: readonly string[]): Record<string, SearchQuery[]> {
  const random = prng(SEED + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const words = [...DOMAINS, ...NOUNS, ...ACTIONS].filter((word) => word.length >= 5);
  const repeat = (make: () => SearchQuery): SearchQuery[] => Array.from({ length: QUERIES_PER_KIND }, make);
  return {
    'exact name': repeat(() => ({ text: pick(names) })),
    'name prefix': repeat(() => {
      const name = pick(names);
      return { text: name.slice(0, 4 + Math.floor(random() * (name.length - 4))) };
    }),
    'one-typo word': repeat(() => ({ text: typo(pick(words), random) })),
    'two words': repeat(() => ({ text: `${pick(DOMAINS)} ${pick([...NOUNS, ...ACTIONS])}` })),
    'tag filter only': repeat(() => ({ tags: [pick(TAGS.slice(0, 30))] })),
    'kind filter only': repeat(() => ({ kind: pick(['pipeline', 'businessLogic', 'template'] as EntryKind[]) })),
  };
}

function timeSearches(catalog: Catalog, queries: Record<string, SearchQuery[]>): { byKind: Record<string, Percentiles & { avgTotal: number }>; all: Percentiles } {
  // Warm the JIT as an editor session would be.
  for (const list of Object.values(queries)) for (const query of list.slice(0, 5)) catalog.search(query);
  const byKind: Record<string, Percentiles & { avgTotal: number }> = {};
  const all: number[] = [];
  for (const [kind, list] of Object.entries(queries)) {
    const samples: number[] = [];
    let totals = 0;
    for (const query of list) {
      const started = performance.now();
      const { total } = catalog.search(query);
      samples.push(performance.now() - started);
      totals += total;
    }
    all.push(...samples);
    byKind[kind] = { ...percentiles(samples), avgTotal: totals / list.length };
  }
  return { byKind, all: percentiles(all) };
}

/** Every snapshot write is one compaction; counted and timed from outside the engine. */
const compactions: number[] = [];
const write = DurableJsonFile.prototype.write;
function countCompactions(): void {
  DurableJsonFile.prototype.write = async function (this: DurableJsonFile<unknown>, data: unknown) {
    const started = performance.now();
    await write.call(this, data);
    compactions.push(performance.now() - started);
  };
}

async function timeRegisters(catalog: Catalog, corpus: Corpus, count: number): Promise<Percentiles> {
  const samples: number[] = [];
  const deadline = performance.now() + REGISTER_BUDGET_MS;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const { input } = corpus.entry();
    const started = performance.now();
    await catalog.register(input);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

// ---------- report ----------

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(1)}×` : '-');
const verdict = (value: number, target: number): string => (value <= target ? 'met' : 'MISSED');

function row(cells: readonly string[]): string {
  const widths = [34, 30, 14, 34, 8];
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'nl-bench-catalog-'));
  try {
    const file = join(scratch, 'catalog.json');
    const corpus = new Corpus(SEED);
    console.log(`catalog bench: ${ENTRIES.toLocaleString('en')} entries, ${REGISTERS} registers, node ${process.version}, seed ${SEED}`);

    const built = await buildCatalog(file, corpus);
    const snapshotBytes = size(file);
    console.log(`  built the catalog through the store in ${(built.ms / 1000).toFixed(1)} s (one journaled batch, one compaction)`);

    const loads = Array.from({ length: COLD_LOADS }, () => inFreshProcess<{ ms: number; readMs: number; heapMb: number }>('open', file));
    const parses = Array.from({ length: COLD_LOADS }, () => inFreshProcess<{ ms: number }>('parse', file).ms);
    const coldLoad = median(loads.map((l) => l.ms));
    const coldRead = median(loads.map((l) => l.readMs));
    const coldParse = median(parses);
    console.log(`  cold loads (ms): ${loads.map((l) => ms(l.ms)).join(', ')}; of which reading + JSON.parse: ${loads.map((l) => ms(l.readMs)).join(', ')}; heap after open ${loads[0]!.heapMb.toFixed(0)} MB`);
    console.log(`  JSON.parse of the same file in a fresh process (ms): ${parses.map(ms).join(', ')}`);

    const warmStarted = performance.now();
    const catalog = await Catalog.open({ file, owner: OWNER });
    const warmOpen = performance.now() - warmStarted;

    const search = timeSearches(catalog, searchQueries(built.names));
    console.log('  search by kind of query (ms):');
    for (const [kind, p] of Object.entries(search.byKind)) {
      console.log(`    ${kind.padEnd(18)} p50 ${ms(p.p50).padStart(6)}  p95 ${ms(p.p95).padStart(6)}  max ${ms(p.max).padStart(6)}   (${p.n} queries, ${Math.round(p.avgTotal)} matches on average)`);
    }

    countCompactions();
    const register = await timeRegisters(catalog, corpus, REGISTERS);
    const compactionsDuringRegisters = [...compactions];
    const journalBytes = readdirSync(scratch).filter((name) => name.endsWith('.journal')).reduce((sum, name) => sum + size(join(scratch, name)), 0);
    const closeStarted = performance.now();
    await catalog.close();
    const closeMs = performance.now() - closeStarted;
    const snapshotAfterBytes = size(file);

    const emptyFile = join(scratch, 'empty', 'catalog.json');
    const empty = await Catalog.open({ file: emptyFile, owner: OWNER });
    const baselineRegister = await timeRegisters(empty, new Corpus(SEED + 2), REGISTERS);
    await empty.close();

    console.log('');
    console.log(row(['figure', 'value', 'target', 'baseline (same run)', 'ratio']));
    console.log(row(['-'.repeat(34), '-'.repeat(30), '-'.repeat(14), '-'.repeat(34), '-'.repeat(8)]));
    console.log(row([`cold load, median of ${COLD_LOADS}`, `${ms(coldLoad)} ms (${verdict(coldLoad, TARGETS.coldLoadMs)})`, `< ${TARGETS.coldLoadMs} ms`, `readFile + JSON.parse ${ms(coldParse)} ms`, ratio(coldLoad, coldParse)]));
    console.log(row(['  of which reading the snapshot', `${ms(coldRead)} ms`, '', '', '']));
    console.log(row(['  open, warm (same process)', `${ms(warmOpen)} ms`, '', '', '']));
    console.log(row(['search p50 / p95 / p99', `${ms(search.all.p50)} / ${ms(search.all.p95)} / ${ms(search.all.p99)} ms (${verdict(search.all.p95, TARGETS.searchP95Ms)})`, `p95 < ${TARGETS.searchP95Ms} ms`, `${search.all.n} queries, 6 kinds`, '']));
    console.log(
      row([
        `register p50 / p95 / p99 (${register.n})`,
        `${ms(register.p50)} / ${ms(register.p95)} / ${ms(register.p99)} ms (${verdict(register.p95, TARGETS.registerP95Ms)})`,
        `p95 < ${TARGETS.registerP95Ms} ms`,
        `empty catalog ${ms(baselineRegister.p50)} / ${ms(baselineRegister.p95)} / ${ms(baselineRegister.p99)}`,
        ratio(register.p95, baselineRegister.p95),
      ]),
    );
    console.log(row(['  register max', `${ms(register.max)} ms`, '', `empty catalog ${ms(baselineRegister.max)} ms`, '']));
    console.log(row(['  compactions during registers', `${compactionsDuringRegisters.length}${compactionsDuringRegisters.length > 0 ? ` (${compactionsDuringRegisters.map(ms).join(', ')} ms)` : ''}`, '', '', '']));
    console.log(row(['  close (compacts the journal)', `${ms(closeMs)} ms`, '', '', '']));
    console.log(row(['snapshot file', mb(snapshotBytes), '', `${Math.round(snapshotBytes / ENTRIES)} bytes per entry`, '']));
    console.log(row(['journal after registers', mb(journalBytes), '', `${Math.round(journalBytes / Math.max(1, register.n))} bytes per register`, '']));
    console.log(row(['snapshot after close', mb(snapshotAfterBytes), '', '', '']));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [flag, mode, file] = process.argv.slice(2);
const run = flag === '--child' && mode !== undefined && file !== undefined ? child(mode, file) : main();
run.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
