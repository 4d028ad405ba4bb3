// Types of slurm.mjs, for the TypeScript tests that use the test cluster.
export interface SlurmState {
  readonly dir: string;
  readonly conf: string;
  readonly jwtKey: string;
  readonly restUser: string;
  readonly apiVersion: string;
  readonly url: string;
  readonly restPort: number;
  readonly jobsFolder: string;
  readonly restPidFile: string;
  readonly mungeSocket: string;
}
export const SLURM_PACKAGES: readonly string[];
export const REST_USER: string;
export const API_VERSION: string;
export const STATE_ENV: string;
export function ensureSlurmPackages(): void;
export function slurmEnv(state: SlurmState): NodeJS.ProcessEnv;
export function startSlurm(): Promise<SlurmState>;
export function restStart(state: SlurmState): void;
export function restStop(state: SlurmState): Promise<void>;
export function restReady(state: SlurmState): Promise<void>;
export function slurmToken(state: SlurmState, lifespanSeconds?: number): string;
/** Stops the daemons at once; resolves once the ones this process started are reaped. */
export function stopSlurm(state: SlurmState): Promise<void>;
