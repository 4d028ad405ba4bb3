// The settings schema in package.json and the settings type in the protocol module must agree,
// or a user's setting silently does nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { normaliseSettings, SETTING_DEFAULTS, type SettingKey } from '../../server/protocol';

interface SettingSchema {
  type: string;
  default: unknown;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('package.json declares exactly the settings the protocol module knows', () => {
    assert.deepEqual(Object.keys(schema).sort(), Object.keys(SETTING_DEFAULTS).sort());
  });

  it('every setting has the same default in both places and a description', () => {
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      const declared = schema[key];
      assert.ok(declared, `${key} missing from package.json`);
      assert.deepEqual(declared.default, value, `${key} default differs`);
      assert.ok((declared.markdownDescription ?? declared.description ?? '').length > 20, `${key} needs a description`);
    }
  });

  it('the schema defaults normalise without problems', () => {
    const { problems } = normaliseSettings((key) => schema[key]?.default);
    assert.deepEqual(problems, []);
  });

  it('enum settings accept every value package.json offers', () => {
    for (const [key, declared] of Object.entries(schema)) {
      for (const value of declared.enum ?? []) {
        const { problems } = normaliseSettings((k) => (k === key ? value : undefined));
        assert.deepEqual(problems, [], `${key}=${String(value)}`);
      }
    }
  });

  it('an invalid value falls back to the default and names the setting', () => {
    const raw: Partial<Record<SettingKey, unknown>> = { 'neurolake.server.maxRestarts': -3, 'neurolake.trace.server': 'loud' };
    const { settings, problems } = normaliseSettings((key) => raw[key]);
    assert.equal(settings.server.maxRestarts, 4);
    assert.equal(settings.trace.server, 'off');
    assert.deepEqual(
      problems.map((p) => p.key),
      ['neurolake.server.maxRestarts', 'neurolake.trace.server'],
    );
    assert.match(problems[0]!.message, /whole number from 0 to 20/);
  });

  it('trims the data folder', () => {
    assert.equal(normaliseSettings(() => '  /data/nl  ').settings.dataFolder, '/data/nl');
  });
});

describe('cost settings', () => {
  it('reads the preset, the overrides and the local machine, null meaning the preset\'s figure', () => {
    const raw: Partial<Record<SettingKey, unknown>> = {
      'neurolake.cost.preset': ' seed ',
      'neurolake.cost.overrides': { storage: { cloud: { usdPerGbMonth: 0.02 } } },
      'neurolake.cost.hardwareUsd': 3000,
      'neurolake.cost.hardwareLifeMonths': null,
    };
    const { settings, problems } = normaliseSettings((key) => raw[key]);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.cost, { preset: 'seed', overrides: { storage: { cloud: { usdPerGbMonth: 0.02 } } }, hardwareUsd: 3000, hardwareLifeMonths: null, powerWatts: null });
  });

  it('refuses overrides that are not an object, a negative price and a life of 0 months, naming each', () => {
    const raw: Partial<Record<SettingKey, unknown>> = {
      'neurolake.cost.overrides': [1],
      'neurolake.cost.hardwareUsd': -1,
      'neurolake.cost.hardwareLifeMonths': 0,
      'neurolake.cost.preset': '',
    };
    const { settings, problems } = normaliseSettings((key) => raw[key]);
    assert.deepEqual(settings.cost, { preset: 'aws', overrides: {}, hardwareUsd: null, hardwareLifeMonths: null, powerWatts: null });
    assert.deepEqual(problems.map((p) => p.key).sort(), ['neurolake.cost.hardwareLifeMonths', 'neurolake.cost.hardwareUsd', 'neurolake.cost.overrides', 'neurolake.cost.preset']);
    assert.match(problems.find((p) => p.key === 'neurolake.cost.hardwareLifeMonths')!.message, /from 1 to 240/);
  });
});

describe('compute settings', () => {
  it('a bad Slurm address, API version or exit code list falls back to the default and says which setting', () => {
    const raw: Partial<Record<SettingKey, unknown>> = {
      'neurolake.compute.slurm.url': 'cluster:6820',
      'neurolake.compute.slurm.apiVersion': '0.0.38',
      'neurolake.compute.noRetryExitCodes': [2, 'x'],
      'neurolake.compute.localCpuLimitPct': 150,
    };
    const { settings, problems } = normaliseSettings((key) => raw[key]);
    assert.equal(settings.compute.slurm.url, '');
    assert.equal(settings.compute.slurm.apiVersion, 'v0.0.38');
    assert.deepEqual(settings.compute.noRetryExitCodes, []);
    assert.equal(settings.compute.localCpuLimitPct, 80);
    assert.deepEqual(problems.map((p) => p.key).sort(), ['neurolake.compute.localCpuLimitPct', 'neurolake.compute.noRetryExitCodes', 'neurolake.compute.slurm.apiVersion', 'neurolake.compute.slurm.url']);
    assert.match(problems.find((p) => p.key === 'neurolake.compute.slurm.url')!.message, /http or https address of slurmrestd/);
  });

  it('a Slurm cluster as a user sets it up is kept as written, trimmed', () => {
    const raw: Partial<Record<SettingKey, unknown>> = { 'neurolake.compute.slurm.url': ' http://cluster:6820 ', 'neurolake.compute.slurm.sharedFolder': '/shared/nl', 'neurolake.compute.burst': false };
    const { settings, problems } = normaliseSettings((key) => raw[key]);
    assert.deepEqual(problems, []);
    assert.equal(settings.compute.slurm.url, 'http://cluster:6820');
    assert.equal(settings.compute.slurm.sharedFolder, '/shared/nl');
    assert.equal(settings.compute.burst, false);
  });

  it('the on-time target is a percentage from 50 to 100; anything else keeps every maximum wait a deadline and says why', () => {
    assert.equal(normaliseSettings(() => undefined).settings.compute.onTimeTargetPct, 100);
    assert.equal(normaliseSettings((key) => (key === 'neurolake.compute.onTimeTargetPct' ? 99 : undefined)).settings.compute.onTimeTargetPct, 99);
    const { settings, problems } = normaliseSettings((key) => (key === 'neurolake.compute.onTimeTargetPct' ? 0.99 : undefined));
    assert.equal(settings.compute.onTimeTargetPct, 100);
    assert.deepEqual(problems.map((p) => p.key), ['neurolake.compute.onTimeTargetPct']);
    assert.match(problems[0]!.message, /from 50 to 100/);
  });
});
