// The on-time target (neurolake.compute.onTimeTargetPct) on hand-worked queues: below 100%, a
// workload this machine would start after its maximum wait waits for it instead of bursting, but
// only when it is among the costliest to burst and the share started in time stays at the target;
// it takes only the room the workloads still within their maximum wait leave. At 100% (the
// default) every maximum wait stays a deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scheduler, SimulatedClock, type ComputeTier, type Decision, type SchedulerJob } from '../../../server/engines/compute';
import { computePrices } from '../../../server/engines/prices';

const MIN = 60_000;

function setup(onTimeTarget?: number) {
  const clock = new SimulatedClock(0);
  const started: { id: string; tier: ComputeTier; at: number; decision: Decision }[] = [];
  const scheduler = new Scheduler({
    clock,
    prices: computePrices('aws'),
    ...(onTimeTarget === undefined ? {} : { onTimeTarget }),
    capacity: () => ({ cpus: 4, memoryGb: 64 }),
    machineLimit: () => ({ cpus: 4, memoryGb: 64 }),
    cluster: () => ({ enabled: true, available: true, startDelayMs: 0 }),
    start: (job, tier, decision) => started.push({ id: job.id, tier, at: clock.now(), decision }),
  });
  const job = (id: string, fields: Partial<SchedulerJob> = {}): SchedulerJob => ({ id, cpus: 4, memoryGb: 1, estimatedMs: 60 * MIN, priority: 5, maxWaitMs: 15 * MIN, submittedAt: clock.now(), ...fields });
  const startOf = (id: string) => started.find((s) => s.id === id);
  return { clock, scheduler, started, job, startOf };
}

describe('compute on-time target', () => {
  it('by default every maximum wait is a deadline: a workload the machine would start late bursts', () => {
    const { scheduler, job, startOf } = setup();
    scheduler.submit(job('running', { estimatedMs: 120 * MIN }));
    assert.equal(scheduler.submit(job('wide', { estimatedMs: 180 * MIN })).verdict, 'cluster');
    assert.equal(startOf('wide')!.tier, 'cluster');
  });

  it('below 100%, the costliest workload to burst waits for the machine past its maximum wait, and says why', () => {
    const { scheduler, job, clock, startOf } = setup(0.5);
    scheduler.submit(job('running', { estimatedMs: 120 * MIN }));
    const decision = scheduler.submit(job('wide', { estimatedMs: 180 * MIN }));
    assert.equal(decision.verdict, 'queue');
    assert.equal(decision.tier, 'local');
    assert.match(decision.reason, /past its maximum wait of 15 min: the cluster would cost \$0\.58 against \$0\.10 here/);
    assert.match(decision.reason, /on-time target of 50%/);
    assert.equal(decision.options[0]!.estimatedStart, 120 * MIN);
    clock.advanceTo(60 * MIN);
    assert.equal(startOf('wide'), undefined, 'it did not burst when its maximum wait ran out');
    clock.advanceTo(120 * MIN);
    scheduler.finished('running');
    assert.deepEqual({ tier: startOf('wide')!.tier, at: startOf('wide')!.at }, { tier: 'local', at: 120 * MIN });
  });

  it('a late start is allowed only while the share started in time stays at the target', () => {
    // 99%: the 101st workload may be the first late one, not the second.
    const { scheduler, job, clock, startOf } = setup(0.99);
    scheduler.submit(job('running', { estimatedMs: 120 * MIN }));
    assert.equal(scheduler.submit(job('too-soon', { estimatedMs: 180 * MIN })).verdict, 'cluster', '2 submitted: no late start fits in 1%');
    clock.advanceTo(120 * MIN);
    scheduler.finished('running');
    for (let i = 0; i < 98; i++) {
      scheduler.submit(job(`quick${i}`, { cpus: 1, estimatedMs: MIN }));
      clock.advanceTo(clock.now() + MIN);
      scheduler.finished(`quick${i}`);
    }
    scheduler.submit(job('running2', { estimatedMs: 120 * MIN }));
    assert.equal(scheduler.submit(job('first-late', { estimatedMs: 180 * MIN })).verdict, 'queue', '102 submitted: one late start fits');
    assert.equal(scheduler.submit(job('second-late', { estimatedMs: 200 * MIN })).verdict, 'cluster', 'the budget is spent');
    assert.equal(startOf('second-late')!.tier, 'cluster');
  });

  it('a late workload that is not among the costliest to burst still bursts', () => {
    const { scheduler, job } = setup(0.5);
    scheduler.submit(job('running', { estimatedMs: 120 * MIN }));
    // The running one costs more to burst: this one is not in the costliest half of two.
    assert.equal(scheduler.submit(job('narrow', { cpus: 1, estimatedMs: 10 * MIN })).verdict, 'cluster');
  });

  it('a workload past its maximum wait takes only the room the ones still within theirs leave', () => {
    const { scheduler, job, clock, startOf } = setup(0.5);
    scheduler.submit(job('running', { estimatedMs: 120 * MIN }));
    assert.equal(scheduler.submit(job('wide', { estimatedMs: 180 * MIN })).verdict, 'queue');
    // Arrives later, may wait 3 h: it is planned ahead of the late one, at the machine's next room.
    const decision = scheduler.submit(job('in-time', { estimatedMs: 30 * MIN, maxWaitMs: 180 * MIN }));
    assert.equal(decision.verdict, 'queue');
    assert.equal(decision.options[0]!.estimatedStart, 120 * MIN);
    clock.advanceTo(120 * MIN);
    scheduler.finished('running');
    assert.equal(startOf('in-time')!.at, 120 * MIN);
    assert.equal(startOf('wide'), undefined);
    clock.advanceTo(150 * MIN);
    scheduler.finished('in-time');
    assert.deepEqual({ tier: startOf('wide')!.tier, at: startOf('wide')!.at }, { tier: 'local', at: 150 * MIN });
  });

  it('a queued workload that would now start late waits instead of bursting when the machine overruns', () => {
    const { scheduler, job, clock, startOf } = setup(0.5);
    scheduler.submit(job('big', { estimatedMs: 10 * MIN }));
    assert.equal(scheduler.submit(job('waits', { estimatedMs: 60 * MIN, maxWaitMs: 30 * MIN })).verdict, 'queue');
    // `big` overruns its estimate; nothing finishes before the maximum wait runs out.
    clock.advanceTo(40 * MIN);
    assert.equal(startOf('waits'), undefined, 'it waits past its maximum wait rather than burst');
    scheduler.finished('big');
    assert.deepEqual({ tier: startOf('waits')!.tier, at: startOf('waits')!.at }, { tier: 'local', at: 40 * MIN });
    assert.match(startOf('waits')!.decision.reason, /past its maximum wait of 30 min/);
  });
});
