// Go to definition of a template variable: its declaration in the front matter. A variable the
// catalog template declares has no place in this file, so there is nothing to go to.
import { type Connection, type Location } from 'vscode-languageserver/node';
import { containsPosition } from '../../engines/templates';
import { type LanguageDocuments } from './documents';

export function registerDefinition(connection: Connection, docs: LanguageDocuments): void {
  connection.onDefinition(async ({ textDocument, position }): Promise<Location | null> => {
    const document = docs.get(textDocument.uri);
    if (document === undefined || !docs.isTemplate(document)) return null;
    const analysis = await docs.analysis(document);
    const reference = analysis.parsed.references.find((r) => containsPosition(r.range, position));
    const declared = reference === undefined ? undefined : analysis.variables.get(reference.name)?.declared;
    if (declared === undefined) return null;
    return { uri: document.uri, range: analysis.positions.rangeOf(declared.nameSpan.start, declared.nameSpan.end) };
  });
}
