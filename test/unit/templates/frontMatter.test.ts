// The front matter of a template file: declarations with exact offsets, problems where they are,
// and the edit that declares one more variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from 'jsonc-parser';
import { declareVariableEdits, parseFrontMatter, type Span } from '../../../server/engines/templates/frontMatter';

const text = [
  '{{!-- neurolake',
  '{',
  '  // JSONC: comments and trailing commas are fine',
  '  "name": "orders",',
  '  "dialects": ["duckdb", "oracle"],',
  '  "variables": [',
  '    { "name": "table", "type": "identifier", "description": "The table", "default": "raw.orders" },',
  '    { "name": "keys", "type": "column_list" },',
  '    { "name": "n", "type": "integr", "extra": 1 },',
  '  ],',
  '}',
  '--}}',
  'SELECT {{columns keys}} FROM {{ident table}}',
].join('\n');

const slice = (span: Span | undefined): string => (span === undefined ? '' : text.slice(span.start, span.end));

describe('parseFrontMatter', () => {
  it('reads declarations, dialects and where each part is', () => {
    const fm = parseFrontMatter(text);
    assert.ok(fm);
    assert.equal(fm.closed, true);
    assert.equal(slice(fm.span), text.slice(0, text.indexOf('--}}') + 4));
    assert.equal(fm.name, 'orders');
    assert.deepEqual(fm.dialects, ['duckdb']);
    assert.deepEqual(
      fm.variables.map((v) => [v.declaration.name, v.declaration.type, v.declaration.required, v.declaration.default, slice(v.nameSpan), slice(v.typeSpan)]),
      [
        ['table', 'identifier', false, 'raw.orders', 'table', '"identifier"'],
        ['keys', 'column_list', true, undefined, 'keys', '"column_list"'],
        ['n', 'integr', true, undefined, 'n', '"integr"'],
      ],
    );
    assert.deepEqual(
      fm.problems.map((p) => [p.code, slice(p.span), p.warning ?? false]),
      [
        ['invalid-front-matter', '"oracle"', false],
        ['invalid-front-matter', '"extra"', true],
      ],
    );
  });

  it('is absent when the text does not start with a neurolake comment', () => {
    assert.equal(parseFrontMatter('SELECT 1'), undefined);
    assert.equal(parseFrontMatter('{{!-- just a comment --}}\nSELECT 1'), undefined);
  });

  it('reports JSON errors and an unclosed comment where they are', () => {
    const broken = '{{!-- neurolake\n{ "variables": [ { "name": "a" "type": "identifier" } ] }\n';
    const fm = parseFrontMatter(broken);
    assert.ok(fm);
    assert.equal(fm.closed, false);
    const [unclosed, comma] = fm.problems;
    assert.equal(unclosed?.code, 'front-matter-syntax');
    assert.match(unclosed?.message ?? '', /not closed/);
    assert.equal(comma?.message, 'Front matter JSON: expected a comma.');
    assert.equal(broken.slice(comma?.span.start, comma?.span.end), '"type"');
  });

  it('reads a catalog reference, and refuses one beside variables', () => {
    const fm = parseFrontMatter('{{!-- neurolake { "catalog": "builtin.dedup.latest" } --}}\nSELECT 1');
    assert.deepEqual(fm?.catalog?.ref, 'builtin.dedup.latest');
    const both = parseFrontMatter('{{!-- neurolake { "catalog": "x", "variables": [] } --}}');
    assert.match(both?.problems[0]?.message ?? '', /not both/);
  });
});

describe('declareVariableEdits', () => {
  it('appends to the variables list, in its indentation', () => {
    const fm = parseFrontMatter(text);
    const edits = declareVariableEdits(text, fm, { name: 'since', type: 'identifier', description: '' });
    assert.ok(edits);
    const after = applyEdits(text, edits.map((e) => ({ offset: e.span.start, length: e.span.end - e.span.start, content: e.newText })));
    const fm2 = parseFrontMatter(after);
    assert.deepEqual(fm2?.variables.map((v) => v.declaration.name), ['table', 'keys', 'n', 'since']);
    assert.ok(after.endsWith('--}}\nSELECT {{columns keys}} FROM {{ident table}}'));
  });

  it('adds a variables list to a front matter without one', () => {
    const source = '{{!-- neurolake\n{\n  "name": "x"\n}\n--}}\nSELECT {{ident t}}';
    const edits = declareVariableEdits(source, parseFrontMatter(source), { name: 't', type: 'identifier', description: '' });
    const after = applyEdits(source, (edits ?? []).map((e) => ({ offset: e.span.start, length: e.span.end - e.span.start, content: e.newText })));
    assert.deepEqual(parseFrontMatter(after)?.variables.map((v) => v.declaration.name), ['t']);
  });

  it('creates the front matter when there is none', () => {
    const edits = declareVariableEdits('SELECT {{ident t}}', undefined, { name: 't', type: 'identifier', description: '' });
    assert.deepEqual(edits, [
      {
        span: { start: 0, end: 0 },
        newText: '{{!-- neurolake\n{\n  "variables": [\n    {\n      "name": "t",\n      "type": "identifier",\n      "description": ""\n    }\n  ]\n}\n--}}\n',
      },
    ]);
  });

  it('declines when the front matter names a catalog template', () => {
    const source = '{{!-- neurolake { "catalog": "x" } --}}\n{{ident t}}';
    assert.equal(declareVariableEdits(source, parseFrontMatter(source), { name: 't', type: 'identifier', description: '' }), undefined);
  });
});
