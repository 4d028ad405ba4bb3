// The pure pieces behind the editor features: the mustache scanner, the analysis of a template
// file (findings with ranges, declarations from the front matter or the catalog) and pattern
// snippets with tab stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_TEMPLATES, DEDUP_LATEST, DQ_FRESHNESS } from '../../../server/engines/catalog/builtins';
import { render } from '../../../server/engines/templates';
import { mustacheAt, openBlocksAt, scanMustaches } from '../../../server/engines/templates/mustaches';
import { escapeSnippet, patternSnippet } from '../../../server/engines/templates/snippet';
import { analyseTemplate } from '../../../server/engines/templates/templateDocument';
import { TextPositions } from '../../../server/engines/templates/textPositions';

describe('scanMustaches', () => {
  it('finds every kind of tag with its extent, skipping escaped ones and strings holding }}', () => {
    const text = 'a {{x}} \\{{no}} {{#each l}}{{else}}{{/each}} {{!-- c }} --}} {{{raw}}} {{literal "}}"}} {{> p}} {{ope';
    const found = scanMustaches(text).map((m) => [text.slice(m.start, m.end), m.kind, m.name, m.closed]);
    assert.deepEqual(found, [
      ['{{x}}', 'expression', 'x', true],
      ['{{#each l}}', 'open', 'each', true],
      ['{{else}}', 'else', '', true],
      ['{{/each}}', 'close', 'each', true],
      ['{{!-- c }} --}}', 'comment', '', true],
      ['{{{raw}}}', 'expression', 'raw', true],
      ['{{literal "}}"}}', 'expression', 'literal', true],
      ['{{> p}}', 'other', 'p', true],
      ['{{ope', 'expression', 'ope', false],
    ]);
  });

  it('tells whether an offset is inside a mustache and which blocks are open there', () => {
    const text = '{{#each a}}{{#if b}} {{c}} {{/if}} {{d}}{{/each}} {{e';
    const mustaches = scanMustaches(text);
    assert.equal(mustacheAt(mustaches, text.indexOf('c}}'))?.name, 'c');
    assert.equal(mustacheAt(mustaches, text.indexOf('c}}') + 1)?.name, 'c', 'just before the closing braces');
    assert.equal(mustacheAt(mustaches, text.indexOf(' {{c')), undefined);
    assert.equal(mustacheAt(mustaches, text.length)?.name, 'e', 'an unclosed mustache being typed');
    assert.deepEqual(openBlocksAt(mustaches, text.indexOf('{{c')), ['each', 'if']);
    assert.deepEqual(openBlocksAt(mustaches, text.indexOf('{{d')), ['each']);
    assert.deepEqual(openBlocksAt(mustaches, text.indexOf('{{e')), []);
  });
});

describe('TextPositions', () => {
  it('maps offsets and positions both ways over \\n and \\r\\n lines', () => {
    const positions = new TextPositions('ab\r\ncd\nef');
    assert.deepEqual(positions.positionAt(5), { line: 1, character: 1 });
    assert.equal(positions.offsetAt({ line: 2, character: 1 }), 8);
    assert.equal(positions.offsetAt({ line: 0, character: 99 }), 2, 'clamped to the end of the line');
    assert.equal(positions.lineCount, 3);
  });
});

describe('analyseTemplate', () => {
  const none = { lookupTemplate: () => undefined };

  it('flags every use of an undeclared variable and every unused declaration', () => {
    const text = '{{!-- neurolake { "variables": [ { "name": "t", "type": "identifier" }, { "name": "u", "type": "identifier" } ] } --}}\n{{ident t}} {{ident x}} {{ident x}}';
    const analysis = analyseTemplate(text, none);
    assert.deepEqual(
      analysis.findings.map((f) => [f.code, f.severity, f.range.start, f.range.end, f.variable]),
      [
        ['unused-variable', 'hint', { line: 0, character: 83 }, { line: 0, character: 84 }, 'u'],
        ['undeclared-variable', 'warning', { line: 1, character: 20 }, { line: 1, character: 21 }, 'x'],
        ['undeclared-variable', 'warning', { line: 1, character: 32 }, { line: 1, character: 33 }, 'x'],
      ],
    );
  });

  it('takes the declarations of the catalog template the front matter names', () => {
    const text = '{{!-- neurolake { "catalog": "builtin.dedup.latest" } --}}\n{{ident source}}';
    const analysis = analyseTemplate(text, { lookupTemplate: (ref) => (ref === DEDUP_LATEST.id ? DEDUP_LATEST : undefined) });
    assert.equal(analysis.catalogEntry?.id, DEDUP_LATEST.id);
    assert.equal(analysis.variables.get('source')?.declared, undefined);
    assert.deepEqual(analysis.dialects, DEDUP_LATEST.dialects);
    assert.deepEqual(
      analysis.findings.map((f) => [f.code, f.variable]),
      ['unique_key', 'latest_by', 'tie_breaker', 'select_columns'].map((name) => ['unused-variable', name]),
    );
  });

  it('never throws, whatever the text', () => {
    for (const text of ['', '{{', '{{!-- neurolake', '{{!-- neurolake {"variables": 3} --}}', '{{#if}}'.repeat(1000), '\u0000{{constructor.constructor}}', '{{!-- neurolake [1,2] --}}']) {
      assert.ok(Array.isArray(analyseTemplate(text, none).findings));
    }
  });
});

describe('patternSnippet', () => {
  it('turns every built-in, in every dialect, into a snippet whose placeholders give the preview', () => {
    for (const template of BUILTIN_TEMPLATES) {
      for (const dialect of template.dialects) {
        const snippet = patternSnippet(template, dialect);
        assert.ok('snippet' in snippet, `${template.id} ${dialect}: ${'problem' in snippet ? snippet.problem : ''}`);
        assert.ok(snippet.tabStops.length > 0, template.id);
        // Unescaping the snippet and writing each placeholder's text gives back the preview.
        const texts = new Map<string, string>();
        const unescaped = snippet.snippet
          .replace(/\$\{(\d+):((?:\\.|[^\\}])*)\}/g, (_m, n: string, text: string) => {
            texts.set(n, text.replace(/\\(.)/g, '$1'));
            return `\uE001${n}\uE002`;
          })
          .replace(/\$\{(\d+)\}/g, '\uE001$1\uE002')
          .replace(/\\(.)/g, '$1')
          .replace(/\uE001(\d+)\uE002/g, (_m, n: string) => texts.get(n) ?? '');
        assert.equal(unescaped, snippet.preview, `${template.id} ${dialect}`);
      }
    }
  });

  it('previews the SQL the template renders with the placeholder values', () => {
    const dedup = patternSnippet(DEDUP_LATEST, 'bigquery');
    assert.ok('preview' in dedup);
    assert.deepEqual(dedup.tabStops, ['source', 'unique_key', 'latest_by', 'tie_breaker']);
    assert.equal(dedup.preview, render(DEDUP_LATEST, { source: 'source', unique_key: ['unique_key'], tie_breaker: ['tie_breaker'] }, { dialect: 'bigquery' }).sql);
    const freshness = patternSnippet(DQ_FRESHNESS, 'bigquery');
    assert.ok('snippet' in freshness);
    assert.deepEqual(freshness.tabStops, ['table', 'timestamp_column'], 'max_age and its unit keep their defaults: interval refuses a marker');
    assert.ok(freshness.snippet.includes("'${1:table}' AS table_name"), freshness.snippet);
  });

  it('escapes what snippet syntax would read', () => {
    assert.equal(escapeSnippet('a $1 ${x} \\ }'), 'a \\$1 \\${x\\} \\\\ \\}');
  });
});
