// The `neurolake.compute.*` settings as the compute engine takes them. The Slurm token is a
// secret: the extension puts it in the server's environment when it starts the server (so it
// never appears in a settings message or an LSP trace), and a new token means a new server.
import { userInfo } from 'node:os';
import { ComputeError, scontrolTokenSource, staticTokenSource, type ComputeSettings, type SlurmTokenSource } from '../engines/compute';
import { SLURM_TOKEN_ENV, type ComputeSettings as ComputeSettingsWire } from '../protocol/settings';

export interface ComputeSettingsResult {
  readonly settings: ComputeSettings;
  /** Why the cluster in the settings is not used, when it is not. */
  readonly problem?: string;
}

export function engineComputeSettings(wire: ComputeSettingsWire, env: NodeJS.ProcessEnv = process.env): ComputeSettingsResult {
  const base: ComputeSettings = {
    localCpuLimitPct: wire.localCpuLimitPct,
    localMemoryLimitPct: wire.localMemoryLimitPct,
    burst: wire.burst,
    whenClusterDown: wire.whenClusterDown,
    noRetryExitCodes: wire.noRetryExitCodes,
    onTimeTargetPct: wire.onTimeTargetPct,
    ...(wire.defaultMaxWaitMinutes === null ? {} : { defaultMaxWaitMinutes: wire.defaultMaxWaitMinutes }),
  };
  const slurm = wire.slurm;
  if (slurm.url === '') return { settings: base };
  const user = slurm.user !== '' ? slurm.user : userInfo().username;
  return {
    settings: {
      ...base,
      cluster: {
        url: slurm.url,
        apiVersion: slurm.apiVersion,
        tokens: slurmTokens(user, env[SLURM_TOKEN_ENV]),
        // Empty: the job's files travel through the storage cloud tier (refused at start when there is none).
        ...(slurm.sharedFolder === '' ? {} : { sharedFolder: slurm.sharedFolder }),
        ...(slurm.partition === '' ? {} : { partition: slurm.partition }),
      },
    },
  };
}

/** The token the extension gave, else one from `scontrol token` where Slurm's tools are; else a refusal that asks for one. */
function slurmTokens(user: string, token: string | undefined): SlurmTokenSource {
  if (token !== undefined && token !== '') return staticTokenSource(user, token);
  const minted = scontrolTokenSource(user);
  const asked = (error: unknown): never => {
    throw new ComputeError('cluster', `No Slurm token is set for ${user} (and \`scontrol token\` could not make one: ${(error as Error).message}); run "NeuroLake: Set Slurm Token…".`, true);
  };
  return { user, token: () => minted.token().catch(asked), refresh: () => minted.refresh().catch(asked) };
}
