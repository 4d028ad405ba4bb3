// The dollars replay: the CDN trace as one month of a 1 TB lake in S3 (requests spread evenly
// over 30 days, object sizes scaled so the distinct objects total 1 TB, a local tier of 10%),
// billed for storage by class, requests, retrieval, early deletion and egress. Columns:
// everything in S3 Standard with no local copy; an LRU local tier; LRU plus Intelligent-
// Tiering's own rule; NeuroLake (its local tier and its archive decisions); and the hindsight
// optimum of the archive decisions given NeuroLake's local hits.
import {
  cheapestClassFor,
  createLruPolicy,
  createNeuroLakePolicy,
  decideAfterRead,
  decideArchive,
  type LocalTierPolicy,
  type StorageClassPrices,
} from '../../../server/engines/storage';
import { AWS_ARCHIVE_PRICES, AWS_INTELLIGENT_TIERING, awsEgressUsd } from './awsPrices';
import { readTrace, type Trace } from './traces';

const BYTES_PER_GB = 2 ** 30;
const DAYS = 30;
const LAKE_BYTES = 1e12;
const LOCAL_SHARE = 0.1;
const prices = AWS_ARCHIVE_PRICES;

export interface Bill {
  readonly name: string;
  readonly storage: number;
  readonly requests: number;
  readonly retrieval: number;
  readonly earlyDeletion: number;
  readonly egress: number;
  readonly monitoring: number;
  readonly total: number;
}

export interface DollarsResult {
  readonly bills: readonly Bill[];
  readonly objects: number;
  readonly requests: number;
}

interface MutableBill {
  storage: number;
  requests: number;
  retrieval: number;
  earlyDeletion: number;
  /** GB read out to the local machine this month, priced by the preset's bands at the end. */
  egressGb: number;
  monitoring: number;
}

const emptyBill = (): MutableBill => ({ storage: 0, requests: 0, retrieval: 0, earlyDeletion: 0, egressGb: 0, monitoring: 0 });
function finish(name: string, bill: MutableBill): Bill {
  const egress = awsEgressUsd(bill.egressGb);
  const { egressGb: _egressGb, ...charges } = bill;
  return { name, ...charges, egress, total: bill.storage + bill.requests + bill.retrieval + bill.earlyDeletion + egress + bill.monitoring };
}

interface Lake {
  readonly keys: readonly string[];
  readonly sizes: readonly number[];
  readonly days: Float64Array;
  /** Scaled size of each object, by key. */
  readonly objectBytes: Map<string, number>;
}

function lakeOf(trace: Trace): Lake {
  const firstSize = new Map<string, number>();
  trace.keys.forEach((key, index) => {
    if (!firstSize.has(key)) firstSize.set(key, trace.sizes[index] ?? 0);
  });
  let distinct = 0;
  for (const size of firstSize.values()) distinct += size;
  const scale = LAKE_BYTES / Math.max(1, distinct);
  const objectBytes = new Map<string, number>();
  for (const [key, size] of firstSize) objectBytes.set(key, size * scale);
  const days = new Float64Array(trace.keys.length);
  for (let index = 0; index < days.length; index += 1) days[index] = (DAYS * index) / trace.keys.length;
  // A request is billed at its object's size: a local hit serves the object, a miss fetches it.
  const sizes = trace.keys.map((key) => objectBytes.get(key) as number);
  return { keys: trace.keys, sizes, days, objectBytes };
}

/** Which requests miss the local tier (and so are cloud reads). */
function cloudReads(lake: Lake, policy: LocalTierPolicy): Uint8Array {
  const misses = new Uint8Array(lake.keys.length);
  lake.keys.forEach((key, index) => {
    if (!policy.read(key, lake.sizes[index] as number, lake.days[index] as number).hit) misses[index] = 1;
  });
  return misses;
}

function standardStorage(lake: Lake): number {
  let total = 0;
  for (const size of lake.objectBytes.values()) total += (size / BYTES_PER_GB) * prices.standard.storagePerGbMonth;
  return total;
}

function chargeCloudRead(bill: MutableBill, size: number, storageClass: StorageClassPrices): void {
  bill.requests += storageClass.readPerRequest;
  bill.retrieval += (size / BYTES_PER_GB) * storageClass.retrievalPerGb;
  bill.egressGb += size / BYTES_PER_GB;
}

function allStandard(lake: Lake, misses: Uint8Array | undefined): MutableBill {
  const bill = emptyBill();
  bill.storage = standardStorage(lake);
  lake.keys.forEach((_, index) => {
    if (misses === undefined || misses[index] === 1) chargeCloudRead(bill, lake.sizes[index] as number, prices.standard);
  });
  return bill;
}

function intelligentTiering(lake: Lake, misses: Uint8Array): MutableBill {
  const tiering = AWS_INTELLIGENT_TIERING;
  const bill = emptyBill();
  // Days since the cloud copy was last read (local hits do not touch it); the month starts with
  // every object just written.
  const lastCloudRead = new Map<string, number>();
  const storageFor = (size: number, from: number, to: number): number => {
    const gb = size / BYTES_PER_GB;
    if (size < tiering.monitoredFromBytes) return (gb * tiering.frequentPerGbMonth * (to - from)) / DAYS;
    const tierCost = (startIdle: number, endIdle: number): number => {
      const segment = (lo: number, hi: number, price: number): number => Math.max(0, Math.min(endIdle, hi) - Math.max(startIdle, lo)) * price;
      return (
        gb *
        (segment(0, tiering.infrequentAfterDays, tiering.frequentPerGbMonth) +
          segment(tiering.infrequentAfterDays, tiering.archiveInstantAfterDays, tiering.infrequentPerGbMonth) +
          segment(tiering.archiveInstantAfterDays, Infinity, tiering.archiveInstantPerGbMonth))
      ) / DAYS;
    };
    return tierCost(0, to - from);
  };
  lake.keys.forEach((key, index) => {
    if (misses[index] !== 1) return;
    const size = lake.sizes[index] as number;
    const day = lake.days[index] as number;
    bill.storage += storageFor(size, lastCloudRead.get(key) ?? 0, day);
    lastCloudRead.set(key, day);
    bill.requests += tiering.readPerRequest;
    bill.egressGb += size / BYTES_PER_GB;
  });
  for (const [key, size] of lake.objectBytes) {
    bill.storage += storageFor(size, lastCloudRead.get(key) ?? 0, DAYS);
    if (size >= tiering.monitoredFromBytes) bill.monitoring += tiering.monitoringPerObjectMonth;
  }
  return bill;
}

/** Prices one object's stay in a class from `from` to `to` days, ending with a read or not. */
function chargeStay(bill: MutableBill, storageClass: StorageClassPrices, size: number, from: number, to: number, endsWithRead: boolean): void {
  const days = to - from;
  const gb = size / BYTES_PER_GB;
  bill.storage += (gb * storageClass.storagePerGbMonth * days) / DAYS;
  if (endsWithRead && days < storageClass.minimumDays) bill.earlyDeletion += (gb * storageClass.storagePerGbMonth * (storageClass.minimumDays - days)) / DAYS;
  if (storageClass !== prices.standard) {
    bill.requests += storageClass.transitionPerRequest;
    if (endsWithRead) bill.requests += prices.standard.transitionPerRequest;
  }
}

interface ObjectState {
  storageClass: StorageClassPrices;
  since: number;
  lastReadDay: number;
  reads: number;
  gapTotal: number;
}

/** NeuroLake's archive decisions, made once a day and after each cloud read. */
function neuroLakeArchive(lake: Lake, misses: Uint8Array): MutableBill {
  const bill = emptyBill();
  const states = new Map<string, ObjectState>();
  for (const key of lake.objectBytes.keys()) states.set(key, { storageClass: prices.standard, since: 0, lastReadDay: 0, reads: 0, gapTotal: 0 });
  const history = (key: string, state: ObjectState) => ({
    sizeBytes: lake.objectBytes.get(key) as number,
    lastReadDay: state.lastReadDay,
    reads: state.reads,
    meanGapDays: state.reads > 1 ? state.gapTotal / (state.reads - 1) : undefined,
  });
  let nextSweep = 1;
  lake.keys.forEach((key, index) => {
    const day = lake.days[index] as number;
    while (day >= nextSweep) {
      for (const [other, state] of states) {
        const decision = decideArchive(history(other, state), state.storageClass, prices, nextSweep);
        if (!decision.move) continue;
        chargeStay(bill, state.storageClass, lake.objectBytes.get(other) as number, state.since, nextSweep, false);
        // The move itself is charged with the stay in the new class.
        state.storageClass = decision.target;
        state.since = nextSweep;
      }
      nextSweep += 1;
    }
    const state = states.get(key) as ObjectState;
    if (state.reads > 0) state.gapTotal += day - state.lastReadDay;
    state.reads += 1;
    state.lastReadDay = day;
    if (misses[index] !== 1) return;
    const size = lake.sizes[index] as number;
    chargeCloudRead(bill, size, state.storageClass);
    if (state.storageClass === prices.standard) return;
    const back = decideAfterRead(history(key, state), state.storageClass, prices);
    if (back.move) {
      chargeStay(bill, state.storageClass, size, state.since, day, true);
      state.storageClass = back.target;
      state.since = day;
    }
  });
  for (const [key, state] of states) chargeStay(bill, state.storageClass, lake.objectBytes.get(key) as number, state.since, DAYS, false);
  return bill;
}

/** Each gap between two cloud reads of an object (and the month's ends) in its cheapest class. */
function hindsightArchive(lake: Lake, misses: Uint8Array): MutableBill {
  const bill = emptyBill();
  const lastCloudRead = new Map<string, number>();
  const priceGap = (size: number, from: number, to: number, endsWithRead: boolean): StorageClassPrices => {
    // Priced like chargeStay: the minimum duration counts only when the gap ends in a read.
    const best = cheapestClassFor(prices, size, to - from, endsWithRead);
    chargeStay(bill, best, size, from, to, endsWithRead);
    return best;
  };
  lake.keys.forEach((key, index) => {
    if (misses[index] !== 1) return;
    const size = lake.sizes[index] as number;
    const day = lake.days[index] as number;
    const storageClass = priceGap(size, lastCloudRead.get(key) ?? 0, day, true);
    lastCloudRead.set(key, day);
    chargeCloudRead(bill, size, storageClass);
  });
  for (const [key, size] of lake.objectBytes) priceGap(size, lastCloudRead.get(key) ?? 0, DAYS, false);
  return bill;
}

export async function runDollarsReplay(file: string): Promise<DollarsResult> {
  const lake = lakeOf(await readTrace(file, 'adapt'));
  const capacity = LAKE_BYTES * LOCAL_SHARE;
  const lruMisses = cloudReads(lake, createLruPolicy(capacity));
  const neuroLakeMisses = cloudReads(lake, createNeuroLakePolicy(capacity));
  return {
    objects: lake.objectBytes.size,
    requests: lake.keys.length,
    bills: [
      finish('all S3 Standard, no local copy', allStandard(lake, undefined)),
      finish('LRU local tier', allStandard(lake, lruMisses)),
      finish('LRU + Intelligent-Tiering', intelligentTiering(lake, lruMisses)),
      finish('NeuroLake', neuroLakeArchive(lake, neuroLakeMisses)),
      finish('hindsight optimum (NeuroLake hits)', hindsightArchive(lake, neuroLakeMisses)),
    ],
  };
}

export function printDollars(result: DollarsResult): void {
  console.log(`\nDollars: the CDN trace as a month of a 1 TB S3 lake (${result.objects.toLocaleString('en-US')} objects, ${result.requests.toLocaleString('en-US')} requests over 30 days, local tier 10%, aws preset)`);
  const header = ['column', 'storage', 'requests', 'retrieval', 'early deletion', 'egress', 'monitoring', 'total'];
  const money = (value: number): string => `$${value.toFixed(2)}`;
  const lines = [header, ...result.bills.map((bill) => [bill.name, money(bill.storage), money(bill.requests), money(bill.retrieval), money(bill.earlyDeletion), money(bill.egress), money(bill.monitoring), money(bill.total)])];
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  for (const line of lines) console.log(`| ${line.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`);
  const byName = new Map(result.bills.map((bill) => [bill.name, bill.total]));
  const neuroLake = byName.get('NeuroLake') ?? NaN;
  const tiering = byName.get('LRU + Intelligent-Tiering') ?? NaN;
  const optimum = byName.get('hindsight optimum (NeuroLake hits)') ?? NaN;
  console.log(`Goal: below Intelligent-Tiering's bill: ${money(neuroLake)} vs ${money(tiering)} (${neuroLake < tiering ? 'met' : 'NOT met'})`);
  const over = (neuroLake / optimum - 1) * 100;
  console.log(`Goal: within 10% of the hindsight optimum: ${over.toFixed(1)}% above it (${over <= 10 ? 'met' : 'NOT met'})`);
}
