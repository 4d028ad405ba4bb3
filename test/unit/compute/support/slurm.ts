// The real Slurm cluster of this test run: the one runNodeTests.mjs started for every test file
// (its state in $NEUROLAKE_TEST_SLURM), or, when a file runs alone, one started here on first use
// and stopped when this process exits.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startSlurm, STATE_ENV, stopSlurm, type SlurmState } from '../../../harness/slurm.mjs';

let own: Promise<SlurmState> | undefined;

export function slurmCluster(): Promise<SlurmState> {
  const shared = process.env[STATE_ENV];
  if (shared !== undefined && shared !== '') return Promise.resolve(JSON.parse(shared) as SlurmState);
  own ??= startSlurm().then((state) => {
    process.once('exit', () => void stopSlurm(state));
    return state;
  });
  return own;
}

/** A token slurmctld accepts by its signature but that expired a minute ago. */
export function expiredToken(state: SlurmState): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ exp: now - 60, iat: now - 120, sun: state.restUser })}`;
  return `${body}.${createHmac('sha256', readFileSync(state.jwtKey)).update(body).digest('base64url')}`;
}
