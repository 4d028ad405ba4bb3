// What a pasted Slurm token must look like before it is kept: a JWT (three base64url parts) that
// has not expired. Checked here so a typo is refused at once, not at the next burst.

/** Undefined when `text` looks like a usable JWT at `nowSeconds`; else what is wrong with it. */
export function slurmTokenProblem(text: string, nowSeconds: number): string | undefined {
  const token = text.trim().replace(/^SLURM_JWT=/, '');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return 'A Slurm token is a JWT: three parts separated by dots (as `scontrol token` prints after SLURM_JWT=).';
  let claims: { exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
  } catch {
    return 'The token\'s middle part is not JSON; paste the whole token.';
  }
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return `This token expired at ${new Date(claims.exp * 1000).toISOString()}; make a new one (scontrol token lifespan=…).`;
  return undefined;
}

/** The token as kept: without the `SLURM_JWT=` that `scontrol token` prints before it. */
export function normaliseSlurmToken(text: string): string {
  return text.trim().replace(/^SLURM_JWT=/, '');
}
