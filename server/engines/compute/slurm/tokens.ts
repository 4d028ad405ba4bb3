// Where the Slurm JWT comes from. The engine only asks a source for a token and, when the cluster
// refused one or it is about to expire, for a fresh one; the extension keeps it in SecretStorage,
// the CLI reads $SLURM_JWT or runs `scontrol token` on a machine that may.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface SlurmTokenSource {
  /** The Slurm user the token belongs to (sent as X-SLURM-USER-NAME). */
  readonly user: string;
  token(): Promise<string>;
  /** A new token, after the cluster refused the current one or it expires. */
  refresh(): Promise<string>;
}

/** Seconds since the epoch when a JWT expires (its `exp` claim), if it says. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** A token given once (a setting, $SLURM_JWT): refreshing returns the same, so an expired one fails clearly. */
export function staticTokenSource(user: string, token: string): SlurmTokenSource {
  return { user, token: async () => token, refresh: async () => token };
}

/** Tokens from `scontrol token`, which works where Slurm's tools and the right to mint tokens are. */
export function scontrolTokenSource(user: string, options: { lifespanSeconds?: number; env?: NodeJS.ProcessEnv } = {}): SlurmTokenSource {
  let current: string | undefined;
  const mint = async (): Promise<string> => {
    const { stdout } = await promisify(execFile)('scontrol', ['token', `username=${user}`, `lifespan=${options.lifespanSeconds ?? 3600}`], { env: options.env ?? process.env });
    const match = /SLURM_JWT=(\S+)/.exec(stdout);
    if (match === null) throw new Error(`scontrol token printed no token: ${stdout.trim()}`);
    current = match[1]!;
    return current;
  };
  return { user, token: async () => current ?? mint(), refresh: mint };
}
