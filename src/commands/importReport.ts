// What an import (or its dry run) changes, in the words the Import… command shows. No vscode
// here, so it is tested outside VS Code.
import { type ImportReport } from '../../server/protocol';

/** Items listed in the confirmation; the rest are counted, and all of them are in the log. */
export const LISTED_ITEMS = 15;

/** One line of counts, e.g. "2 new, 1 as new versions, 3 unchanged"; no full stop, callers end the sentence. */
export function describeReport(report: ImportReport): string {
  const parts = [
    [report.counts.add, 'new'],
    [report.counts.newVersion, 'as new versions'],
    [report.counts.overwrite, 'replaced'],
    [report.counts.skip, 'skipped'],
    [report.counts.unchanged, 'unchanged'],
  ] as const;
  const said = parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return said.length === 0 ? 'the bundle is empty' : said.join(', ');
}

/** The confirmation's detail: the counts, then the first items with what happens to each. */
export function describeReportItems(report: ImportReport): string {
  const listed = report.items.slice(0, LISTED_ITEMS).map((item) => `• ${item.name}: ${item.action}${item.reason ? ` (${item.reason})` : ''}`);
  const more = report.items.length > LISTED_ITEMS ? [`… and ${report.items.length - LISTED_ITEMS} more (see the log)`] : [];
  return `${describeReport(report)}.\n\n${[...listed, ...more].join('\n')}`;
}
