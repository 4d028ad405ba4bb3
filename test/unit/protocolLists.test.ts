// The protocol repeats a few of the catalog engine's lists for the extension, which cannot import
// an engine; the types are pinned in server/handlers/catalogWire.ts, the values and order here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as engine from '../../server/engines/catalog';
import * as cost from '../../server/engines/cost';
import * as wire from '../../server/protocol';

describe('protocol lists', () => {
  it('are the catalog engine’s own, in the same order', () => {
    assert.deepEqual(wire.ENTRY_KINDS, engine.ENTRY_KINDS);
    assert.deepEqual(wire.TEMPLATE_KINDS, engine.TEMPLATE_KINDS);
    assert.deepEqual(wire.SQL_DIALECTS, engine.SQL_DIALECTS);
    assert.deepEqual(wire.VARIABLE_TYPES, engine.VARIABLE_TYPES);
    assert.deepEqual(wire.USAGE_ACTIONS, engine.USAGE_ACTIONS);
  });

  it('are the cost engine\'s tiers and workload types, in the same order', () => {
    assert.deepEqual(wire.COST_STORAGE_TIERS, cost.STORAGE_TIERS);
    assert.deepEqual(wire.COST_COMPUTE_TIERS, cost.COMPUTE_TIERS);
    assert.deepEqual(wire.COST_WORKLOAD_TYPES, cost.WORKLOAD_TYPES);
  });

  it('the neurolake.sql.dialect setting offers exactly the protocol\'s dialects', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, { enum?: unknown[] }> } } };
    assert.deepEqual(manifest.contributes.configuration.properties['neurolake.sql.dialect']?.enum, [...wire.SQL_DIALECTS]);
  });

  it('name every engine folder the server has', () => {
    // common and prices are building blocks every engine uses, not engines of their own.
    const folders = readdirSync('server/engines', { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'common' && entry.name !== 'prices');
    for (const folder of folders) assert.ok((wire.ENGINE_NAMES as readonly string[]).includes(folder.name), `${folder.name} is in ENGINE_NAMES`);
  });
});
