// Which prices a cost is from, in the words shown beside it ("aws prices of 2025-01-01"), so a
// figure is never read without the date it was true on. No `vscode` here: unit tests read it.
import type { WireDecision } from '../server/protocol';

/** "aws prices of 2025-01-01", or undefined when the decision does not say (a recorded run's). */
export function pricesOf(decision: Pick<WireDecision, 'prices'>): string | undefined {
  return decision.prices === undefined ? undefined : `${decision.prices.preset} prices of ${decision.prices.asOf}`;
}
