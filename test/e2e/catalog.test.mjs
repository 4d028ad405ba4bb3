// The catalog as a person first meets it: the Catalog view lists the built-in SQL templates (with
// a tooltip on hover), and "NeuroLake: Search Catalog" finds them as they type, typos included.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

const SCD2 = 'SCD Type 2 (timestamp strategy)';

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
    // Storage and Workloads folded away, so the Catalog has the height to show its templates.
    for (const view of ['Storage', 'Workloads']) {
      const header = sidebar.locator('.pane-header', { hasText: view });
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const catalog = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Catalog' }) });
    const rows = catalog.locator('.monaco-list-row[role=treeitem]');
    await visible(rows.filter({ hasText: 'SQL Templates' }), 'the Catalog view has no "SQL Templates" group');
    const scd2 = await visible(rows.filter({ hasText: SCD2 }), `the Catalog view does not list "${SCD2}"`);
    assert.match(await scd2.innerText(), /built-in/, 'the SCD2 row does not say it is built in');

    await scd2.hover();
    const tooltip = await visible(page.locator('.monaco-hover, .workbench-hover').filter({ hasText: SCD2 }), `hovering "${SCD2}" shows no tooltip`);
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
});
