// Commands of the Workloads view: Cancel, Retry, Run Again Locally / On Cluster, Show Output and
// Show Details; ids neurolake.compute.*, menus keyed by the words in a run's contextValue.
import * as vscode from 'vscode';
import { ComputeCancelRequest, ComputeGetRequest, ComputeSubmitRequest, type ComputeTierName, type WireRun, type WireWorkloadSpec } from '../../server/protocol';
import { type Ctx } from '../ctx';
import { assertTrusted } from '../trust';
import { formatDuration, type WorkloadNode } from '../views/workloadsView';
import { type CommandFactories } from './registry';

function runOf(node: WorkloadNode | undefined): WireRun {
  if (node?.type !== 'run') throw new Error('Choose a workload in the Workloads view first.');
  return node.run;
}

/** The same workload again, here or on the cluster, or wherever the scheduler decides. */
async function runAgain(ctx: Ctx, node: WorkloadNode | undefined, tier?: ComputeTierName): Promise<WireRun> {
  assertTrusted('runs no workloads here');
  const { workload } = await ctx.request(ComputeGetRequest, { id: runOf(node).id });
  const { tier: _previous, ...rest } = workload;
  const spec: WireWorkloadSpec = { ...rest, ...(tier === undefined ? {} : { tier }) };
  const run = await ctx.request(ComputeSubmitRequest, spec);
  void vscode.window.showInformationMessage(`${run.workload.name}: ${run.decision.reason}`);
  return run;
}

function details(run: WireRun): string {
  const w = run.workload;
  const at = (time: number | undefined): string => (time === undefined ? '-' : new Date(time).toLocaleString());
  const command = w.run.kind === 'shell' ? w.run.command : `${w.run.interpreter ?? ''} ${w.run.file}`.trim();
  return [
    `# ${w.name} — ${run.state}${run.tier === undefined ? '' : ` on ${run.tier}`}`,
    '',
    `Run \`${run.id}\`, attempt ${run.attempt}${run.exitCode === undefined ? '' : `, exit code ${run.exitCode}`}${run.jobId === undefined ? '' : `, Slurm job ${run.jobId}`}`,
    '',
    '## Decision',
    '',
    run.decision.reason,
    '',
    '| option | possible | estimated start | estimated cost |',
    '| --- | --- | --- | ---: |',
    ...run.decision.options.map(
      (option) => `| ${option.tier} | ${option.possible ? 'yes' : `no: ${option.why ?? ''}`} | ${option.estimatedStart === undefined ? '-' : at(option.estimatedStart)} | $${option.estimatedCostUsd.toFixed(4)} |`,
    ),
    '',
    '## Resources',
    '',
    `${w.type}: \`${command}\` in ${w.workingFolder}; ${w.cpus} CPU, ${w.memoryGb} GB, about ${w.estimatedMinutes} min; priority ${w.priority}, max wait ${w.maxWaitMinutes} min${w.budgetUsd === undefined ? '' : `, budget $${w.budgetUsd}`}`,
    '',
    '## Times',
    '',
    `Submitted ${at(run.submittedAt)}, started ${at(run.startedAt)}, ended ${at(run.endedAt)}${run.startedAt === undefined ? '' : ` (${formatDuration((run.endedAt ?? Date.now()) - run.startedAt)})`}`,
    `CPU time ${run.cpuSeconds === undefined ? '-' : `${run.cpuSeconds.toFixed(2)} s`}, peak memory ${run.peakMemoryBytes === undefined ? '-' : `${(run.peakMemoryBytes / 1024 / 1024).toFixed(1)} MB`}, cost ${run.costUsd === undefined ? '-' : `$${run.costUsd.toFixed(4)}`}`,
    ...(run.detail === undefined ? [] : ['', run.detail]),
    '',
  ].join('\n');
}

export const computeCommands: CommandFactories = {
  'neurolake.compute.cancel':
    ({ ctx }) =>
    async (node?: WorkloadNode) =>
      ctx.request(ComputeCancelRequest, { id: runOf(node).id }),
  'neurolake.compute.retry':
    ({ ctx }) =>
    (node?: WorkloadNode) =>
      runAgain(ctx, node),
  'neurolake.compute.runAgainLocally':
    ({ ctx }) =>
    (node?: WorkloadNode) =>
      runAgain(ctx, node, 'local'),
  'neurolake.compute.runAgainOnCluster':
    ({ ctx }) =>
    (node?: WorkloadNode) =>
      runAgain(ctx, node, 'cluster'),
  /** Opens the run's log; the editor follows the file as it grows. */
  'neurolake.compute.showOutput':
    ({ ctx }) =>
    async (node?: WorkloadNode) => {
      const run = await ctx.request(ComputeGetRequest, { id: runOf(node).id });
      if (run.logFile === undefined) throw new Error(`${run.id} has no output yet: it has not started.`);
      return vscode.window.showTextDocument(vscode.Uri.file(run.logFile), { preview: true });
    },
  'neurolake.compute.showDetails':
    ({ ctx }) =>
    async (node?: WorkloadNode) => {
      const run = await ctx.request(ComputeGetRequest, { id: runOf(node).id });
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: details(run) });
      return vscode.window.showTextDocument(document, { preview: true });
    },
  'neurolake.compute.loadMore':
    ({ views }) =>
    (key: string) =>
      views.workloads.loadMore(key),
};
