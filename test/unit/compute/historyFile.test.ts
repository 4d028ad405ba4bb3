// The run history file damaged or hand-edited: a torn last line, garbage, lines that are not runs.
// The engine opens, lists and counts the real runs, skips the rest, and appends after them cleanly.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ComputeEngine, type WorkloadSpec } from '../../../server/engines/compute';

const scratch = mkdtempSync(join(tmpdir(), 'nl-compute-history-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let engines: ComputeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});

async function open(dataFolder: string): Promise<ComputeEngine> {
  const engine = await ComputeEngine.open({ dataFolder, base: scratch, sampleMs: 200, refreshMs: 200 });
  engines.push(engine);
  return engine;
}

const refusedAtOnce: WorkloadSpec = { name: 'burst', type: 'etl', run: { kind: 'shell', command: 'true' }, tier: 'cluster' };

describe('a damaged run history', () => {
  it('skips lines that are not runs and a torn last line, and keeps every real run', async () => {
    const dataFolder = mkdtempSync(join(scratch, 'data-'));
    let engine = await open(dataFolder);
    const first = await engine.submit(refusedAtOnce);
    await engine.close();
    engines = [];
    const file = join(dataFolder, 'compute', 'runs.jsonl');
    const real = readFileSync(file, 'utf8').trim();
    appendFileSync(
      file,
      [
        'null',
        'garbage {',
        '{"run":null}',
        '{"format":"neurolake-compute-history","run":{"id":5}}',
        '{"format":"neurolake-compute-history","run":{"id":"no-workload","state":"running","submittedAt":1}}',
        '{"format":"something-else","run":{"id":"x"}}',
        '',
      ].join('\n') + real.slice(0, real.length / 2),
    );
    engine = await open(dataFolder);
    assert.deepEqual(engine.list().map((run) => run.id), [first.id]);
    assert.equal(engine.stats().byState.refused, 1);
    const second = await engine.submit({ ...refusedAtOnce, name: 'after' });
    await engine.close();
    engines = [];
    engine = await open(dataFolder);
    assert.deepEqual(engine.list().map((run) => run.id).sort(), [second.id, first.id].sort(), 'the run appended after the torn line is whole');
  });
});
