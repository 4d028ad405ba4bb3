// Schedule Workload's steps without VS Code: what each answer is read as, what the type
// pre-fills, which files run and how, and how the decision is worded on the last step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TYPE_DEFAULTS } from '../../../server/engines/compute';
import { WORKLOAD_TYPE_DEFAULTS, type WireDecision } from '../../../server/protocol';
import {
  commandForFile,
  decisionRows,
  isRunnable,
  parseMaxWait,
  parseResources,
  parseWhole,
  resourcesText,
  SCHEDULE_STEPS,
  specFromAnswers,
  stepTitle,
  typeDetail,
} from '../../../src/commands/scheduleSteps';
import { normaliseSlurmToken, slurmTokenProblem } from '../../../src/commands/slurmTokenText';

describe('Schedule Workload steps', () => {
  it('are six, ending on the decision, each titled with its number', () => {
    assert.deepEqual(SCHEDULE_STEPS, ['type', 'what', 'resources', 'priority', 'maxWait', 'decision']);
    assert.equal(stepTitle('type'), 'Schedule Workload (1/6): Type of workload');
    assert.equal(stepTitle('decision'), 'Schedule Workload (6/6): Where it runs');
  });

  it('pre-fill each type with the engine\'s own defaults', () => {
    assert.deepEqual(WORKLOAD_TYPE_DEFAULTS, TYPE_DEFAULTS);
    assert.equal(typeDetail('ml'), 'training or scoring a model: 4 CPU, 16 GB, about 120 min, waits at most 120 min');
    assert.equal(resourcesText(WORKLOAD_TYPE_DEFAULTS.etl), '2 CPU, 4 GB, 30 min');
  });

  it('read the resources as shown, with or without units, and name the part that is wrong', () => {
    assert.deepEqual(parseResources('2 CPU, 4 GB, 30 min'), { cpus: 2, memoryGb: 4, estimatedMinutes: 30 });
    assert.deepEqual(parseResources('0.5,1.5,2'), { cpus: 0.5, memoryGb: 1.5, estimatedMinutes: 2 });
    assert.deepEqual(parseResources('2 CPU, 4 GB'), { error: 'Give three numbers separated by commas: CPUs, memory in GB, estimated minutes (e.g. 2 CPU, 4 GB, 30 min).' });
    assert.deepEqual(parseResources('2 CPU, lots, 30'), { error: 'memory: "lots" is not a number of GB.' });
    assert.deepEqual(parseResources('2 CPU, 4 min, 30'), { error: 'memory: "4 min" is not a number of GB.' });
    assert.deepEqual(parseResources('0, 4, 30'), { error: 'CPUs must be more than 0.' });
  });

  it('read priority 1–10 and a maximum wait in minutes', () => {
    assert.equal(parseWhole('7', 'The priority', 1, 10), 7);
    assert.deepEqual(parseWhole('11', 'The priority', 1, 10), { error: 'The priority must be a whole number from 1 to 10.' });
    assert.deepEqual(parseWhole('2.5', 'The priority', 1, 10), { error: 'The priority must be a whole number from 1 to 10.' });
    assert.equal(parseMaxWait('90'), 90);
    assert.equal(parseMaxWait('15 min'), 15);
    assert.ok(typeof parseMaxWait('-1') === 'object');
  });

  it('run python, shell and node files by their interpreter, and refuse SQL saying what runs', () => {
    assert.deepEqual(commandForFile('/w/train.py', 'python'), { kind: 'script', file: '/w/train.py', interpreter: 'python3' });
    assert.deepEqual(commandForFile('/w/load.sh', 'shellscript'), { kind: 'script', file: '/w/load.sh', interpreter: 'bash' });
    assert.equal(isRunnable('javascript'), true);
    assert.equal(isRunnable('sql'), false);
    assert.throws(() => commandForFile('/w/q.sql', 'sql'), /cannot run a sql file as a workload; it runs python, shellscript/);
  });

  it('make the workload the answers describe', () => {
    const spec = specFromAnswers({ name: 'nightly', type: 'etl', run: { kind: 'shell', command: 'make load' }, workingFolder: '/w', resources: { cpus: 1, memoryGb: 2, estimatedMinutes: 3 }, priority: 8, maxWaitMinutes: 10 });
    assert.deepEqual(spec, { name: 'nightly', type: 'etl', run: { kind: 'shell', command: 'make load' }, workingFolder: '/w', cpus: 1, memoryGb: 2, estimatedMinutes: 3, priority: 8, maxWaitMinutes: 10 });
  });

  it('word the decision: the verdict and its reason first, then each option with its start and cost', () => {
    const now = 1_000_000;
    const decision: WireDecision = {
      verdict: 'local',
      reason: 'Runs on this machine now: it fits under the CPU and memory limits (about $0.00; the cluster would cost $0.05).',
      decidedAt: now,
      options: [
        { tier: 'local', possible: true, estimatedStart: now, estimatedCostUsd: 0.0017 },
        { tier: 'cluster', possible: true, estimatedStart: now + 5 * 60_000, estimatedCostUsd: 0.05 },
      ],
    };
    const shown = decisionRows(decision, now);
    assert.equal(shown.title, 'Schedule Workload (6/6): Where it runs: Runs on this machine');
    assert.equal(shown.placeholder, decision.reason);
    assert.deepEqual(
      shown.rows.map((row) => [row.choice, row.label, row.description]),
      [
        ['run', '$(play) Run: runs on this machine', undefined],
        ['run', '$(circle-large-outline) This machine (chosen)', 'starts now · about $0.0017'],
        ['cluster', '$(circle-large-outline) Cluster: run here instead', 'starts in 5 min · about $0.05'],
        ['cancel', '$(close) Cancel', undefined],
      ],
    );
  });

  it('offer to run a queued workload on the tier it waits for now, rather than only to wait', () => {
    const shown = decisionRows(
      {
        verdict: 'queue',
        tier: 'local',
        reason: 'Waits for this machine, which is too busy now to say when it will have room: …',
        decidedAt: 0,
        options: [{ tier: 'local', possible: true, why: 'the machine is too busy to say when it would have room', estimatedCostUsd: 0.0017 }, { tier: 'cluster', possible: false, why: 'bursting to a cluster is turned off', estimatedCostUsd: 0.05 }],
      },
      0,
    );
    assert.deepEqual(
      shown.rows.map((row) => [row.choice, row.label]),
      [
        ['run', '$(play) Run: waits in the queue'],
        ['local', '$(circle-large-outline) This machine: run here now, without waiting'],
        ['cancel', '$(circle-slash) Cluster'],
        ['cancel', '$(close) Cancel'],
      ],
    );
  });

  it('offer no Run when nowhere can take it, and say why each option cannot', () => {
    const shown = decisionRows(
      { verdict: 'refuse', reason: 'Cannot run anywhere: …', decidedAt: 0, options: [{ tier: 'local', possible: false, why: 'it needs 64 CPUs', estimatedCostUsd: 1 }, { tier: 'cluster', possible: false, why: 'bursting to a cluster is turned off', estimatedCostUsd: 2 }] },
      0,
    );
    assert.deepEqual(shown.rows.map((row) => row.choice), ['cancel', 'cancel', 'cancel']);
    assert.equal(shown.rows[1]!.description, 'not possible: bursting to a cluster is turned off · about $2.00');
  });

  it('say under each option which prices its cost is from', () => {
    const decision: WireDecision = {
      verdict: 'cluster',
      reason: 'Runs on the cluster: …',
      decidedAt: 0,
      options: [{ tier: 'local', possible: false, why: 'it needs 64 CPUs', estimatedCostUsd: 1 }, { tier: 'cluster', possible: true, estimatedStart: 0, estimatedCostUsd: 2 }],
      prices: { preset: 'seed', asOf: '2025-01-01' },
    };
    const shown = decisionRows(decision, 0);
    assert.deepEqual(shown.rows.map((row) => row.detail), [decision.reason, 'Cost at seed prices of 2025-01-01', 'Cost at seed prices of 2025-01-01', undefined]);
  });
});

describe('Set Slurm Token', () => {
  const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  it('keeps a JWT as scontrol prints it, without SLURM_JWT=', () => {
    assert.equal(slurmTokenProblem(`SLURM_JWT=${jwt({ exp: 2000 })}`, 1000), undefined);
    assert.equal(normaliseSlurmToken(` SLURM_JWT=${jwt({ exp: 2000 })}\n`), jwt({ exp: 2000 }));
  });
  it('refuses what is not a JWT, and one that already expired', () => {
    assert.match(slurmTokenProblem('hunter2', 1000) ?? '', /three parts separated by dots/);
    assert.match(slurmTokenProblem(jwt({ exp: 999 }), 1000) ?? '', /expired at 1970-01-01T00:16:39.000Z/);
  });
});
