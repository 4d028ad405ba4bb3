// NeuroLake in a folder the user has not trusted, as they see it in the VS Code UI: the workbench
// is in Restricted Mode, the Storage view lists the tiers, Store Files… is not offered, Schedule
// Workload… says why it runs nothing, and a `"type": "neurolake"` task from tasks.json does not
// run: VS Code asks for trust first, and when the user cancels, no terminal opens, no workload is
// recorded and the task's command never ran.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

const TASK_NAME = 'nightly load';
const MARKER = 'task-ran.txt';
const FILES = {
  '.vscode/tasks.json': `${JSON.stringify(
    {
      version: '2.0.0',
      tasks: [{ type: 'neurolake', label: TASK_NAME, name: TASK_NAME, workloadType: 'etl', command: `touch ${MARKER}`, cpus: 0.1, memoryGb: 0.1, estimatedMinutes: 1, tier: 'local', problemMatcher: [] }],
    },
    null,
    2,
  )}\n`,
};
const REFUSAL = 'This workspace is not trusted, so NeuroLake runs no workloads here. Trust the workspace to allow it.';
const SLOW = 45_000;

describe('NeuroLake in an untrusted workspace (Restricted Mode)', { timeout: 240_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'untrusted-', { files: FILES, trusted: false });

  const sidebar = (page) => page.locator('.part.sidebar');
  const pane = (page, title) => sidebar(page).locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
  const treeRow = (page, view, label) => pane(page, view).locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  const quickInput = (page) => page.locator('.quick-input-widget');
  const dialog = (page) => page.locator('.monaco-dialog-box');

  async function palette(page, text) {
    await page.keyboard.press('F1');
    const input = await visible(quickInput(page).locator('input'), 'F1 did not open the command palette');
    await input.fill(`>${text}`);
    return input;
  }

  async function runCommand(page, title) {
    await palette(page, title);
    await (await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: title }), `the command palette does not list "${title}"`)).click();
  }

  step('the workbench is in Restricted Mode and the Storage view lists the tiers', async (page) => {
    await visible(page.locator('.statusbar-item', { hasText: 'Restricted Mode' }), 'the status bar does not say Restricted Mode: the folder opened trusted', 60_000);
    await (await visible(page.locator('.activitybar [aria-label^="NeuroLake"]'), 'no NeuroLake icon in the activity bar', 60_000)).click();
    for (const tier of ['Local', 'Cloud', 'Archive']) await visible(treeRow(page, 'Storage', tier), `the Storage view does not list ${tier}`, SLOW);
    await visible(treeRow(page, 'Storage', 'Cloud').locator('.label-description', { hasText: /^connected\b/ }), 'the Storage view does not show the cloud tier connected', SLOW);
  });

  step('Store Files… is not offered, and Schedule Workload… says why it runs nothing', async (page) => {
    await palette(page, 'NeuroLake: Store Files');
    // The palette filters as the text is set: once a row shows, every row for it is there.
    const rows = quickInput(page).locator('.quick-input-list .monaco-list-row');
    await visible(rows, 'the command palette shows no row at all');
    const offered = await rows.allInnerTexts();
    assert.ok(!offered.some((text) => text.startsWith('NeuroLake: Store Files')), `the command palette offers Store Files… in Restricted Mode: ${offered.join(' | ')}`);
    await page.keyboard.press('Escape');
    await runCommand(page, 'NeuroLake: Schedule Workload…');
    await visible(page.locator('.notifications-toasts .notification-list-item-message', { hasText: REFUSAL }), 'Schedule Workload… does not say that an untrusted workspace runs no workloads');
    // Said once: a command that rejected would also get VS Code's own modal error dialog, with the same words.
    await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await dialog(page).count(), 0, 'the refusal is said twice: VS Code also shows its "Command … resulted in an error" dialog');
    assert.equal(await quickInput(page).locator('.quick-input-title', { hasText: 'Schedule Workload' }).count(), 0, 'Schedule Workload… went on to ask its questions');
  });

  step('a neurolake task does not run: VS Code asks for trust, and after Cancel nothing ran', async (page, workbench) => {
    await runCommand(page, 'Tasks: Run Task');
    await visible(dialog(page).locator('.dialog-message-text', { hasText: 'Do you trust the authors of the files in this folder?' }), 'Run Task did not ask to trust the folder', SLOW);
    await visible(dialog(page).locator('.dialog-message-container', { hasText: 'Listing and running tasks requires' }), 'the trust question does not say tasks need it');
    await (await visible(dialog(page).locator('.dialog-buttons .monaco-button', { hasText: /^Cancel$/ }), 'the trust question has no Cancel')).click();
    await dialog(page).waitFor({ state: 'detached', timeout: 10_000 });
    // Cancelling ends Run Task there: no task list to pick from, no terminal running the task.
    assert.equal(await quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: TASK_NAME }).count(), 0, 'Run Task listed the task after all');
    assert.equal(await page.locator('.panel .xterm-rows', { hasText: 'Executing task' }).count(), 0, 'a task terminal opened');
    await visible(pane(page, 'Workloads').locator('.welcome-view-content p', { hasText: /^No workloads yet\./ }), 'the Workloads view shows a run');
    assert.equal(existsSync(join(workbench.workspace, MARKER)), false, 'the task’s command ran');
    const history = join(workbench.dataFolder, 'compute', 'runs.jsonl');
    assert.ok(!existsSync(history) || !readFileSync(history, 'utf8').includes(TASK_NAME), 'the compute history records the task’s workload');
  });
});
