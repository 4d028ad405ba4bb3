// Formatting and range formatting of SQL and template files with sql-formatter: the dialect from
// the settings (or the template's own dialects), keyword case and blank lines from the settings,
// indentation from the editor's request. A template's mustaches are masked and put back by the
// engine; whatever cannot be formatted safely is left alone and the user is told why.
import { type Connection, type FormattingOptions, type Range, type TextEdit } from 'vscode-languageserver/node';
import { type TextDocument } from 'vscode-languageserver-textdocument';
import { formatSql, type FormatOptions, formatTemplate } from '../../engines/templates';
import { type LanguageDocuments } from './documents';

export function registerFormatting(connection: Connection, docs: LanguageDocuments): void {
  const refuse = (problem: string): TextEdit[] => {
    void connection.window.showWarningMessage(`NeuroLake: ${problem}`);
    return [];
  };

  connection.onDocumentFormatting(async ({ textDocument, options }) => {
    const document = docs.get(textDocument.uri);
    if (document === undefined) return null;
    const text = document.getText();
    const formatted = await format(docs, document, text, options, true);
    if ('problem' in formatted) return refuse(formatted.problem);
    return minimalEdit(document, 0, text, formatted.text);
  });

  connection.onDocumentRangeFormatting(async ({ textDocument, range, options }) => {
    const document = docs.get(textDocument.uri);
    if (document === undefined) return null;
    const lines = wholeLines(document, range);
    const start = document.offsetAt(lines.start);
    const fragment = document.getText(lines);
    if (fragment.trim() === '') return [];
    const indent = /^[ \t]*/.exec(fragment)?.[0] ?? '';
    const formatted = await format(docs, document, fragment, options, start === 0);
    if ('problem' in formatted) return refuse(formatted.problem);
    const eol = fragment.includes('\r\n') ? '\r\n' : '\n';
    const indented = formatted.text
      .replace(/\s+$/, '')
      .split(/\r?\n/)
      .map((line) => (line === '' ? line : indent + line))
      .join(eol);
    return minimalEdit(document, start, fragment, indented);
  });
}

async function format(docs: LanguageDocuments, document: TextDocument, text: string, options: FormattingOptions, whole: boolean): Promise<{ text: string } | { problem: string }> {
  const settings = docs.settings();
  const layout: Partial<FormatOptions> = {
    keywordCase: settings.format.keywordCase,
    linesBetweenQueries: settings.format.linesBetweenQueries,
    tabWidth: options.tabSize,
    useTabs: !options.insertSpaces,
  };
  if (docs.isTemplate(document)) {
    const dialect = docs.dialectFor((await docs.analysis(document)).dialects);
    const result = formatTemplate(text, dialect, layout);
    if ('problem' in result && !whole) return { problem: `${result.problem} Select whole {{#…}}…{{/…}} blocks to format part of a template.` };
    return result;
  }
  const result = formatSql(text, settings.sql.dialect, layout);
  if (result.warnings.length > 0) return { problem: result.warnings.join(' ') };
  const trailing = whole && options.insertFinalNewline !== false && /\n\s*$/.test(text) ? (text.includes('\r\n') ? '\r\n' : '\n') : '';
  return { text: result.sql + trailing };
}

function wholeLines(document: TextDocument, range: Range): Range {
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  const end = document.offsetAt({ line: endLine + 1, character: 0 });
  const lineEnd = document.getText().slice(0, end).replace(/\r?\n$/, '').length;
  return { start: { line: range.start.line, character: 0 }, end: document.positionAt(Math.max(lineEnd, document.offsetAt({ line: range.start.line, character: 0 }))) };
}

/** One edit covering only what changed, so the cursor and folding elsewhere are left alone. */
function minimalEdit(document: TextDocument, base: number, before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head += 1;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail += 1;
  return [
    {
      range: { start: document.positionAt(base + head), end: document.positionAt(base + before.length - tail) },
      newText: after.slice(head, after.length - tail),
    },
  ];
}
