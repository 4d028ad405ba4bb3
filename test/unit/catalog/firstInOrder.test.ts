// The search index's top-k selection must return exactly what a stable sort then slice would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstInOrder } from '../../../server/engines/catalog/searchIndex';

describe('firstInOrder', () => {
  it('equals a stable sort and slice, ties included, for every limit', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const items = Array.from({ length: 2000 }, (_, i) => ({ i, tier: Math.floor(random() * 3), score: Math.floor(random() * 5) }));
    const order = (a: (typeof items)[number], b: (typeof items)[number]): number => a.tier - b.tier || b.score - a.score;
    for (const limit of [0, 1, 7, 50, 499, 500, 501, 1999, 2000, 5000]) {
      assert.deepEqual(firstInOrder(items, limit, order), [...items].sort(order).slice(0, limit), `limit ${limit}`);
    }
  });
});
