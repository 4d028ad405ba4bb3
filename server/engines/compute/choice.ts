// The verdict from the two options: run here now, queue for the machine or for the cluster, burst,
// or refuse, by the policy; with its reason in words. A pure function of what it is given.
import { explainDecision, type ReasonInput } from './reasons';
import type { ClusterView, SchedulerJob, SchedulingPolicy } from './schedulerTypes';
import type { ComputeTier, Decision, DecisionOption } from './types';

export interface ChoiceContext {
  readonly policy: SchedulingPolicy;
  /** Asked only when the cluster is down for now. */
  whenClusterDown(): 'queue' | 'refuse';
}

type Verdict = Omit<Decision, 'options' | 'decidedAt'>;

export function choose(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number, view: ClusterView, context: ChoiceContext): Verdict {
  const { policy } = context;
  const deadline = job.submittedAt + job.maxWaitMs;
  const localNow = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= now;
  const localInTime = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= deadline;
  const overBudget = job.budgetUsd !== undefined && cluster.estimatedCostUsd > job.budgetUsd;
  // Down for now, not turned off or too dear: waiting for it to come back may help.
  const waitForCluster = view.enabled && !view.available && !overBudget && context.whenClusterDown() === 'queue';
  // Decisions are asked for many times a second with a long queue: no closure made per decision.
  const input: Omit<ReasonInput, 'verdict' | 'tier'> = { job, local, cluster, now, deadline, policy, forced: job.tier };

  if (job.tier === 'local' || policy === 'local-only') {
    if (!local.possible) return explain(input, 'refuse');
    return localNow ? explain(input, 'local') : explain(input, 'queue', 'local');
  }
  if (job.tier === 'cluster' || policy === 'cloud-only') {
    if (cluster.possible) return explain(input, 'cluster');
    return waitForCluster ? explain(input, 'queue', 'cluster') : explain(input, 'refuse');
  }
  if (localNow) return explain(input, 'local');
  if (policy === 'naive-burst') {
    if (cluster.possible) return explain(input, 'cluster');
    return local.possible ? explain(input, 'queue', 'local') : waitForCluster ? explain(input, 'queue', 'cluster') : explain(input, 'refuse');
  }
  if (localInTime) return explain(input, 'queue', 'local');
  if (cluster.possible) return explain(input, 'cluster');
  if (local.possible) return explain(input, 'queue', 'local');
  return waitForCluster ? explain(input, 'queue', 'cluster') : explain(input, 'refuse');
}

function explain(input: Omit<ReasonInput, 'verdict' | 'tier'>, verdict: Decision['verdict'], tier?: ComputeTier): Verdict {
  return {
    verdict,
    ...(tier === undefined ? {} : { tier }),
    reason: explainDecision({ verdict, tier, ...input }),
  };
}
