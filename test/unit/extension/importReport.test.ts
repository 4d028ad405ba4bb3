// The words Import… shows for a dry run or an applied import.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeReport, describeReportItems, LISTED_ITEMS } from '../../../src/commands/importReport';
import { type ImportReport } from '../../../server/protocol';

function report(items: ImportReport['items']): ImportReport {
  const counts = { add: 0, skip: 0, unchanged: 0, overwrite: 0, newVersion: 0 };
  for (const item of items) counts[item.action] += 1;
  return { dryRun: true, items, counts };
}

const item = (name: string, action: ImportReport['items'][number]['action'], reason?: string): ImportReport['items'][number] => ({
  id: name,
  name,
  kind: 'template',
  action,
  ...(reason === undefined ? {} : { reason }),
});

describe('describing an import', () => {
  it('counts only what happens, in a fixed order', () => {
    assert.equal(describeReport(report([item('a', 'unchanged'), item('b', 'add'), item('c', 'add'), item('d', 'newVersion')])), '2 new, 1 as new versions, 1 unchanged');
    assert.equal(describeReport(report([item('a', 'skip'), item('b', 'overwrite')])), '1 replaced, 1 skipped');
  });

  it('says an empty bundle is empty, as the middle of a sentence', () => {
    assert.equal(`Nothing to import: ${describeReport(report([]))}.`, 'Nothing to import: the bundle is empty.');
  });

  it(`lists the first ${LISTED_ITEMS} items with their reasons, then how many more`, () => {
    const items = Array.from({ length: LISTED_ITEMS + 3 }, (_, i) => item(`t${i}`, 'add'));
    items[0] = item('t0', 'skip', 'exists');
    const lines = describeReportItems(report(items)).split('\n');
    assert.equal(lines[0], `${LISTED_ITEMS + 2} new, 1 skipped.`);
    assert.equal(lines[1], '');
    assert.equal(lines[2], '• t0: skip (exists)');
    assert.equal(lines.length, 3 + LISTED_ITEMS);
    assert.equal(lines.at(-1), '… and 3 more (see the log)');
  });
});
