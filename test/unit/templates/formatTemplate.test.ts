// Formatting a template must only re-lay it out: proven over every built-in template, for every
// dialect each claims, by comparing the mustaches and the SQL every formatted body renders to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_TEMPLATES } from '../../../server/engines/catalog/builtins';
import { type TemplateEntry, type VariableDeclaration, type VariableValue } from '../../../server/engines/catalog/types';
import { render } from '../../../server/engines/templates';
import { formatTemplate } from '../../../server/engines/templates/formatTemplate';
import { scanMustaches } from '../../../server/engines/templates/mustaches';

function mustaches(text: string): string[] {
  return scanMustaches(text).map((m) => text.slice(m.start, m.end));
}

/** Values that exercise every branch a value can pick: two-item lists (so {{#unless @first}} runs). */
function sampleValue(declaration: VariableDeclaration): VariableValue {
  if (declaration.default !== undefined && declaration.type !== 'boolean') return declaration.default;
  switch (declaration.type) {
    case 'identifier':
      return `${declaration.name}_x`;
    case 'column_list':
      return [`${declaration.name}_a`, `${declaration.name}_b`];
    case 'string':
      return 'one, two';
    case 'number':
      return 7;
    case 'boolean':
      return false;
  }
}

/** Every combination of the boolean variables, the rest fixed. */
function valueSets(template: TemplateEntry): Record<string, VariableValue>[] {
  let sets: Record<string, VariableValue>[] = [{}];
  for (const declaration of template.variables) {
    if (declaration.type === 'boolean') sets = sets.flatMap((set) => [{ ...set, [declaration.name]: true }, { ...set, [declaration.name]: false }]);
    else sets = sets.map((set) => ({ ...set, [declaration.name]: sampleValue(declaration) }));
  }
  return sets;
}

describe('formatTemplate over every built-in template', () => {
  for (const template of BUILTIN_TEMPLATES) {
    for (const dialect of template.dialects) {
      it(`${template.id}, formatted for ${dialect}: same mustaches, same rendered SQL in every dialect`, () => {
        const result = formatTemplate(template.body, dialect);
        assert.ok('text' in result, 'problem' in result ? result.problem : '');
        const formatted = result.text;
        assert.notEqual(formatted, template.body, 'formatting changed the layout');
        assert.deepEqual(mustaches(formatted), mustaches(template.body));
        const reformatted = formatTemplate(formatted, dialect);
        assert.ok('text' in reformatted && reformatted.text === formatted, 'formatting is idempotent');
        const copy = { ...template, body: formatted };
        for (const target of template.dialects) {
          for (const values of valueSets(template)) {
            const before = render(template, values, { dialect: target });
            const after = render(copy, values, { dialect: target });
            assert.deepEqual(before.warnings, [], `${target}: the rendered SQL formats`);
            assert.equal(after.sql, before.sql, `${target} ${JSON.stringify(values)}`);
          }
        }
      });
    }
  }
});

describe('formatTemplate', () => {
  it('keeps the front matter as written and formats the body after it', () => {
    const text = '{{!-- neurolake\n{ "variables": [ { "name": "t", "type": "identifier" } ] }\n--}}\nselect a,b from {{ident t}} where x=1\n';
    const result = formatTemplate(text, 'postgresql');
    assert.deepEqual(result, { text: '{{!-- neurolake\n{ "variables": [ { "name": "t", "type": "identifier" } ] }\n--}}\nSELECT\n  a,\n  b\nFROM\n  {{ident t}}\nWHERE\n  x = 1\n' });
  });

  it('puts block tags that stood alone back on lines of their own, with the keyword case and indent asked for', () => {
    const text = 'select a from t\n{{#if wanted}}\nwhere b = {{literal v}}\n{{else}}\nwhere c = 1\n{{/if}}';
    const result = formatTemplate(text, 'duckdb', { keywordCase: 'lower', tabWidth: 4 });
    assert.deepEqual(result, { text: 'select\n    a\nfrom\n    t\n{{#if wanted}}\nwhere\n    b = {{literal v}}\n{{else}}\nwhere\n    c = 1\n{{/if}}' });
  });

  it('refuses a body that does not parse, with the reason', () => {
    const result = formatTemplate('select {{#if a}} 1', 'postgresql');
    assert.ok('problem' in result);
    assert.match(result.problem, /not formatted: Template syntax error at line 1, column 19/);
  });

  it('refuses partials and raw blocks rather than guess', () => {
    const result = formatTemplate('select {{> other}} from t', 'postgresql');
    assert.ok('problem' in result);
    assert.match(result.problem, /\{\{> other\}\}, which the formatter cannot keep intact/);
  });

  it('keeps a mustache inside a string literal or a comment untouched', () => {
    const result = formatTemplate("select '{{x}}' as a -- {{y}}\nfrom t", 'postgresql');
    assert.deepEqual(result, { text: "SELECT\n  '{{x}}' AS a -- {{y}}\nFROM\n  t" });
  });

  it('refuses SQL the formatter cannot read', () => {
    const result = formatTemplate('select {{ident a}} from (((', 'postgresql');
    assert.ok('problem' in result, JSON.stringify(result));
  });
});
