// Publishes template diagnostics on open and, debounced, on change: syntax errors, unknown and
// unused variables, unknown helpers, refused constructs and front matter problems, each with the
// exact range the engine found. Plain SQL files get none (and any stale ones are cleared).
import { DiagnosticSeverity, DiagnosticTag, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { type TextDocument } from 'vscode-languageserver-textdocument';
import { type Finding, type FindingSeverity } from '../../engines/templates';
import { DIAGNOSTIC_SOURCE } from '../../protocol';
import { type LanguageDocuments } from './documents';

/** Long enough to skip the keystrokes of a word, short enough to feel immediate. */
const DEBOUNCE_MS = 150;

const SEVERITIES: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function registerDiagnostics(connection: Connection, docs: LanguageDocuments): { refreshAll(): void } {
  const timers = new Map<string, NodeJS.Timeout>();

  const validate = async (document: TextDocument): Promise<void> => {
    const version = document.version;
    const diagnostics = docs.isTemplate(document) ? (await docs.analysis(document)).findings.map((finding) => toDiagnostic(finding, document)) : [];
    // A newer version is on its way; its own validation will publish.
    if (docs.get(document.uri)?.version !== version) return;
    await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
  };
  const run = (document: TextDocument): void => {
    validate(document).catch((error: unknown) => connection.console.error(`Validating ${document.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  };

  docs.documents.onDidOpen(({ document }) => run(document));
  docs.documents.onDidChangeContent(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        const current = docs.get(document.uri);
        if (current !== undefined) run(current);
      }, DEBOUNCE_MS),
    );
  });
  docs.documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  // Usage counts change the catalog on every insertion: only files that name a catalog template care.
  return { refreshAll: () => docs.documents.all().filter((document) => docs.namesCatalogTemplate(document)).forEach(run) };
}

function toDiagnostic(finding: Finding, document: TextDocument): Diagnostic {
  let { start, end } = finding.range;
  // A zero-width range (where a syntax error was found) is hard to see: widen it to the character there.
  if (start.line === end.line && start.character === end.character) {
    const lineLength = document.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } }).replace(/\r?\n$/, '').length;
    if (start.character < lineLength) end = { line: end.line, character: end.character + 1 };
    else if (start.character > 0) start = { line: start.line, character: start.character - 1 };
  }
  return {
    range: { start, end },
    severity: SEVERITIES[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
    ...(finding.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(finding.variable === undefined ? {} : { data: { variable: finding.variable } }),
  };
}
