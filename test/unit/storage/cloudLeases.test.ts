// Cloud-write leases: whose lease a writer waits for (a live process that took it, judged by pid and
// /proc start time, so a reused pid is not mistaken for it), which it drops (a dead owner's, after a
// moment's grace), what the index refuses in a hand-edited lease line, and that leases survive a
// compaction while reconcile on open drops those of processes that are gone.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageEngine } from '../../../server/engines/storage';
import { DEAD_LEASE_GRACE_MS, FOREIGN_LEASE_MS, leaseAlive, leasesOn, processStart, type CloudLease, type LeaseWorld } from '../../../server/engines/storage/cloudLeases';
import { leaseProblem, opProblem } from '../../../server/engines/storage/indexChecks';
import { IndexStore, type IndexState } from '../../../server/engines/storage/indexStore';

const linux = process.platform === 'linux';

async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  // Reaped once 'exit' fires: until then a killed child is a zombie that still has its pid.
  await exited;
}

function leaseOf(pid: number, start: string | undefined, extra: Partial<CloudLease> = {}): CloudLease {
  return { id: `lease-${Math.random().toString(36).slice(2)}`, key: 'data/a.bin', place: 'cloud', pid, host: hostname(), ...(start !== undefined ? { start } : {}), at: new Date().toISOString(), ...extra };
}

function world(overrides: Partial<LeaseWorld> = {}): LeaseWorld {
  return { host: hostname(), pid: process.pid, start: processStart(process.pid), held: new Set(), isAlive: () => true, startOf: processStart, now: Date.now(), ...overrides };
}

function stateWith(...leases: CloudLease[]): IndexState {
  return { objects: new Map(), intents: new Map(), leases: new Map(leases.map((lease) => [lease.id, lease])), counters: { hits: 0, misses: 0 } };
}

describe('cloud-write lease liveness', () => {
  it("is a live process's that took it, and not once that process is gone", { skip: !linux }, async () => {
    const child = await sleeper();
    const start = processStart(child.pid);
    assert.match(start ?? '', /^[0-9a-f-]+:\d+$/, 'boot id and start time from /proc');
    const lease = leaseOf(child.pid, start);
    try {
      assert.equal(leaseAlive(lease), true);
      assert.equal(leaseAlive({ ...lease, start: `${start!.split(':')[0]}:1` }), false, 'the same pid started at another time is another process');
    } finally {
      await killed(child);
    }
    assert.equal(leaseAlive(lease), false, 'its owner was killed');
  });

  it("is this process's while it holds it, and a leftover of a failed release once it does not", () => {
    const lease = leaseOf(process.pid, processStart(process.pid));
    assert.equal(leaseAlive(lease, world({ held: new Set([lease.id]) })), true);
    assert.equal(leaseAlive(lease, world()), false);
  });

  it("of a process on another machine lasts a bounded time, as its owner cannot be seen", () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    const lease = leaseOf(4242, 'other-boot:1', { host: 'another-machine', at: new Date(at).toISOString() });
    assert.equal(leaseAlive(lease, world({ now: at + FOREIGN_LEASE_MS - 1, isAlive: () => false })), true, 'a pid here says nothing of another machine');
    assert.equal(leaseAlive(lease, world({ now: at + FOREIGN_LEASE_MS })), false);
  });

  it('without a start time (no /proc) goes by the pid alone', () => {
    const lease = leaseOf(4242, undefined);
    assert.equal(leaseAlive(lease, world({ start: undefined, isAlive: (pid) => pid === 4242 })), true);
    assert.equal(leaseAlive(lease, world({ start: undefined, isAlive: () => false })), false);
  });

  it("of a dead owner is still waited for a moment (what its kernel had sent may still land), then dropped", () => {
    const dead = leaseOf(4242, 'boot:1');
    const other = leaseOf(4243, 'boot:1', { key: 'data/b.bin' });
    const firstSeen = Date.now();
    const gone = world({ isAlive: () => false, now: firstSeen });
    assert.deepEqual(leasesOn(stateWith(dead, other), 'cloud', 'data/a.bin', gone), { live: [dead], dead: [] }, 'only the leases of that name, and this one just found dead');
    assert.deepEqual(leasesOn(stateWith(dead), 'archive', 'data/a.bin', gone), { live: [], dead: [] }, 'the archive name is another name');
    assert.deepEqual(leasesOn(stateWith(dead), 'cloud', 'data/a.bin', { ...gone, now: firstSeen + DEAD_LEASE_GRACE_MS }), { live: [], dead: [dead] });
  });
});

describe('lease lines in the index', () => {
  it('refuses hand-edited or hostile leases with the reason, and accepts the real ones', () => {
    const good = leaseOf(1234, 'boot:99');
    assert.equal(opProblem({ t: 'lease', lease: good }), undefined);
    assert.equal(opProblem({ t: 'release', id: good.id }), undefined);
    assert.equal(opProblem({ t: 'batch', ops: [{ t: 'release', id: 'x' }, { t: 'lease', lease: good }] }), undefined);
    assert.match(leaseProblem({ ...good, key: '../../etc/passwd' }) ?? '', /\.\./);
    assert.match(leaseProblem({ ...good, place: 'local' }) ?? '', /not the cloud or archive tier/);
    assert.match(leaseProblem({ ...good, pid: -1 }) ?? '', /no process id/);
    assert.match(leaseProblem({ ...good, id: '' }) ?? '', /no id/);
    assert.match(leaseProblem({ ...good, at: 'yesterday' }) ?? '', /no time/);
    assert.match(leaseProblem({ ...good, start: 7 }) ?? '', /start time that is not text/);
    assert.match(leaseProblem('lease') ?? '', /must be an object/);
    assert.match(opProblem({ t: 'release' }) ?? '', /released lease has no id/);
    assert.match(opProblem({ t: 'batch', ops: [{ t: 'lease', lease: { ...good, host: 3 } }] }) ?? '', /in a batch, .*no host/);
  });

  it('keeps live leases through a compaction, and reconcile on open drops those of processes that are gone', { skip: !linux }, async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'nl-leases-'));
    const warnings: string[] = [];
    const engine = await StorageEngine.open({ dataFolder, env: {}, onWarning: (message) => warnings.push(message) });
    await engine.store('kept.csv', Buffer.from('kept\n'));
    await engine.close();
    const indexFile = join(dataFolder, 'storage', 'index.json');
    const living = await sleeper();
    const dying = await sleeper();
    try {
      const alive = leaseOf(living.pid, processStart(living.pid));
      const dead = leaseOf(dying.pid, processStart(dying.pid), { key: 'data/b.bin', place: 'archive' });
      const store = await IndexStore.open(indexFile);
      await store.transact(() => ({ ops: [{ t: 'lease', lease: alive }, { t: 'lease', lease: dead }], result: undefined }), false);
      await store.compact();
      // After the compaction: the leases are in the snapshot only.
      const journal = store.journalPath();
      await store.close();
      await killed(dying);
      appendFileSync(journal, `${JSON.stringify({ t: 'lease', lease: { ...alive, id: 'hostile', key: '/etc/hostname' } })}\n`);

      const reopened = await StorageEngine.open({ dataFolder, env: {}, onWarning: (message) => warnings.push(message) });
      await reopened.close();
      assert.ok(warnings.some((warning) => /Skipped .*\/etc\/hostname/.test(warning)), `the hostile lease line is skipped with a warning: ${warnings.join(' | ')}`);
      const after = await IndexStore.open(indexFile);
      try {
        assert.deepEqual([...after.state.leases.values()], [alive], "the live process's lease is kept, the dead one's dropped");
        assert.deepEqual([...after.state.objects.keys()], ['kept.csv']);
      } finally {
        await after.close();
      }
    } finally {
      await killed(living);
      if (dying.exitCode === null && dying.signalCode === null) await killed(dying);
    }
  });
});
