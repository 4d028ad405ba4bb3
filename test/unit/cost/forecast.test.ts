// The forecast against series whose future is known: a trend plus a weekly pattern (weekday batch
// jobs, quiet weekends), with and without noise; and a history too short to say anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, forecastNextMonth, MIN_HISTORY_DAYS, type DailyValue } from '../../../server/engines/cost';

/** $10 a day rising 5 cents a day, weekends $6 cheaper; `noise` adds a repeatable wobble of up to ± that. */
function truth(t: number, noise = 0): number {
  const weekly = [1.5, 2, 2, 1.5, 1, -4, -4][t % 7] as number;
  const wobble = noise * Math.sin(t * 12.9898) * 0.999;
  return 10 + 0.05 * t + weekly + wobble;
}

function series(first: string, days: number, noise = 0): DailyValue[] {
  return Array.from({ length: days }, (_, t) => ({ day: addDays(first, t), usd: truth(t, noise) }));
}

/** 2026-01-05 is a Monday, so t % 7 === 0 is a Monday. */
const FIRST = '2026-01-05';

describe('forecast of next month', () => {
  it('follows a known trend and weekly pattern to within 2% of the month’s true total, inside its band', () => {
    const history = series(FIRST, 8 * 7);
    const f = forecastNextMonth(history);
    assert.ok(f.ok);
    const lastDay = history[history.length - 1]?.day;
    assert.equal(lastDay, '2026-03-01');
    assert.equal(f.month, '2026-04', 'history ends on 1 March, so the month ahead is April');
    assert.equal(f.daily.length, 30 + 30, 'March after the 1st, and all of April');
    const aprilStart = 8 * 7 + 30;
    const trueApril = Array.from({ length: 30 }, (_, i) => truth(aprilStart + i)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(f.expectedUsd - trueApril) / trueApril < 0.02, `expected ${f.expectedUsd.toFixed(2)}, true ${trueApril.toFixed(2)}`);
    assert.ok(f.lowUsd <= trueApril && trueApril <= f.highUsd, 'the true total is in the band');
    assert.equal(f.historyDays, 56);
    assert.match(f.method, /Holt-Winters/);
  });

  it('keeps the weekly shape: forecast weekends are cheaper than the weekdays around them', () => {
    const f = forecastNextMonth(series(FIRST, 6 * 7));
    assert.ok(f.ok);
    const weekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();
    const saturdays = f.daily.filter((d) => weekday(d.day) === 6).map((d) => d.expectedUsd);
    const wednesdays = f.daily.filter((d) => weekday(d.day) === 3).map((d) => d.expectedUsd);
    saturdays.forEach((sat, i) => assert.ok(sat < (wednesdays[i] ?? Number.POSITIVE_INFINITY) - 4, `week ${i}: Saturday ${sat.toFixed(2)} vs Wednesday ${wednesdays[i]?.toFixed(2)}`));
  });

  it('widens the band for a noisy history and still covers the true month', () => {
    const clean = forecastNextMonth(series(FIRST, 10 * 7));
    const noisy = forecastNextMonth(series(FIRST, 10 * 7, 3));
    assert.ok(clean.ok && noisy.ok);
    assert.ok(noisy.highUsd - noisy.lowUsd > 5 * (clean.highUsd - clean.lowUsd));
    const start = 10 * 7 + (clean.daily.length - 30);
    const days = noisy.daily.length - (clean.daily.length - 30) - 0;
    const trueMonth = Array.from({ length: days }, (_, i) => truth(start + i, 3)).reduce((a, b) => a + b, 0);
    assert.ok(noisy.lowUsd <= trueMonth && trueMonth <= noisy.highUsd, `true ${trueMonth.toFixed(2)} in [${noisy.lowUsd.toFixed(2)}, ${noisy.highUsd.toFixed(2)}]`);
    for (const d of noisy.daily) assert.ok(d.lowUsd <= d.expectedUsd && d.expectedUsd <= d.highUsd);
  });

  it('says there is too little history instead of inventing a number', () => {
    const f = forecastNextMonth(series(FIRST, MIN_HISTORY_DAYS - 1));
    assert.equal(f.ok, false);
    assert.ok(!f.ok);
    assert.equal(f.reason, 'insufficient-history');
    assert.equal(f.historyDays, 13);
    assert.match(f.message, /needs at least 14 days of history.*there are 13 days/);
    const none = forecastNextMonth([]);
    assert.ok(!none.ok && none.historyDays === 0);
  });

  it('counts a day missing from the records as a day that cost nothing', () => {
    const history = series(FIRST, 21).filter((_, i) => i !== 10);
    const f = forecastNextMonth(history);
    assert.ok(f.ok);
    assert.equal(f.historyDays, 21);
  });
});
