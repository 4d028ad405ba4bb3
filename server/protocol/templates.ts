// What the language features of SQL and template files share between the server and the
// extension: command ids, the diagnostic source and codes, and completion item data.
// Command and method strings are written here and nowhere else.
import type { SqlDialect } from './catalogEntry';

/** `source` of every diagnostic NeuroLake publishes on SQL and template files. */
export const DIAGNOSTIC_SOURCE = 'neurolake';

/**
 * The extension's "Insert Pattern…" command (QuickPick of patterns, one input per variable, then
 * the formatted SQL at the cursor). The server offers it as a code action; the client runs it.
 * Arguments: `[uri: string, position: { line, character }]`.
 */
export const InsertPatternCommand = { id: 'neurolake.template.insertPattern' } as const;

/**
 * Run by the editor after a pattern completion is accepted (the item's `command`), and executed
 * by the server through `workspace/executeCommand`: counts the insertion in the catalog's usage.
 * Arguments: `[id: string]`, the catalog id of the inserted template.
 */
export const RecordPatternInsertedCommand = { id: 'neurolake.template.recordInserted' } as const;

/** `data` of a pattern completion item, read back by completionItem/resolve. */
export interface PatternCompletionData {
  readonly kind: 'pattern';
  readonly id: string;
  readonly version: string;
  readonly dialect: SqlDialect;
}
