// The cost lens over neurolake tasks in tasks.json, outside VS Code: finding the tasks (with the
// comments and trailing commas tasks.json allows), where each lens goes, the workload each task
// asks for, and what the lens says about a decision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WireDecision } from '../../../server/protocol';
import { estimateTitle, estimateTooltip, usd } from '../../../src/taskCostLensText';
import { findWorkloadTasks } from '../../../src/tasksJson';
import { workloadSpec } from '../../../src/workloadTaskSpec';

const TASKS_JSON = `{
  // Tasks of this workspace
  "version": "2.0.0",
  "tasks": [
    { "label": "build", "type": "shell", "command": "npm run build" },
    {
      "type": "neurolake",
      "name": "Load sales",
      "workloadType": "etl",
      "command": "python load.py", /* the nightly load */
      "cpus": 2,
    },
    {
      "type": "neurolake",
      "name": "Train model",
      "workloadType": "ml",
      "script": "train.py",
      "tier": "cluster"
    },
  ],
}`;

describe('neurolake tasks in tasks.json', () => {
  it('finds each neurolake task, skips the others, and says where its object starts', () => {
    const found = findWorkloadTasks(TASKS_JSON);
    assert.deepEqual(found.map((t) => [t.index, t.definition.name]), [[1, 'Load sales'], [2, 'Train model']]);
    for (const task of found) {
      assert.equal(TASKS_JSON[task.offset], '{');
      assert.equal(TASKS_JSON[task.offset + task.length - 1], '}');
      assert.match(TASKS_JSON.slice(task.offset, task.offset + task.length), new RegExp(`"name": "${task.definition.name}"`));
    }
    const line = TASKS_JSON.slice(0, found[0]!.offset).split('\n').length;
    assert.equal(line, 6, 'the lens goes on the line the task starts on');
  });

  it('finds nothing in a file without a tasks array, and follows a task being typed', () => {
    assert.deepEqual(findWorkloadTasks('{ "version": "2.0.0" }'), []);
    assert.deepEqual(findWorkloadTasks(''), []);
    assert.deepEqual(findWorkloadTasks('{ "tasks": { "type": "neurolake" } }'), []);
    const typing = findWorkloadTasks('{ "tasks": [ { "type": "neurolake", "name": "Load sa');
    assert.deepEqual(typing.map((t) => t.definition.name), ['Load sa'], 'the lens stays while the file is being typed');
  });

  it('asks for the workload the task describes, in the workspace folder unless it names its own', () => {
    const [load, train] = findWorkloadTasks(TASKS_JSON);
    assert.deepEqual(workloadSpec(load!.definition, '/work/lake'), {
      name: 'Load sales',
      type: 'etl',
      run: { kind: 'shell', command: 'python load.py' },
      workingFolder: '/work/lake',
      cpus: 2,
    });
    assert.deepEqual(workloadSpec(train!.definition, undefined), { name: 'Train model', type: 'ml', run: { kind: 'script', file: 'train.py' }, tier: 'cluster' });
    assert.throws(() => workloadSpec({ type: 'neurolake', name: 'Nothing' }, undefined), /The task "Nothing" needs either "command" or "script"/);
    assert.throws(() => workloadSpec({ type: 'neurolake', name: 'Both', command: 'a', script: 'b' }, undefined), /needs either "command" or "script"/);
  });

  it('says what each place would cost, and why one is not available', () => {
    const decision: WireDecision = {
      verdict: 'local',
      reason: 'Runs on this machine now: it fits under the CPU and memory limits (about $0.02; the cluster would cost $0.10).',
      options: [
        { tier: 'local', possible: true, estimatedCostUsd: 0.02 },
        { tier: 'cluster', possible: false, why: 'bursting to a cluster is turned off', estimatedCostUsd: 0.1 },
      ],
      decidedAt: 0,
    };
    assert.equal(estimateTitle(decision), '$(play) Run · local $0.02 · cluster $0.10 (unavailable)');
    assert.equal(estimateTooltip(decision), `${decision.reason}\nThe cluster: bursting to a cluster is turned off.`);
    const both: WireDecision = { ...decision, options: [decision.options[0]!, { tier: 'cluster', possible: true, estimatedCostUsd: 1.234 }] };
    assert.equal(estimateTitle(both), '$(play) Run · local $0.02 · cluster $1.23');
    assert.equal(usd(0.0004), '<$0.01');
    assert.equal(usd(0), '$0.00');
  });

  it('says which prices the costs are from when the preview names them', () => {
    const decision: WireDecision = {
      verdict: 'local',
      reason: 'Runs on this machine now: it fits under the CPU and memory limits.',
      options: [{ tier: 'local', possible: true, estimatedCostUsd: 0.02 }, { tier: 'cluster', possible: true, estimatedCostUsd: 0.1 }],
      decidedAt: 0,
      prices: { preset: 'aws', asOf: '2025-01-01' },
    };
    assert.equal(estimateTooltip(decision), `${decision.reason}\nCosts at aws prices of 2025-01-01.`);
  });
});
