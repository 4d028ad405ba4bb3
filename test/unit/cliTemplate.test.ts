// `neurolake template render|vars`: the built-ins and a registered template, rendered from a shell.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCaptured, type CliRun } from './support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-template-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const cli = (...argv: string[]): Promise<CliRun> => runCaptured(['--data-folder', scratch, ...argv]);

describe('neurolake template', () => {
  it('vars --json lists the declared variables of a built-in', async () => {
    const { code, out } = await cli('template', 'vars', 'builtin.dedup.latest', '--json');
    assert.equal(code, 0);
    const variables = JSON.parse(out) as { name: string; type: string; required: boolean }[];
    const byName = new Map(variables.map((v) => [v.name, v]));
    assert.equal(byName.get('unique_key')?.type, 'column_list');
    assert.equal(byName.get('unique_key')?.required, true);
    assert.equal(byName.get('source')?.type, 'identifier');
  });

  it('render prints formatted SQL for the dialect, lists split on commas', async () => {
    const { code, out } = await cli(
      'template', 'render', 'builtin.dedup.latest', '--dialect', 'snowflake',
      '--var', 'source=raw.customers', '--var', 'unique_key=customer_id, region', '--var', 'tie_breaker=_loaded_at',
    );
    assert.equal(code, 0);
    assert.match(out, /^FROM\n {2}raw\.customers\nQUALIFY\n {2}ROW_NUMBER\(\) OVER \(\n {4}PARTITION BY\n {6}customer_id,\n {6}region$/m);
    const lower = await cli('template', 'render', 'builtin.dedup.latest', '--dialect', 'snowflake', '--keyword-case', 'lower', '--var', 'source=a', '--var', 'unique_key=id', '--var', 'tie_breaker=t');
    assert.match(lower.out, /^qualify$/m);
  });

  it('a registered template renders by name, and rendering counts as a use', async () => {
    await cli('catalog', 'register', 'template', '--name', 'count_rows', '--body', 'SELECT COUNT(*) FROM {{ident table}}', '--var', 'table:identifier');
    const { code, out } = await cli('template', 'render', 'count_rows', '--var', 'table=dw.orders');
    assert.equal(code, 0, out);
    assert.equal(out.trim(), 'SELECT\n  COUNT(*)\nFROM\n  dw.orders');
    const stats = JSON.parse((await cli('catalog', 'stats', '--json')).out) as { most_used: { name: string; uses: number }[] };
    assert.equal(stats.most_used.find((m) => m.name === 'count_rows')?.uses, 1);
  });

  it('refuses an injection attempt: exit 1 with the variable and the reason, nothing printed on stdout', async () => {
    const { code, out, err } = await cli('template', 'render', 'count_rows', '--var', 'table=x; DROP TABLE users');
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /^neurolake: Variable "table" \(identifier\) cannot be "x; DROP TABLE users": it contains a semicolon/);
  });

  it('names every missing required variable, and unknown templates and dialects', async () => {
    const missing = await cli('template', 'render', 'builtin.dedup.latest');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /source/);
    assert.match(missing.err, /unique_key/);
    assert.equal((await cli('template', 'render', 'no_such_template')).code, 3);
    const dialect = await cli('template', 'render', 'count_rows', '--dialect', 'oracle', '--var', 'table=t');
    assert.equal(dialect.code, 2);
    assert.match(dialect.err, /--dialect must be one of postgresql/);
  });
});
