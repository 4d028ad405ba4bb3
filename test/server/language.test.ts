// The language features of SQL and template files through the real server over LSP: completion
// inside `{{ }}` and of catalog patterns, resolve, hover, definition, diagnostics with their
// ranges, quick fixes, formatting, and hostile documents.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  CompletionItemKind,
  CompletionRequest,
  CompletionResolveRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InsertTextFormat,
  PublishDiagnosticsNotification,
  ShowMessageRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type MarkupContent,
  type PublishDiagnosticsParams,
  type ShowMessageRequestParams,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { CatalogStatsRequest, DIAGNOSTIC_SOURCE, InsertPatternCommand, RecordPatternInsertedCommand, StatusRequest } from '../../server/protocol';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-language-'));
let server: RunningServer;
const waiting = new Map<string, ((params: PublishDiagnosticsParams) => void)[]>();
const messages: ShowMessageRequestParams[] = [];

before(async () => {
  server = await startServer({ settings: settingsWith(join(scratch, 'data')) });
  server.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const listeners = waiting.get(params.uri) ?? [];
    waiting.delete(params.uri);
    for (const listener of listeners) listener(params);
  });
  server.connection.onRequest(ShowMessageRequest.type, (params) => {
    messages.push(params);
    return null;
  });
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

let opened = 0;
/** The diagnostics the server publishes next for `uri`. */
function nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve) => waiting.set(uri, [...(waiting.get(uri) ?? []), resolve]));
}

async function open(name: string, text: string, languageId = 'sql'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  opened += 1;
  const uri = `file:///work/${opened}/${name}`;
  const published = nextDiagnostics(uri);
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  return { uri, diagnostics: (await published).diagnostics };
}

async function completion(uri: string, line: number, character: number, trigger?: string): Promise<CompletionList> {
  const result = await server.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line, character },
    ...(trigger === undefined ? { context: { triggerKind: 1 } } : { context: { triggerKind: 2, triggerCharacter: trigger } }),
  });
  assert.ok(result !== null && !Array.isArray(result), 'a completion list');
  return result;
}

const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

const TEMPLATE = [
  '{{!-- neurolake',
  '{',
  '  "dialects": ["postgresql", "duckdb"],',
  '  "variables": [',
  '    { "name": "target", "type": "identifier", "description": "Table to load" },',
  '    { "name": "keys", "type": "column_list", "description": "Key columns" },',
  '    { "name": "since", "type": "string", "description": "Earliest day", "default": "2024-01-01" }',
  '  ]',
  '}',
  '--}}',
  'select {{columns keys}} from {{ident target}} where ordered_on >= {{literal since}}',
  '',
].join('\n');

describe('language features over LSP', () => {
  it('declares the language capabilities', () => {
    const capabilities = server.initializeResult.capabilities;
    assert.deepEqual(capabilities.completionProvider, { resolveProvider: true, triggerCharacters: ['{', ' ', '('] });
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.equal(capabilities.documentRangeFormattingProvider, true);
    assert.deepEqual(capabilities.executeCommandProvider, { commands: [RecordPatternInsertedCommand.id] });
  });

  it('completes variables, dialect and helpers inside {{ }}', async () => {
    const text = TEMPLATE + 'and {{}}\n';
    const { uri, diagnostics } = await open('orders.sql.hbs', text, 'handlebars');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range]), [['syntax', range(11, 6, 11, 7)]], 'an empty {{}} is not a template yet');
    const list = await completion(uri, 11, 6, '{');
    const byLabel = new Map(list.items.map((item) => [item.label, item]));
    assert.deepEqual(
      ['target', 'keys', 'since'].map((name) => [name, byLabel.get(name)?.kind, byLabel.get(name)?.detail]),
      [
        ['target', CompletionItemKind.Variable, 'identifier'],
        ['keys', CompletionItemKind.Variable, 'column_list'],
        ['since', CompletionItemKind.Variable, 'string'],
      ],
    );
    assert.equal((byLabel.get('since')?.documentation as MarkupContent).value, '`since`: string\n\nEarliest day\n\nDefault: `2024-01-01`');
    assert.equal(byLabel.get('dialect')?.kind, CompletionItemKind.Constant);
    assert.equal(byLabel.get('ident')?.kind, CompletionItemKind.Function);
    assert.equal(byLabel.get('ident')?.detail, '{{ident name}}');
    assert.equal(byLabel.get('each'), undefined, 'block helpers come after {{#');
  });

  it('puts the variables that fit a helper first, and offers only block helpers after {{#', async () => {
    const { uri } = await open('fit.sql.hbs', TEMPLATE + '{{#each }}{{/each}} {{ident }} {{#\n', 'handlebars');
    const each = await completion(uri, 11, 8, ' ');
    const sorted = [...each.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(sorted[0]?.label, 'keys', 'a column_list first after {{#each');
    const ident = await completion(uri, 11, 28, ' ');
    assert.equal([...ident.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0]?.label, 'target');
    assert.ok(ident.items.every((item) => item.kind !== CompletionItemKind.Function), 'no helpers as an argument of ident');
    const blocks = await completion(uri, 11, 34, '{');
    assert.deepEqual(blocks.items.map((item) => item.label), ['if', 'unless', 'each']);
  });

  it('offers @root.name, this and @index inside {{#each}}', async () => {
    const { uri } = await open('each.sql.hbs', TEMPLATE + '{{#each keys}}{{}}{{/each}}\n', 'handlebars');
    const list = await completion(uri, 11, 16);
    const target = list.items.find((item) => item.label === 'target');
    assert.equal((target?.textEdit as TextEdit).newText, '@root.target');
    assert.ok(list.items.some((item) => item.label === 'this') && list.items.some((item) => item.label === '@index'));
  });

  it('completes catalog patterns by tag as snippets with tab stops', async () => {
    const { uri } = await open('query.sql', 'select 1;\nscd2\n');
    const list = await completion(uri, 1, 4);
    assert.equal(list.isIncomplete, true);
    const labels = list.items.map((item) => item.label);
    assert.deepEqual(labels.slice(0, 2).sort(), ['SCD Type 2 (check-columns strategy)', 'SCD Type 2 (timestamp strategy)']);
    const item = list.items.find((i) => i.label === 'SCD Type 2 (timestamp strategy)')!;
    assert.equal(item.kind, CompletionItemKind.Snippet);
    assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(item.filterText ?? '', /^scd2 scd scd2 history/);
    assert.deepEqual((item.textEdit as TextEdit).range, range(1, 0, 1, 4));
    assert.deepEqual(item.command, { title: 'Count the insertion', command: RecordPatternInsertedCommand.id, arguments: ['builtin.scd2.timestamp'] });
    const snippet = (item.textEdit as TextEdit).newText;
    assert.ok(snippet.startsWith('-- SCD Type 2 of ${1:target} from ${2:source}: a key changed when its updated_at is newer than the current version.\n'), snippet);
    assert.match(snippet, /UPDATE \$\{1\} AS t\nSET\n {2}\$\{3:valid_to\} = s\.\$\{4:updated_at\},/);
  });

  it('inserts the dedup pattern as exactly this snippet (PostgreSQL, the default dialect)', async () => {
    const { uri } = await open('dedup.sql', 'dedu');
    const list = await completion(uri, 0, 4);
    const item = list.items.find((i) => i.label === 'Deduplicate: keep the latest row per key');
    assert.ok(item, list.items.map((i) => i.label).join(', '));
    assert.equal(
      (item.textEdit as TextEdit).newText,
      [
        '-- The latest row of ${1:source} per ${2:unique_key}.',
        'SELECT',
        '  *',
        'FROM',
        '  (',
        '    SELECT',
        '      s.*,',
        '      ROW_NUMBER() OVER (',
        '        PARTITION BY',
        '          s.${2}',
        '        ORDER BY',
        '          s.${3:updated_at} DESC NULLS LAST,',
        '          s.${4:tie_breaker} DESC NULLS LAST',
        '      ) AS _nl_row_number',
        '    FROM',
        '      ${1} AS s',
        '  ) AS ranked',
        'WHERE',
        '  _nl_row_number = 1',
      ].join('\n'),
    );
    const resolved: CompletionItem = await server.connection.sendRequest(CompletionResolveRequest.type, item);
    const documentation = (resolved.documentation as MarkupContent).value;
    assert.ok(documentation.includes('```sql\n-- The latest row of source per unique_key.\nSELECT\n  *\nFROM\n  (\n'), documentation);
    assert.match(documentation, /\*postgresql\* · postgresql, snowflake, bigquery, spark, duckdb, sql/);
  });

  it('offers no patterns on a space outside {{ }}, and none inside a comment', async () => {
    const { uri } = await open('space.sql', 'select \n{{!-- x --}}');
    assert.equal(await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 7 }, context: { triggerKind: 2, triggerCharacter: ' ' } }), null);
    assert.equal(await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 }, context: { triggerKind: 1 } }), null);
  });

  it('counts an accepted pattern through the item command', async () => {
    await server.connection.sendRequest(ExecuteCommandRequest.type, { command: RecordPatternInsertedCommand.id, arguments: ['builtin.dq.unique'] });
    const stats = await server.request(CatalogStatsRequest, {});
    assert.equal(stats.usage_by_action.inserted, 1);
  });

  it('completes the front matter: its keys, a declaration\'s keys, variable types, dialects and catalog templates', async () => {
    const text = [
      '{{!-- neurolake',
      '{',
      '  "dialects": ["postgresql", ""],',
      '  "variables": [',
      '    { "name": "target", "type": "" },',
      '    { "" }',
      '  ],',
      '  "catalog": ""',
      '}',
      '--}}',
      'select 1',
    ].join('\n');
    const { uri } = await open('front.sql.hbs', text, 'handlebars');
    const labels = async (line: number, character: number): Promise<string[]> => (await completion(uri, line, character)).items.map((item) => item.label);

    const types = await completion(uri, 4, 33);
    assert.deepEqual(types.items.map((item) => item.label), ['identifier', 'column_list', 'string', 'number', 'boolean']);
    assert.deepEqual(types.items[0]?.textEdit, { range: range(4, 32, 4, 34), newText: '"identifier"' });
    assert.deepEqual((await labels(5, 7)).sort(), ['default', 'description', 'name', 'required', 'type']);
    assert.ok((await labels(2, 31)).includes('snowflake'), 'dialects are offered in the dialects list');
    assert.ok((await labels(7, 14)).includes('SCD Type 2 (timestamp strategy)'), 'catalog templates are offered for "catalog"');
    assert.deepEqual((await completion(uri, 10, 3)).items.filter((item) => item.label === 'identifier'), [], 'nothing of the front matter outside it');
  });

  it('leaves HTML Handlebars templates alone: no diagnostics, no template completions', async () => {
    const { uri, diagnostics } = await open('card.hbs', '<h1>{{title}}</h1>\n{{#each items}}<li>{{name}}</li>{{/each}}\n', 'handlebars');
    assert.deepEqual(diagnostics, []);
    const items = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 6 } });
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((item) => item.label);
    assert.ok(!labels.includes('ident'), `template helpers offered in an HTML template: ${labels.join(', ')}`);
  });

  it('hovers on variables and helpers, and goes to a declaration', async () => {
    const { uri } = await open('hover.sql.hbs', TEMPLATE, 'handlebars');
    const variable = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 10, character: 38 } });
    assert.deepEqual(variable?.range, range(10, 37, 10, 43));
    assert.equal((variable?.contents as MarkupContent).value, '`target`: identifier, required\n\nTable to load\n\nDeclared in the front matter, line 5.');
    const helper = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 10, character: 10 } });
    assert.deepEqual(helper?.range, range(10, 9, 10, 16));
    assert.match((helper?.contents as MarkupContent).value, /^```handlebars\n\{\{columns list "t\."\}\}\n```\n\nA comma-separated list/);
    const definition = await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 10, character: 20 } });
    assert.deepEqual(definition, { uri, range: range(5, 15, 5, 19) });
    assert.equal(await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 10, character: 2 } }), null);
  });

  it('publishes each kind of diagnostic with its exact range', async () => {
    const text = [
      '{{!-- neurolake',
      '{ "variables": [',
      '  { "name": "t", "type": "identifier" },',
      '  { "name": "unused", "type": "column_list" },',
      '  { "name": "n", "type": "integer" }',
      '] }',
      '--}}',
      'select {{ident t}}, {{ident missing}}, {{n}} from {{nope t}}',
      'where {{lookup t "x"}} and {{constructor.constructor}} {{> partial}}',
    ].join('\n');
    const { diagnostics } = await open('diag.sql.hbs', text, 'handlebars');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range, d.source]),
      [
        ['unused-variable', 4, range(3, 13, 3, 19), DIAGNOSTIC_SOURCE],
        ['invalid-declaration', 1, range(4, 25, 4, 34), DIAGNOSTIC_SOURCE],
        ['undeclared-variable', 2, range(7, 28, 7, 35), DIAGNOSTIC_SOURCE],
        ['unknown-helper', 1, range(7, 52, 7, 56), DIAGNOSTIC_SOURCE],
        ['forbidden', 1, range(8, 8, 8, 14), DIAGNOSTIC_SOURCE],
        ['forbidden', 1, range(8, 29, 8, 52), DIAGNOSTIC_SOURCE],
        ['forbidden', 1, range(8, 55, 8, 68), DIAGNOSTIC_SOURCE],
      ],
    );
    assert.deepEqual(diagnostics[0]?.tags, [1], 'unused is faded');
    assert.equal(diagnostics[1]?.message, 'Variable "n" has unknown type "integer".');
    assert.equal(diagnostics[2]?.message, 'The template uses "missing" but does not declare it.');
  });

  it('reports syntax errors, front matter JSON errors and unknown catalog templates where they are', async () => {
    const syntax = await open('syntax.sql.hbs', 'select 1\n{{#if wanted}}\n, 2', 'handlebars');
    assert.deepEqual(syntax.diagnostics.map((d) => [d.code, d.range]), [['syntax', range(2, 2, 2, 3)]]);
    const json = await open('json.sql.hbs', '{{!-- neurolake\n{ "variables": [ { "name": "a" "type": "identifier" } ] }\n--}}\n{{ident a}}', 'handlebars');
    assert.deepEqual(json.diagnostics.map((d) => [d.code, d.range, d.message]), [['front-matter-syntax', range(1, 31, 1, 37), 'Front matter JSON: expected a comma.']]);
    const ref = await open('ref.sql.hbs', '{{!-- neurolake { "catalog": "no such thing" } --}}\n{{ident a}}', 'handlebars');
    assert.deepEqual(ref.diagnostics.map((d) => [d.code, d.range]), [
      ['unknown-catalog-template', range(0, 29, 0, 44)],
      ['undeclared-variable', range(1, 8, 1, 9)],
    ]);
    const builtin = await open('builtin.sql.hbs', '{{!-- neurolake { "catalog": "builtin.dq.freshness" } --}}\nselect {{ident table}}, {{ident timestamp_column}}, {{interval max_age max_age_unit}}', 'handlebars');
    assert.deepEqual(builtin.diagnostics, [], 'the catalog template declares them');
  });

  it('re-publishes after a change', async () => {
    const { uri } = await open('change.sql.hbs', '{{ident a}}', 'handlebars');
    const published = nextDiagnostics(uri);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: '{{!-- neurolake { "variables": [ { "name": "a", "type": "identifier" } ] } --}}\n{{ident a}}' }],
    });
    const params = await published;
    assert.equal(params.version, 2);
    assert.deepEqual(params.diagnostics, []);
  });

  it('quick-fixes an undeclared variable by declaring it, creating the front matter if needed', async () => {
    const { uri, diagnostics } = await open('fix.sql.hbs', 'select {{columns cols}} from t', 'handlebars');
    const actions = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
    const fix = actions?.find((a) => a.title === 'Declare variable `cols`');
    assert.ok(fix && 'edit' in fix, JSON.stringify(actions));
    assert.deepEqual(fix.edit, {
      changes: {
        [uri]: [
          {
            range: range(0, 0, 0, 0),
            newText: '{{!-- neurolake\n{\n  "variables": [\n    {\n      "name": "cols",\n      "type": "column_list",\n      "description": ""\n    }\n  ]\n}\n--}}\n',
          },
        ],
      },
    });
    const existing = await open('fix2.sql.hbs', TEMPLATE.replace('{{ident target}}', '{{ident other}}'), 'handlebars');
    const undeclared = existing.diagnostics.filter((d) => d.code === 'undeclared-variable');
    const more = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: existing.uri }, range: undeclared[0]!.range, context: { diagnostics: undeclared } });
    const fix2 = more?.find((a) => a.title === 'Declare variable `other`');
    assert.ok(fix2 && 'edit' in fix2);
    assert.deepEqual(fix2.edit?.changes?.[existing.uri], [
      { range: range(6, 97, 6, 97), newText: ',\n    { "name": "other", "type": "identifier", "description": "" }' },
    ]);
  });

  it('offers Insert Pattern… as a command outside {{ }}', async () => {
    const { uri } = await open('insert.sql', 'select 1\n');
    const actions = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: range(1, 0, 1, 0), context: { diagnostics: [] } });
    assert.deepEqual(actions, [
      { title: 'Insert Pattern…', kind: 'refactor.insert.pattern', command: { title: 'Insert Pattern…', command: InsertPatternCommand.id, arguments: [uri, { line: 1, character: 0 }] } },
    ]);
  });

  it('formats a SQL file with the settings and the editor indentation', async () => {
    const { uri } = await open('format.sql', 'select a, b from t where x = 1;\nselect 2;\n');
    const edits = await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(apply('select a, b from t where x = 1;\nselect 2;\n', edits ?? []), 'SELECT\n    a,\n    b\nFROM\n    t\nWHERE\n    x = 1;\n\nSELECT\n    2;\n');
  });

  it('range-formats the selected lines only, keeping their indentation', async () => {
    const text = 'select 1;\n  select a,b from t;\nselect 3;\n';
    const { uri } = await open('range.sql', text);
    const edits = await server.connection.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri }, range: range(1, 4, 1, 10), options: { tabSize: 2, insertSpaces: true } });
    assert.equal(apply(text, edits ?? []), 'select 1;\n  SELECT\n    a,\n    b\n  FROM\n    t;\nselect 3;\n');
  });

  it('formats a template file, keeping the front matter and every mustache', async () => {
    const text = TEMPLATE.replace('select', '{{#if (eq dialect "duckdb")}}\nselect') + '{{else}}\nselect 1\n{{/if}}\n';
    const { uri } = await open('format.sql.hbs', text, 'handlebars');
    const edits = await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(
      apply(text, edits ?? []),
      TEMPLATE.slice(0, TEMPLATE.indexOf('select')) +
        '{{#if (eq dialect "duckdb")}}\nSELECT\n  {{columns keys}}\nFROM\n  {{ident target}}\nWHERE\n  ordered_on >= {{literal since}}\n{{else}}\nSELECT\n  1\n{{/if}}\n',
    );
  });

  it('leaves unreadable SQL and broken templates alone and says why', async () => {
    const sql = await open('broken.sql', 'select (( from');
    const before = messages.length;
    const edits = await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: sql.uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, []);
    await waitFor(() => messages.length > before);
    assert.match(messages.at(-1)?.message ?? '', /^NeuroLake: The SQL was left unformatted: the postgresql formatter could not read it/);
    const template = await open('broken.sql.hbs', 'select {{#if a}} 1', 'handlebars');
    const none = await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: template.uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(none, []);
    await waitFor(() => messages.length > before + 1);
    assert.match(messages.at(-1)?.message ?? '', /^NeuroLake: The template was not formatted: Template syntax error/);
  });

  it('survives hostile documents and keeps answering', async () => {
    const deep = '{{#if a}}'.repeat(500) + 'x' + '{{/if}}'.repeat(500);
    const deepDoc = await open('deep.sql.hbs', deep, 'handlebars');
    assert.ok(deepDoc.diagnostics.some((d) => d.code === 'too-large'), JSON.stringify(deepDoc.diagnostics.slice(0, 2)));
    const huge = await open('huge.sql.hbs', 'select {{ident t}} from x;\n'.repeat(20_000), 'handlebars');
    assert.deepEqual(huge.diagnostics.map((d) => d.code), ['too-large']);
    const proto = await open('proto.sql.hbs', '{{constructor.constructor "return process"}} {{__proto__}} {{#each this.constructor}}{{/each}} {{@root.constructor}}', 'handlebars');
    assert.ok(proto.diagnostics.length >= 4 && proto.diagnostics.every((d) => d.code === 'forbidden'), JSON.stringify(proto.diagnostics));
    const unclosed = await open('unclosed.sql.hbs', '{{!-- neurolake { "variables": [ ' + '{{'.repeat(10_000), 'handlebars');
    assert.ok(unclosed.diagnostics.length > 0);
    const list = await completion(huge.uri, 10_000, 10);
    assert.ok(Array.isArray(list.items));
    const formatted = await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: deepDoc.uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(formatted, []);
    const status = await server.request(StatusRequest);
    assert.equal(status.pid, server.process.pid);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: huge.uri } });
  });
});

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((out, edit) => out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end)), text);
}

async function waitFor(condition: () => boolean): Promise<void> {
  // showMessage is a notification sent before the response; it has normally arrived already.
  for (let i = 0; i < 100 && !condition(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'the notification arrived');
}

