// The benchmark's cost floor on traces small enough to work out by hand: a job too big for the
// machine pays the cluster, an idle machine runs everything at the local price, work beyond what
// the machine can start within the maximum wait pays the cluster, the local machine goes to the
// jobs it saves most on, and the jobs excused from the maximum wait may run here whenever, adding
// only what the machine could not have saved in time without excusing them. Beside it, a real
// schedule made with hindsight, which never costs less than the floor; and a job that holds its
// cores, never more, so it cannot be spread over the whole machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computePrices } from '../../../server/engines/prices';
import { costFloor, maxFluidWork, type FloorJob } from '../../bench/computeFloor';
import { hindsightCost } from '../../bench/computeHindsight';

const PRICES = computePrices('aws');
const H = 3600;
const VCPU_HOUR = PRICES.clusterSmall.perVcpuHour;
const LOCAL_HOUR = PRICES.local.perHour;

function floor(jobs: FloorJob[], cores: number, maxWaitSeconds: number, withinMaxWait = 1) {
  return costFloor(jobs, { cores, maxWaitSeconds, withinMaxWait, prices: PRICES });
}

describe('compute cost floor', () => {
  it('a job larger than the machine pays the cluster whatever the schedule', () => {
    const result = floor([{ submit: 0, runSeconds: H, processors: 64 }], 32, H);
    assert.ok(Math.abs(result.costUsd - 64 * VCPU_HOUR) < 1e-9);
    assert.equal(result.costUsd, result.cloudUsd);
    assert.equal(result.mustBurstCpuSeconds, 64 * H);
  });

  it('on a machine with room for everything, every job costs the local price', () => {
    const jobs = [
      { submit: 0, runSeconds: H, processors: 16 },
      { submit: 0, runSeconds: H, processors: 16 },
    ];
    const result = floor(jobs, 32, 0);
    assert.ok(Math.abs(result.costUsd - 2 * LOCAL_HOUR) < 1e-9);
    assert.equal(result.mustBurstCpuSeconds, 0);
  });

  it('work the machine cannot start within the maximum wait pays the cluster', () => {
    // Three 4-core jobs of 2 h at once on 4 cores, 1 h of wait: all of them must lie within the
    // first 3 h, which hold 12 of their 24 core-hours. (A real schedule does worse: the second
    // could start only at 2 h, so two burst.)
    const jobs = [0, 1, 2].map(() => ({ submit: 0, runSeconds: 2 * H, processors: 4 }));
    const result = floor(jobs, 4, H);
    assert.equal(result.mustBurstCpuSeconds, 12 * H);
    const savedPerCoreHour = (4 * VCPU_HOUR - LOCAL_HOUR) / 4;
    const expected = 24 * VCPU_HOUR - 12 * savedPerCoreHour;
    assert.ok(Math.abs(result.costUsd - expected) < 1e-9, `${result.costUsd} vs ${expected}`);
    const bestRealSchedule = LOCAL_HOUR * 2 + 2 * 8 * VCPU_HOUR;
    assert.ok(result.costUsd <= bestRealSchedule);
  });

  it('gives the machine to the job it saves most on: one wide job rather than as many core-hours of narrow ones', () => {
    // Local power is priced per running job, so a 4-core job saves far more per core-hour here than a 1-core one.
    const jobs = [{ submit: 0, runSeconds: H, processors: 4 }, ...[0, 1, 2, 3].map(() => ({ submit: 0, runSeconds: H, processors: 1 }))];
    const result = floor(jobs, 4, 0);
    const wideHere = LOCAL_HOUR + 4 * VCPU_HOUR;
    const narrowHere = 4 * LOCAL_HOUR + 4 * VCPU_HOUR;
    assert.ok(wideHere < narrowHere);
    assert.ok(Math.abs(result.costUsd - wideHere) < 1e-9, `${result.costUsd} vs ${wideHere}`);
  });

  it('the 1% excused from the maximum wait may run here later, so a job that could not start in time costs the local price', () => {
    // Two 4-core jobs of 2 h at once with no wait allowed on 4 cores: one must burst. With 101
    // jobs and 99% to start in time, one may wait, and then both run here.
    const tiny = Array.from({ length: 99 }, (_, i) => ({ submit: (i + 1) * 24 * H, runSeconds: 60, processors: 1 }));
    const jobs = [{ submit: 0, runSeconds: 2 * H, processors: 4 }, { submit: 0, runSeconds: 2 * H, processors: 4 }, ...tiny];
    const tinyHere = 99 * LOCAL_HOUR * (60 / H);
    const strict = floor(jobs, 4, 0, 1);
    assert.equal(strict.excused, 0);
    assert.ok(Math.abs(strict.costUsd - (tinyHere + 2 * LOCAL_HOUR + 8 * VCPU_HOUR)) < 1e-9);
    const lenient = floor(jobs, 4, 0, 0.99);
    assert.equal(lenient.excused, 1);
    assert.ok(Math.abs(lenient.costUsd - (tinyHere + 4 * LOCAL_HOUR)) < 1e-9, `${lenient.costUsd}`);
  });

  it('an excused job adds only what the machine could not have saved without excusing it', () => {
    // 2 cores, no wait: A (2 cores, 2 h) alone at 0; B..E (2 cores, 1 h each) all at 10 h, so
    // one of them runs here in time. One of five may be late. Excusing A frees room nobody needs
    // in time; excusing one of B..E lets it run here later. Best: A, B and C here, D and E burst.
    const jobs = [{ submit: 0, runSeconds: 2 * H, processors: 2 }, ...[0, 1, 2, 3].map(() => ({ submit: 10 * H, runSeconds: H, processors: 2 }))];
    const result = floor(jobs, 2, 0, 0.8);
    assert.equal(result.excused, 1);
    const best = 4 * LOCAL_HOUR + 2 * 2 * VCPU_HOUR;
    assert.ok(Math.abs(result.costUsd - best) < 1e-9, `${result.costUsd} vs ${best}`);
  });

  it('a job never runs on more cores than it has: a 1-core job of 2 h cannot be squeezed into half an hour', () => {
    // 4 cores, no wait: A (1 core, 2 h) at 0 holds a core until 2 h, so B (4 cores, 1 h) at 1 h
    // cannot run here beside it. Spread over the whole machine, A would be done by 30 min and
    // both would seem to fit. A core-hour of A must lie in B's hour: at best B here, and A's first
    // hour counted as saved, which is still below the best real schedule (B here, A burst).
    const jobs = [{ submit: 0, runSeconds: 2 * H, processors: 1 }, { submit: H, runSeconds: H, processors: 4 }];
    const result = floor(jobs, 4, 0);
    assert.ok(Math.abs(result.costUsd - (VCPU_HOUR + 2 * LOCAL_HOUR)) < 1e-9, `${result.costUsd}`);
    assert.ok(result.costUsd <= LOCAL_HOUR + 2 * VCPU_HOUR);
  });
});

describe('fluid machine', () => {
  it('serves earliest deadline first, so a short urgent job does not cost a patient one its work', () => {
    // 1 core: the patient job [0, 10] with 5 s of work, the urgent one [1, 2] with 1 s: all 6 s fit.
    assert.equal(maxFluidWork([{ release: 0, deadline: 10, work: 5 }, { release: 1, deadline: 2, work: 1 }], 1), 6);
  });

  it('serves no more than the machine holds between the windows', () => {
    assert.equal(maxFluidWork([{ release: 0, deadline: 2, work: 2 }, { release: 1, deadline: 3, work: 2 }], 1), 3);
    assert.equal(maxFluidWork([{ release: 0, deadline: 10, work: 10 }, { release: 0, deadline: 5, work: 5 }], 1), 10);
    assert.equal(maxFluidWork([{ release: 0, deadline: 1, work: 8 }, { release: 5, deadline: 6, work: 8 }], 4), 8);
  });
});

describe('hindsight schedule', () => {
  const options = (cores: number, maxWaitSeconds: number, withinMaxWait = 1) => ({ cores, maxWaitSeconds, withinMaxWait, prices: PRICES });

  it('holds each job\'s cores for its whole run: of three 2 h jobs on a full machine with 1 h of wait, two burst', () => {
    const jobs = [0, 1, 2].map(() => ({ submit: 0, runSeconds: 2 * H, processors: 4 }));
    const cost = hindsightCost(jobs, options(4, H));
    assert.ok(Math.abs(cost - (2 * LOCAL_HOUR + 2 * 8 * VCPU_HOUR)) < 1e-9, `${cost}`);
    assert.ok(cost >= floor(jobs, 4, H).costUsd - 1e-9);
  });

  it('starts a job later within its maximum wait when that is when its cores are free', () => {
    // 4 cores: a 4-core hour at 0, then a 4-core job at 30 min that may wait an hour: it starts at 1 h.
    const jobs = [{ submit: 0, runSeconds: H, processors: 4 }, { submit: H / 2, runSeconds: H, processors: 4 }];
    assert.ok(Math.abs(hindsightCost(jobs, options(4, H)) - 2 * LOCAL_HOUR) < 1e-9);
    assert.ok(Math.abs(hindsightCost(jobs, options(4, H / 4)) - (LOCAL_HOUR + 4 * VCPU_HOUR)) < 1e-9, 'with 15 min of wait it bursts');
  });

  it('lets the jobs that save most wait past the maximum wait and run here after the rest', () => {
    const tiny = Array.from({ length: 99 }, (_, i) => ({ submit: (i + 1) * 24 * H, runSeconds: 60, processors: 1 }));
    const jobs = [{ submit: 0, runSeconds: 2 * H, processors: 4 }, { submit: 0, runSeconds: 2 * H, processors: 4 }, ...tiny];
    const tinyHere = 99 * LOCAL_HOUR * (60 / H);
    assert.ok(Math.abs(hindsightCost(jobs, options(4, 0)) - (tinyHere + 2 * LOCAL_HOUR + 8 * VCPU_HOUR)) < 1e-9);
    const lenient = hindsightCost(jobs, options(4, 0, 0.99));
    assert.ok(Math.abs(lenient - (tinyHere + 4 * LOCAL_HOUR)) < 1e-9, `${lenient}`);
    assert.ok(lenient >= floor(jobs, 4, 0, 0.99).costUsd - 1e-9, "the floor is the least any schedule costs");
  });

  it('sends a job larger than the machine to the cluster', () => {
    assert.ok(Math.abs(hindsightCost([{ submit: 0, runSeconds: H, processors: 64 }], options(32, H)) - 64 * VCPU_HOUR) < 1e-9);
  });
});
