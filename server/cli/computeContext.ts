// What every `neurolake compute` subcommand shares: the engine for the data folder, with the
// cluster configured from options or the environment, always closed; compute failures as exit codes.
import { InvalidArgumentError } from 'commander';
import { ComputeEngine, ComputeError, scontrolTokenSource, staticTokenSource, type BurstTransfer, type ClusterSettings, type ComputeErrorCode } from '../engines/compute';
import { StorageEngine } from '../engines/storage';
import { cloudBurstTransfer } from '../runtime/burstTransfer';
import { EXIT } from './exitCodes';
import { CliError, type Io } from './output';

export interface ComputeCliOptions {
  readonly clusterUrl?: string;
  readonly apiVersion?: string;
  readonly slurmUser?: string;
  readonly sharedFolder?: string;
  readonly partition?: string;
  readonly prices?: 'seed' | 'aws';
  readonly cpuLimit?: number;
  readonly whenClusterDown?: 'queue' | 'refuse';
}

export interface ComputeCliContext {
  readonly io: Io;
  dataFolder(): string;
  options(): ComputeCliOptions;
}

/** The cluster from options, else $NEUROLAKE_SLURM_*; the token from $SLURM_JWT, else `scontrol token`. */
export function clusterSettings(options: ComputeCliOptions, env: NodeJS.ProcessEnv = process.env): ClusterSettings | undefined {
  const url = options.clusterUrl ?? env['NEUROLAKE_SLURM_URL'];
  if (url === undefined || url === '') return undefined;
  const user = options.slurmUser ?? env['NEUROLAKE_SLURM_USER'] ?? env['USER'] ?? 'root';
  // Without a shared folder, burst jobs' files travel through the data folder's storage cloud tier.
  const sharedFolder = options.sharedFolder ?? env['NEUROLAKE_SLURM_SHARED_FOLDER'];
  const jwt = env['SLURM_JWT'];
  const partition = options.partition ?? env['NEUROLAKE_SLURM_PARTITION'];
  return {
    url,
    apiVersion: options.apiVersion ?? env['NEUROLAKE_SLURM_API_VERSION'] ?? 'v0.0.38',
    tokens: jwt !== undefined && jwt !== '' ? staticTokenSource(user, jwt) : scontrolTokenSource(user),
    ...(sharedFolder === undefined || sharedFolder === '' ? {} : { sharedFolder }),
    ...(partition === undefined || partition === '' ? {} : { partition }),
    pollMs: 1000,
  };
}

export async function withCompute<T>(ctx: ComputeCliContext, work: (engine: ComputeEngine) => Promise<T>): Promise<T> {
  const options = ctx.options();
  const cluster = clusterSettings(options);
  // A cluster that shares no folder reaches the job's files through storage's cloud tier.
  const storage = cluster !== undefined && cluster.sharedFolder === undefined ? await StorageEngine.open({ dataFolder: ctx.dataFolder(), background: false }) : undefined;
  const burstTransfer = storage === undefined ? undefined : await cloudBurstTransfer(ctx.dataFolder(), () => storage);
  try {
    return await withEngine(ctx, options, cluster, burstTransfer, work);
  } finally {
    await storage?.close();
  }
}

async function withEngine<T>(ctx: ComputeCliContext, options: ComputeCliOptions, cluster: ClusterSettings | undefined, burstTransfer: BurstTransfer | undefined, work: (engine: ComputeEngine) => Promise<T>): Promise<T> {
  const engine = await asCliError(() =>
    ComputeEngine.open({
      dataFolder: ctx.dataFolder(),
      ...(burstTransfer === undefined ? {} : { burstTransfer }),
      base: process.cwd(),
      ...(cluster === undefined ? {} : { cluster }),
      ...(options.prices === undefined ? {} : { prices: options.prices }),
      ...(options.cpuLimit === undefined ? {} : { localCpuLimitPct: options.cpuLimit }),
      ...(options.whenClusterDown === undefined ? {} : { whenClusterDown: options.whenClusterDown }),
      sampleMs: 500,
      refreshMs: 500,
    }),
  );
  try {
    return await asCliError(() => work(engine));
  } finally {
    await engine.close();
  }
}

export async function asCliError<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ComputeError) throw new CliError(error.message, exitCodeForCompute(error.code));
    throw error;
  }
}

function exitCodeForCompute(code: ComputeErrorCode): number {
  switch (code) {
    case 'not-found':
      return EXIT.notFound;
    case 'already-active':
      return EXIT.conflict;
    case 'invalid-workload':
    case 'refused':
      return EXIT.invalidInput;
    case 'cluster':
    case 'storage':
    case 'closed':
      return EXIT.general;
  }
}

export function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('must be a number of at least 0.');
  return number;
}

export function choice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`use one of ${choices.join(', ')}.`);
    return value as T;
  };
}
