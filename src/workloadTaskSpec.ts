// What a `"type": "neurolake"` task in tasks.json asks for, turned into the workload the compute
// engine runs or prices. Shared by the task itself (Run Task) and the cost lens above it, so both
// describe the same workload. No `vscode` here: unit tests read it as it is.
import type { WireWorkloadSpec } from '../server/protocol';

/** What a tasks.json entry holds; everything but the name and what to run is optional. */
export interface WorkloadTaskDefinition {
  readonly type: string;
  readonly name: string;
  readonly workloadType?: WireWorkloadSpec['type'];
  readonly command?: string;
  readonly script?: string;
  readonly cwd?: string;
  readonly cpus?: number;
  readonly memoryGb?: number;
  readonly estimatedMinutes?: number;
  readonly priority?: number;
  readonly maxWaitMinutes?: number;
  readonly tier?: 'local' | 'cluster';
}

/** The workload of a task, run in `folder` unless the task names its own; throws when the task names nothing to run. */
export function workloadSpec(d: WorkloadTaskDefinition, folder: string | undefined): WireWorkloadSpec {
  if (typeof d.name !== 'string' || d.name.trim() === '') throw new Error('A neurolake task needs a "name".');
  if ((d.command === undefined) === (d.script === undefined)) throw new Error(`The task "${d.name}" needs either "command" or "script".`);
  const cwd = d.cwd ?? folder;
  return {
    name: d.name,
    type: d.workloadType ?? 'etl',
    run: d.command !== undefined ? { kind: 'shell', command: d.command } : { kind: 'script', file: d.script! },
    ...(cwd === undefined ? {} : { workingFolder: cwd }),
    ...(d.cpus === undefined ? {} : { cpus: d.cpus }),
    ...(d.memoryGb === undefined ? {} : { memoryGb: d.memoryGb }),
    ...(d.estimatedMinutes === undefined ? {} : { estimatedMinutes: d.estimatedMinutes }),
    ...(d.priority === undefined ? {} : { priority: d.priority }),
    ...(d.maxWaitMinutes === undefined ? {} : { maxWaitMinutes: d.maxWaitMinutes }),
    ...(d.tier === undefined ? {} : { tier: d.tier }),
  };
}
