// Hostile workload specs: each refused at submit with the field and the problem named, before
// anything runs or reaches the history, instead of failing later with the system's bare error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ComputeEngine, ComputeError, FINISHED_STATES, type WorkloadSpec } from '../../../server/engines/compute';
import { until } from './support/wait';

const scratch = mkdtempSync(join(tmpdir(), 'nl-compute-hostile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let engines: ComputeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
});

async function open(): Promise<ComputeEngine> {
  const dataFolder = mkdtempSync(join(scratch, 'data-'));
  const engine = await ComputeEngine.open({ dataFolder, base: scratch, sampleMs: 200, refreshMs: 200 });
  engines.push(engine);
  return engine;
}

const base: WorkloadSpec = { name: 'hostile', type: 'query', run: { kind: 'shell', command: 'echo hi' }, tier: 'local', cpus: 1, memoryGb: 0.1 };
const refused = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ComputeError, String(error));
  assert.equal(error.code, 'invalid-workload', error.message);
  assert.match(error.message, pattern);
  return true;
};

describe('hostile workload specs', () => {
  it('are refused at submit, naming the field, and leave the history empty', async () => {
    const engine = await open();
    const cases: [Partial<WorkloadSpec> | Record<string, unknown>, RegExp][] = [
      [{ run: { kind: 'shell', command: 'echo a\u0000rm -rf /' } }, /The command contains a NUL character/],
      [{ run: { kind: 'shell', command: `echo ${'x'.repeat(10 * 1024 * 1024)}` } }, /The command is 10485765 bytes; at most 131071 fit in one argument/],
      [{ run: { kind: 'script', file: 'job.sh', args: ['ok', 'y'.repeat(200_000)] } }, /Argument 2 of the script is 200000 bytes/],
      [{ environment: { 'PATH=/evil:/bin': 'x' } }, /environment variable name "PATH=\/evil:\/bin" is not valid/],
      [{ environment: { '': 'x' } }, /environment variable name "" is not valid/],
      [{ environment: { GOOD: 'a\u0000b' } }, /environment variable GOOD contains a NUL/],
      [{ environment: null }, /environment must map names to strings/],
      [{ environment: ['A=1'] }, /environment must map names to strings/],
      [{ workingFolder: '../../..' }, /working folder "\.\.\/\.\.\/\.\." leads outside/],
      [{ cpus: -2 }, /cpus must be a number from 0\.1 to 1024, not -2/],
      [{ cpus: Number.NaN }, /cpus must be a number from 0\.1 to 1024, not NaN/],
      [{ memoryGb: -1 }, /memoryGb must be a number/],
      [{ maxWaitMinutes: Number.POSITIVE_INFINITY }, /maxWaitMinutes must be a number from 0 to 43200, not Infinity/],
      [{ timeoutMinutes: Number.NaN }, /timeoutMinutes must be a number .*not NaN/],
    ];
    for (const [change, pattern] of cases) {
      const spec = { ...base, ...change } as WorkloadSpec;
      assert.throws(() => engine.preview(spec), refused(pattern), `preview of ${JSON.stringify(change).slice(0, 80)}`);
      await assert.rejects(engine.submit(spec), refused(pattern), `submit of ${JSON.stringify(change).slice(0, 80)}`);
    }
    assert.deepEqual(engine.list(), [], 'nothing reached the history');
  });

  it('an absolute working folder that does not exist fails the run with that reason, not "spawn /bin/sh ENOENT"', async () => {
    const engine = await open();
    const missing = join(scratch, 'no-such-folder');
    const run = await engine.submit({ ...base, name: 'nowhere', workingFolder: missing });
    const ended = await until('the run to end', () => {
      const current = engine.get(run.id);
      return FINISHED_STATES.has(current.state) ? current : undefined;
    });
    assert.equal(ended.state, 'failed');
    assert.equal(ended.exitCode, undefined);
    assert.match(ended.detail ?? '', new RegExp(`The working folder ${missing} does not exist`));
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const second = await engine.submit({ ...base, name: 'file-as-folder', workingFolder: file });
    const failed = await until('the second run to end', () => {
      const current = engine.get(second.id);
      return FINISHED_STATES.has(current.state) ? current : undefined;
    });
    assert.match(failed.detail ?? '', /is not a folder/);
  });

  it('still runs an ordinary command with an ordinary environment', async () => {
    const engine = await open();
    const run = await engine.submit({ ...base, name: 'fine', run: { kind: 'shell', command: 'test "$GREETING" = "a=b c"' }, environment: { GREETING: 'a=b c' } });
    const ended = await engine.waitFor(run.id);
    assert.equal(ended.state, 'completed');
    assert.equal(ended.exitCode, 0);
  });
});
