// kill -9 of `neurolake compute submit --wait` at random points, from before the run is recorded
// to after it ended, then a new process opens the history: every run it finds ends honestly,
// never completed without its exit code, and never with an exit code it did not have.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ComputeEngine } from '../../../server/engines/compute';
import { spawnCli, until } from './support/wait';

const scratch = mkdtempSync(join(tmpdir(), 'nl-compute-killed-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Points in the CLI's life, by what the history shows: nothing yet, then each state it writes. */
const POINTS = ['spawned', '"state":"queued"', '"state":"starting"', '"state":"running"', 'finished'] as const;

describe('kill -9 of compute submit --wait', () => {
  it('at each point of its life leaves a history the next process finishes honestly', async () => {
    const outcomes: string[] = [];
    for (const [n, point] of POINTS.entries()) {
      const folder = join(scratch, `data-${n}`);
      const history = join(folder, 'compute', 'runs.jsonl');
      const cli = spawnCli(['compute', '--data-folder', folder, 'submit', '--name', 'victim', '--type', 'query', '--cpus', '1', '--memory', '0.1', '--tier', 'local', '--wait', '--', 'echo ran; sleep 0.3; exit 5']);
      const exited = (): boolean => cli.exitCode !== null || cli.signalCode !== null;
      if (point === 'finished') await until('the CLI to end by itself', exited);
      else if (point !== 'spawned') await until(`the history to show ${point}`, () => exited() || (existsSync(history) && readFileSync(history, 'utf8').includes(point)));
      cli.kill('SIGKILL');
      await until('the CLI to be gone', exited);
      const engine = await ComputeEngine.open({ dataFolder: folder, base: scratch, sampleMs: 200, refreshMs: 200 });
      try {
        const runs = engine.list();
        assert.ok(runs.length <= 1, `one run at most: ${runs.map((run) => run.id).join(', ')}`);
        if (runs.length === 0) {
          outcomes.push(`${point}: no run recorded`);
          continue;
        }
        const run = await engine.waitFor(runs[0]!.id);
        assert.notEqual(run.state, 'completed', 'the command exits 5: it never completed');
        if (run.exitCode !== undefined) assert.equal(run.exitCode, 5, 'only the real exit code is recorded');
        if (run.state === 'failed') assert.equal(run.exitCode, 5, `a failed run carries its exit code: ${JSON.stringify(run)}`);
        else assert.equal(run.state, 'lost', `${point}: ${run.state} ${run.detail ?? ''}`);
        if (run.state === 'lost') assert.ok((run.detail ?? '') !== '', 'a lost run says why');
        outcomes.push(`${point}: ${run.state}${run.exitCode === undefined ? '' : ` (exit ${run.exitCode})`}`);
      } finally {
        await engine.close();
      }
    }
    console.log(`kill -9 outcomes: ${outcomes.join('; ')}`);
  });

  it('killed while starting the command, before its pid was recorded: the run that ran gets its real exit code, not lost', async () => {
    const folder = join(scratch, 'data-starting');
    const history = join(folder, 'compute', 'runs.jsonl');
    const cli = spawnCli(['compute', '--data-folder', folder, 'submit', '--name', 'starter', '--type', 'query', '--cpus', '1', '--memory', '0.1', '--tier', 'local', '--wait', '--', 'exit 6']);
    await until('the history to show the run starting', () => existsSync(history) && readFileSync(history, 'utf8').includes('"state":"starting"'));
    cli.kill('SIGKILL');
    await until('the CLI to be gone', () => cli.exitCode !== null || cli.signalCode !== null);
    const lines = readFileSync(history, 'utf8');
    if (lines.includes('"state":"running"')) return; // the pid got recorded first: the re-attach test above covers that
    const runFolder = join(folder, 'compute', 'runs', 'starter-1');
    // The CLI may die before it spawned the command (no log opened yet): then nothing ran, and lost is the truth.
    const ran = existsSync(join(runFolder, 'output.log'))
      ? await until('the command to write its exit status', () => existsSync(join(runFolder, 'status')) || undefined, 10_000).then(
          () => 'ran',
          () => 'never',
        )
      : 'never';
    const engine = await ComputeEngine.open({ dataFolder: folder, base: scratch, sampleMs: 200, refreshMs: 200 });
    try {
      const run = await engine.waitFor(engine.get('starter').id);
      if (ran === 'ran') {
        assert.equal(run.state, 'failed', `${run.state}: ${run.detail ?? ''}`);
        assert.equal(run.exitCode, 6);
        assert.match(run.detail ?? '', /exit status was read from its run folder/);
      } else assert.equal(run.state, 'lost');
    } finally {
      await engine.close();
    }
  });
});
