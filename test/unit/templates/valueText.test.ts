// A variable's value as a person types it: one rule for the editor's prompt, the CLI and rendering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readValueText, render, TemplateError, type TypedVariable } from '../../../server/engines/templates';
import { type TemplateEntry } from '../../../server/engines/catalog';

const ident: TypedVariable = { name: 'source', type: 'identifier', required: true };

function refusal(variable: TypedVariable, text: string): string {
  const verdict = readValueText(variable, text);
  assert.equal(verdict.ok, false, `${JSON.stringify(text)} was accepted as ${variable.type}`);
  return verdict.ok ? '' : verdict.problem;
}

describe('readValueText', () => {
  it('accepts what rendering accepts: Unicode letters, doubled quotes, spaces around a name', () => {
    assert.deepEqual(readValueText(ident, 'café'), { ok: true, value: 'café' });
    assert.deepEqual(readValueText(ident, '"a""b"'), { ok: true, value: '"a""b"' });
    assert.deepEqual(readValueText(ident, '  dw.orders '), { ok: true, value: 'dw.orders' });
  });

  it('refuses what rendering refuses, in the sentence rendering uses', () => {
    assert.match(refusal(ident, 'order$total'), /^Variable "source" \(identifier\) cannot be "order\$total": it contains "\$"/);
    assert.match(refusal(ident, 'a.b.c.d.e'), /more than 4 dotted parts/);
    const template: TemplateEntry = {
      kind: 'template', id: 't', name: 't', description: '', tags: [], owner: '', createdAt: '', updatedAt: '', version: '1.0.0',
      templateKind: 'custom', dialects: ['postgresql'], body: 'SELECT * FROM {{ident source}}', variables: [{ ...ident, description: '' }],
    };
    for (const text of ['order$total', 'a.b.c.d.e', 'x; DROP TABLE users']) {
      assert.throws(() => render(template, { source: text }), (error: unknown) => error instanceof TemplateError && error.message === refusal(ident, text));
    }
  });

  it('reads lists, numbers and booleans as they are typed', () => {
    assert.deepEqual(readValueText({ name: 'cols', type: 'column_list', required: true }, ' id , amount'), { ok: true, value: ['id', 'amount'] });
    assert.deepEqual(readValueText({ name: 'n', type: 'number', required: true }, ' -2.5e1 '), { ok: true, value: -25 });
    assert.match(refusal({ name: 'n', type: 'number', required: true }, '0x10'), /finite number/);
    assert.deepEqual(readValueText({ name: 'on', type: 'boolean', required: true }, 'TRUE'), { ok: true, value: true });
    assert.match(refusal({ name: 'on', type: 'boolean', required: true }, 'yes'), /true or false/);
    assert.deepEqual(readValueText({ name: 'label', type: 'string', required: true }, " it's "), { ok: true, value: " it's " });
  });

  it('an empty answer is no value: refused when required without a default, else the default applies', () => {
    assert.deepEqual(readValueText(ident, '   '), { ok: false, problem: 'Variable "source" is required.' });
    assert.deepEqual(readValueText({ ...ident, default: 'dw.orders' }, ''), { ok: true, value: undefined });
    assert.deepEqual(readValueText({ ...ident, required: false }, ''), { ok: true, value: undefined });
  });
});
