// The compute engine on a data folder whose disk fills up (a real tmpfs): every run whose submit
// resolved is in the history after a reopen, and every submit that could not be recorded fails
// with a clear error.
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ComputeEngine, ComputeError, type WorkloadSpec } from '../../../server/engines/compute';
import { fillDisk, mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../support/tmpfs';
import { until } from './support/wait';

let disk: Tmpfs | undefined;
let engines: ComputeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  engines = [];
  disk?.unmount();
  disk = undefined;
});

async function open(dataFolder: string): Promise<ComputeEngine> {
  const engine = await ComputeEngine.open({ dataFolder, base: dataFolder, sampleMs: 200, refreshMs: 200 });
  engines.push(engine);
  return engine;
}

/** A workload no cluster is configured for: refused at once, so each submit is one history line of a few KB. */
function clusterOnly(n: number): WorkloadSpec {
  return { name: `burst-${n}`, type: 'etl', run: { kind: 'shell', command: `echo ${'x'.repeat(1500)}` }, tier: 'cluster' };
}

describe('compute on a full disk', { skip: tmpfsUnavailable }, () => {
  it('a run whose end cannot be recorded makes waitFor fail with the reason, not wait forever; the next process says it is lost, never completed', async () => {
    disk = mountTmpfs(512 * 1024);
    const dataFolder = join(disk.folder, 'data');
    const engine = await open(dataFolder);
    // A run line of more than a page: its end needs a new page of the disk, which will be full.
    const spec: WorkloadSpec = { name: 'ends-on-full-disk', type: 'query', run: { kind: 'shell', command: `: ${'p'.repeat(6000)}; while [ ! -f ${join(disk.folder, 'gate')} ]; do sleep 0.05; done; exit 0` }, tier: 'local', cpus: 1, memoryGb: 0.1 };
    const submitted = await engine.submit(spec);
    await until('the run to be running', () => engine.get(submitted.id).state === 'running');
    fillDisk(disk.folder);
    closeSync(openSync(join(disk.folder, 'gate'), 'w'));
    await assert.rejects(engine.waitFor(submitted.id), (error: unknown) => {
      assert.ok(error instanceof ComputeError, String(error));
      assert.equal(error.code, 'storage');
      assert.match(error.message, /could not be recorded: .*full/);
      return true;
    });
    assert.equal(engine.get(submitted.id).state, 'running', 'the history is not made to say more than it could record');
    await engine.close();
    engines = [];
    rmSync(join(disk.folder, 'ballast'));
    const next = await open(dataFolder);
    const run = await next.waitFor(submitted.id);
    assert.notEqual(run.state, 'completed', 'its exit status could not be written either: it is not reported completed');
    assert.equal(run.state, 'lost');
    assert.equal(run.exitCode, undefined);
  });

  it('never acknowledges a run whose history line only partly fitted, and loses none it acknowledged', async () => {
    disk = mountTmpfs(512 * 1024);
    const dataFolder = join(disk.folder, 'data');
    let engine = await open(dataFolder);
    await engine.submit(clusterOnly(0));
    fillDisk(disk.folder);
    const acknowledged: string[] = [];
    let refusals = 0;
    for (let n = 1; n < 12; n++) {
      try {
        acknowledged.push((await engine.submit(clusterOnly(n))).id);
      } catch (error) {
        assert.ok(error instanceof ComputeError, String(error));
        assert.equal(error.code, 'storage', error.message);
        assert.match(error.message, /full/);
        refusals++;
      }
    }
    await engine.close();
    engines = [];
    rmSync(join(disk.folder, 'ballast'));
    engine = await open(dataFolder);
    const listed = engine.list().map((run) => run.id);
    for (const id of ['burst-0-1', ...acknowledged]) assert.ok(listed.includes(id), `the acknowledged run ${id} is in the history`);
    assert.ok(refusals > 0, 'the disk is full: some submit was refused');
    const next = await engine.submit(clusterOnly(99));
    assert.equal(engine.get(next.id).state, 'refused');
  });

});
