// The catalog's changes as they are written to the journal, one JSON line each, and the checks that
// decide whether a line read back (or a record in a snapshot) is one: anything else (a line that is
// JSON but not a change, a record without versions) is set aside by the store instead of breaking
// every command that loads the catalog.
import type { CatalogRecord } from './record';
import { ENTRY_KINDS, USAGE_ACTIONS, type EntryUsage, type UsageAction } from './types';

export type CatalogOp =
  | { readonly t: 'put'; readonly record: CatalogRecord }
  | { readonly t: 'use'; readonly id: string; readonly action: UsageAction; readonly at: string }
  | { readonly t: 'batch'; readonly ops: readonly CatalogOp[] };

/** A journal line that is not a change, kept with its line number and why it was refused. */
export interface DamagedLine {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/** Parses complete journal lines; `firstLine` is the 1-based number of the first one in the file. */
export function parseJournalLines(text: string, firstLine: number): { ops: CatalogOp[]; damaged: DamagedLine[] } {
  const ops: CatalogOp[] = [];
  const damaged: DamagedLine[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      damaged.push({ line: firstLine + index, reason: 'it is not JSON', text: line });
      return;
    }
    const problem = opProblem(value);
    if (problem === undefined) ops.push(value as CatalogOp);
    else damaged.push({ line: firstLine + index, reason: problem, text: line });
  });
  return { ops, damaged };
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a catalog change, or undefined when it is one. Batches hold plain changes only. */
export function opProblem(value: unknown, insideBatch = false): string | undefined {
  if (!isObject(value)) return 'it is not a catalog change';
  switch (value['t']) {
    case 'put':
      return recordProblem(value['record']);
    case 'use':
      if (!isText(value['id']) || !USAGE_ACTIONS.includes(value['action'] as UsageAction) || !isText(value['at'])) return 'it is a use without an entry id, action or time';
      return undefined;
    case 'batch': {
      if (insideBatch) return 'it nests a batch in a batch';
      const ops = value['ops'];
      if (!Array.isArray(ops)) return 'it is a batch without its list of changes';
      for (const [index, op] of ops.entries()) {
        const problem = opProblem(op, true);
        if (problem !== undefined) return `change ${index + 1} of its batch is refused: ${problem}`;
      }
      return undefined;
    }
    default:
      return 'it is not a catalog change';
  }
}

/** Why `value` is not a stored entry with its versions, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'its record is missing';
  const { id, versions, deprecated, deletedAt } = value;
  if (!isText(id) || id === '') return 'its record has no id';
  if (!Array.isArray(versions) || versions.length === 0) return `the record ${id} has no versions`;
  if (deprecated !== undefined && !(isObject(deprecated) && isText(deprecated['reason']) && isText(deprecated['at']))) return `the record ${id} has a malformed deprecation`;
  if (deletedAt !== undefined && !isText(deletedAt)) return `the record ${id} has a malformed deletion time`;
  for (const [index, version] of versions.entries()) {
    const problem = versionProblem(version);
    if (problem !== undefined) return `version ${index + 1} of the record ${id} ${problem}`;
  }
  return undefined;
}

/** The fields every reader of an entry relies on (search, lists, stats, rendering). */
function versionProblem(version: unknown): string | undefined {
  if (!isObject(version)) return 'is not an entry';
  if (!ENTRY_KINDS.includes(version['kind'] as never)) return 'has no valid kind';
  for (const field of ['id', 'name', 'version', 'description', 'owner', 'createdAt', 'updatedAt']) {
    if (!isText(version[field])) return `has no ${field}`;
  }
  const tags = version['tags'];
  if (!Array.isArray(tags) || !tags.every(isText)) return 'has no list of tags';
  switch (version['kind']) {
    case 'pipeline':
      return isObject(version['logic']) ? undefined : 'has no logic';
    case 'businessLogic':
      return isText(version['expression']) && isText(version['domain']) ? undefined : 'has no expression or domain';
    case 'template':
      return isText(version['body']) && isText(version['templateKind']) && Array.isArray(version['dialects']) && Array.isArray(version['variables'])
        ? undefined
        : 'has no body, template kind, dialects or variables';
  }
  return undefined;
}

/** Whether a snapshot's usage figures for one entry can be counted on. */
export function isUsage(value: unknown): value is EntryUsage {
  if (!isObject(value) || !isObject(value['counts'])) return false;
  const counts = value['counts'];
  return USAGE_ACTIONS.every((action) => typeof counts[action] === 'number') && (value['lastUsedAt'] === undefined || isText(value['lastUsedAt']));
}
