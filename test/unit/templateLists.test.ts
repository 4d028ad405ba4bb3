// The lists of entry kinds, SQL dialects, variable types and template kinds are written twice, once in the
// protocol (what the extension's pickers offer) and once in the engine (what it accepts), because
// engines never import the protocol. These tests hold the two, and the settings schema, equal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as engine from '../../server/engines/catalog/types';
import * as wire from '../../server/protocol';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { enum?: unknown[] }> } };
};

describe('the lists the protocol and the engine share', () => {
  it('name the same entry kinds, dialects, variable types and template kinds, in the same order', () => {
    assert.deepEqual(wire.ENTRY_KINDS, engine.ENTRY_KINDS);
    assert.deepEqual(wire.SQL_DIALECTS, engine.SQL_DIALECTS);
    assert.deepEqual(wire.VARIABLE_TYPES, engine.VARIABLE_TYPES);
    assert.deepEqual(wire.TEMPLATE_KINDS, engine.TEMPLATE_KINDS);
  });

  it('the neurolake.sql.dialect setting offers exactly those dialects', () => {
    assert.deepEqual(manifest.contributes.configuration.properties['neurolake.sql.dialect']?.enum, [...wire.SQL_DIALECTS]);
  });
});
