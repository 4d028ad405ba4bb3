// A crashing server is restarted a bounded number of times within three minutes, then left down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CRASH_WINDOW_MS, CrashPolicy } from '../../src/crashPolicy';

describe('CrashPolicy', () => {
  it('restarts up to the limit, then gives up', () => {
    let now = 0;
    const policy = new CrashPolicy(() => 2, () => now);
    assert.deepEqual(policy.recordCrash(), { restart: true, crashes: 1, limit: 2 });
    now += 1000;
    assert.deepEqual(policy.recordCrash(), { restart: true, crashes: 2, limit: 2 });
    now += 1000;
    assert.deepEqual(policy.recordCrash(), { restart: false, crashes: 3, limit: 2 });
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const policy = new CrashPolicy(() => 1, () => now);
    assert.equal(policy.recordCrash().restart, true);
    now += CRASH_WINDOW_MS + 1;
    assert.deepEqual(policy.recordCrash(), { restart: true, crashes: 1, limit: 1 });
  });

  it('a limit of 0 never restarts, and reset starts a fresh count', () => {
    let limit = 0;
    const policy = new CrashPolicy(() => limit);
    assert.equal(policy.recordCrash().restart, false);
    limit = 1;
    policy.reset();
    assert.equal(policy.recordCrash().restart, true);
  });
});
