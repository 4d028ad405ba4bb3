// A catalog entry as the text of its editable document (`neurolake-catalog:` files), and that
// text back as the changes a save sends. No vscode here, so it is tested outside VS Code.
import * as jsonc from 'jsonc-parser';
import { type CatalogEntry } from '../server/protocol';

/** Fields the catalog manages itself; shown in the header comment, never edited. */
const MANAGED = ['id', 'kind', 'version', 'createdAt', 'updatedAt', 'deprecated', 'deletedAt', 'builtin'] as const;

/** The document text: a header saying what this is, then the editable fields as JSON. */
export function entryDocument(entry: CatalogEntry, readOnlyReason?: string): string {
  const editable: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if ((MANAGED as readonly string[]).includes(key)) continue;
    // A template body reads far better as lines than as one string full of \n.
    editable[key] = key === 'body' && typeof value === 'string' ? value.split('\n') : value;
  }
  const header = [
    // No version here: after a save the document stays open with the text it was saved with, and
    // a version in it would then name the version just replaced.
    `// ${entry.name} — ${entry.kind} (id ${entry.id})`,
    readOnlyReason === undefined ? '// Edit and save: NeuroLake registers a new version (major when variables or logic shape change).' : `// Read-only: ${readOnlyReason}`,
    ...(entry.deprecated === undefined ? [] : [`// Deprecated: ${entry.deprecated.reason}`]),
  ];
  return `${header.join('\n')}\n${JSON.stringify(editable, null, 2)}\n`;
}

/** Parses an edited document back into changes; the error names the line with the problem. */
export function parseEntryDocument(text: string): Record<string, unknown> {
  const errors: jsonc.ParseError[] = [];
  const value = jsonc.parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new Error(`line ${line}: ${jsonc.printParseErrorCode(first.error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the document must be one JSON object');
  const changes = { ...(value as Record<string, unknown>) };
  if (Array.isArray(changes['body'])) changes['body'] = (changes['body'] as unknown[]).join('\n');
  for (const key of MANAGED) delete changes[key];
  return changes;
}
