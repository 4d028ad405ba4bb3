// The scheduler on a simulated clock: the decision and its reasons, the queue's order (priority,
// aging, FIFO), EASY backfill, bursting before the maximum wait, and a cluster that is down, off
// or too dear. The same code the engine and the benchmark run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scheduler, SimulatedClock, type ClusterView, type ComputeTier, type SchedulerJob, type SchedulingPolicy } from '../../../server/engines/compute';
import { computePrices } from '../../../server/engines/prices';

const MIN = 60_000;

function setup(options: { cpus?: number; cluster?: Partial<ClusterView>; policy?: SchedulingPolicy; whenClusterDown?: 'queue' | 'refuse'; prices?: 'seed' | 'aws' } = {}) {
  const clock = new SimulatedClock(0);
  const started: { id: string; tier: ComputeTier; at: number }[] = [];
  const refused: string[] = [];
  let cluster: ClusterView = { enabled: true, available: true, startDelayMs: 0, ...options.cluster };
  const scheduler = new Scheduler({
    clock,
    prices: computePrices(options.prices ?? 'seed'),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.whenClusterDown === undefined ? {} : { whenClusterDown: options.whenClusterDown }),
    capacity: () => ({ cpus: options.cpus ?? 4, memoryGb: 64 }),
    machineLimit: () => ({ cpus: options.cpus ?? 4, memoryGb: 64 }),
    cluster: () => cluster,
    start: (job, tier) => started.push({ id: job.id, tier, at: clock.now() }),
    refuse: (job) => refused.push(job.id),
  });
  const job = (id: string, fields: Partial<SchedulerJob> = {}): SchedulerJob => ({ id, cpus: 1, memoryGb: 1, estimatedMs: 10 * MIN, priority: 5, maxWaitMs: 60 * MIN, submittedAt: clock.now(), ...fields });
  const finish = (id: string): void => scheduler.finished(id);
  const setCluster = (change: Partial<ClusterView>): void => {
    cluster = { ...cluster, ...change };
  };
  return { clock, scheduler, started, refused, job, finish, setCluster, tierOf: (id: string) => started.find((s) => s.id === id)?.tier };
}

describe('compute scheduler', () => {
  it('runs here when it fits now, and says so with the cost of both options', () => {
    const { scheduler, job, tierOf } = setup();
    const decision = scheduler.submit(job('a', { cpus: 2 }));
    assert.equal(decision.verdict, 'local');
    assert.match(decision.reason, /Runs on this machine now/);
    assert.equal(tierOf('a'), 'local');
    const [local, cluster] = decision.options;
    assert.equal(local!.estimatedStart, 0);
    assert.ok(cluster!.estimatedCostUsd > local!.estimatedCostUsd);
  });

  it('waits for the machine when it will have room within the maximum wait, with the estimated start', () => {
    const { scheduler, job, clock, finish, tierOf } = setup();
    scheduler.submit(job('big', { cpus: 4, estimatedMs: 20 * MIN }));
    const decision = scheduler.submit(job('next', { cpus: 2, maxWaitMs: 30 * MIN }));
    assert.equal(decision.verdict, 'queue');
    assert.equal(decision.options[0]!.estimatedStart, 20 * MIN);
    assert.match(decision.reason, /should have room in about 20 min, within the maximum wait of 30 min/);
    clock.advanceTo(20 * MIN);
    finish('big');
    assert.equal(tierOf('next'), 'local');
  });

  it('bursts when the machine would start it after its maximum wait, and says how late', () => {
    const { scheduler, job, tierOf } = setup();
    scheduler.submit(job('big', { cpus: 4, estimatedMs: 120 * MIN }));
    const decision = scheduler.submit(job('urgent', { cpus: 2, maxWaitMs: 15 * MIN }));
    assert.equal(decision.verdict, 'cluster');
    assert.match(decision.reason, /would start it in 2 h, later than its maximum wait of 15 min/);
    assert.equal(tierOf('urgent'), 'cluster');
  });

  it('bursts a queued workload before its maximum wait runs out when the machine stays busy longer than estimated', () => {
    const { scheduler, job, clock, tierOf, started } = setup();
    scheduler.submit(job('big', { cpus: 4, estimatedMs: 10 * MIN }));
    assert.equal(scheduler.submit(job('waits', { cpus: 2, maxWaitMs: 30 * MIN })).verdict, 'queue');
    // `big` overruns its estimate; nothing finishes.
    clock.advanceTo(40 * MIN);
    assert.equal(tierOf('waits'), 'cluster');
    assert.ok(started.find((s) => s.id === 'waits')!.at <= 30 * MIN, 'it burst before its maximum wait ran out');
  });

  it('serves higher priority first, FIFO within a priority, and ages waiting work up', () => {
    const { scheduler, job, clock, finish, started } = setup({ cpus: 1, cluster: { enabled: false } });
    scheduler.submit(job('running', { estimatedMs: 5 * MIN }));
    scheduler.submit(job('low-old', { priority: 3 }));
    clock.advanceTo(1 * MIN);
    scheduler.submit(job('mid-1', { priority: 5 }));
    scheduler.submit(job('mid-2', { priority: 5 }));
    scheduler.submit(job('high', { priority: 9 }));
    assert.deepEqual(scheduler.ordered().map((entry) => entry.job.id), ['high', 'mid-1', 'mid-2', 'low-old']);
    // Waiting ages every job one level per 10 minutes: after 31 minutes the old low-priority one
    // (3 + 3) comes before a normal one submitted just now (5 + 0).
    clock.advanceTo(31 * MIN);
    scheduler.submit(job('mid-new', { priority: 5 }));
    assert.deepEqual(scheduler.ordered().map((entry) => entry.job.id), ['high', 'mid-1', 'mid-2', 'low-old', 'mid-new']);
    finish('running');
    assert.equal(started.at(-1)!.id, 'high');
  });

  it('backfills a short job that does not delay the head, but not a long one that would', () => {
    const { scheduler, job, tierOf } = setup({ cpus: 4, cluster: { enabled: false } });
    scheduler.submit(job('r1', { cpus: 2, estimatedMs: 30 * MIN }));
    scheduler.submit(job('r2', { cpus: 1, estimatedMs: 60 * MIN }));
    // Head needs 4: it can start when both end, at 60 min. One CPU is free now.
    scheduler.submit(job('head', { cpus: 4, estimatedMs: 30 * MIN, maxWaitMs: 600 * MIN }));
    scheduler.submit(job('long', { cpus: 1, estimatedMs: 90 * MIN, maxWaitMs: 600 * MIN }));
    scheduler.submit(job('short', { cpus: 1, estimatedMs: 20 * MIN, maxWaitMs: 600 * MIN }));
    scheduler.pass();
    assert.equal(tierOf('short'), 'local', 'the short one ends before the head could start');
    assert.equal(tierOf('long'), undefined, 'the long one would hold a CPU the head needs at 60 min');
    assert.equal(tierOf('head'), undefined);
  });

  it('a workload too big for this machine goes to the cluster, or is refused when bursting is off', () => {
    const on = setup({ cpus: 4 });
    assert.equal(on.scheduler.submit(on.job('huge', { cpus: 16 })).verdict, 'cluster');
    const off = setup({ cpus: 4, cluster: { enabled: false } });
    const decision = off.scheduler.submit(off.job('huge', { cpus: 16 }));
    assert.equal(decision.verdict, 'refuse');
    assert.match(decision.reason, /needs 16 CPUs and this machine gives NeuroLake at most 4.*bursting to a cluster is turned off/);
  });

  it('over its budget it does not burst: it waits here, later than its maximum wait', () => {
    const { scheduler, job } = setup({ cpus: 2 });
    scheduler.submit(job('big', { cpus: 2, estimatedMs: 120 * MIN }));
    const decision = scheduler.submit(job('cheap', { cpus: 2, estimatedMs: 600 * MIN, maxWaitMs: 10 * MIN, budgetUsd: 0.01 }));
    assert.equal(decision.verdict, 'queue');
    assert.match(decision.reason, /more than its budget of \$0.01/);
  });

  it('while the cluster is down a workload that must burst waits for it, and starts there when it answers again', () => {
    const { scheduler, job, setCluster, tierOf } = setup({ cpus: 2, cluster: { available: false, reason: 'the cluster at http://x does not answer: ECONNREFUSED' } });
    const decision = scheduler.submit(job('huge', { cpus: 8 }));
    assert.equal(decision.verdict, 'queue');
    assert.equal(decision.tier, 'cluster');
    assert.match(decision.reason, /Waits for the cluster: the cluster at http:\/\/x does not answer/);
    setCluster({ available: true });
    scheduler.pass();
    assert.equal(tierOf('huge'), 'cluster');
  });

  it('with "refuse" set, a workload that must burst while the cluster is down is refused', () => {
    const { scheduler, job } = setup({ cpus: 2, cluster: { available: false, reason: 'down' }, whenClusterDown: 'refuse' });
    assert.equal(scheduler.submit(job('huge', { cpus: 8 })).verdict, 'refuse');
  });

  it('naive burst bursts whatever would wait; local-only never bursts', () => {
    const naive = setup({ cpus: 2, policy: 'naive-burst' });
    naive.scheduler.submit(naive.job('a', { cpus: 2 }));
    assert.equal(naive.scheduler.submit(naive.job('b', { cpus: 1, maxWaitMs: 600 * MIN })).verdict, 'cluster');
    const local = setup({ cpus: 2, policy: 'local-only' });
    local.scheduler.submit(local.job('a', { cpus: 2 }));
    assert.equal(local.scheduler.submit(local.job('b', { cpus: 1, maxWaitMs: 0 })).verdict, 'queue');
  });

  describe('NeuroLake plans the machine so that queued workloads start within their maximum wait', () => {
    // 4 CPUs; `r1` holds 3 until 30 min. Queued: `head` (2 CPUs, 30 min) has its slot at 30 min
    // and `wide` (4 CPUs) at 60 min, when `head` ends; `wide` may wait 65 min.
    function busyMachine(options: { cluster?: Partial<ClusterView>; wideMinutes?: number } = {}) {
      const s = setup({ cpus: 4, ...(options.cluster === undefined ? {} : { cluster: options.cluster }) });
      s.scheduler.submit(s.job('r1', { cpus: 3, estimatedMs: 30 * MIN }));
      s.scheduler.submit(s.job('head', { cpus: 2, estimatedMs: 30 * MIN, maxWaitMs: 40 * MIN }));
      s.scheduler.submit(s.job('wide', { cpus: 4, estimatedMs: (options.wideMinutes ?? 10) * MIN, maxWaitMs: 65 * MIN }));
      return s;
    }

    it('a later arrival that fits now does not take a slot a queued workload needs to start in time', () => {
      const { scheduler, job, clock, finish, started, tierOf } = busyMachine({ cluster: { enabled: false } });
      // One CPU is free now, but holding it for 70 min would push `wide` to 70 min, past its maximum wait.
      const decision = scheduler.submit(job('later', { cpus: 1, estimatedMs: 70 * MIN, maxWaitMs: 600 * MIN }));
      assert.equal(decision.verdict, 'queue');
      assert.equal(tierOf('later'), undefined);
      clock.advanceTo(30 * MIN);
      finish('r1');
      assert.equal(tierOf('head'), 'local');
      assert.equal(tierOf('later'), undefined, 'it still would hold a CPU wide needs at 60 min');
      clock.advanceTo(60 * MIN);
      finish('head');
      const wide = started.find((s) => s.id === 'wide')!;
      assert.deepEqual([wide.tier, wide.at], ['local', 60 * MIN], 'wide started here within its maximum wait');
    });

    it('a workload that would miss its maximum wait stays here when bursting a queued one that saves less here costs less', () => {
      const { scheduler, job, started, tierOf } = busyMachine();
      // `later` would start here only after `wide`, at 70 min, past its maximum wait of 60 min.
      // Bursting `wide` (10 min) costs less than bursting `later` (70 min), and gives `later` its CPU now.
      const decision = scheduler.submit(job('later', { cpus: 1, estimatedMs: 70 * MIN, maxWaitMs: 60 * MIN }));
      assert.equal(decision.verdict, 'local');
      assert.match(decision.reason, /To make room in time, one queued workload that saves less here runs on the cluster instead/);
      assert.equal(tierOf('later'), 'local');
      const wide = started.find((s) => s.id === 'wide')!;
      assert.deepEqual([wide.tier, wide.at], ['cluster', 0], 'the one moved to the cluster starts there at once');
      assert.equal(tierOf('head'), undefined, 'the head keeps its slot at 30 min');
    });

    it('when making room would cost more than bursting, the late workload bursts and the queue keeps its slots', () => {
      const { scheduler, job, tierOf, clock, finish, started } = busyMachine({ wideMinutes: 120 });
      const decision = scheduler.submit(job('later', { cpus: 1, estimatedMs: 70 * MIN, maxWaitMs: 60 * MIN }));
      assert.equal(decision.verdict, 'cluster');
      assert.match(decision.reason, /later than its maximum wait/);
      assert.equal(tierOf('later'), 'cluster');
      clock.advanceTo(30 * MIN);
      finish('r1');
      clock.advanceTo(60 * MIN);
      finish('head');
      const wide = started.find((s) => s.id === 'wide')!;
      assert.deepEqual([wide.tier, wide.at], ['local', 60 * MIN]);
    });

    it('a queued workload whose slot is within its maximum wait is never burst by the re-checks, and starts here in its slot', () => {
      const { scheduler, clock, finish, started } = busyMachine();
      for (let minute = 1; minute < 30; minute++) {
        clock.advanceTo(minute * MIN);
        scheduler.pass();
      }
      assert.equal(started.filter((s) => s.tier === 'cluster').length, 0);
      clock.advanceTo(30 * MIN);
      finish('r1');
      assert.deepEqual(started.find((s) => s.id === 'head'), { id: 'head', tier: 'local', at: 30 * MIN });
    });
  });

  describe('NeuroLake keeps the machine for work that saves more here', () => {
    // aws prices: the cluster bills per CPU, this machine per running workload, so a 4-CPU job saves
    // about 82% of its cluster price here and a 1-CPU job about 29%.
    function afterTurningWorkAway(turnAway: boolean) {
      const s = setup({ cpus: 4, prices: 'aws' });
      s.scheduler.submit(s.job('r1', { cpus: 4, estimatedMs: 120 * MIN }));
      // Wide work that could not start within its maximum wait while r1 ran.
      if (turnAway) assert.equal(s.scheduler.submit(s.job('wide', { cpus: 4, estimatedMs: 60 * MIN, maxWaitMs: 30 * MIN })).verdict, 'cluster');
      s.clock.advanceTo(120 * MIN);
      s.finish('r1');
      return s;
    }

    it('a long narrow workload goes to the cluster while this machine has been turning away work that saves more here', () => {
      const { scheduler, job, tierOf } = afterTurningWorkAway(true);
      const decision = scheduler.submit(job('narrow-long', { cpus: 1, estimatedMs: 180 * MIN, maxWaitMs: 30 * MIN }));
      assert.equal(decision.verdict, 'cluster');
      assert.match(decision.reason, /would hold 1 CPUs here for 3 h, longer than its maximum wait of 30 min, while this machine has been sending work that saves more here/);
      assert.equal(tierOf('narrow-long'), 'cluster');
    });

    it('it stays here when nothing was turned away, when it is short, or when it saves as much here as what was', () => {
      const quiet = afterTurningWorkAway(false);
      assert.equal(quiet.scheduler.submit(quiet.job('narrow-long', { cpus: 1, estimatedMs: 180 * MIN, maxWaitMs: 30 * MIN })).verdict, 'local');
      const busy = afterTurningWorkAway(true);
      assert.equal(busy.scheduler.submit(busy.job('narrow-short', { cpus: 1, estimatedMs: 20 * MIN, maxWaitMs: 30 * MIN })).verdict, 'local');
      assert.equal(busy.scheduler.submit(busy.job('wide-long', { cpus: 3, estimatedMs: 180 * MIN, maxWaitMs: 30 * MIN })).verdict, 'local');
    });
  });
});
