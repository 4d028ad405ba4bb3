// Next month's cost from the daily history.
//
// Method: additive Holt-Winters (ETS(A,Ad,A)) with a weekly season and a trend that may be
// damped, its parameters chosen by least squares over a small grid. Why this one: the series is
// short (weeks to a year of days), its strongest pattern is the working week (batch jobs on
// weekdays, quiet weekends), and costs grow or shrink slowly. Additive seasonality copes with days
// near $0 that a multiplicative model would divide by; a damping factor below 1, picked when the
// history favours it, keeps a trend fitted on a few weeks from running away over a horizon of up
// to two months; a grid of a few hundred candidates is deterministic and fast at this length,
// where a numerical optimiser buys nothing. The band is the model's own prediction interval: the
// one-step residual variance carried forward through the state equations, so the band of a
// month's total accounts for errors adding up from day to day.
import { addDays, daysBetween, daysInMonth, type Day } from './records';

export const SEASON_DAYS = 7;
/** Two full weeks: fewer cannot separate a weekly pattern from a trend. */
export const MIN_HISTORY_DAYS = 2 * SEASON_DAYS;

export interface DailyValue {
  readonly day: Day;
  readonly usd: number;
}

export interface ForecastDay {
  readonly day: Day;
  readonly expectedUsd: number;
  readonly lowUsd: number;
  readonly highUsd: number;
}

export type MonthForecast =
  | {
      readonly ok: true;
      /** The calendar month forecast, YYYY-MM. */
      readonly month: string;
      readonly expectedUsd: number;
      readonly lowUsd: number;
      readonly highUsd: number;
      /** Share of outcomes the band is meant to hold (0.8: four months in five). */
      readonly confidence: number;
      readonly method: string;
      readonly historyDays: number;
      /** Every day from the day after the history to the month's end. */
      readonly daily: readonly ForecastDay[];
    }
  | {
      readonly ok: false;
      readonly reason: 'insufficient-history';
      readonly historyDays: number;
      readonly neededDays: number;
      readonly message: string;
    };

export const FORECAST_METHOD = 'Holt-Winters additive (ETS A,Ad,A), weekly season';

export interface HoltWintersFit {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  /** One-step residual variance. */
  readonly sigma2: number;
  readonly level: number;
  readonly trend: number;
  /** The last SEASON_DAYS seasonal terms, oldest first: season[i] applies SEASON_DAYS - i days before the next one. */
  readonly season: readonly number[];
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const BETAS = [0, 0.01, 0.05, 0.1];
const GAMMAS = [0.05, 0.1, 0.2, 0.3];
const PHIS = [0.9, 0.95, 0.98, 1];

/** Fits the model to a series of at least MIN_HISTORY_DAYS values. */
export function fitHoltWinters(values: readonly number[]): HoltWintersFit {
  if (values.length < MIN_HISTORY_DAYS) throw new RangeError(`Holt-Winters needs at least ${MIN_HISTORY_DAYS} values, got ${values.length}.`);
  const start = initialState(values);
  let best: HoltWintersFit | undefined;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      if (beta > alpha) continue;
      for (const gamma of GAMMAS) {
        if (gamma > 1 - alpha) continue;
        for (const phi of PHIS) {
          const run = smooth(values, start, alpha, beta, gamma, phi);
          if (run.sse < bestSse) {
            bestSse = run.sse;
            best = { alpha, beta, gamma, phi, sigma2: run.sse / values.length, level: run.level, trend: run.trend, season: run.season };
          }
        }
      }
    }
  }
  return best as HoltWintersFit;
}

/** Point forecasts for the next `horizon` steps. */
export function predict(fit: HoltWintersFit, horizon: number): number[] {
  const out: number[] = [];
  let damped = 0;
  for (let h = 1; h <= horizon; h++) {
    damped += fit.phi ** h;
    out.push(fit.level + damped * fit.trend + seasonal(fit, h));
  }
  return out;
}

/**
 * Variance of the summed forecast errors of steps `from`..`to` (1-based, inclusive). An innovation
 * at step k moves every later forecast by c_j (j steps on), so the sum's error is a weighted sum
 * of independent innovations.
 */
export function sumVariance(fit: HoltWintersFit, from: number, to: number): number {
  const c = [1];
  let damped = 0;
  for (let j = 1; j < to; j++) {
    damped += fit.phi ** j;
    c.push(fit.alpha + fit.beta * damped + (j % SEASON_DAYS === 0 ? fit.gamma : 0));
  }
  let variance = 0;
  for (let k = 1; k <= to; k++) {
    let weight = 0;
    for (let h = Math.max(from, k); h <= to; h++) weight += c[h - k] ?? 0;
    variance += weight * weight;
  }
  return fit.sigma2 * variance;
}

/** Forecast of the calendar month after the last day of `history`, with a band. */
export function forecastNextMonth(history: readonly DailyValue[], confidence = 0.8): MonthForecast {
  const series = contiguous(history);
  if (series.length < MIN_HISTORY_DAYS) {
    return {
      ok: false,
      reason: 'insufficient-history',
      historyDays: series.length,
      neededDays: MIN_HISTORY_DAYS,
      message: `A forecast needs at least ${MIN_HISTORY_DAYS} days of history to tell the weekly pattern from a trend; there ${series.length === 1 ? 'is 1 day' : `are ${series.length} days`}.`,
    };
  }
  const lastDay = series[series.length - 1]?.day as Day;
  const monthStart = firstOfNextMonth(lastDay);
  const monthEnd = addDays(monthStart, daysInMonth(monthStart) - 1);
  const from = daysBetween(lastDay, monthStart).length - 1;
  const to = daysBetween(lastDay, monthEnd).length - 1;
  const fit = fitHoltWinters(series.map((d) => d.usd));
  const means = predict(fit, to);
  const z = normalQuantile(0.5 + confidence / 2);
  const daily: ForecastDay[] = [];
  for (let h = 1; h <= to; h++) {
    const mean = means[h - 1] ?? 0;
    const spread = z * Math.sqrt(sumVariance(fit, h, h));
    daily.push({ day: addDays(lastDay, h), expectedUsd: Math.max(0, mean), lowUsd: Math.max(0, mean - spread), highUsd: Math.max(0, mean + spread) });
  }
  const expected = means.slice(from - 1).reduce((a, b) => a + b, 0);
  const spread = z * Math.sqrt(sumVariance(fit, from, to));
  return {
    ok: true,
    month: monthStart.slice(0, 7),
    expectedUsd: Math.max(0, expected),
    lowUsd: Math.max(0, expected - spread),
    highUsd: Math.max(0, expected + spread),
    confidence,
    method: FORECAST_METHOD,
    historyDays: series.length,
    daily,
  };
}

/** The history as one value per day from its first day to its last; a day without records cost nothing. */
function contiguous(history: readonly DailyValue[]): DailyValue[] {
  if (history.length === 0) return [];
  const byDay = new Map<Day, number>();
  for (const { day, usd } of history) byDay.set(day, (byDay.get(day) ?? 0) + usd);
  const sorted = [...byDay.keys()].sort();
  return daysBetween(sorted[0] as Day, sorted[sorted.length - 1] as Day).map((day) => ({ day, usd: byDay.get(day) ?? 0 }));
}

function firstOfNextMonth(day: Day): Day {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

interface State {
  readonly level: number;
  readonly trend: number;
  readonly season: readonly number[];
}

/** Level and trend from the first two weeks' means; each weekday's offset averaged over both. */
function initialState(values: readonly number[]): State {
  const m = SEASON_DAYS;
  const week = (k: number): number => values.slice(k * m, (k + 1) * m).reduce((a, b) => a + b, 0) / m;
  const first = week(0);
  const second = week(1);
  const season = Array.from({ length: m }, (_, i) => ((values[i] ?? 0) - first + (values[i + m] ?? 0) - second) / 2);
  return { level: first, trend: (second - first) / m, season };
}

function smooth(values: readonly number[], start: State, alpha: number, beta: number, gamma: number, phi: number): { sse: number } & State {
  let level = start.level;
  let trend = start.trend;
  const season = [...start.season];
  let sse = 0;
  for (let t = 0; t < values.length; t++) {
    const s = season[t % SEASON_DAYS] as number;
    const forecast = level + phi * trend + s;
    const error = (values[t] as number) - forecast;
    sse += error * error;
    level = level + phi * trend + alpha * error;
    trend = phi * trend + beta * error;
    season[t % SEASON_DAYS] = s + gamma * error;
  }
  // Rotate so season[0] is the term for the day after the last value.
  const next = values.length % SEASON_DAYS;
  return { sse, level, trend, season: [...season.slice(next), ...season.slice(0, next)] };
}

function seasonal(fit: HoltWintersFit, h: number): number {
  return fit.season[(h - 1) % SEASON_DAYS] as number;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: readonly number[], x: number): number => k.reduce((acc, coef) => acc * x + coef, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
