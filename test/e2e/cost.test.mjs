// The cost dashboard as a person sees it, over four months of records the storage and compute
// engines made in the data folder (test/e2e/support/costHistory.ts): "NeuroLake: Show Cost
// Dashboard" opens a webview whose charts are drawn (the three deployment models as bars, every
// chart with its table), the history and forecast come from those records, Apply on the archive
// recommendation archives the files nobody read (after the confirmation), and typing other
// figures into the comparison changes the figures shown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const DAY_MS = 86_400_000;

/** Four months of storage records and two runs, made by the real engines before VS Code starts. */
async function costHistory({ dataFolder, cloud }) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/support/costHistory.ts', dataFolder], {
    cwd: repoRoot,
    env: { ...process.env, ...cloud.env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status !== 0) throw new Error(`writing the cost history failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
}

describe('The NeuroLake cost dashboard in the VS Code UI', { timeout: 480_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'cost-', { prepare: costHistory });

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

  step('the history and the forecast come from the records, and Apply archives the files nobody read', async (page, workbench) => {
    const frame = dashboard(page);
    const firstDay = new Date(Date.now() - 120 * DAY_MS).toISOString().slice(0, 10);
    await frame
      .locator('table[data-table="byTier"] td', { hasText: firstDay })
      .first()
      .waitFor({ state: 'attached', timeout: 20_000 })
      .catch(() => assert.fail(`the cost by day does not start on ${firstDay}, when the data was first stored`));
    assert.match(await frame.locator('#forecastTotal').innerText(), /^(<)?\$\d/, 'four months of records are enough for a forecast');
    const card = frame.locator('[data-recommendation="archive-unread-90d"]');
    await visible(card, 'no recommendation to archive the files unread for 90 days');
    assert.match(await card.innerText(), /Archive 2 objects \(0\.61 GB\) unread for 90 days or more/);
    // The dashboard at its fullest, for the README: the side bar closed and the charts drawn again at the width they then have.
    await page.keyboard.press('F1');
    await (await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette')).fill('>View: Toggle Primary Side Bar Visibility');
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'Toggle Primary Side Bar Visibility' }), 'no command to hide the side bar');
    await page.keyboard.press('Enter');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 20_000 });
    await frame.locator('#refresh').click();
    await visible(card, 'the archive recommendation is gone after a refresh');
    // The README's picture (media/screenshots/cost-dashboard.png) is copied from this by hand: a test
    // run never rewrites a tracked file.
    await workbench.screenshot('cost-dashboard-with-records');
    await card.locator('button[data-apply]').click();
    const dialog = await visible(page.locator('.monaco-dialog-box'), 'Apply asked for no confirmation');
    assert.match(await dialog.innerText(), /Archive 2 objects/);
    await dialog.locator('.monaco-button', { hasText: 'Apply' }).click();
    await visible(frame.locator('#status', { hasText: 'Archived 2 objects to GLACIER.' }), 'the dashboard does not say what Apply did', 60_000);
    await card.waitFor({ state: 'detached', timeout: 20_000 }).catch(() => assert.fail('the archive recommendation is still shown after it was applied'));
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
