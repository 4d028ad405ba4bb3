// A workload as given is checked and completed: defaults by type, a stable id from the name, and a
// clear error naming the field that is wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComputeError, normaliseWorkload, TYPE_DEFAULTS } from '../../../server/engines/compute';

describe('workloads', () => {
  it('fills in the resources of its type and a stable id made from the name', () => {
    const workload = normaliseWorkload({ name: 'Nightly ETL: orders', type: 'ml', run: { kind: 'shell', command: 'python3 train.py' } }, '/work');
    assert.equal(workload.id, 'nightly-etl-orders');
    assert.equal(workload.cpus, TYPE_DEFAULTS.ml.cpus);
    assert.equal(workload.memoryGb, TYPE_DEFAULTS.ml.memoryGb);
    assert.equal(workload.estimatedMinutes, TYPE_DEFAULTS.ml.estimatedMinutes);
    assert.equal(workload.priority, 5);
    assert.equal(workload.workingFolder, '/work');
    assert.deepEqual(workload.noRetryExitCodes, [126, 127]);
    assert.equal(normaliseWorkload({ name: 'Nightly ETL: orders', type: 'etl', run: { kind: 'shell', command: 'x' } }).id, workload.id);
  });

  it('refuses bad fields with a message naming them', () => {
    const base = { name: 'x', type: 'etl', run: { kind: 'shell', command: 'true' } } as const;
    const refuses = (spec: object, pattern: RegExp): void =>
      assert.throws(() => normaliseWorkload({ ...base, ...spec } as never), (error: unknown) => error instanceof ComputeError && error.code === 'invalid-workload' && pattern.test(error.message));
    refuses({ cpus: -1 }, /cpus must be a number from 0.1/);
    refuses({ priority: 11 }, /priority must be a number from 1 to 10/);
    refuses({ type: 'batch' }, /type must be one of query, etl, ml, migration/);
    refuses({ run: { kind: 'shell', command: '  ' } }, /command to run is empty/);
    refuses({ name: '' }, /needs a name/);
    refuses({ id: '../x' }, /id .* may hold only/);
    refuses({ noRetryExitCodes: [300] }, /noRetryExitCodes/);
  });
});
