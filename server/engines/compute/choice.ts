// The verdict from the two options: run here now, queue for the machine or for the cluster, burst,
// or refuse, by the policy; with its reason in words. A pure function of what it is given.
import { explainDecision } from './reasons';
import type { ClusterView, SchedulerJob, SchedulingPolicy } from './schedulerTypes';
import type { ComputeTier, Decision, DecisionOption } from './types';

export interface ChoiceContext {
  readonly policy: SchedulingPolicy;
  readonly view: ClusterView;
  /** Asked only when the cluster is down for now. */
  whenClusterDown(): 'queue' | 'refuse';
}

export function choose(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number, context: ChoiceContext): Omit<Decision, 'options' | 'decidedAt'> {
  const { policy, view } = context;
  const deadline = job.submittedAt + job.maxWaitMs;
  const localNow = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= now;
  const localInTime = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= deadline;
  const overBudget = job.budgetUsd !== undefined && cluster.estimatedCostUsd > job.budgetUsd;
  // Down for now, not turned off or too dear: waiting for it to come back may help.
  const waitForCluster = view.enabled && !view.available && !overBudget && context.whenClusterDown() === 'queue';
  const explain = (verdict: Decision['verdict'], tier?: ComputeTier): Omit<Decision, 'options' | 'decidedAt'> => ({
    verdict,
    ...(tier === undefined ? {} : { tier }),
    reason: explainDecision({ verdict, tier, job, local, cluster, now, deadline, policy, forced: job.tier }),
  });

  if (job.tier === 'local' || policy === 'local-only') {
    if (!local.possible) return explain('refuse');
    return localNow ? explain('local') : explain('queue', 'local');
  }
  if (job.tier === 'cluster' || policy === 'cloud-only') {
    if (cluster.possible) return explain('cluster');
    return waitForCluster ? explain('queue', 'cluster') : explain('refuse');
  }
  if (localNow) return explain('local');
  if (policy === 'naive-burst') {
    if (cluster.possible) return explain('cluster');
    return local.possible ? explain('queue', 'local') : waitForCluster ? explain('queue', 'cluster') : explain('refuse');
  }
  if (localInTime) return explain('queue', 'local');
  if (cluster.possible) return explain('cluster');
  if (local.possible) return explain('queue', 'local');
  return waitForCluster ? explain('queue', 'cluster') : explain('refuse');
}
