// Templates from an imported bundle are untrusted and values come from people: neither may run
// code in the server, read outside the values, hang it, or slip SQL past an identifier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render, TemplateError, type TemplateErrorCode } from '../../../server/engines/templates';
import { template, variable } from './fixtures';

function refusal(body: string, values: Record<string, string | string[]> = {}, variables = [variable('name', 'identifier', { default: 'orders' }), variable('cols', 'column_list', { default: ['a', 'b'] })]): TemplateError {
  try {
    const result = render(template(body, variables), values, { format: false });
    assert.fail(`rendered instead of refusing: ${result.sql}`);
  } catch (caught) {
    assert.ok(caught instanceof TemplateError, `expected a TemplateError, got ${String(caught)}`);
    return caught;
  }
}

function assertRefused(body: string, code: TemplateErrorCode, message: RegExp): void {
  const failure = refusal(body);
  assert.equal(failure.code, code, failure.message);
  assert.match(failure.message, message);
}

describe('hostile templates', () => {
  it('cannot reach a prototype or the Function constructor', () => {
    assertRefused('{{constructor.constructor "return process"}}', 'forbidden', /"constructor\.constructor" reaches into a value's prototype/);
    assertRefused('{{name.constructor}}', 'forbidden', /prototype/);
    assertRefused('{{#each cols}}{{this.__proto__}}{{/each}}', 'forbidden', /prototype/);
    assertRefused('{{@root.__proto__}}', 'forbidden', /prototype/);
    assertRefused('{{ident (concat name.constructor)}}', 'forbidden', /prototype/);
  });

  it('has no with, lookup, log, partials or decorators', () => {
    assertRefused('{{#with __proto__}}{{polluted}}{{/with}}', 'forbidden', /prototype|`with` is not available/);
    assertRefused('{{#with name}}x{{/with}}', 'forbidden', /`with` is not available/);
    assertRefused('{{lookup this "constructor"}}', 'forbidden', /`lookup` is not available/);
    assertRefused('{{log name}}', 'forbidden', /`log` is not available/);
    assertRefused('{{> evil}}', 'forbidden', /Partials/);
    assertRefused('{{#> layout}}x{{/layout}}', 'forbidden', /Partials/);
    assertRefused('{{#*inline "p"}}x{{/inline}}', 'forbidden', /Decorators/);
  });

  it('calls only known helpers, with the right arguments', () => {
    const unknown = refusal('SELECT {{exec "rm -rf /"}}');
    assert.equal(unknown.code, 'unknown-helper');
    assert.equal(unknown.helper, 'exec');
    assert.match(unknown.message, /Unknown helper "exec".*line 1, column 10/);
    assertRefused('{{helperMissing name}}', 'unknown-helper', /helperMissing/);
    assertRefused('{{#blockHelperMissing name}}x{{/blockHelperMissing}}', 'unknown-helper', /blockHelperMissing/);
    assertRefused('{{#name}}x{{/name}}', 'unknown-helper', /"name"/);
    assertRefused('{{ident name name}}', 'unknown-helper', /"ident" takes 1 argument, not 2/);
    assertRefused('{{if name}}', 'unknown-helper', /block helper/);
    assertRefused('{{ident name quote=true}}', 'forbidden', /name=value/);
  });

  it('refuses data and depth paths that are not a variable', () => {
    assertRefused('{{@partial-block}}', 'forbidden', /is not available/);
    assertRefused('{{#each cols}}{{../name}}{{/each}}', 'forbidden', /write @root\.name/);
    assertRefused('{{this}}', 'forbidden', /`this` at the top/);
    assertRefused('{{#each cols}}{{name}}{{/each}}', 'undeclared-variable', /looked up on the current item/);
    assertRefused('{{name.length.foo}}', 'forbidden', /no field "foo"/);
  });

  it('refuses bodies nested too deep', () => {
    const deep = '{{#if name}}'.repeat(40) + 'x' + '{{/if}}'.repeat(40);
    assertRefused(deep, 'too-large', /nested more than 24 deep/);
    const sub = '{{ident ' + '(concat '.repeat(40) + 'name' + ')'.repeat(40) + '}}';
    assertRefused(sub, 'too-large', /nested more than 24 deep/);
    const huge = '{{#if name}}'.repeat(20_000) + '{{/if}}'.repeat(20_000);
    assertRefused(huge, 'too-large', /longer than|nested/);
  });

  it('stops an exploding {{#each}} nest instead of hanging', () => {
    const cols = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const started = Date.now();
    const failure = refusal('{{#each cols}}{{#each @root.cols}}{{#each @root.cols}}x{{/each}}{{/each}}{{/each}}', { cols });
    assert.equal(failure.code, 'too-large');
    assert.match(failure.message, /more than 10000 times/);
    assert.ok(Date.now() - started < 2000, 'the render was stopped early');
  });

  it('keeps free text out of the SQL except through literal', () => {
    const variables = [variable('note', 'string')];
    for (const body of ['SELECT {{note}}', 'SELECT {{concat "x" note}}', 'SELECT {{join (concat note) ","}}', 'SELECT {{{note}}}', '{{#if note}}{{@root.note}}{{/if}}']) {
      const failure = refusal(body, { note: "1; DROP TABLE users; --" }, variables);
      assert.equal(failure.code, 'forbidden', body);
      assert.match(failure.message, /"note" is free text \(a string variable\): emit it with \{\{literal note\}\}/);
    }
    assert.equal(render(template("SELECT {{literal note}}{{#if (eq note 'x')}} + 1{{/if}}", variables), { note: "1'; DROP TABLE users; --" }, { format: false }).sql, "SELECT '1''; DROP TABLE users; --'");
    // ident validates its argument, so building a name from free text is still safe.
    assert.match(refusal('SELECT {{ident (concat "t_" note)}}', { note: 'x; DROP TABLE users' }, variables).message, /\{\{ident\}\}: "t_x; DROP TABLE users" is not a safe identifier: it contains a semicolon/);
  });

  it('leaves the global Handlebars alone', async () => {
    const Handlebars = (await import('handlebars')).default;
    render(template('{{ident name}}', [variable('name', 'identifier')]), { name: 'x' });
    assert.equal(Handlebars.helpers['ident'], undefined);
    assert.equal(typeof Handlebars.helpers['lookup'], 'function');
  });
});

describe('identifier values', () => {
  const body = template('SELECT * FROM {{ident target}}', [variable('target', 'identifier')]);
  const refuse = (target: string, because: RegExp) => {
    try {
      render(body, { target }, { format: false });
      assert.fail(`accepted ${target}`);
    } catch (caught) {
      assert.ok(caught instanceof TemplateError);
      assert.equal(caught.code, 'invalid-value');
      assert.deepEqual(caught.variables, ['target']);
      assert.match(caught.message, new RegExp(`^Variable "target" \\(identifier\\) cannot be ${JSON.stringify(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      assert.match(caught.message, because);
    }
  };

  it('refuses statement breaks, comments, quotes, backticks and whitespace', () => {
    refuse('x; DROP TABLE users', /semicolon/);
    refuse('a--b', /"--", which starts a comment/);
    refuse('a/*', /"\/\*", which starts a comment/);
    refuse("o'brien", /single quote/);
    refuse('a`b', /backtick/);
    refuse('my table', /whitespace/);
    refuse('1st', /starts with a digit/);
    refuse('a..b', /empty part/);
    refuse('schema.', /ends with a dot/);
    refuse('"unclosed', /never closed/);
    refuse('"a"; DROP TABLE x; --"', /after a quoted part/);
    refuse('"a\\"', /backslash/);
    refuse('`a"b`', /double quote inside the quotes/);
    refuse('"x;y"', /semicolon/);
  });

  it('accepts plain, dotted, unicode and properly quoted names', () => {
    for (const target of ['orders', 'analytics.orders', 'cat.db.schema.t', '_staging', 'clientes_año', '"Order Lines"', '"a""b".c']) {
      assert.doesNotThrow(() => render(body, { target }, { format: false }), target);
    }
  });

  it('column lists are checked item by item', () => {
    const cols = template('SELECT {{columns cols}} FROM t', [variable('cols', 'column_list')]);
    assert.throws(() => render(cols, { cols: ['id', 'name; DROP TABLE t'] }), /Variable "cols" \(column_list\) cannot be .*column "name; DROP TABLE t" is not a safe identifier: it contains a semicolon/);
    assert.throws(() => render(cols, { cols: 'id, , name' }), /column "" is not a safe identifier: it is empty/);
  });
});
