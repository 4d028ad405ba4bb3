// The language features of SQL and template files: what the server declares, and one call that
// registers every handler on the connection.
import { CodeActionKind, TextDocumentSyncKind, type Connection, type ServerCapabilities } from 'vscode-languageserver/node';
import { RecordPatternInsertedCommand } from '../../protocol';
import { type Session } from '../../session';
import { registerCodeActions, INSERT_PATTERN_KIND } from './codeActions';
import { registerCompletion } from './completion';
import { registerDefinition } from './definition';
import { registerDiagnostics } from './diagnostics';
import { LanguageDocuments } from './documents';
import { registerFormatting } from './formatting';
import { registerHover } from './hover';
import { registerUsage } from './usage';

export const LANGUAGE_CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  completionProvider: { resolveProvider: true, triggerCharacters: ['{', ' ', '('] },
  hoverProvider: true,
  definitionProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, INSERT_PATTERN_KIND], resolveProvider: false },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  executeCommandProvider: { commands: [RecordPatternInsertedCommand.id] },
};

/** Registers every language handler; `refresh` re-validates open documents (after a catalog change). */
export function registerLanguageHandlers(connection: Connection, session: () => Session): { refresh(): void } {
  const docs = new LanguageDocuments(session);
  const diagnostics = registerDiagnostics(connection, docs);
  registerCompletion(connection, docs);
  registerHover(connection, docs);
  registerDefinition(connection, docs);
  registerCodeActions(connection, docs);
  registerFormatting(connection, docs);
  registerUsage(connection, docs);
  docs.documents.listen(connection);
  return { refresh: () => diagnostics.refreshAll() };
}
