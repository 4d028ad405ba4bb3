// Templates as a person meets them in the browser: in a `.sql.hbs` template, typing `{{` pops up
// the completion list with the template's declared variables and NeuroLake's helpers; in a `.sql`
// file, typing `scd2` lists the SCD2 patterns; Insert Pattern's questions check each value as it
// is typed, with the engine's verdict.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

/** The template the VS Code tests use too: `table` and `since` declared in its front matter. */
const TEMPLATE = readFileSync(new URL('../fixtures/orders.sql.hbs', import.meta.url), 'utf8');

/** A built-in whose first question is an identifier, `source`. */
const DEDUP = 'Deduplicate: keep the latest row per key';

describe('Templates in the VS Code UI', { timeout: 180_000 }, () => {
  const FILES = { 'orders.sql.hbs': TEMPLATE, 'query.sql': 'select 1;\n' };
  const step = workbenchSuite({ before, after, afterEach, it }, 'templates-', { files: FILES });

  /**
   * Opens one of the workspace's files from the Explorer, as a person would. The files are there
   * before the workbench starts, so the Explorer lists them without waiting on a file watcher.
   */
  async function openFile(page, name) {
    const explorer = page.locator('.activitybar [aria-label^="Explorer"]');
    if ((await page.locator('.part.sidebar .composite.title', { hasText: /Explorer/i }).count()) === 0) await (await visible(explorer, 'no Explorer icon')).click();
    const row = await visible(page.locator('.part.sidebar .monaco-list-row[role=treeitem]', { hasText: name }), `the Explorer does not list ${name}`);
    // A double click opens the file for good and puts the focus in its editor, where typing goes.
    await row.dblclick();
    await visible(page.locator('.tabs-container .tab.active', { hasText: name }), `${name} did not open in an editor`);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await visible(editor.locator('.view-lines', { hasText: FILES[name].split('\n').find((line) => line.trim() !== '') }), `the editor does not show ${name}`);
    return editor;
  }

  /**
   * Waits until the status bar says the NeuroLake server runs: a `{` typed before that finds no
   * completion provider, and the editor does not ask again by itself.
   */
  async function serverRunning(page) {
    const item = page.locator('.statusbar-item', { hasText: 'NeuroLake' });
    await visible(item.filter({ has: page.locator('.codicon-database') }), 'the status bar never showed the NeuroLake server running', 30_000);
  }

  /** The labels of the suggest widget's rows, top to bottom, once a row labelled `expected` shows. */
  async function suggestions(page, expected, what) {
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await visible(rows.filter({ hasText: expected }), what);
    // Rows are laid out by their position, not in DOM order.
    return rows.evaluateAll((elements) =>
      elements
        .map((row) => ({ top: row.getBoundingClientRect().top, label: row.querySelector('.label-name')?.textContent?.trim() ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((row) => row.label),
    );
  }

  step('typing {{ in a .sql.hbs template shows its declared variables and the helpers', async (page, workbench) => {
    await openFile(page, 'orders.sql.hbs');
    await serverRunning(page);
    // To the empty last line, then type as a person does; `{` triggers the completion list.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('and {{');
    const labels = await suggestions(page, 'table', 'typing {{ in the template shows no completion with the declared variable "table"');
    console.log(`# after {{: ${labels.join(' | ')}`);
    for (const name of ['table', 'since', 'ident', 'literal']) assert.ok(labels.includes(name), `the completion list lacks "${name}": ${labels.join(', ')}`);
    assert.deepEqual(labels.slice(0, 2).sort(), ['since', 'table'], 'the declared variables do not come first');
    // The focused row shows its detail: the variable's type.
    const focused = await visible(page.locator('.suggest-widget .monaco-list-row.focused'), 'no completion row is focused');
    assert.match(await focused.innerText(), /identifier|string/, 'the focused variable does not show its type');
    await workbench.screenshot('templates-completion-after-braces');
    await page.keyboard.press('Escape');
  });

  step('typing scd2 in a .sql file lists the SCD2 patterns', async (page, workbench) => {
    await openFile(page, 'query.sql');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('scd2');
    await suggestions(page, 'SCD Type 2 (timestamp strategy)', 'typing scd2 in a SQL file shows no "SCD Type 2 (timestamp strategy)" pattern');
    // On a loaded machine the list can still show what an earlier keystroke ("s", "sc") matched for
    // a moment; the list as filtered for the whole word must come to hold the other SCD2 as well.
    const labels = await suggestions(page, 'SCD Type 2 (check-columns strategy)', 'the completion list for scd2 never shows the check-columns SCD2');
    console.log(`# after scd2: ${labels.join(' | ')}`);
    assert.ok(labels.includes('SCD Type 2 (timestamp strategy)'), `the completion list lacks the timestamp SCD2: ${labels.join(', ')}`);
    await workbench.screenshot('templates-completion-scd2');
    await page.keyboard.press('Escape');
  });

  step("Insert Pattern's question refuses order$total as it is typed, with the engine's reason, and takes café", async (page, workbench) => {
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette');
    await input.fill('>NeuroLake: Insert Pattern');
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'NeuroLake: Insert Pattern' }), 'the command palette does not list "NeuroLake: Insert Pattern…"');
    await page.keyboard.press('Enter');
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: /^Insert Pattern/ }), 'Insert Pattern did not open its picker');
    // A query only the dedup template matches: Enter then picks it, not a row of an earlier, wider
    // result that is still on screen while the search runs.
    await input.fill('dedpulicate');
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: 'Insert Pattern (1 found)' }), 'Insert Pattern did not find the dedup template alone for "dedpulicate"');
    await visible(page.locator('.quick-input-list .monaco-list-row', { hasText: DEDUP }), `Insert Pattern does not list "${DEDUP}"`);
    await page.keyboard.press('Enter');
    await visible(page.locator('.quick-input-widget .quick-input-title', { hasText: `${DEDUP}: source (1/` }), 'no question for the dedup template\'s "source"');

    const message = page.locator('.quick-input-widget .quick-input-message');
    await input.fill('order$total');
    await visible(message.filter({ hasText: 'cannot be "order$total": it contains "$"' }), 'typing order$total shows no refusal naming the "$"');
    await workbench.screenshot('templates-insert-refuses-dollar');
    await input.fill('café');
    // Accepted: the refusal gives way to the question's own prompt line.
    await visible(message.filter({ hasText: 'identifier, required' }), 'typing café does not bring back the question\'s prompt');
    assert.doesNotMatch(await message.innerText(), /cannot be/, 'café is refused while typing');
    await page.keyboard.press('Escape');
  });
});
