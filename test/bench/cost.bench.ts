// `npm run bench:cost`: the cost engine on a simulated year of records. Two figures, each beside
// a baseline or target measured or stated in the same run; nothing here passes or fails.
//  1. Forecast error (MAPE) backtested on held-out weeks: Holt-Winters fitted on every day before
//     the week, against the naive forecast "the same as last week".
//  2. Dashboard data for a year at 100,000 objects and 10,000 runs: time to compute, the
//     hit-ratio curve's replay timed on its own (it is computed when the access history changes).
//
// NEUROLAKE_BENCH_OBJECTS, NEUROLAKE_BENCH_RUNS and NEUROLAKE_BENCH_ACCESSES shrink the run.
import { createDefaultLocalTierPolicy } from '../../server/engines/storage/placement';
import { AWS_PRICES, candidateCapacities, dashboardData, fitHoltWinters, predict, replayHitRatios, summariseCosts, sumVariance } from '../../server/engines/cost';
import { simulate, simulatedCapacity } from '../unit/cost/simulate';

const OBJECTS = Number(process.env['NEUROLAKE_BENCH_OBJECTS'] ?? 100_000);
const RUNS = Number(process.env['NEUROLAKE_BENCH_RUNS'] ?? 10_000);
const ACCESSES = Number(process.env['NEUROLAKE_BENCH_ACCESSES'] ?? 100_000);
/** The band the forecast draws: z for 80%. */
const Z80 = 1.2816;
const HELD_OUT_WEEKS = 12;
const DASHBOARD_REPEATS = 7;
const TARGET_DASHBOARD_MS = 200;

function mape(forecast: readonly number[], actual: readonly number[]): number {
  let total = 0;
  let n = 0;
  actual.forEach((a, i) => {
    if (a <= 0) return;
    total += Math.abs((forecast[i] ?? 0) - a) / a;
    n += 1;
  });
  return n === 0 ? Number.NaN : (total / n) * 100;
}

function backtest(seed: number): { holtWinters: number; naive: number; holtWintersWeekly: number; naiveWeekly: number; bandHeld: number } {
  const sim = simulate({ days: 365, objects: 10, runs: RUNS, accesses: 10, seed });
  const series = summariseCosts(AWS_PRICES, sim.records.storage, sim.records.runs).days.map((d) => d.totalUsd);
  const hw: number[] = [];
  const naive: number[] = [];
  const actual: number[] = [];
  const weekly = { hw: [] as number[], naive: [] as number[], actual: [] as number[] };
  let bandHeld = 0;
  for (let w = HELD_OUT_WEEKS; w >= 1; w--) {
    const cut = series.length - 7 * w;
    const history = series.slice(0, cut);
    const week = series.slice(cut, cut + 7);
    const fit = fitHoltWinters(history);
    const forecast = predict(fit, 7);
    const lastWeek = history.slice(-7);
    hw.push(...forecast);
    naive.push(...lastWeek);
    actual.push(...week);
    const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
    weekly.hw.push(sum(forecast));
    weekly.naive.push(sum(lastWeek));
    weekly.actual.push(sum(week));
    if (Math.abs(sum(week) - sum(forecast)) <= Z80 * Math.sqrt(sumVariance(fit, 1, 7))) bandHeld += 1;
  }
  return { holtWinters: mape(hw, actual), naive: mape(naive, actual), holtWintersWeekly: mape(weekly.hw, weekly.actual), naiveWeekly: mape(weekly.naive, weekly.actual), bandHeld };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const fmt = (v: number, d = 1): string => v.toFixed(d);

console.log(`Forecast backtest: ${HELD_OUT_WEEKS} held-out weeks at the end of a simulated year (${RUNS.toLocaleString('en-US')} runs), 3 seeds`);
const results = [1, 2, 3].map(backtest);
for (const [i, r] of results.entries()) {
  console.log(`  seed ${i + 1}: daily MAPE Holt-Winters ${fmt(r.holtWinters)}%  vs  naive last week ${fmt(r.naive)}%;  weekly-total MAPE ${fmt(r.holtWintersWeekly)}%  vs  ${fmt(r.naiveWeekly)}%;  80% band held ${r.bandHeld}/${HELD_OUT_WEEKS} weeks`);
}
const mean = (pick: (r: (typeof results)[number]) => number): number => results.reduce((t, r) => t + pick(r), 0) / results.length;
console.log(`  mean:   daily MAPE Holt-Winters ${fmt(mean((r) => r.holtWinters))}%  vs  naive ${fmt(mean((r) => r.naive))}%;  weekly-total ${fmt(mean((r) => r.holtWintersWeekly))}%  vs  ${fmt(mean((r) => r.naiveWeekly))}%`);

console.log(`\nDashboard data: a simulated year, ${OBJECTS.toLocaleString('en-US')} objects, ${RUNS.toLocaleString('en-US')} runs, ${ACCESSES.toLocaleString('en-US')} reads in the access history`);
let started = performance.now();
const sim = simulate({ days: 365, objects: OBJECTS, runs: RUNS, accesses: ACCESSES, seed: 11 });
console.log(`  (simulating the records took ${fmt(performance.now() - started, 0)} ms; ${sim.records.storage.length.toLocaleString('en-US')} storage records)`);
const capacityBytes = simulatedCapacity(sim);
const capacities = candidateCapacities(capacityBytes, sim.records.accesses);
started = performance.now();
const replayCpu = process.cpuUsage();
const curve = replayHitRatios(sim.records.accesses, createDefaultLocalTierPolicy, capacities);
const replayMs = performance.now() - started;
const replayCpuUsed = process.cpuUsage(replayCpu);
// Wall time is what a user waits; CPU time (user + system of this process) shows how much of it is
// this code on a machine other work shares.
const times: number[] = [];
const cpuTimes: number[] = [];
const firstStarted = performance.now();
let data = dashboardData({ book: AWS_PRICES, records: sim.records, now: sim.now, localTier: { capacityBytes, policyFor: createDefaultLocalTierPolicy }, capacityCurve: curve, computeLimits: { localCpuLimitPct: 80 }, hardwareUsd: 3000 });
const firstMs = performance.now() - firstStarted;
for (let i = 0; i < DASHBOARD_REPEATS; i++) {
  const cpu = process.cpuUsage();
  started = performance.now();
  data = dashboardData({ book: AWS_PRICES, records: sim.records, now: sim.now, localTier: { capacityBytes, policyFor: createDefaultLocalTierPolicy }, capacityCurve: curve, computeLimits: { localCpuLimitPct: 80 }, hardwareUsd: 3000 });
  times.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}
started = performance.now();
dashboardData({ book: AWS_PRICES, records: sim.records, now: sim.now, localTier: { capacityBytes, policyFor: createDefaultLocalTierPolicy }, computeLimits: { localCpuLimitPct: 80 } });
const coldWithReplayMs = performance.now() - started;
console.log(`  dashboard data (curve kept): median ${fmt(median(times))} ms wall (${fmt(median(cpuTimes))} ms CPU), best ${fmt(Math.min(...times))} ms, over ${DASHBOARD_REPEATS} runs after a first of ${fmt(firstMs)} ms  (target < ${TARGET_DASHBOARD_MS} ms)`);
console.log(`  hit-ratio curve replay alone: ${fmt(replayMs, 0)} ms wall (${fmt((replayCpuUsed.user + replayCpuUsed.system) / 1000, 0)} ms CPU) for ${capacities.length} capacities × ${ACCESSES.toLocaleString('en-US')} reads through the default LRU-by-bytes policy`);
console.log(`  dashboard data with the replay: ${fmt(coldWithReplayMs, 0)} ms`);
console.log(`  -> ${data.recommendations.length} recommendations, forecast ${data.forecast.ok ? `$${fmt(data.forecast.expectedUsd, 2)} [${fmt(data.forecast.lowUsd, 2)}, ${fmt(data.forecast.highUsd, 2)}]` : 'none'}`);
