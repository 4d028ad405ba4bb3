// One verdict for a template value: the Insert-into-Editor prompt's validation (asking the real
// server), `neurolake template render --var` and the server's render request accept and refuse
// the same typed values, with the same sentence.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol';
import { CatalogRegisterRequest, CatalogRenderRequest, TemplateCheckValueRequest, type CatalogErrorData, type CheckedVariable } from '../../server/protocol';
import { answerValue, validateValue, type CheckValue } from '../../src/commands/variableAnswers';
import { runCaptured } from '../unit/support/cli';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-values-'));
const dataFolder = join(scratch, 'data');
let server: RunningServer;
let check: CheckValue;

const VARIABLES: readonly (CheckedVariable & { description: string })[] = [
  { name: 'source', type: 'identifier', required: true, description: 'table to read' },
  { name: 'cols', type: 'column_list', required: true, description: 'columns to keep' },
  { name: 'n', type: 'number', required: true, description: 'threshold' },
  { name: 'flag', type: 'boolean', required: true, description: 'only active rows' },
  { name: 'label', type: 'string', required: true, description: 'a label' },
];
/** A valid value for each variable, so each case changes one thing. */
const VALID: Record<string, string> = { source: 'dw.orders', cols: 'id, amount', n: '10', flag: 'true', label: 'big' };

/** [variable, typed text]: the values the prompt and the engine disagreed on, and their neighbours. */
const CASES: readonly [string, string][] = [
  ['source', 'café'],
  ['source', '"a""b"'],
  ['source', 'order$total'],
  ['source', 'a.b.c.d.e'],
  ['source', 'x; DROP TABLE users'],
  ['source', 'dw.dim_customer'],
  ['source', '"Order Date"'],
  ['source', '`a b`'],
  ['source', '1abc'],
  ['source', ' orders '],
  ['cols', 'id, région'],
  ['cols', 'id,,amount'],
  ['cols', 'id, order$x'],
  ['n', '1e3'],
  ['n', '0x10'],
  ['n', 'Infinity'],
  ['n', 'ten'],
  ['flag', 'TRUE'],
  ['flag', 'yes'],
  ['label', "it's"],
];

before(async () => {
  server = await startServer({ settings: settingsWith(dataFolder) });
  check = (params) => server.request(TemplateCheckValueRequest, params);
  await server.request(CatalogRegisterRequest, {
    entry: {
      kind: 'template',
      name: 'verdicts',
      description: 'one variable of each type',
      templateKind: 'custom',
      dialects: ['postgresql'],
      body: 'SELECT {{columns cols}} FROM {{ident source}} WHERE amount > {{literal n}} AND label = {{literal label}}{{#if flag}} AND active{{/if}}',
      variables: VARIABLES,
    },
  });
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** undefined when accepted, else the reason as each place words it. */
async function promptVerdict(name: string, text: string): Promise<string | undefined> {
  return validateValue(check, VARIABLES.find((v) => v.name === name)!, text);
}

async function cliVerdict(name: string, text: string): Promise<string | undefined> {
  const vars = Object.entries({ ...VALID, [name]: text }).flatMap(([key, value]) => ['--var', `${key}=${value}`]);
  const { code, err } = await runCaptured(['--data-folder', dataFolder, 'template', 'render', 'verdicts', ...vars]);
  if (code === 0) return undefined;
  assert.equal(code, 1, `the CLI exited ${code} for ${name}=${text}: ${err}`);
  return err.trim().replace(/^neurolake: /, '');
}

async function serverVerdict(name: string, text: string): Promise<string | undefined> {
  try {
    await server.request(CatalogRenderRequest, { id: 'verdicts', values: { ...VALID, [name]: text } });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal((error as ResponseError<CatalogErrorData>).data?.code, 'invalid-value', error.message);
    return error.message;
  }
}

describe('one verdict for a typed template value', () => {
  it('the prompt, the CLI and the server accept and refuse the same values, with the same reason', async () => {
    const differ: string[] = [];
    for (const [name, text] of CASES) {
      const verdicts = { prompt: await promptVerdict(name, text), cli: await cliVerdict(name, text), server: await serverVerdict(name, text) };
      const words = new Set(Object.values(verdicts).map((v) => v ?? 'accepted'));
      if (words.size !== 1) differ.push(`${name}=${text}: ${JSON.stringify(verdicts)}`);
    }
    assert.deepEqual(differ, [], 'the three places disagree');
  });

  it('accepts Unicode letters and doubled quotes, refuses $ and a fifth dotted part, while typing', async () => {
    assert.equal(await promptVerdict('source', 'café'), undefined);
    assert.equal(await promptVerdict('source', '"a""b"'), undefined);
    assert.match((await promptVerdict('source', 'order$total')) ?? 'accepted', /^Variable "source" \(identifier\) cannot be "order\$total": it contains "\$"/);
    assert.match((await promptVerdict('source', 'a.b.c.d.e')) ?? 'accepted', /more than 4 dotted parts/);
  });

  it('an accepted answer gives the template the typed value; an empty one leaves the default or is required', async () => {
    const cols = VARIABLES.find((v) => v.name === 'cols')!;
    assert.deepEqual(await answerValue(check, cols, ' id ,amount'), ['id', 'amount']);
    assert.equal(await answerValue(check, VARIABLES.find((v) => v.name === 'n')!, '1e3'), 1000);
    assert.equal(await answerValue(check, VARIABLES.find((v) => v.name === 'flag')!, 'FALSE'), false);
    assert.equal(await promptVerdict('source', '  '), 'Variable "source" is required.');
    const withDefault = { name: 'since', type: 'string' as const, required: true, default: '2024-01-01' };
    assert.equal(await validateValue(check, withDefault, ''), undefined, 'an empty answer to a variable with a default is refused');
    assert.equal(await answerValue(check, withDefault, ''), undefined);
  });

  it('the prompt says the value cannot be checked while the server is down, rather than letting it through', async () => {
    const stopped = await startServer({ settings: settingsWith(join(scratch, 'stopped')) });
    await stopped.stop();
    const message = await validateValue((params) => stopped.request(TemplateCheckValueRequest, params), VARIABLES[0]!, 'x; DROP TABLE users');
    assert.match(message ?? 'accepted', /^The value cannot be checked now: /);
  });
});
