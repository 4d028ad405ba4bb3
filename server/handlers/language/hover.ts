// Hover on a template variable (type, description, default, where it is declared) or a helper
// (signature and description).
import { MarkupKind, type Connection, type Hover } from 'vscode-languageserver/node';
import { SQL_DIALECTS } from '../../engines/catalog';
import { HELPERS, mustacheAt, containsPosition } from '../../engines/templates';
import { describeVariable } from './completion';
import { type LanguageDocuments } from './documents';

export function registerHover(connection: Connection, docs: LanguageDocuments): void {
  connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
    const document = docs.get(textDocument.uri);
    if (document === undefined || !docs.isTemplate(document)) return null;
    const offset = document.offsetAt(position);
    if (mustacheAt(docs.mustaches(document), offset) === undefined) return null;
    const analysis = await docs.analysis(document);

    const reference = analysis.parsed.references.find((r) => containsPosition(r.range, position));
    if (reference !== undefined) {
      const info = analysis.variables.get(reference.name);
      if (info === undefined) return { range: reference.range, contents: { kind: MarkupKind.Markdown, value: `\`${reference.name}\`: not declared. Declare it in the front matter (quick fix).` } };
      const where = info.declared
        ? `Declared in the front matter, line ${analysis.positions.positionAt(info.declared.nameSpan.start).line + 1}.`
        : `Declared by catalog template *${analysis.catalogEntry?.name ?? ''}*.`;
      return { range: reference.range, contents: { kind: MarkupKind.Markdown, value: `${describeVariable(info.declaration)}\n\n${where}` } };
    }
    const helper = analysis.parsed.helpers.find((h) => containsPosition(h.range, position));
    const doc = helper === undefined ? undefined : HELPERS.find((h) => h.name === helper.name);
    if (helper !== undefined && doc !== undefined) {
      return { range: helper.range, contents: { kind: MarkupKind.Markdown, value: `\`\`\`handlebars\n${doc.signature}\n\`\`\`\n\n${doc.description}` } };
    }
    const text = document.getText();
    const word = wordAt(text, offset);
    if (word !== undefined && /(^|\.)dialect$/.test(text.slice(word.start, word.end))) {
      return {
        range: { start: document.positionAt(word.start), end: document.positionAt(word.end) },
        contents: { kind: MarkupKind.Markdown, value: `\`dialect\`: the dialect being rendered, one of ${SQL_DIALECTS.map((d) => `\`${d}\``).join(', ')}. Always available; never declared.` },
      };
    }
    return null;
  });
}

function wordAt(text: string, offset: number): { start: number; end: number } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w@.]/.test(text[start - 1] ?? '')) start -= 1;
  while (end < text.length && /[\w]/.test(text[end] ?? '')) end += 1;
  return start === end ? undefined : { start, end };
}
