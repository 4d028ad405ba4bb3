// Crash safety: `neurolake storage` processes are killed with SIGKILL at random points while they
// store folders, upload, demote, promote, archive and restore; after every kill the engine opens
// (reconciling what the crash left) and every object a killed process had acknowledged (printed)
// reads back with its checksum. Three processes run at once, so kills also land while one holds the
// index lock the other waits for. The number of kills is printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageEngine } from '../../server/engines/storage';
import { createBucket, s3Server } from './support/services';
import { randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
/** Not found, restoring, no room to promote, and a copy another process removed before ours was verified. */
const CONFLICT_EXITS = new Set([3, 7, 8, 9]);
const HUNG_MS = 90_000;
const KILLS_WANTED = Number(process.env["NEUROLAKE_CRASH_KILLS"] ?? 300);

interface Run {
  readonly killed: boolean;
  readonly acked: ReadonlyMap<string, string>;
}

/** A small deterministic random source, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe('kill -9 during stores and moves', () => {
  it(`loses no acknowledged object over ${KILLS_WANTED} kills`, { timeout: 15 * 60_000 }, async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first (npm run test:storage does)`);
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const home = tempFolder('nl-crash-');
    const seed = Number(process.env['NEUROLAKE_CRASH_SEED'] ?? Date.now() % 1_000_000);
    const next = random(seed);
    const env = {
      ...process.env,
      NEUROLAKE_HOME: home,
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    delete (env as Record<string, string | undefined>)['NEUROLAKE_TEST_S3'];
    /** Kills after `killAfterMs`, counted from the start or, with `fromFirstAck`, from the first acknowledgement printed. */
    const run = (args: readonly string[], killAfterMs?: number, stdin?: Buffer, fromFirstAck = false): Promise<Run> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'storage', ...args, '--json'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let killed = false;
        let timer: NodeJS.Timeout | undefined;
        const arm = (): void => {
          timer = setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, killAfterMs);
        };
        child.stdout.on('data', (chunk: Buffer) => {
          if (out === '' && fromFirstAck && killAfterMs !== undefined) arm();
          out += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.stdin.on('error', () => undefined);
        if (stdin) child.stdin.end(stdin);
        else child.stdin.end();
        if (killAfterMs !== undefined && !fromFirstAck) arm();
        // A command that neither finishes nor gets killed would hang the test: end it and say which.
        const hung = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`neurolake storage ${args.join(' ')} was still running after ${HUNG_MS / 1000} s: ${err.trim().slice(-400)}`));
        }, HUNG_MS);
        child.on('error', reject);
        child.on('exit', (code) => {
          clearTimeout(timer);
          clearTimeout(hung);
          const acked = new Map<string, string>();
          // Only complete lines were acknowledged; a line cut by the kill was not.
          for (const line of out.split('\n').slice(0, out.endsWith('\n') ? undefined : -1)) {
            if (!line.startsWith('{')) continue;
            try {
              const value = JSON.parse(line) as { key?: string; sha256?: string };
              if (value.key && value.sha256) acked.set(value.key, value.sha256);
            } catch {
              // A pretty-printed multi-line answer (single put): handled below.
            }
          }
          // Three processes moving the same objects conflict now and then (one archives what another
          // demotes); the loser refuses with a one-line error and changes nothing, which is correct.
          if (!killed && code !== 0 && !(CONFLICT_EXITS.has(code ?? -1) && /^neurolake: /m.test(err))) {
            reject(new Error(`neurolake storage ${args.join(' ')} failed (exit ${code}): ${err.trim()}`));
            return;
          }
          // A single put answers with one pretty-printed object: acknowledged once the process has printed it all.
          if (!killed && code === 0 && args[0] === 'put' && acked.size === 0 && out.trim().startsWith('{')) {
            const value = JSON.parse(out) as { key?: string; sha256?: string };
            if (value.key && value.sha256) acked.set(value.key, value.sha256);
          }
          if (process.env['NEUROLAKE_CRASH_DEBUG']) console.log(`[crash debug] ${args.join(' ')} killed=${killed} after ${killAfterMs} code=${code} acked=${acked.size} err=${err.trim().slice(0, 200)}`);
          resolve({ killed, acked });
        });
      });

    const configured = await run(['configure', '--endpoint', server.endpoint, '--bucket', bucket, '--capacity-gb', String(3 / 1024), '--watermark', '0.8']);
    assert.equal(configured.killed, false);

    const sources = tempFolder('nl-crash-src-');
    const makeFolder = (name: string): string => {
      const folder = join(sources, name);
      mkdirSync(join(folder, 'sub'), { recursive: true });
      const count = 6 + Math.floor(next() * 14);
      for (let index = 0; index < count; index += 1) {
        writeFileSync(join(folder, index % 3 === 0 ? 'sub' : '', `f${index}.bin`), randomContent(1 + Math.floor(next() * 160_000)));
      }
      return folder;
    };

    // Kills are timed from how long a folder store takes on this machine (busy or not), so they land
    // spread over startup, the stores and the end, instead of all before anything happened.
    const probes: number[] = [];
    for (let probe = 0; probe < 3; probe += 1) {
      const began = Date.now();
      await run(['put', makeFolder(`probe${probe}`), `probe${probe}`]);
      probes.push(Date.now() - began);
    }
    const baseline = probes.sort((a, b) => a - b)[1]!;
    // The part of a folder store after its first acknowledgement, roughly: what the later kills spread over.
    const workMs = Math.max(200, baseline / 3);

    const acked = new Map<string, string>();
    const prefixes: string[] = [];
    let kills = 0;
    let iterations = 0;
    let verifiedReads = 0;
    const started = Date.now();
    const check = async (keys: Iterable<string>): Promise<void> => {
      const engine = await StorageEngine.open({ dataFolder: home, env: { AWS_ENDPOINT_URL_S3: server.endpoint }, credentials: server.credentials });
      try {
        for (const key of keys) {
          const expected = acked.get(key)!;
          let bytes: Buffer;
          try {
            bytes = await readAll(engine, key);
          } catch (error) {
            throw new Error(`after kill ${kills} (seed ${seed}): acknowledged ${key} cannot be read: ${(error as Error).message}`);
          }
          assert.equal(sha256(bytes), expected, `after kill ${kills} (seed ${seed}): ${key} reads back with another checksum`);
          verifiedReads += 1;
        }
      } finally {
        await engine.close();
      }
    };

    while (kills < KILLS_WANTED && iterations < 3 * KILLS_WANTED) {
      iterations += 1;
      const jobs: Promise<Run>[] = [];
      for (let slot = 0; slot < 3; slot += 1) {
        const choice = next();
        // A third of the kills at any time from the start (startup, the first store, lock waits); the
        // rest at a random point of the work, counted from the process's first acknowledgement.
        const fromStart = next() < 1 / 3;
        const delay = fromStart ? Math.floor(baseline * next() * 1.3) : Math.floor(workMs * next());
        const known = prefixes[Math.floor(next() * prefixes.length)];
        if (choice < 0.45 || known === undefined) {
          const prefix = `run${iterations}-${slot}`;
          prefixes.push(prefix);
          jobs.push(run(['put', makeFolder(prefix), prefix], delay, undefined, !fromStart));
        } else if (choice < 0.55) {
          const content = randomContent(1 + Math.floor(next() * 200_000));
          const key = `stdin/${iterations}-${slot}.bin`;
          jobs.push(run(['put', '-', key], delay, content));
        } else if (choice < 0.7) {
          jobs.push(run(['demote', '--prefix', `${known}/`], delay, undefined, !fromStart));
        } else if (choice < 0.8) {
          jobs.push(run(['promote', '--prefix', `${known}/`], delay, undefined, !fromStart));
        } else if (choice < 0.88) {
          jobs.push(run(['sync'], delay, undefined, !fromStart));
        } else if (choice < 0.94) {
          jobs.push(run(['archive', '--prefix', `${known}/`], delay, undefined, !fromStart));
        } else {
          jobs.push(run(['restore', '--prefix', `${known}/`], delay, undefined, !fromStart));
        }
      }
      const results = await Promise.all(jobs);
      const fresh: string[] = [];
      for (const result of results) {
        if (result.killed) kills += 1;
        for (const [key, sum] of result.acked) {
          acked.set(key, sum);
          fresh.push(key);
        }
      }
      // What was just acknowledged, plus a few older objects that later moves may have touched.
      const older = [...acked.keys()].filter(() => next() < 8 / Math.max(8, acked.size));
      await check(new Set([...fresh, ...older]));
    }
    await check(acked.keys());
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`[crash] ${kills} kills -9 in ${iterations} rounds of 3 processes (${seconds} s, seed ${seed}, a folder store takes ${baseline} ms); ${acked.size} acknowledged objects all read back with their checksums (${verifiedReads} checked reads)`);
    assert.ok(kills >= KILLS_WANTED, `only ${kills} processes were still running when killed`);
    assert.ok(acked.size >= KILLS_WANTED / 4, `only ${acked.size} objects were acknowledged: the kills came too early to test anything`);
  });
});
