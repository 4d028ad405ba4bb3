// The cost dashboard as a person sees it: "NeuroLake: Show Cost Dashboard" opens a webview whose
// charts are drawn (the three deployment models as bars, every chart with its table), and typing
// other figures into the comparison changes the figures shown.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

describe('The NeuroLake cost dashboard in the VS Code UI', { timeout: 180_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'cost-');

  /** The dashboard's own page: VS Code nests a webview's content in a frame inside a frame. */
  const dashboard = (page) => page.frameLocator('iframe.webview.ready').frameLocator('iframe[title="NeuroLake Cost"], #active-frame');

  step('"NeuroLake: Show Cost Dashboard" draws the figures', async (page) => {
    // The NeuroLake container first, as a person finds it: its views start the extension.
    await (await visible(page.locator('.activitybar [aria-label^="NeuroLake"]'), 'no NeuroLake icon in the activity bar', 60_000)).click();
    await visible(page.locator('.part.sidebar .pane-header', { hasText: 'Catalog' }), 'no Catalog view in the NeuroLake sidebar');
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette');
    await input.fill('>NeuroLake: Show Cost Dashboard');
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'NeuroLake: Show Cost Dashboard' }), 'the command palette does not list "NeuroLake: Show Cost Dashboard"');
    await page.keyboard.press('Enter');
    const frame = dashboard(page);
    await visible(frame.locator('#prices', { hasText: /prices as of \d{4}-\d{2}-\d{2}/ }), 'the dashboard does not say which prices it used', 60_000);
    const bars = frame.locator('[data-chart="models"] .bar-row');
    await visible(bars, 'the dashboard draws no bars for the three deployment models');
    assert.deepEqual(await bars.locator('.bar-label').allInnerTexts(), ['Cloud only', 'Hybrid', 'Local only']);
    for (const table of ['byTier', 'forecast', 'models', 'savings', 'capacity']) {
      assert.equal(await frame.locator(`table[data-table="${table}"]`).count(), 1, `no table for ${table}`);
    }
  });

  step('other figures typed into the comparison change what it shows', async (page) => {
    const frame = dashboard(page);
    const hybrid = frame.locator('[data-chart="models"] .bar-row', { hasText: 'Hybrid' }).locator('.bar-value');
    const before = await hybrid.innerText();
    await frame.locator('#dataGb').fill('5000');
    await frame.locator('#computeHours').fill('800');
    await frame.locator('#compare').click();
    // The table sits folded under the chart: present, not visible.
    await frame
      .locator('table[data-table="models"] caption', { hasText: 'A month of 5000 GB and 800 compute hours' })
      .waitFor({ state: 'attached', timeout: 20_000 })
      .catch(() => assert.fail('the comparison did not take the new figures'));
    const after = await hybrid.innerText();
    console.log(`# hybrid: ${before} → ${after}`);
    assert.notEqual(after, before);
  });
});
