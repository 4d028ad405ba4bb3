// Completion inside a template's front matter (`{{!-- neurolake { … } --}}`): its keys, a
// declaration's keys, the variable types, the dialects, and catalog templates for "catalog".
import { getLocation, type Location } from 'jsonc-parser';
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver/node';
import { type TextDocument } from 'vscode-languageserver-textdocument';
import { SQL_DIALECTS, VARIABLE_TYPES } from '../../engines/catalog';
import { type FrontMatter } from '../../engines/templates';
import { type LanguageDocuments } from './documents';

const TOP_KEYS: Record<string, string> = {
  name: 'The template\'s name, when it is registered in the catalog.',
  description: 'What the template does (searchable in the catalog).',
  dialects: 'The SQL dialects the body is written for; the first is the default.',
  variables: 'The variables the body uses: name, type, description, default, required.',
  catalog: 'Use the declarations of this catalog template (id or name) instead of declaring variables here.',
};
const DECLARATION_KEYS: Record<string, string> = {
  name: 'The variable\'s name, as used in `{{ }}`.',
  type: `One of ${VARIABLE_TYPES.join(', ')}: values are checked against it before rendering.`,
  description: 'Shown when the variable is completed, hovered or asked for.',
  default: 'The value used when none is given; makes the variable optional.',
  required: 'Whether a value must be given (default: true unless there is a default).',
};
const TYPE_DOCS: Record<string, string> = {
  identifier: 'A table or column name, optionally dotted; anything else is refused, so no SQL can be injected.',
  column_list: 'A list of column names.',
  string: 'Free text; reaches the SQL only through `literal`/`literals`.',
  number: 'A finite number.',
  boolean: 'true or false, for `{{#if}}`.',
};

export async function frontMatterItems(docs: LanguageDocuments, document: TextDocument, frontMatter: FrontMatter, offset: number): Promise<CompletionList | null> {
  const text = document.getText();
  const json = text.slice(frontMatter.json.start, frontMatter.json.end);
  const location = getLocation(json, offset - frontMatter.json.start);
  const range = replaceRange(document, frontMatter.json.start, location, offset);
  const path = location.path;

  if (location.isAtPropertyKey && path.length === 1) return list(keyItems(TOP_KEYS, range));
  if (location.isAtPropertyKey && path.length === 3 && path[0] === 'variables') return list(keyItems(DECLARATION_KEYS, range));
  if (location.isAtPropertyKey) return null;
  if (path.length === 3 && path[0] === 'variables' && path[2] === 'type') {
    return list(VARIABLE_TYPES.map((type) => valueItem(type, TYPE_DOCS[type] ?? '', range, CompletionItemKind.EnumMember)));
  }
  if (path[0] === 'dialects' && path.length === 2) {
    return list(SQL_DIALECTS.map((dialect) => valueItem(dialect, `SQL dialect \`${dialect}\``, range, CompletionItemKind.EnumMember)));
  }
  if (path.length === 1 && path[0] === 'catalog') {
    const catalog = await docs.catalog();
    const templates = catalog?.list({ kind: 'template', limit: 200 }) ?? [];
    return list(templates.map((entry) => ({ ...valueItem(entry.name, entry.description, range, CompletionItemKind.Reference), detail: `${entry.id} · v${entry.version}` })));
  }
  return null;
}

function list(items: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items };
}

function keyItems(keys: Record<string, string>, range: Range): CompletionItem[] {
  return Object.entries(keys).map(([key, doc]) => ({
    label: key,
    kind: CompletionItemKind.Property,
    documentation: { kind: MarkupKind.Markdown, value: doc },
    textEdit: { range, newText: `"${key}": ` },
    filterText: `"${key}"`,
  }));
}

function valueItem(value: string, doc: string, range: Range, kind: CompletionItemKind): CompletionItem {
  return { label: value, kind, documentation: { kind: MarkupKind.Markdown, value: doc }, textEdit: { range, newText: JSON.stringify(value) }, filterText: JSON.stringify(value) };
}

/** The string being typed, quotes and all, or an empty range at the cursor. */
function replaceRange(document: TextDocument, jsonStart: number, location: Location, offset: number): Range {
  const node = location.previousNode;
  if (node !== undefined && (node.type === 'string' || node.type === 'property')) {
    const start = jsonStart + node.offset;
    const end = jsonStart + node.offset + node.length;
    if (start <= offset && offset <= end) return { start: document.positionAt(start), end: document.positionAt(end) };
  }
  return { start: document.positionAt(offset), end: document.positionAt(offset) };
}
