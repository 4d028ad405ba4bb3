// Code actions: "Declare variable `x`" for an undeclared variable (edits the front matter, making
// one when there is none), and "Insert Pattern…", which runs the extension's command.
import { CodeActionKind, type CodeAction, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { type VariableType } from '../../engines/catalog';
import { declareVariableEdits, mustacheAt, type TemplateDocument } from '../../engines/templates';
import { DIAGNOSTIC_SOURCE, InsertPatternCommand } from '../../protocol';
import { type LanguageDocuments } from './documents';

/** Where "Insert Pattern…" sits in the editor's menus: an insertion, not a fix. */
export const INSERT_PATTERN_KIND = `${CodeActionKind.Refactor}.insert.pattern`;

export function registerCodeActions(connection: Connection, docs: LanguageDocuments): void {
  connection.onCodeAction(async ({ textDocument, range, context }) => {
    const document = docs.get(textDocument.uri);
    if (document === undefined) return null;
    const wants = (kind: string): boolean => context.only === undefined || context.only.some((only) => kind === only || kind.startsWith(`${only}.`));
    const actions: CodeAction[] = [];

    const undeclared = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === 'undeclared-variable');
    if (wants(CodeActionKind.QuickFix) && undeclared.length > 0 && docs.isTemplate(document)) {
      const analysis = await docs.analysis(document);
      const seen = new Set<string>();
      for (const diagnostic of undeclared) {
        const name = variableOf(diagnostic);
        if (name === undefined || seen.has(name)) continue;
        seen.add(name);
        const type = inferType(analysis, name);
        const edits = declareVariableEdits(document.getText(), analysis.frontMatter, { name, type, description: '' }, document.getText().includes('\r\n') ? '\r\n' : '\n');
        if (edits === undefined) continue;
        actions.push({
          title: `Declare variable \`${name}\``,
          kind: CodeActionKind.QuickFix,
          diagnostics: undeclared.filter((d) => variableOf(d) === name),
          isPreferred: true,
          edit: { changes: { [document.uri]: edits.map((e) => ({ range: analysis.positions.rangeOf(e.span.start, e.span.end), newText: e.newText })) } },
        });
      }
    }

    const offset = document.offsetAt(range.start);
    if (wants(INSERT_PATTERN_KIND) && mustacheAt(docs.mustaches(document), offset) === undefined) {
      actions.push({
        title: 'Insert Pattern…',
        kind: INSERT_PATTERN_KIND,
        command: { title: 'Insert Pattern…', command: InsertPatternCommand.id, arguments: [document.uri, range.start] },
      });
    }
    return actions;
  });
}

function variableOf(diagnostic: Diagnostic): string | undefined {
  const data = diagnostic.data as { variable?: unknown } | undefined;
  return typeof data?.variable === 'string' ? data.variable : undefined;
}

/** The type a variable's uses imply: a list where it is iterated or a column list, text where it is a literal; else an identifier. */
function inferType(analysis: TemplateDocument, name: string): VariableType {
  const uses = analysis.parsed.references.filter((r) => r.name === name);
  if (uses.some((r) => r.usage === 'iteration' || r.helper === 'columns')) return 'column_list';
  if (uses.some((r) => r.helper === 'literal' || r.helper === 'literals')) return 'string';
  return 'identifier';
}
