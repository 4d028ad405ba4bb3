// `npm run bench:compute`: the compute scheduler, measured. (1) Decisions per second with 10,000
// workloads queued. (2) A replay of the public batch traces in ../shared/traces/swf-* through the
// real scheduler and queue on a simulated clock: a local machine of 32 and of 64 cores and an
// unlimited cluster priced by the `aws` preset, four columns each: local-only (FCFS with EASY
// backfill), cloud-only, naive burst (burst whenever a job would wait) and NeuroLake (plan the
// machine with conservative backfill and wait for it while the job starts within its maximum wait
// of one hour; burst a job that would be late, or cheaper queued ones to make room for it; send a
// long job that saves little per CPU-hour to the cluster while the machine turns away work that
// saves more). A fifth column is NeuroLake with an on-time target of 99% (the setting
// neurolake.compute.onTimeTargetPct; its default, 100, is the NeuroLake column): a job that would
// start here late and would cost the most to burst may wait for the machine instead, while 99% of
// the jobs so far started in time.
// Beside them, the floor (computeFloor.ts): the least any schedule could cost with hindsight while
// starting 99% (and 100%) of the jobs within the maximum wait, so a reader sees when a goal cannot
// be met at all; and what one real schedule made with hindsight costs (computeHindsight.ts), so the
// reader sees how much of the distance between the floor and NeuroLake any schedule could close.
// Figures only: nothing here passes or fails.
//
// The trace's own run times serve as the estimates (the traces record no requested times), so
// the estimates here are exact; real estimates are worse, which the engine meets by re-checking.
// NEUROLAKE_BENCH_TRACE_JOBS limits each trace to its first N jobs while working on this.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedClock } from '../../server/engines/compute/clock';
import { Scheduler, type SchedulerJob, type SchedulingPolicy } from '../../server/engines/compute/scheduler';
import { computePrices } from '../../server/engines/prices';
import { costFloor, type Floor } from './computeFloor';
import { hindsightCost } from './computeHindsight';
import { replay, type Outcome } from './computeReplay';
import { readSwf, type TraceJob } from './computeTrace';

const PRICES = computePrices('aws');
const MAX_WAIT_S = 3600;
const QUEUED = 10_000;
const TRACE_LIMIT = Number(process.env['NEUROLAKE_BENCH_TRACE_JOBS'] ?? Number.POSITIVE_INFINITY);
const GOAL = { costRatio: 0.3, withinMaxWait: 0.99 };
/** The columns: a label, the policy, and the on-time target when not the default (every max wait a deadline). */
const COLUMNS: readonly { readonly label: string; readonly policy: SchedulingPolicy; readonly onTimeTarget?: number }[] = [
  { label: 'local-only', policy: 'local-only' },
  { label: 'cloud-only', policy: 'cloud-only' },
  { label: 'naive-burst', policy: 'naive-burst' },
  { label: 'neurolake (every max wait a deadline)', policy: 'neurolake' },
  { label: `neurolake, on-time target ${GOAL.withinMaxWait * 100}%`, policy: 'neurolake', onTimeTarget: GOAL.withinMaxWait },
];

// ---------- decisions per second ----------

function decisionsPerSecond(): { perSecond: number; decisions: number; buildMs: number } {
  const clock = new SimulatedClock(0);
  const scheduler = new Scheduler({
    clock,
    prices: PRICES,
    capacity: () => ({ cpus: 32, memoryGb: 128 }),
    machineLimit: () => ({ cpus: 32, memoryGb: 128 }),
    cluster: () => ({ enabled: true, available: true, startDelayMs: 60_000 }),
    start: () => undefined,
  });
  let random = 7;
  const next = (): number => ((random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const job = (i: number): SchedulerJob => ({
    id: `w${i}`,
    cpus: 1 + Math.floor(next() * 8),
    memoryGb: 1 + Math.floor(next() * 8),
    estimatedMs: (1 + Math.floor(next() * 120)) * 60_000,
    priority: 1 + Math.floor(next() * 10),
    // Long maximum waits, so they stay queued locally rather than bursting.
    maxWaitMs: 1000 * 3600_000,
    submittedAt: 0,
  });
  // Fill the machine, then queue 10,000 behind it.
  for (let i = 0; i < 4; i++) scheduler.submit({ ...job(i), cpus: 8, estimatedMs: 3600_000 });
  const built = performance.now();
  for (let i = 4; i < QUEUED + 4; i++) scheduler.submit(job(i));
  const buildMs = performance.now() - built;
  const started = performance.now();
  let decisions = 0;
  while (performance.now() - started < 3000) {
    scheduler.decide(job(100_000 + decisions));
    decisions++;
  }
  return { perSecond: decisions / ((performance.now() - started) / 1000), decisions, buildMs };
}

// ---------- trace replay ----------

function percentile(sorted: readonly number[], p: number, total: number): number {
  // Jobs that never started count as waiting for ever.
  const rank = Math.ceil((p / 100) * total) - 1;
  return rank < sorted.length ? sorted[Math.max(0, rank)]! : Number.POSITIVE_INFINITY;
}

function minutes(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  return seconds < 60 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(1)} min`;
}

function main(): void {
  console.log('Compute scheduler benchmark (figures only)\n');
  const decisions = decisionsPerSecond();
  console.log(`Decisions with ${QUEUED.toLocaleString('en')} workloads queued: ${Math.round(decisions.perSecond).toLocaleString('en')}/s (${decisions.decisions} decisions; queueing the 10,000 took ${decisions.buildMs.toFixed(0)} ms)\n`);

  const folder = join(process.cwd(), '..', 'shared', 'traces');
  const traces = existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith('swf-')).sort() : [];
  if (traces.length === 0) {
    console.log(`No traces in ${folder}: the replay needs ../shared/traces/swf-* beside the repository.`);
    return;
  }
  console.log(`Replay: max wait 1 h, prices: aws (${PRICES.clusterSmall.label}; ${PRICES.local.label}), cluster unlimited and starting at once.`);
  console.log(`Goal: NeuroLake <= ${GOAL.costRatio}x cloud-only with >= ${GOAL.withinMaxWait * 100}% started within the max wait, and less cluster cost than naive burst.\n`);
  for (const name of traces) {
    const trace = readSwf(join(folder, name));
    const jobs = trace.jobs.slice(0, TRACE_LIMIT);
    for (const cores of [32, 64]) {
      const short = name.replace(/^swf-/, '').split(/[-_.]/)[0]!;
      table(`${name}, ${jobs.length.toLocaleString('en')} jobs as traced, local machine ${cores} cores`, `${short} as traced, ${cores} cores`, jobs, cores);
      // The same jobs shrunk to the machine (processors x cores / the traced machine's size), so the
      // load is the trace's own: what the policy saves when the machine could carry most of it.
      const scale = cores / trace.machineSize;
      const scaled = jobs.map((job) => ({ ...job, processors: Math.max(1, Math.round(job.processors * scale)) }));
      table(`${name}, scaled to the machine (${trace.machineSize} -> ${cores} processors), local machine ${cores} cores`, `${short} scaled, ${cores} cores`, scaled, cores);
    }
  }
  summary();
}

interface Row {
  readonly title: string;
  readonly floor: Floor;
  readonly floorStrict: Floor;
  /** What a schedule made with hindsight costs, 99% and all in time. */
  readonly hindsight: number;
  readonly hindsightStrict: number;
  readonly neurolake: Outcome;
  readonly neurolakeTarget: Outcome;
  readonly naive: Outcome;
}

const rows: Row[] = [];

function withinShare(outcome: Outcome): number {
  return outcome.waits.filter((wait) => wait <= MAX_WAIT_S).length / outcome.jobs;
}

function table(title: string, label: string, jobs: readonly TraceJob[], cores: number): void {
  const started = performance.now();
  const results = new Map(
    COLUMNS.map((column) => [column.label, replay(jobs, cores, column.policy, { prices: PRICES, maxWaitSeconds: MAX_WAIT_S, ...(column.onTimeTarget === undefined ? {} : { onTimeTarget: column.onTimeTarget }) })]),
  );
  const seconds = (performance.now() - started) / 1000;
  const floorOptions = { cores, maxWaitSeconds: MAX_WAIT_S, prices: PRICES };
  const floor = costFloor(jobs, { ...floorOptions, withinMaxWait: GOAL.withinMaxWait });
  const floorStrict = costFloor(jobs, { ...floorOptions, withinMaxWait: 1 });
  const hindsight = hindsightCost(jobs, { ...floorOptions, withinMaxWait: GOAL.withinMaxWait });
  const hindsightStrict = hindsightCost(jobs, { ...floorOptions, withinMaxWait: 1 });
  const cloud = results.get('cloud-only')!;
  const neurolake = results.get(COLUMNS[3]!.label)!;
  const neurolakeTarget = results.get(COLUMNS[4]!.label)!;
  const cloudCost = cloud.localCost + cloud.clusterCost;
  console.log(`${title} (replayed in ${seconds.toFixed(1)} s)`);
  console.log(
    `Work that cannot run here within the max wait whatever the schedule: ${((floorStrict.mustBurstCpuSeconds / floorStrict.totalCpuSeconds) * 100).toFixed(1)}% of the CPU-hours (jobs larger than the machine, and what no schedule could start here in time).`,
  );
  console.log('| column | cost vs cloud-only | cost | cluster cost | burst jobs | burst CPU-h | wait p50 | wait p95 | wait p99 | longest wait | started within 1 h |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [policy, outcome] of results) {
    const sorted = [...outcome.waits].sort((a, b) => a - b);
    const total = outcome.localCost + outcome.clusterCost;
    const p = (q: number): string => minutes(percentile(sorted, q, outcome.jobs));
    console.log(
      `| ${policy} | ${(total / cloudCost).toFixed(3)}x | $${total.toFixed(0)} | $${outcome.clusterCost.toFixed(0)} | ${outcome.burst} | ${((outcome.burstCpuSeconds / outcome.cpuSeconds) * 100).toFixed(1)}% | ${p(50)} | ${p(95)} | ${p(99)} | ${outcome.neverStarted > 0 ? 'never' : minutes(sorted[sorted.length - 1] ?? 0)} | ${(withinShare(outcome) * 100).toFixed(2)}%${outcome.neverStarted > 0 ? ` (${outcome.neverStarted} never ran)` : ''} |`,
    );
  }
  for (const [label, bound] of [
    [`floor, ${GOAL.withinMaxWait * 100}% in time (${floor.excused} may wait)`, floor],
    ['floor, all in time', floorStrict],
  ] as const) {
    console.log(`| ${label} | ${(bound.costUsd / cloudCost).toFixed(3)}x | $${bound.costUsd.toFixed(0)} | | | | | | | | |`);
  }
  for (const [label, usd] of [
    [`greedy schedule with hindsight, ${GOAL.withinMaxWait * 100}% in time`, hindsight],
    ['greedy schedule with hindsight, all in time', hindsightStrict],
  ] as const) {
    console.log(`| ${label} | ${(usd / cloudCost).toFixed(3)}x | $${usd.toFixed(0)} | | | | | | | | |`);
  }
  console.log('');
  rows.push({ title: label, floor, floorStrict, hindsight, hindsightStrict, neurolake, neurolakeTarget, naive: results.get('naive-burst')! });
}

/** One line per replay: NeuroLake (strict, and with the 99% target) against the floor, the naive burst and the goal. */
function summary(): void {
  console.log('Summary: cost vs cloud-only, and the share started within 1 h. The floor is the least any schedule could cost; the greedy schedule knows the whole trace but is only one schedule,');
  console.log('so the least possible cost lies between the floor and the cheapest schedule shown that meets the share.');
  console.log('| replay | floor (99% in time) | floor (all in time) | greedy with hindsight (99%; all in time) | NeuroLake, every max wait a deadline | NeuroLake, 99% on-time target | naive burst | cluster $ / naive (deadline; 99% target) | goal |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const cost = (outcome: Outcome): number => outcome.localCost + outcome.clusterCost;
  for (const row of rows) {
    const cloud = row.floor.cloudUsd;
    const floor = row.floor.costUsd / cloud;
    const cell = (outcome: Outcome): string => `${(cost(outcome) / cloud).toFixed(3)}x (${(withinShare(outcome) * 100).toFixed(2)}%)`;
    const versusNaive = (outcome: Outcome): string => (row.naive.clusterCost === 0 ? '-' : (outcome.clusterCost / row.naive.clusterCost).toFixed(3));
    const meets = (outcome: Outcome): boolean =>
      cost(outcome) / cloud <= GOAL.costRatio && withinShare(outcome) >= GOAL.withinMaxWait && (outcome.clusterCost < row.naive.clusterCost || row.naive.clusterCost === 0);
    const verdict =
      meets(row.neurolake) || meets(row.neurolakeTarget)
        ? 'met'
        : floor > GOAL.costRatio
          ? `impossible: the floor is above ${GOAL.costRatio}x`
          : row.floorStrict.costUsd / cloud > GOAL.costRatio
            ? `not met; below ${GOAL.costRatio}x only with jobs past the max wait`
            : 'not met';
    console.log(
      `| ${row.title} | ${floor.toFixed(3)}x | ${(row.floorStrict.costUsd / cloud).toFixed(3)}x | ${(row.hindsight / cloud).toFixed(3)}x; ${(row.hindsightStrict / cloud).toFixed(3)}x | ${cell(row.neurolake)} | ${cell(row.neurolakeTarget)} | ${cell(row.naive)} | ${versusNaive(row.neurolake)}; ${versusNaive(row.neurolakeTarget)} | ${verdict} |`,
    );
  }
}

main();
