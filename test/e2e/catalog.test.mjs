// The catalog as a person first meets it: the Catalog view lists the built-in SQL templates (with
// a tooltip on hover), and "NeuroLake: Search Catalog" finds them as they type, typos included.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

const SCD2 = 'SCD Type 2 (timestamp strategy)';
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('The NeuroLake catalog in the VS Code UI', { timeout: 180_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'catalog-');

  /** The rows of the Search Catalog picker, top to bottom, once its title says `count` found. */
  async function searchFor(page, text, count) {
    const input = page.locator('.quick-input-widget input');
    await input.fill(text);
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: `(${count} found)` }), `Search Catalog did not say "(${count} found)" for "${text}"`);
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await visible(rows, `Search Catalog shows no rows for "${text}"`);
    // Rows are laid out by their position, not in DOM order.
    const shown = await rows.evaluateAll((elements) =>
      elements
        .map((row) => ({ top: row.getBoundingClientRect().top, label: row.querySelector('.label-name')?.textContent?.trim() ?? row.textContent?.trim() ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((row) => row.label),
    );
    console.log(`# "${text}": ${shown.join(' | ')}`);
    return shown;
  }

  step('the Catalog view lists the built-in SQL templates, with a tooltip', async (page) => {
    await (await visible(page.locator('.activitybar [aria-label^="NeuroLake"]'), 'no NeuroLake icon in the activity bar')).click();
    const sidebar = page.locator('.part.sidebar');
    // Storage and Workloads folded away, so the Catalog has the height to show its templates. The
    // click goes on the header's title: its middle may be one of the view's action icons.
    for (const view of ['Storage', 'Workloads']) {
      const header = sidebar.locator('.pane-header', { has: page.locator('.title', { hasText: view }) });
      if ((await header.getAttribute('aria-expanded')) === 'true') {
        await header.locator('.title').click();
        await visible(sidebar.locator('.pane-header[aria-expanded="false"]', { has: page.locator('.title', { hasText: view }) }), `a click on its title did not fold the ${view} view`);
      }
    }
    const catalog = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Catalog' }) });
    const rows = catalog.locator('.monaco-list-row[role=treeitem]');
    await visible(rows.filter({ hasText: 'SQL Templates' }), 'the Catalog view has no "SQL Templates" group');
    const scd2 = await visible(rows.filter({ hasText: SCD2 }), `the Catalog view does not list "${SCD2}"`);
    assert.match(await scd2.innerText(), /built-in/, 'the SCD2 row does not say it is built in');

    // The tree may re-render under the pointer as the catalog finishes loading, and a hover that
    // started on the old row never shows; hover again (bounded) until the tooltip appears.
    const tooltips = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: SCD2 });
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(700, 450);
      await rows.filter({ hasText: SCD2 }).hover();
      try {
        await visible(tooltips, 'tooltip', 5_000);
        break;
      } catch (error) {
        if (attempt === 3) throw new Error(`hovering "${SCD2}" shows no tooltip (3 tries): ${error.message}`);
      }
    }
    const tooltip = tooltips.first();
    assert.match(await tooltip.innerText(), /built-in/);
  });

  step('"NeuroLake: Search Catalog" ranks the SCD2 templates for "scd2" and forgives a typo', async (page, workbench) => {
    await page.mouse.move(700, 450); // off the tree, so its tooltip goes away
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette');
    await input.fill('>NeuroLake: Search Catalog');
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'NeuroLake: Search Catalog' }), 'the command palette does not list "NeuroLake: Search Catalog"');
    await page.keyboard.press('Enter');
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: /^Search Catalog/ }), 'Search Catalog did not open its picker');

    const scd2 = await searchFor(page, 'scd2', 2);
    assert.deepEqual([...scd2].sort(), ['SCD Type 2 (check-columns strategy)', SCD2]);
    await workbench.screenshot('catalog-search-scd2');

    const typo = await searchFor(page, 'dedpulicate', 1);
    assert.deepEqual(typo, ['Deduplicate: keep the latest row per key']);
    await workbench.screenshot('catalog-search-typo');

    // The server ranks: the name matching both words first, then those matching them in their descriptions.
    const ranked = await searchFor(page, 'latest row', 3);
    assert.equal(ranked[0], 'Deduplicate: keep the latest row per key', `"latest row" shows ${ranked.join(', ')}`);
  });

  step('a large catalog written by another process opens a page at a time, with "Show more…"', async (page, workbench) => {
    await page.keyboard.press('Escape');
    // 205 pipelines arrive through the CLI, as from another window or a CI job: one import.
    const at = '2026-01-01T00:00:00.000Z';
    const entries = Array.from({ length: 205 }, (_, i) => ({
      versions: [{ id: `e2e-${i}`, kind: 'pipeline', name: `load_${String(i).padStart(3, '0')}`, description: '', tags: [], owner: 'e2e', version: '1.0.0', createdAt: at, updatedAt: at, logic: { source: `raw.t${i}` } }],
    }));
    const bundle = join(workbench.workspace, 'bundle.json');
    writeFileSync(bundle, JSON.stringify({ format: 'neurolake-catalog-bundle', formatVersion: 1, exportedAt: at, entries }));
    const cli = spawnSync(process.execPath, [CLI, '--data-folder', workbench.dataFolder, 'catalog', 'import', bundle], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);

    const catalog = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Catalog' }) });
    const rows = catalog.locator('.monaco-list-row[role=treeitem]');
    const group = await visible(rows.filter({ hasText: 'Pipeline Patterns' }), 'the pipelines written by the CLI never reached the Catalog view');
    assert.match(await group.innerText(), /205/);
    await (await visible(rows.filter({ hasText: 'load_000' }), 'the first pipeline is not listed')).click();
    await page.keyboard.press('End');
    const more = await visible(rows.filter({ hasText: 'Show 5 more' }), 'no "Show 5 more…" row after the first 200 pipelines');
    await workbench.screenshot('catalog-show-more');
    await more.click();
    await page.keyboard.press('End');
    await visible(rows.filter({ hasText: 'load_204' }), 'after "Show more" the last pipeline is not listed');
    assert.equal(await rows.filter({ hasText: 'Show 5 more' }).count(), 0, 'the "Show more" row stayed after showing everything');
  });
});
