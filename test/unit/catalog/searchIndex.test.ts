// The index stays right through heavy churn (its compaction of dead slots) and bulk builds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchIndex, type SearchableEntry } from '../../../server/engines/catalog/searchIndex';

const entry = (id: string, name: string, tags: string[] = []): SearchableEntry => ({ id, kind: 'pipeline', name, description: `about ${name}`, tags, deleted: false });

describe('SearchIndex', () => {
  it('answers the same after thousands of updates force it to rebuild', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 20; i++) index.upsert(entry(`id${i}`, `pipe_${i}`));
    for (let round = 0; round < 150; round++) {
      for (let i = 0; i < 20; i++) index.upsert(entry(`id${i}`, `pipe_${i}_v${round}`, round % 2 === 0 ? ['even'] : ['odd']));
    }
    assert.equal(index.size, 20);
    assert.deepEqual(index.search({ text: 'pipe_3_v149' }).hits.map((h) => h.id), ['id3']);
    assert.equal(index.search({ text: 'pipe', limit: 100 }).total, 20, 'no dead copies of old versions are found');
    assert.equal(index.search({ tags: ['odd'] }).total, 20);
    assert.equal(index.search({ tags: ['even'] }).total, 0);
    assert.deepEqual(index.search({ limit: 3 }).hits.map((h) => h.id), ['id0', 'id10', 'id11'], 'browsing stays in name order (pipe_0_…, pipe_10_…, pipe_11_…)');
  });

  it('a bulk build finds what one-by-one upserts find, in the same order', () => {
    const entries = Array.from({ length: 300 }, (_, i) => entry(`id${i}`, `${['orders', 'customers', 'stock'][i % 3]}_${(i * 7919) % 1000}`, [`t${i % 5}`]));
    const bulk = SearchIndex.build(entries);
    const single = new SearchIndex();
    for (const e of entries) single.upsert(e);
    for (const query of [{ text: 'orders' }, { text: 'custmers' }, { text: 'sto' }, { tags: ['t2'] }, {}, { text: 'orders', tags: ['t1'] }]) {
      assert.deepEqual(bulk.search(query), single.search(query), JSON.stringify(query));
    }
  });
});
