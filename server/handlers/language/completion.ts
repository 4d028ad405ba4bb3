// Completion in SQL and template files. Inside `{{ }}`: the template's variables, `dialect` and
// NeuroLake's helpers, ordered by what fits where the cursor is. Outside: catalog patterns found
// by name and tag through the catalog's ranked search, each inserted as a snippet whose variables
// are tab stops; completionItem/resolve adds the rendered preview.
import {
  CompletionItemKind,
  CompletionTriggerKind,
  InsertTextFormat,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Connection,
  type Range,
} from 'vscode-languageserver/node';
import { type TextDocument } from 'vscode-languageserver-textdocument';
import { SQL_DIALECTS, type TemplateEntry, type VariableDeclaration, type VariableType } from '../../engines/catalog';
import { HELPERS, type HelperDoc, mustacheAt, openBlocksAt, type Mustache, patternSnippet, type PatternSnippet, type VariableInfo, parseFrontMatter } from '../../engines/templates';
import { RecordPatternInsertedCommand, type PatternCompletionData } from '../../protocol';
import { type LanguageDocuments } from './documents';
import { frontMatterItems } from './frontMatterCompletion';

/** Patterns offered at once; the list is incomplete, so typing more asks again. */
export const MAX_PATTERN_ITEMS = 20;
const SNIPPET_CACHE_SIZE = 500;

/** Helpers that produce a value inside `( )` or a block's condition. */
const SUBEXPRESSION_HELPERS = new Set(['eq', 'ne', 'and', 'or', 'not', 'concat']);
/** Which variable types fit best as the argument of each helper. */
const ARGUMENT_TYPES: Record<string, readonly VariableType[]> = {
  ident: ['identifier'],
  columns: ['column_list'],
  join: ['column_list'],
  literal: ['string'],
  literals: ['string', 'column_list'],
  interval: ['number', 'string'],
  each: ['column_list'],
  if: ['boolean', 'column_list', 'string'],
  unless: ['boolean', 'column_list', 'string'],
};

export function registerCompletion(connection: Connection, docs: LanguageDocuments): void {
  const snippets = new SnippetCache(SNIPPET_CACHE_SIZE);

  connection.onCompletion(async (params, token) => {
    const document = docs.get(params.textDocument.uri);
    if (document === undefined) return null;
    const offset = document.offsetAt(params.position);
    const inside = mustacheAt(docs.mustaches(document), offset);
    if (inside !== undefined && inside.kind === 'comment') {
      const frontMatter = docs.isTemplate(document) ? parseFrontMatter(document.getText()) : undefined;
      const inJson = frontMatter !== undefined && frontMatter.json.start <= offset && offset <= frontMatter.json.end;
      return inJson ? await frontMatterItems(docs, document, frontMatter, offset) : null;
    }
    if (inside !== undefined) return await mustacheItems(docs, document, inside, offset);
    // Space and `(` trigger completion for helper arguments; outside `{{ }}` they mean nothing.
    if (params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter) return null;
    return patternItems(docs, document, params, token, snippets);
  });

  connection.onCompletionResolve(async (item) => {
    const data = item.data as PatternCompletionData | undefined;
    if (data?.kind !== 'pattern') return item;
    const entry = (await docs.catalog())?.get(data.id, data.version);
    if (entry?.kind !== 'template') return item;
    const rendered = snippets.get(entry, data.dialect, docs);
    const variables = entry.variables.map((v) => `- \`${v.name}\` (${v.type}${v.default === undefined ? '' : `, default \`${String(v.default)}\``}): ${v.description}`).join('\n');
    const preview = 'preview' in rendered ? `\`\`\`sql\n${rendered.preview}\n\`\`\`` : `*Cannot be previewed:* ${rendered.problem}`;
    return {
      ...item,
      documentation: {
        kind: MarkupKind.Markdown,
        value: `${entry.description}\n\n${preview}\n\n*${data.dialect}* · ${entry.dialects.join(', ')}\n\n${variables}`,
      },
    };
  });
}

async function mustacheItems(docs: LanguageDocuments, document: TextDocument, mustache: Mustache, offset: number): Promise<CompletionList | null> {
  // A `{{` in anything but a SQL template (an HTML Handlebars file, say) is not ours to complete.
  if (!docs.isTemplate(document)) return null;
  const text = document.getText();
  const inner = text.slice(mustache.start + 2, offset).replace(/^[{~]+/, '');
  const word = /[\w@.]*$/.exec(inner)?.[0] ?? '';
  const before = inner.slice(0, inner.length - word.length);
  const range: Range = { start: document.positionAt(offset - word.length), end: document.positionAt(offset) };
  const edit = (newText: string) => ({ range, newText });

  // `{{/`: close the innermost open block.
  if (/^\s*\/\s*$/.test(before)) {
    const open = openBlocksAt(docs.mustaches(document), mustache.start).at(-1);
    return open === undefined ? null : { isIncomplete: false, items: [{ label: open, kind: CompletionItemKind.Keyword, textEdit: edit(open) }] };
  }
  // `{{#`: the block helpers.
  if (/^\s*#\s*$/.test(before)) {
    return { isIncomplete: false, items: HELPERS.filter((h) => h.block).map((h) => helperItem(h, edit, '0')) };
  }

  const variables = docs.isTemplate(document) ? (await docs.analysis(document)).variables : new Map<string, VariableInfo>();
  const head = argumentHead(before);
  const fits = head === undefined ? undefined : ARGUMENT_TYPES[head];
  const inEach = openBlocksAt(docs.mustaches(document), mustache.start).includes('each');
  const items: CompletionItem[] = [];
  for (const [name, info] of variables) {
    const best = fits === undefined || fits.includes(info.declaration.type);
    // Inside {{#each}} a bare name is looked up on the item: the variable is @root.name there.
    const insert = inEach ? `@root.${name}` : name;
    items.push({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: info.declaration.type,
      documentation: { kind: MarkupKind.Markdown, value: describeVariable(info.declaration) },
      sortText: `${best ? '0' : '2'}${name}`,
      filterText: inEach ? `${name} @root.${name}` : name,
      textEdit: edit(insert),
    });
  }
  items.push({
    label: 'dialect',
    kind: CompletionItemKind.Constant,
    detail: 'dialect',
    documentation: { kind: MarkupKind.Markdown, value: `The dialect being rendered: one of ${SQL_DIALECTS.map((d) => `\`${d}\``).join(', ')}. E.g. \`{{#if (eq dialect "bigquery")}}\`.` },
    sortText: `3dialect`,
    textEdit: edit(inEach ? '@root.dialect' : 'dialect'),
  });
  if (inEach) {
    for (const [label, detail] of [
      ['this', 'the current item'],
      ['@index', 'position of the item, from 0'],
      ['@first', 'true on the first item'],
      ['@last', 'true on the last item'],
    ] as const) {
      items.push({ label, kind: CompletionItemKind.Keyword, detail, sortText: `1${label}`, textEdit: edit(label) });
    }
  }
  const afterParen = /\(\s*$/.test(before);
  for (const helper of HELPERS) {
    if (helper.block) continue;
    // Inside `( )` or a condition only value-producing helpers make sense; as an argument, none but those.
    const fitsHere = afterParen || head === 'if' || head === 'unless' ? SUBEXPRESSION_HELPERS.has(helper.name) : head === undefined;
    if (!fitsHere) continue;
    items.push(helperItem(helper, edit, afterParen ? '1' : '4'));
  }
  return { isIncomplete: false, items };
}

/** The helper whose argument the cursor is at: `ident` in `{{ident |`, `each` in `{{#each |`, `eq` in `(eq a |`. */
function argumentHead(before: string): string | undefined {
  const open = before.lastIndexOf('(');
  const close = before.lastIndexOf(')');
  const segment = open > close ? before.slice(open + 1) : before;
  const match = /^\s*(?:[#^]|else\s+)?([\w]+)\s/.exec(segment);
  return match?.[1];
}

function helperItem(helper: HelperDoc, edit: (text: string) => { range: Range; newText: string }, rank: string): CompletionItem {
  return {
    label: helper.name,
    kind: CompletionItemKind.Function,
    detail: helper.signature,
    documentation: { kind: MarkupKind.Markdown, value: helper.description },
    sortText: `${rank}${helper.name}`,
    textEdit: edit(helper.name),
  };
}

export function describeVariable(declaration: VariableDeclaration): string {
  const parts = [`\`${declaration.name}\`: ${declaration.type}${declaration.required ? ', required' : ''}`];
  if (declaration.description) parts.push(declaration.description);
  if (declaration.default !== undefined) parts.push(`Default: \`${Array.isArray(declaration.default) ? declaration.default.join(', ') : String(declaration.default)}\``);
  return parts.join('\n\n');
}

async function patternItems(
  docs: LanguageDocuments,
  document: TextDocument,
  params: CompletionParams,
  token: CancellationToken,
  snippets: SnippetCache,
): Promise<CompletionList | ResponseError<void> | null> {
  const lineStart = document.offsetAt({ line: params.position.line, character: 0 });
  const offset = document.offsetAt(params.position);
  const word = /\w*$/.exec(document.getText().slice(lineStart, offset))?.[0] ?? '';
  const catalog = await docs.catalog();
  if (catalog === undefined) return null;
  if (token.isCancellationRequested) return cancelled();
  const { results } = catalog.search({ text: word, kind: 'template', limit: MAX_PATTERN_ITEMS });
  const range: Range = { start: document.positionAt(offset - word.length), end: params.position };
  const lowered = word.toLowerCase();
  const items: CompletionItem[] = [];
  for (const [rank, found] of results.entries()) {
    if (token.isCancellationRequested) return cancelled();
    const entry = found.entry;
    if (entry.kind !== 'template') continue;
    const dialect = docs.dialectFor(entry.dialects);
    const rendered = snippets.get(entry, dialect, docs);
    if (!('snippet' in rendered)) continue;
    // The catalog has already ranked these; lead filterText with what the user typed matched
    // (a tag such as scd2, or a word of the name) so the editor's own filter keeps them.
    const key = [...entry.tags, ...entry.name.toLowerCase().split(/\W+/)].find((tag) => lowered !== '' && tag.toLowerCase().startsWith(lowered)) ?? word;
    const data: PatternCompletionData = { kind: 'pattern', id: entry.id, version: entry.version, dialect };
    items.push({
      label: entry.name,
      labelDetails: { description: entry.tags.join(' ') },
      kind: CompletionItemKind.Snippet,
      detail: `NeuroLake pattern · ${dialect}`,
      filterText: `${key} ${entry.tags.join(' ')} ${entry.name}`,
      sortText: String(rank).padStart(4, '0'),
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: rendered.snippet },
      command: { title: 'Count the insertion', command: RecordPatternInsertedCommand.id, arguments: [entry.id] },
      data,
      ...(entry.deprecated === undefined ? {} : { tags: [1 /* Deprecated */] }),
    });
  }
  return { isIncomplete: true, items };
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Completion was cancelled.');
}

/** Rendered snippets by template version, dialect and layout; a least-recently-used map. */
class SnippetCache {
  private readonly entries = new Map<string, PatternSnippet | { problem: string }>();
  constructor(private readonly size: number) {}

  get(entry: TemplateEntry, dialect: TemplateEntry['dialects'][number], docs: LanguageDocuments): PatternSnippet | { problem: string } {
    const format = docs.settings().format;
    const key = `${entry.id}@${entry.version}|${dialect}|${format.keywordCase}|${format.linesBetweenQueries}`;
    let found = this.entries.get(key);
    if (found !== undefined) {
      this.entries.delete(key);
    } else {
      found = patternSnippet(entry, dialect, { keywordCase: format.keywordCase, linesBetweenQueries: format.linesBetweenQueries });
      if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, found);
    return found;
  }
}
