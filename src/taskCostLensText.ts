// What the cost lens above a neurolake task says: the estimated cost on this machine and on the
// cluster, from the compute engine's decision for the task (made without running it). No `vscode`
// here: unit tests read it as it is.
import type { WireDecision, WireDecisionOption } from '../server/protocol';
import { pricesOf } from './pricesText';

/** "$0.42", or "<$0.01" for an amount that rounds to nothing but is not free. */
export function usd(amount: number): string {
  return amount > 0 && amount < 0.005 ? '<$0.01' : `$${amount.toFixed(2)}`;
}

function option(decision: WireDecision, tier: WireDecisionOption['tier']): string {
  const found = decision.options.find((o) => o.tier === tier);
  const name = tier === 'local' ? 'local' : 'cluster';
  if (found === undefined) return `${name} n/a`;
  // What it would cost there is worth knowing even when that place cannot take it now (no cluster set up).
  return `${name} ${usd(found.estimatedCostUsd)}${found.possible ? '' : ' (unavailable)'}`;
}

/** "$(play) Run · local $0.02 · cluster $0.10": what clicking does and what each place would cost. */
export function estimateTitle(decision: WireDecision): string {
  return `$(play) Run · ${option(decision, 'local')} · ${option(decision, 'cluster')}`;
}

/** The decision in words, why an option is not available, and which prices the costs are from. */
export function estimateTooltip(decision: WireDecision): string {
  const unavailable = decision.options.filter((o) => !o.possible && o.why !== undefined).map((o) => `${o.tier === 'local' ? 'This machine' : 'The cluster'}: ${o.why}.`);
  const prices = pricesOf(decision);
  return [decision.reason, ...unavailable, ...(prices === undefined ? [] : [`Costs at ${prices}.`])].join('\n');
}
