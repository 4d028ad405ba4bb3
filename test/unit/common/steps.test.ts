// eachStep: the slicing every engine's long work uses for progress and cancellation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, eachStep, type ProgressUpdate } from '../../../server/engines/common';

describe('eachStep', () => {
  it('reports from 0 to the total, at least at every hundredth', async () => {
    const updates: ProgressUpdate[] = [];
    const seen: number[] = [];
    await eachStep(Array.from({ length: 1000 }, (_, i) => i), { message: 'Counting', progress: { report: (u) => updates.push(u) } }, (item) => seen.push(item));
    assert.equal(seen.length, 1000);
    const dones = updates.map((u) => u.done);
    assert.equal(dones[0], 0);
    assert.equal(dones.at(-1), 1000);
    for (let hundredth = 10; hundredth <= 1000; hundredth += 10) assert.ok(dones.includes(hundredth), `reported ${hundredth}`);
    assert.ok(updates.every((u) => u.message === 'Counting' && u.total === 1000 && u.unit === 'items'));
  });

  it('reports an empty list as 0 of 0 and runs nothing', async () => {
    const updates: ProgressUpdate[] = [];
    await eachStep([], { message: 'Nothing', progress: { report: (u) => updates.push(u) } }, () => assert.fail('no step'));
    assert.deepEqual(updates, [{ message: 'Nothing', done: 0, total: 0, unit: 'items' }]);
  });

  it('lets the event loop run between slices, so an abort from elsewhere stops it there', async () => {
    const controller = new AbortController();
    let steps = 0;
    // Scheduled as other I/O would be: it can only run when eachStep yields.
    setImmediate(() => controller.abort());
    await assert.rejects(
      eachStep(Array.from({ length: 1000 }), { message: 'Working', what: 'The upload', signal: controller.signal }, () => (steps += 1)),
      (error: unknown) => error instanceof CancelledError && error.message === 'The upload was cancelled; nothing was changed.',
    );
    assert.ok(steps > 0 && steps < 1000, `stopped part-way, after ${steps}`);
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(eachStep([1], { message: 'Working', signal: controller.signal }, () => assert.fail('no step')), CancelledError);
  });
});
