// The catalog through the real server over LSP, as the Catalog view and its commands use it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol';
import {
  CatalogDetectVariablesRequest,
  CatalogExportRequest,
  CatalogGetRequest,
  CatalogGroupsRequest,
  CatalogImportRequest,
  CatalogListRequest,
  CatalogRecordUsageRequest,
  CatalogRefreshRequest,
  CatalogRegisterRequest,
  CatalogRenderRequest,
  CatalogSearchRequest,
  CatalogSetFlagRequest,
  CatalogStatsRequest,
  CatalogUpdateRequest,
  CatalogVersionsRequest,
  DidChangeCatalogNotification,
  DidChangeSettingsNotification,
  type CatalogErrorData,
} from '../../server/protocol';
import { settingsWith, startServer, type RunningServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-catalog-'));
let server: RunningServer;
before(async () => {
  server = await startServer({ settings: settingsWith(join(scratch, 'data')) });
});
after(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const template = {
  kind: 'template' as const,
  name: 'orders_by_day',
  description: 'Orders per day for a shop',
  templateKind: 'etl',
  dialects: ['postgresql', 'bigquery'],
  body: 'SELECT CAST({{ident date_column}} AS DATE) AS day, COUNT(*) AS orders FROM {{ident table}} GROUP BY 1',
  variables: [
    { name: 'table', type: 'identifier', description: 'orders table' },
    { name: 'date_column', type: 'identifier', description: 'order time', default: 'ordered_at' },
  ],
  tags: ['orders', 'daily'],
};

async function rejection(work: Promise<unknown>): Promise<ResponseError<CatalogErrorData>> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ResponseError, String(error));
    return error as ResponseError<CatalogErrorData>;
  }
  assert.fail('the request should have failed');
}

describe('catalog over LSP', () => {
  it('lists the built-in patterns on a fresh data folder', async () => {
    const entries = await server.request(CatalogListRequest, { kind: 'template' });
    const names = entries.map((e) => e.name);
    assert.ok(names.includes('SCD Type 2 (timestamp strategy)'), names.join(', '));
    assert.ok(entries.every((e) => e.builtin === true));
    assert.equal((entries[0] as unknown as Record<string, unknown>)['body'], undefined, 'lists carry no heavy content');
  });

  it('counts the groups the Catalog view shows before listing any entry', async () => {
    const groups = await server.request(CatalogGroupsRequest, {});
    const templates = groups.find((g) => g.kind === 'template');
    assert.ok(templates !== undefined && templates.count >= 10, JSON.stringify(groups));
    assert.equal(templates.tags['scd2'], 2);
    const firstPage = await server.request(CatalogListRequest, { kind: 'template', offset: 0, limit: 3 });
    assert.equal(firstPage.length, 3);
  });

  it('registers, announces the change, finds, renders and versions a template', async () => {
    const changed = new Promise<readonly string[]>((resolve) => server.onNotification(DidChangeCatalogNotification, ({ ids }) => resolve(ids)));
    const entry = await server.request(CatalogRegisterRequest, { entry: template });
    assert.deepEqual(await changed, [entry.id]);

    const found = await server.request(CatalogSearchRequest, { text: 'ordres' });
    assert.equal(found.results[0]?.id, entry.id, 'a typo still finds it');

    const rendered = await server.request(CatalogRenderRequest, { id: entry.id, values: { table: 'shop.orders' }, dialect: 'bigquery' });
    assert.equal(rendered.sql, 'SELECT\n  CAST(ordered_at AS DATE) AS day,\n  COUNT(*) AS orders\nFROM\n  shop.orders\nGROUP BY\n  1');

    const updated = await server.request(CatalogUpdateRequest, { id: entry.id, changes: { description: 'Orders per day' } });
    assert.equal(updated.version, '1.1.0');
    const versions = await server.request(CatalogVersionsRequest, { id: 'orders_by_day' });
    assert.deepEqual(versions.map((v) => v.version), ['1.0.0', '1.1.0']);
    const old = await server.request(CatalogGetRequest, { id: entry.id, version: '1.0.0' });
    assert.equal(old.description, 'Orders per day for a shop');
  });

  it('one Insert into Editor (render, then "inserted" once the SQL landed) counts one use', async () => {
    const entry = await server.request(CatalogRegisterRequest, { entry: { ...template, name: 'counted_once', tags: ['usage'] } });
    await server.request(CatalogRenderRequest, { id: entry.id, values: { table: 'shop.orders' } });
    const usage = await server.request(CatalogRecordUsageRequest, { id: entry.id, action: 'inserted' });
    assert.deepEqual(usage.counts, { inserted: 1, rendered: 0, executed: 0 }, 'the tooltip would say more than 1 use');
    const stats = await server.request(CatalogStatsRequest, {});
    assert.deepEqual(stats.most_used.filter((m) => m.name === 'counted_once').map((m) => m.uses), [1], 'total_usage counts the insert more than once');
  });

  it("renders with the user's formatting settings and dialect", async () => {
    await server.notify(DidChangeSettingsNotification, {
      ...settingsWith(join(scratch, 'data')),
      sql: { dialect: 'bigquery' },
      format: { keywordCase: 'lower', linesBetweenQueries: 1 },
    });
    const rendered = await server.request(CatalogRenderRequest, { id: 'orders_by_day', values: { table: 'shop.orders' } });
    // Keywords and function names follow the setting (sql-formatter keeps BigQuery's DATE type as written).
    assert.match(rendered.sql, /^select\n {2}cast\(ordered_at as DATE\) as day,\n {2}count\(\*\) as orders\nfrom\n {2}shop\.orders\ngroup by\n {2}1$/);
    await server.notify(DidChangeSettingsNotification, settingsWith(join(scratch, 'data')));
    const tabbed = await server.request(CatalogRenderRequest, { id: 'orders_by_day', values: { table: 'shop.orders' }, indent: { tabWidth: 4, useTabs: true } });
    assert.match(tabbed.sql, /^SELECT\n\tCAST\(/, "the editor's indentation is used");
  });

  it('refuses an injection attempt with the variable named, as a response error', async () => {
    const error = await rejection(server.request(CatalogRenderRequest, { id: 'orders_by_day', values: { table: 'x; DROP TABLE users' } }));
    assert.equal(error.data?.code, 'invalid-value');
    assert.match(error.message, /table/);
    assert.match(error.message, /DROP TABLE users/);
  });

  it('names the bad field of a refused register', async () => {
    const error = await rejection(server.request(CatalogRegisterRequest, { entry: { ...template, name: 'x', variables: [{ name: 'a', type: 'tabel' }] } }));
    assert.equal(error.data?.code, 'invalid-entry');
    assert.equal(error.data?.path, 'variables[0].type');
  });

  it('detects the variables of a selection', async () => {
    const { variables } = await server.request(CatalogDetectVariablesRequest, { body: 'SELECT {{columns cols}} FROM {{ident source}} WHERE {{ident key}} > {{limit}}' });
    assert.deepEqual(variables.sort(), ['cols', 'key', 'limit', 'source']);
  });

  it('exports, previews an import as a dry run, and deletes/restores', async () => {
    const exported = await server.request(CatalogExportRequest, { tags: ['orders'] });
    assert.equal(exported.count, 1);
    const preview = await server.request(CatalogImportRequest, { text: exported.text, mode: 'skip', dryRun: true });
    assert.deepEqual(preview.counts, { add: 0, skip: 0, unchanged: 1, overwrite: 0, newVersion: 0 });
    const bad = await rejection(server.request(CatalogImportRequest, { text: 'not json', mode: 'skip', dryRun: true }));
    assert.equal(bad.data?.code, 'invalid-bundle');

    await server.request(CatalogSetFlagRequest, { id: 'orders_by_day', action: 'delete' });
    assert.equal((await server.request(CatalogSearchRequest, { text: 'orders_by_day' })).total, 0);
    await server.request(CatalogSetFlagRequest, { id: 'orders_by_day', action: 'restore' });
    assert.equal((await server.request(CatalogSearchRequest, { text: 'orders_by_day' })).total, 1);
  });
});

describe('two windows on one catalog', () => {
  it("a second server process announces the first one's change and serves it", async () => {
    const second = await startServer({ settings: settingsWith(join(scratch, 'data')) });
    try {
      const announced = new Promise<void>((resolve) => {
        second.onNotification(DidChangeCatalogNotification, () => {
          void second.request(CatalogSearchRequest, { text: 'from_first_window' }).then(({ total }) => {
            if (total === 1) resolve();
          });
        });
      });
      await server.request(CatalogRegisterRequest, { entry: { kind: 'pipeline', name: 'from_first_window', logic: { source: 'a' } } });
      await announced;
      const duplicate = await rejection(second.request(CatalogRegisterRequest, { entry: { kind: 'pipeline', name: 'from_first_window', logic: {} } }));
      assert.equal(duplicate.data?.code, 'duplicate-name');
    } finally {
      await second.stop();
    }
  });

  it("Refresh's request reads another process's entry at once, without waiting for the file watcher", async () => {
    const second = await startServer({ settings: settingsWith(join(scratch, 'data')) });
    try {
      await server.request(CatalogRegisterRequest, { entry: { kind: 'pipeline', name: 'seen_after_refresh', logic: {} } });
      await second.request(CatalogRefreshRequest, {});
      const { total } = await second.request(CatalogSearchRequest, { text: 'seen_after_refresh' });
      assert.equal(total, 1, 'after a refresh the second window does not find the first one\'s new entry');
    } finally {
      await second.stop();
    }
  });
});
