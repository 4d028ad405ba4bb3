// A deterministic stand-in for a year (or any span) of what the storage and compute engines
// record: data growing in three tiers, requests and egress heavier on weekdays, runs of four
// workload types with some bursting to the cloud, an object listing with cold and hot objects and
// a skewed access history for replays. Used by the report tests and the cost benchmark.
import { createDefaultLocalTierPolicy } from '../../../server/engines/storage';
import { addDays, AWS_PRICES, dashboardData, daysInMonth, DAY_MS, dayStart, GB, type AccessRecord, type DashboardData, type ComputeRunRecord, type CostRecords, type ObjectRecord, type StorageUsageRecord, type WorkloadType } from '../../../server/engines/cost';

export interface SimulationOptions {
  readonly firstDay?: string;
  readonly days?: number;
  readonly objects?: number;
  readonly runs?: number;
  readonly accesses?: number;
  readonly seed?: number;
}

export interface Simulation {
  readonly records: Required<CostRecords>;
  readonly firstDay: string;
  readonly lastDay: string;
  /** Midnight after the last day. */
  readonly now: number;
}

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEEKDAY_LOAD = [0.35, 1.1, 1.2, 1.2, 1.15, 1.0, 0.3]; // Sunday first, as getUTCDay counts

export function simulate(options: SimulationOptions = {}): Simulation {
  const firstDay = options.firstDay ?? '2025-06-01';
  const days = options.days ?? 365;
  const random = prng(options.seed ?? 7);
  const noise = (spread: number): number => 1 + (random() * 2 - 1) * spread;
  const lastDay = addDays(firstDay, days - 1);
  const now = dayStart(lastDay) + DAY_MS;

  const storage: StorageUsageRecord[] = [];
  for (let t = 0; t < days; t++) {
    const day = addDays(firstDay, t);
    const load = WEEKDAY_LOAD[new Date(dayStart(day)).getUTCDay()] as number;
    const growth = 1 + t / 365;
    const month = daysInMonth(day);
    storage.push({ day, tier: 'local', gbMonths: (300 * growth) / month, writeRequests: 0, readRequests: 0, retrievalGb: 0, egressGb: 0 });
    storage.push({
      day,
      tier: 'cloud',
      gbMonths: (900 * growth) / month,
      writeRequests: Math.round(20_000 * load * noise(0.2)),
      readRequests: Math.round(120_000 * load * noise(0.2)),
      retrievalGb: 0,
      egressGb: 25 * load * growth * noise(0.25),
    });
    storage.push({
      day,
      tier: 'archive',
      gbMonths: (2500 * growth) / month,
      writeRequests: Math.round(500 * load * noise(0.3)),
      readRequests: Math.round(200 * load * noise(0.3)),
      retrievalGb: random() < 0.08 ? 40 * random() : 0,
      egressGb: 0,
      ...(random() < 0.03 ? { earlyRemovalGbDays: 600 * random() } : {}),
    });
  }

  const runs: ComputeRunRecord[] = [];
  const runCount = options.runs ?? 3000;
  const types: readonly [WorkloadType, number, number][] = [
    // type, share of runs, mean hours
    ['query', 0.5, 0.2],
    ['etl', 0.3, 1.0],
    ['ml', 0.15, 3.0],
    ['migration', 0.05, 2.0],
  ];
  const weights = Array.from({ length: days }, (_, t) => (WEEKDAY_LOAD[new Date(dayStart(addDays(firstDay, t))).getUTCDay()] as number) * (1 + t / 365));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < runCount; i++) {
    let pick = random() * totalWeight;
    let t = 0;
    while (t < days - 1 && pick > (weights[t] as number)) pick -= weights[t++] as number;
    let r = random();
    const [type, , meanHours] = types.find(([, share]) => (r -= share) < 0) ?? (types[0] as [WorkloadType, number, number]);
    const cloudShare = type === 'ml' ? 0.6 : 0.15;
    const cloud = random() < cloudShare;
    const hours = meanHours * -Math.log(1 - random() * 0.999);
    const size = type === 'ml' ? 'large' : type === 'etl' ? 'medium' : 'small';
    runs.push({
      id: `run-${i}`,
      day: addDays(firstDay, t),
      tier: cloud ? 'cloud' : 'local',
      type,
      hours,
      ...(cloud ? { size, burstReason: type === 'ml' ? 'too-large' : random() < 0.7 ? 'local-busy' : 'requested' } : {}),
    });
  }
  runs.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const objects: ObjectRecord[] = [];
  const objectCount = options.objects ?? 5000;
  const start = dayStart(firstDay);
  for (let i = 0; i < objectCount; i++) {
    const sizeBytes = Math.round(2 ** (20 + random() * 11)); // 1 MB to 2 GB, log-uniform
    const storedAt = start + random() * (now - start);
    const lastAccessAt = storedAt + random() ** 2 * (now - storedAt);
    const r = random();
    objects.push({ key: `datasets/part-${String(i).padStart(6, '0')}.parquet`, tier: r < 0.2 ? 'local' : r < 0.75 ? 'cloud' : 'archive', sizeBytes, storedAt, lastAccessAt, ...(random() < 0.01 ? { pinned: true } : {}) });
  }

  // Reads skewed towards a hot set (a Zipf-like rank from a power of a uniform), spread over the last 30 days.
  const accesses: AccessRecord[] = [];
  const accessCount = options.accesses ?? 20_000;
  const windowStart = now - 30 * DAY_MS;
  for (let i = 0; i < accessCount; i++) {
    const object = objects[Math.floor(random() ** 3 * objects.length)] as ObjectRecord;
    accesses.push({ at: windowStart + (i / accessCount) * 30 * DAY_MS, key: object.key, sizeBytes: object.sizeBytes, kind: 'read' });
  }
  return { records: { storage, runs, objects, accesses }, firstDay, lastDay, now };
}

/** The local capacity a simulation's local tier runs with: a tenth of the objects' bytes. */
export function simulatedCapacity(sim: Simulation): number {
  return Math.round(sim.records.objects.reduce((total, o) => total + o.sizeBytes, 0) / 10 / GB) * GB;
}

/** The dashboard data of a 120-day history at the aws prices, with an ROI: what the report tests read. */
export function simulatedReportData(): DashboardData {
  const sim = simulate({ days: 120, objects: 1500, runs: 600, accesses: 6000 });
  return dashboardData({
    book: AWS_PRICES,
    records: sim.records,
    now: sim.now,
    localTier: { capacityBytes: simulatedCapacity(sim), policyFor: createDefaultLocalTierPolicy },
    computeLimits: { localCpuLimitPct: 80 },
    hardwareUsd: 2500,
  });
}
