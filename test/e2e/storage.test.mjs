// Hybrid storage as a person uses it: a file dragged from the Explorer onto the Storage view's
// Local row is stored there, another is stored with "NeuroLake: Store Files…", both show under
// Local; one dragged onto the Cloud row is demoted and shows under Cloud; it opens in an editor;
// and "Optimize Placement" shows its plan with the monthly cost per tier.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

const BULK_FILES = 200;
const FILES = {
  'notes.txt': 'hello from the Explorer\n',
  'data/sales.csv': 'id,amount\n1,10\n2,20\n',
  // A folder with one file the engine refuses (a control character in its name) and one it takes.
  'batch/good.csv': 'ok\n',
  'batch/bad\u0007name.csv': 'refused\n',
  // Enough files that a store of the folder is still going when Cancel is pressed: 200 × 256 KB.
  ...Object.fromEntries(Array.from({ length: BULK_FILES }, (_, i) => [`bulk/part-${String(i).padStart(3, '0')}.bin`, 'x'.repeat(256 * 1024)])),
};

describe('NeuroLake storage in the VS Code UI', { timeout: 240_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'storage-', { files: FILES });

  const sidebar = (page) => page.locator('.part.sidebar');
  const storagePane = (page) => sidebar(page).locator('.pane', { has: page.locator('.pane-header', { hasText: 'Storage' }) });
  const storageRow = (page, label) => storagePane(page).locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  const neuroLakeIcon = (page) => page.locator('.activitybar [aria-label^="NeuroLake"]').first();

  /**
   * The labels of the rows under a tier row, as the tree draws them: rows after the tier's row,
   * one level deeper or more, up to the next tier.
   */
  async function rowsUnder(page, tier) {
    const rows = await storagePane(page)
      .locator('.monaco-list-row[role=treeitem]')
      .evaluateAll((elements) => elements.map((e) => ({ level: Number(e.getAttribute('aria-level')), label: e.querySelector('.label-name')?.textContent ?? '', top: e.getBoundingClientRect().top })));
    rows.sort((a, b) => a.top - b.top);
    const start = rows.findIndex((row) => row.level === 1 && row.label === tier);
    if (start === -1) return [];
    const under = [];
    for (const row of rows.slice(start + 1)) {
      if (row.level === 1) break;
      under.push(row.label);
    }
    return under;
  }

  /** Waits until the rows under `tier` satisfy `test` (the view repaints on the server's change notification). */
  async function waitForRowsUnder(page, tier, test, what) {
    const deadline = Date.now() + 30_000;
    let last = [];
    while (Date.now() < deadline) {
      last = await rowsUnder(page, tier);
      if (test(last)) return last;
      await page.waitForTimeout(250);
    }
    throw new Error(`${what}; under ${tier} the view shows: ${JSON.stringify(last)}`);
  }

  /** A notification's text once it has slid in (VS Code marks it fade-in-done), so a screenshot shows it. */
  const notification = (page, text) => page.locator('.notifications-toasts .notification-fade-in-done .notification-list-item-message', { hasText: text });

  /** Picks an item of the open context menu: hovered first (which focuses it), then clicked. */
  async function chooseFromMenu(page, label, what) {
    const item = await visible(page.locator('.context-view .action-label', { hasText: new RegExp(`^${label}$`) }), what);
    await item.hover();
    await item.click();
    await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => assert.fail(`choosing "${label}" did not close the context menu`));
  }

  async function runCommand(page, title) {
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette');
    await input.fill(`>${title}`);
    const row = await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: title }), `the command palette does not list "${title}"`);
    await row.click();
  }

  step('the Storage view shows the Local, Cloud and Archive tiers, the cloud connected', async (page) => {
    await (await visible(neuroLakeIcon(page), 'no NeuroLake icon in the activity bar', 60_000)).click();
    // The Catalog and Workloads folded away, so the Storage view has the room.
    await (await visible(sidebar(page).locator('.pane-header', { hasText: 'Catalog' }), 'no Catalog view')).click();
    await (await visible(sidebar(page).locator('.pane-header', { hasText: 'Workloads' }), 'no Workloads view')).click();
    await visible(storageRow(page, 'Local'), 'no Local row in the Storage view', 60_000);
    await visible(storageRow(page, 'Cloud').locator('.label-description', { hasText: /^connected/ }), 'the Cloud row does not say it is connected to the embedded S3 server', 60_000);
    await visible(storageRow(page, 'Archive'), 'no Archive row in the Storage view');
  });

  step('a file dragged from the Explorer onto the Local row is stored there', async (page) => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    const file = await visible(sidebar(page).locator('.monaco-list-row[role=treeitem]', { hasText: 'notes.txt' }), 'the Explorer does not list notes.txt');
    // The Explorer and the Storage view share the side bar, so the drag goes the way a person's
    // does: pick the file up, hold it over the NeuroLake icon until its views open, drop it on Local.
    const from = await file.boundingBox();
    await page.mouse.move(from.x + 30, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + from.height / 2 + 10, { steps: 5 });
    const icon = await neuroLakeIcon(page).boundingBox();
    await page.mouse.move(icon.x + icon.width / 2, icon.y + icon.height / 2, { steps: 10 });
    // VS Code opens a view container held under a drag after a moment; keep the drag alive meanwhile.
    const local = storageRow(page, 'Local');
    const deadline = Date.now() + 20_000;
    for (let wiggle = 0; !(await local.isVisible()); wiggle += 1) {
      if (Date.now() > deadline) {
        await page.mouse.up();
        assert.fail('holding the dragged file over the NeuroLake icon did not open the Storage view');
      }
      await page.mouse.move(icon.x + icon.width / 2 + (wiggle % 2), icon.y + icon.height / 2);
    }
    const to = await local.boundingBox();
    await page.mouse.move(to.x + 40, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();
    const message = await visible(notification(page, /^Stored 1 file \(24 bytes\): 1 in Local\.$/), 'no "Stored 1 file (24 bytes): 1 in Local." after the drop');
    console.log(`# notification: ${await message.innerText()}`);
    await waitForRowsUnder(page, 'Local', (rows) => rows.includes('notes.txt'), 'notes.txt does not show under Local after the drop');
  });

  step('"NeuroLake: Store Files…" stores another file, and both show under Local', async (page, workbench) => {
    await runCommand(page, 'NeuroLake: Store Files…');
    const prefix = await visible(page.locator('.quick-input-widget input[placeholder="datasets/2024/"]'), 'Store Files… did not ask for a key prefix');
    await prefix.fill('reports');
    await page.keyboard.press('Enter');
    // code-server's own open dialog: a path typed into the quick input.
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: 'Store Files in NeuroLake (reports/)' }), 'Store Files… did not open a file dialog');
    // It fills in the workspace folder and lists it first; typing before that would be appended to.
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'notes.txt' }), 'the file dialog does not list the workspace folder');
    await page.locator('.quick-input-widget input').first().fill(join(workbench.workspace, 'data', 'sales.csv'));
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'sales.csv' }), 'the file dialog does not list sales.csv');
    await page.keyboard.press('Enter');
    await visible(notification(page, /^Stored 1 file \(20 bytes\): 1 in Local\.$/), 'no "Stored 1 file (20 bytes): 1 in Local." after Store Files…');
    await waitForRowsUnder(page, 'Local', (rows) => rows.includes('reports') && rows.includes('notes.txt'), 'the reports folder and notes.txt do not both show under Local');
    await storageRow(page, 'reports').first().click();
    const rows = await waitForRowsUnder(page, 'Local', (r) => r.includes('sales.csv'), 'sales.csv does not show in the reports folder under Local');
    assert.deepEqual(rows.filter((label) => ['reports', 'sales.csv', 'notes.txt'].includes(label)).slice(0, 3), ['reports', 'sales.csv', 'notes.txt']);
  });

  step('"Store in NeuroLake" on an Explorer folder stores what it can and names the file it could not', async (page) => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    const folder = await visible(sidebar(page).locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: /^batch$/ }) }), 'the Explorer does not list the batch folder');
    await folder.click({ button: 'right' });
    await chooseFromMenu(page, 'Store in NeuroLake', 'the Explorer’s context menu has no "Store in NeuroLake"');
    const message = await visible(
      notification(page, /^Stored 1 of 2 files \(3 bytes\): 1 in Local\. 1 failed: "batch\/bad\\u0007name\.csv": The key .+ was refused: it contains a control character\.$/),
      'no summary naming the refused file and its reason after storing the batch folder',
    );
    console.log(`# notification: ${await message.innerText()}`);
    await neuroLakeIcon(page).click();
    await waitForRowsUnder(page, 'Local', (rows) => rows.includes('batch'), 'the batch folder does not show under Local');
  });

  step('storing a large folder shows files, bytes and time left, and Cancel stops it, saying how many were stored', async (page) => {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
    const folder = await visible(sidebar(page).locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: /^bulk$/ }) }), 'the Explorer does not list the bulk folder');
    await folder.click({ button: 'right' });
    await chooseFromMenu(page, 'Store in NeuroLake', 'the Explorer’s context menu has no "Store in NeuroLake"');
    const progress = page.locator('.notifications-toasts .notification-list-item', {
      has: page.locator('.notification-list-item-message', { hasText: new RegExp(`Storing in NeuroLake: \\d+ of ${BULK_FILES} files · [\\d.]+ of 50\\.0 MB · (about .+ left|estimating time left)`) }),
    });
    await visible(progress, 'no progress notification with files, bytes and time left while the folder is stored');
    console.log(`# progress: ${await progress.locator('.notification-list-item-message').first().innerText()}`);
    await progress.first().locator('.monaco-button', { hasText: 'Cancel' }).click();
    const summary = await visible(notification(page, new RegExp(`^Cancelled: stored \\d+ of ${BULK_FILES} files`)), 'no "Cancelled: stored … of 200 files" after Cancel');
    const text = await summary.innerText();
    console.log(`# notification: ${text}`);
    const stored = Number(/stored (\d+) of/.exec(text)[1]);
    assert.ok(stored < BULK_FILES, `Cancel came after all ${BULK_FILES} files were stored: ${text}`);
    await neuroLakeIcon(page).click();
    await waitForRowsUnder(page, 'Local', (rows) => rows.includes('bulk') || stored === 0, 'the stored part of the bulk folder does not show under Local');
  });

  step('an object dragged onto the Cloud row is demoted and shows under Cloud only', async (page) => {
    const object = storagePane(page).locator('.monaco-list-row[role=treeitem][aria-level="2"]', { has: page.locator('.label-name', { hasText: /^notes\.txt$/ }) }).first();
    await object.dragTo(storageRow(page, 'Cloud'));
    await visible(notification(page, /^Moved 1 object to Cloud\./), 'no "Moved 1 object to Cloud" after dropping notes.txt on Cloud');
    await waitForRowsUnder(page, 'Local', (rows) => !rows.includes('notes.txt'), 'notes.txt still shows under Local after the demotion');
    await waitForRowsUnder(page, 'Cloud', (rows) => rows.includes('notes.txt'), 'notes.txt does not show under Cloud after the demotion');
  });

  step('the demoted object opens in an editor with its content', async (page) => {
    const cloud = await waitForRowsUnder(page, 'Cloud', (rows) => rows.includes('notes.txt'), 'notes.txt is not under Cloud');
    assert.ok(cloud.includes('notes.txt'));
    const rows = storagePane(page).locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: /^notes\.txt$/ }) });
    // A row's tooltip from the drag may still cover the tree: move off it and wait for it to go.
    await page.mouse.move(700, 450);
    await page.locator('.context-view .hover-contents').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
    await rows.last().click({ button: 'right' });
    await chooseFromMenu(page, 'Open a Copy', 'the object’s context menu has no "Open a Copy"');
    await visible(page.locator('.tabs-container .tab', { hasText: 'notes.txt' }), 'no editor tab for notes.txt');
    await visible(page.locator('.editor-instance .view-lines', { hasText: 'hello from the Explorer' }), 'the opened copy does not show the stored content');
  });

  step('"Optimize Placement" shows the plan with the monthly cost per tier', async (page, workbench) => {
    // From the Storage view's "…" menu, where it sits with Store Folder….
    await (await visible(storagePane(page).locator('.pane-header'), 'no Storage view header')).hover();
    await (await visible(storagePane(page).locator('.pane-header .action-label[aria-label^="More Actions"]'), 'the Storage view has no "More Actions…" menu')).click();
    await chooseFromMenu(page, 'Optimize Placement', 'the Storage view’s "…" menu has no "Optimize Placement"');
    const plan = page.frameLocator('iframe.webview.ready').frameLocator('iframe[title="Optimize Placement"], #active-frame');
    const headline = await visible(plan.locator('#headline', { hasText: /^(Nothing to move: .+|\d+ moves? of .+: .+)\.$/ }), 'the plan view does not say what it would move', 60_000);
    console.log(`# plan: ${await headline.innerText()}`);
    const costs = plan.locator('table[data-table="costs"] tbody tr td:first-child');
    await visible(costs, 'the plan view has no cost table');
    assert.deepEqual(await costs.allInnerTexts(), ['Local', 'Cloud', 'Archive', 'Total']);
    const text = await headline.innerText();
    if (text.startsWith('Nothing to move')) assert.equal(await plan.locator('#apply').isVisible(), false, 'Apply is offered for a plan with nothing to move');
    else await visible(plan.locator('table[data-table="moves"] tbody tr'), 'the plan names moves but lists none');
    // The view and the plan without the earlier steps' notifications: the picture for the README.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'detached', timeout: 10_000 });
    await page.mouse.move(700, 450);
    await workbench.screenshot('storage-plan');
  });
  step('with a smaller local tier the plan demotes, and Apply carries it out after asking', async (page, workbench) => {
    // The local tier shrunk to about 1 MB (the data folder's storage configuration, read when the
    // server starts), so the policy has least recently used objects to demote.
    const configFile = join(workbench.dataFolder, 'storage', 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, local: { ...config.local, capacityGb: 0.001 } }, null, 2));
    await runCommand(page, 'NeuroLake: Restart Server');
    const plan = page.frameLocator('iframe.webview.ready').frameLocator('iframe[title="Optimize Placement"], #active-frame');
    const headline = plan.locator('#headline');
    // Refresh asks for a new plan; while the server restarts it says why it has none, so ask again.
    const deadline = Date.now() + 60_000;
    const proposal = /^\d+ moves? of .+: .+\.$/;
    while (!proposal.test(await headline.innerText())) {
      if (Date.now() > deadline) assert.fail(`the plan never proposed moves after the local tier shrank; it says: ${await headline.innerText()} ${await plan.locator('#error').innerText()}`);
      await plan.locator('#refresh').click();
      await plan.locator('#headline', { hasText: proposal }).waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    console.log(`# plan: ${await headline.innerText()}`);
    const moves = await plan.locator('table[data-table="moves"] tbody tr').count();
    assert.ok(moves > 0, 'the plan names moves but lists none');
    assert.match(await plan.locator('table[data-table="moves"] tbody tr').first().innerText(), /Demote to Cloud\s+.+\s+Local → Cloud\s+least recently used/);
    await workbench.screenshot('storage-plan-moves');
    await plan.locator('#apply').click();
    const dialog = await visible(page.locator('.monaco-dialog-box', { hasText: /Apply \d+ moves? \(.+\)\?/ }), 'Apply did not ask for confirmation first');
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    const status = await visible(plan.locator('#status', { hasText: /^Applied: (\d+ moves? done|\d+ of \d+ moves done, \d+ failed)\. Monthly cost now \$.+ \(was \$.+\)\.$/ }), 'Apply did not say what it did', 60_000);
    console.log(`# applied: ${await status.innerText()}`);
    const outcomes = await plan.locator('table[data-table="results"] tbody tr td:last-child').allInnerTexts();
    assert.equal(outcomes.length, moves, 'Apply did not list an outcome for every move');
    assert.ok(outcomes.every((outcome) => outcome === 'done'), `some moves failed: ${outcomes.join('; ')}`);
  });
});
