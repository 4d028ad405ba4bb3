// What the editor will underline: variables a body uses and where, and syntax errors with a
// position, read from Handlebars' own AST.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTemplate, declaredVariableNames, HELPERS, parseTemplate, TemplateError } from '../../../server/engines/templates';
import { template, variable } from './fixtures';

describe('declaredVariableNames', () => {
  it('lists variables once, in order, without helpers, block params, this, @data or dialect', () => {
    const body = [
      '{{#if (eq dialect "bigquery")}}{{now}}{{/if}}',
      'MERGE INTO {{ident target}} USING {{ident source}}',
      '{{#each keys as |key|}}{{ident key}} = {{ident this}} {{@index}} {{@root.alias}}{{/each}}',
      '{{columns keys "t."}} {{literal target}}',
    ].join('\n');
    assert.deepEqual(declaredVariableNames(body), ['target', 'source', 'keys', 'alias']);
  });

  it('throws a syntax TemplateError for a body that does not parse', () => {
    assert.throws(() => declaredVariableNames('{{#if a}}'), (error) => error instanceof TemplateError && error.code === 'syntax');
  });
});

describe('parseTemplate', () => {
  it('gives zero-based line/character ranges and how each variable is used', () => {
    const parsed = parseTemplate('SELECT\n  {{ident col}}\n{{#if wanted}}{{n}}{{/if}}{{#each cols}}x{{/each}}');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.references.map((reference) => [reference.name, reference.usage, reference.helper, reference.range.start, reference.range.end]),
      [
        ['col', 'argument', 'ident', { line: 1, character: 10 }, { line: 1, character: 13 }],
        ['wanted', 'condition', undefined, { line: 2, character: 6 }, { line: 2, character: 12 }],
        ['n', 'output', undefined, { line: 2, character: 16 }, { line: 2, character: 17 }],
        ['cols', 'iteration', undefined, { line: 2, character: 34 }, { line: 2, character: 38 }],
      ],
    );
    assert.deepEqual(parsed.helpers.map((helper) => helper.name), ['ident', 'if', 'each']);
  });

  it('reports an unclosed block with where the template ended', () => {
    const { problems, program } = parseTemplate('SELECT 1\n{{#if wanted}}\n  , 2');
    assert.equal(program, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'syntax');
    assert.deepEqual(problems[0]?.range.start, { line: 2, character: 5 });
    assert.match(problems[0]?.message ?? '', /line 3, column 6: a block is not closed before the end of the template: expected \{\{else\}\} or \{\{\/…\}\}/);
  });

  it('reports a mismatched close and a broken mustache with their positions', () => {
    const mismatched = parseTemplate('a\n{{#if x}}b{{/each}}').problems[0];
    assert.equal(mismatched?.code, 'syntax');
    assert.deepEqual(mismatched?.range.start, { line: 1, character: 3 });
    assert.match(mismatched?.message ?? '', /if doesn't match each/);
    const broken = parseTemplate('SELECT {{ident (}}').problems[0];
    assert.deepEqual(broken?.range.start, { line: 0, character: 16 });
    assert.match(broken?.message ?? '', /line 1, column 17: expected a name or .*, found \}\}/);
  });

  it('collects every refused construct, not just the first', () => {
    const { problems } = parseTemplate('{{> p}}\n{{nope 1}}\n{{lookup a "b"}}');
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.range.start.line]),
      [
        ['forbidden', 0],
        ['unknown-helper', 1],
        ['forbidden', 2],
      ],
    );
  });
});

describe('checkTemplate', () => {
  it('flags undeclared variables and bad declarations', () => {
    const checked = checkTemplate(
      template('{{ident a}} {{ident b}} {{ident b}}', [variable('a', 'identifier'), variable('columns', 'column_list'), variable('dialect', 'string'), variable('x', 'number', { default: 'many' })]),
    );
    assert.deepEqual(
      checked.problems.map((problem) => [problem.code, problem.variable]),
      [
        ['invalid-declaration', 'columns'],
        ['invalid-declaration', 'dialect'],
        ['invalid-declaration', 'x'],
        ['undeclared-variable', 'b'],
      ],
    );
    assert.match(checked.problems[0]?.message ?? '', /also a helper's name/);
    assert.match(checked.problems[3]?.message ?? '', /uses "b" but does not declare it \(line 1, column 21\)/);
  });
});

describe('HELPERS', () => {
  it('documents every helper with a signature and a description', () => {
    const names = HELPERS.map((helper) => helper.name);
    for (const wanted of ['ident', 'literal', 'columns', 'join', 'eq', 'ne', 'and', 'or', 'not', 'now', 'concat', 'if', 'each']) assert.ok(names.includes(wanted), wanted);
    for (const helper of HELPERS) {
      assert.ok(helper.signature.includes(helper.name), helper.name);
      assert.ok(helper.description.length > 20, helper.name);
    }
  });
});
