// Compute as a person uses it in the VS Code UI: "NeuroLake: Schedule Workload…" asks each step in
// the quick input and ends on the decision (its reason, each option's cost); running it on this
// machine shows a progress notification, the Workloads view shows it Finished with exit 0 and its
// cost, and Show Output opens what the command printed. A `"type": "neurolake"` task in tasks.json
// runs from "Tasks: Run Task" and shows in the Workloads view, and tasks.json shows its cost lens.
// Cancel on a long run's progress notification ends it: Finished shows it cancelled, and its
// process is gone.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { pollUntil } from '../harness/deadline.mjs';
import { visible, workbenchSuite } from './workbench.mjs';

const COMMAND = 'echo hello from neurolake; sleep 2; echo done';
// The workload's name as Schedule Workload makes it from a shell command: its first three words.
const SCHEDULED_NAME = 'echo hello from';
const TASK_NAME = 'nightly load';
// A run that would go on for five minutes; `exec` makes the process that writes its pid the one that sleeps.
const LONG_COMMAND = 'sh long-job.sh';
const LONG_PID_FILE = 'long-job.pid';
const FILES = {
  'long-job.sh': `echo $$ > ${LONG_PID_FILE}\nexec sleep 300\n`,
  // The terminal drawn as text rather than on a canvas, so what a task printed can be read.
  '.vscode/settings.json': `${JSON.stringify({ 'terminal.integrated.gpuAcceleration': 'off' }, null, 2)}\n`,
  '.vscode/tasks.json': `${JSON.stringify(
    {
      version: '2.0.0',
      tasks: [
        // No problem matcher: VS Code would otherwise ask which one to scan the output with.
        { type: 'neurolake', label: TASK_NAME, name: TASK_NAME, workloadType: 'etl', command: 'echo loading the nightly batch; exit 0', cpus: 0.1, memoryGb: 0.1, estimatedMinutes: 1, tier: 'local', problemMatcher: [] },
      ],
    },
    null,
    2,
  )}\n`,
};

// A busy 2-core machine: the server, the scheduler and a run may each take a while.
const SLOW = 45_000;

describe('NeuroLake compute in the VS Code UI', { timeout: 420_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it }, 'compute-', { files: FILES });

  const sidebar = (page) => page.locator('.part.sidebar');
  const pane = (page, title) => sidebar(page).locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
  const workloadRow = (page, label) => pane(page, 'Workloads').locator('.monaco-list-row[role=treeitem]', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  const quickInput = (page) => page.locator('.quick-input-widget');
  const notification = (page, text) => page.locator('.notifications-toasts .notification-fade-in-done .notification-list-item-message', { hasText: text });

  async function runCommand(page, title) {
    await page.keyboard.press('F1');
    const input = await visible(quickInput(page).locator('input'), 'F1 did not open the command palette');
    await input.fill(`>${title}`);
    const row = await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: title }), `the command palette does not list "${title}"`);
    await row.click();
  }

  /** Waits for the quick input to show step `n` of Schedule Workload; returns its input. */
  async function atStep(page, n, label) {
    await visible(quickInput(page).locator('.quick-input-title', { hasText: `Schedule Workload (${n}/6): ${label}` }), `Schedule Workload did not go on to step ${n}, "${label}"`, SLOW);
    return quickInput(page).locator('input').first();
  }

  /** Answers an input box step: replaces what it holds (the pre-filled default) and presses Enter. */
  async function answer(page, n, label, text) {
    const input = await atStep(page, n, label);
    await input.fill(text);
    // The input box validates as it is typed; Enter is taken once no error shows.
    await quickInput(page).locator('.quick-input-message.inputValidationError, .monaco-inputbox.error').waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
    await input.press('Enter');
  }

  async function pickRow(page, text, what) {
    const row = await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: text }), what);
    await row.click();
  }

  /** Picks an item of the open context menu: hovered first (which focuses it), then clicked. */
  async function chooseFromMenu(page, label, what) {
    const item = await visible(page.locator('.context-view .action-label', { hasText: new RegExp(`^${label}$`) }), what);
    await item.hover();
    await item.click();
  }

  /** Opens the Finished group when it is folded (it starts folded). */
  async function openFinished(page) {
    const group = await visible(workloadRow(page, 'Finished'), 'the Workloads view has no Finished group', SLOW);
    if ((await group.getAttribute('aria-expanded')) === 'false') await group.click();
  }

  /** Schedule Workload for a shell command, run on this machine; resolves once the decision's row is picked. */
  async function scheduleHere(page, command) {
    await runCommand(page, 'NeuroLake: Schedule Workload…');
    await pickRow(page, 'a query or a quick report', 'the type step does not offer "query"');
    await pickRow(page, 'A shell command…', 'the "what to run" step does not offer a shell command');
    await answer(page, 2, 'What to run', command);
    await answer(page, 3, 'Resources', '0.1 CPU, 0.1 GB, 1 min');
    await answer(page, 4, 'Priority', '7');
    await answer(page, 5, 'Maximum wait', '5');
    await visible(quickInput(page).locator('.quick-input-title', { hasText: /^Schedule Workload \(6\/6\)/ }), 'Schedule Workload did not end on the decision', SLOW);
    await pickRow(page, /This machine/, 'the decision does not offer this machine');
  }

  /** The pid `file` holds once a process wrote it: read now, and again at each change in its folder. */
  function pidWritten(file, what) {
    return new Promise((resolve, reject) => {
      const read = () => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined);
      const watcher = watch(dirname(file), () => check());
      const timer = setTimeout(() => finish(new Error(`${what} (not after ${SLOW / 1000} s)`)), SLOW);
      function finish(error, pid) {
        clearTimeout(timer);
        watcher.close();
        if (error) reject(error);
        else resolve(pid);
      }
      function check() {
        const pid = read();
        if (pid !== undefined) finish(undefined, pid);
      }
      check();
    });
  }

  /** Whether `pid` is a live process (a zombie has ended: it only waits to be reaped). */
  function alive(pid) {
    try {
      return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  async function clearNotifications(page) {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'detached', timeout: 10_000 });
  }

  step('the Workloads view starts with no runs and offers Schedule Workload', async (page) => {
    await (await visible(page.locator('.activitybar [aria-label^="NeuroLake"]'), 'no NeuroLake icon in the activity bar', 60_000)).click();
    // The Catalog and Storage folded away, so the Workloads view has the room.
    for (const view of ['Catalog', 'Storage']) await (await visible(sidebar(page).locator('.pane-header', { hasText: view }), `no ${view} view`)).click();
    // The side bar widened by its edge, so a run's tier, time, cost and exit code show in full.
    const before = await sidebar(page).boundingBox();
    await page.mouse.move(before.x + before.width, before.y + before.height / 2);
    await page.mouse.down();
    await page.mouse.move(before.x + before.width + 160, before.y + before.height / 2, { steps: 8 });
    await page.mouse.up();
    assert.ok((await sidebar(page).boundingBox()).width > before.width + 100, 'dragging the side bar’s edge did not widen it');
    const welcome = pane(page, 'Workloads').locator('.welcome-view-content');
    await visible(welcome.locator('p', { hasText: /^No workloads yet\./ }), 'the empty Workloads view does not say there are no workloads yet', SLOW);
    await visible(welcome.locator('.monaco-button', { hasText: 'Schedule Workload' }), 'the empty Workloads view offers no Schedule Workload button');
  });

  step('Schedule Workload asks each step and ends on the decision: its reason and what each option costs', async (page, workbench) => {
    await runCommand(page, 'NeuroLake: Schedule Workload…');
    await atStep(page, 1, 'Type of workload');
    await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: 'a query or a quick report' }), 'the type step does not describe the query type with its defaults');
    await pickRow(page, 'a query or a quick report', 'the type step does not offer "query"');
    await atStep(page, 2, 'What to run');
    await pickRow(page, 'A shell command…', 'the "what to run" step does not offer a shell command');
    await answer(page, 2, 'What to run', COMMAND);
    // The resources step is pre-filled from the type; a small workload fits a busy machine best.
    const resources = await atStep(page, 3, 'Resources');
    assert.match(await resources.inputValue(), /^\d+(\.\d+)? CPU, \d+(\.\d+)? GB, \d+(\.\d+)? min$/, 'the resources step is not pre-filled from the type');
    await answer(page, 3, 'Resources', '0.1 CPU, 0.1 GB, 1 min');
    await answer(page, 4, 'Priority', '7');
    await answer(page, 5, 'Maximum wait', '5');

    const title = await visible(quickInput(page).locator('.quick-input-title', { hasText: /^Schedule Workload \(6\/6\): Where it runs: (Runs on this machine|Runs on the cluster|Waits in the queue)$/ }), 'Schedule Workload did not end on the decision', SLOW);
    const reason = await quickInput(page).locator('input').first().getAttribute('placeholder');
    console.log(`# decision: ${await title.innerText()} — ${reason}`);
    assert.ok(reason !== null && reason.length > 20, `the decision step does not say why: placeholder ${JSON.stringify(reason)}`);
    // Matched case-sensitively: the "Run" row's reason also speaks of this machine and the cluster.
    const local = await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: /This machine/ }), 'the decision does not offer this machine');
    console.log(`# this machine: ${(await local.innerText()).replace(/\s+/g, ' ')}`);
    assert.match(await local.innerText(), /about \$\d+\.\d+/, 'this machine’s option does not show its cost');
    const cluster = await visible(quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: /Cluster/ }), 'the decision does not offer the cluster');
    // No cluster is set up here: it says why not, and what it would cost.
    assert.match(await cluster.innerText(), /not possible: .*about \$\d+\.\d+/s, 'the cluster’s option does not say why not and what it would cost');
    await workbench.screenshot('compute-decision');
  });

  step('run on this machine: a progress notification, then Finished in the Workloads view with exit 0 and its cost', async (page) => {
    // "This machine (chosen)" when the scheduler picked it; "run here instead" when it would queue or burst.
    await pickRow(page, /This machine/, 'the decision does not offer this machine');
    const progress = await visible(
      page.locator('.notifications-toasts .notification-list-item-message', { hasText: new RegExp(`${SCHEDULED_NAME}.*(starting|running)`) }),
      'no progress notification saying the workload is starting or running',
      SLOW,
    );
    console.log(`# progress: ${await progress.innerText()}`);
    const ended = await visible(
      notification(page, new RegExp(`^${SCHEDULED_NAME} completed on this machine · exit code 0 · .+ · cost \\$\\d+\\.\\d+$`)),
      'no notification that the workload completed on this machine with exit code 0 and its cost',
      SLOW,
    );
    console.log(`# ended: ${await ended.innerText()}`);
    await openFinished(page);
    const row = await visible(workloadRow(page, SCHEDULED_NAME), 'the run does not show in the Workloads view', SLOW);
    const description = await row.locator('.label-description').innerText();
    assert.match(description, /^local · \d+ s · \$\d+\.\d+ · exit 0$/, 'the run’s row does not show its tier, time, cost and exit 0');
    // Its row is under Finished: the groups are ordered Queued, Running, Finished and Finished counts it.
    await visible(workloadRow(page, 'Finished').locator('.label-description', { hasText: /^[1-9]\d*$/ }), 'the Finished group does not count the run');
  });

  step('Show Output opens what the command printed', async (page, workbench) => {
    await workloadRow(page, SCHEDULED_NAME).click({ button: 'right' });
    await chooseFromMenu(page, 'Show Output', 'the run’s context menu has no "Show Output"');
    await visible(page.locator('.editor-instance .view-lines', { hasText: 'hello from neurolake' }), 'the output does not show what the command printed first', SLOW);
    await visible(page.locator('.editor-instance .view-lines', { hasText: 'done' }), 'the output does not show what the command printed last');
    await clearNotifications(page);
    await page.mouse.move(700, 450);
    await workbench.screenshot('compute-output');
  });

  step('a "neurolake" task from tasks.json runs from "Tasks: Run Task" and shows in the Workloads view', async (page, workbench) => {
    await runCommand(page, 'Tasks: Run Task');
    await pickRow(page, new RegExp(`^${TASK_NAME}`), `"Tasks: Run Task" does not offer the "${TASK_NAME}" task from tasks.json`);
    const row = await visible(workloadRow(page, TASK_NAME), 'the task’s run does not show in the Workloads view', SLOW);
    await visible(row.locator('.label-description', { hasText: /^local · \d+ s · \$\d+\.\d+ · exit 0$/ }), 'the task’s run does not end with its tier, time, cost and exit 0', SLOW);
    // The task's terminal says where it ran and ends with the workload's state and exit code.
    await visible(page.locator('.panel .xterm-rows', { hasText: /NeuroLake: nightly-load-\d+ completed \(exit 0\)/ }), 'the task’s terminal does not say the workload completed with exit 0');
    // Both runs in the view, the task's terminal below: the picture for the README.
    await page.mouse.move(700, 450);
    await workbench.screenshot('compute-workloads');
  });

  step('tasks.json shows the cost lens above the task', async (page) => {
    await page.keyboard.press('Control+P');
    const input = await visible(quickInput(page).locator('input'), 'Ctrl+P did not open Quick Open');
    await input.fill('tasks.json');
    await pickRow(page, 'tasks.json', 'Quick Open does not find .vscode/tasks.json');
    await visible(page.locator('.tabs-container .tab', { hasText: 'tasks.json' }), 'no editor tab for tasks.json');
    const lens = await visible(page.locator('.editor-instance .codelens-decoration', { hasText: /Run · local (<)?\$\d+\.\d+ · cluster (<)?\$\d+\.\d+/ }), 'no cost lens with the local and cluster cost above the task', SLOW);
    console.log(`# lens: ${await lens.innerText()}`);
  });

  step('Cancel on the progress notification stops the run: Finished shows it cancelled and its process is gone', async (page, workbench) => {
    await clearNotifications(page);
    await scheduleHere(page, LONG_COMMAND);
    const toast = page.locator('.notifications-toasts .notification-list-item', { has: page.locator('.notification-list-item-message', { hasText: new RegExp(`${LONG_COMMAND}.*running on this machine`) }) });
    await visible(toast, 'no progress notification saying the long workload is running on this machine', SLOW);
    // Its process is up: the script wrote its pid, and that process is the one sleeping.
    const pidFile = join(workbench.workspace, LONG_PID_FILE);
    const pid = await pidWritten(pidFile, 'the long workload never wrote its pid');
    assert.ok(alive(pid), `the long workload's process ${pid} is not running before Cancel`);

    await (await visible(toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: /^Cancel$/ }), 'the progress notification has no Cancel button')).click();
    const ended = await visible(notification(page, new RegExp(`^${LONG_COMMAND} cancelled on this machine · `)), 'no notification that the workload was cancelled', SLOW);
    console.log(`# cancelled: ${await ended.innerText()}`);
    await openFinished(page);
    const row = await visible(workloadRow(page, LONG_COMMAND), 'the cancelled run does not show under Finished', SLOW);
    await visible(row.locator('.codicon-circle-slash'), 'the cancelled run’s row does not wear the cancelled icon', SLOW);
    assert.doesNotMatch(await row.locator('.label-description').innerText(), /exit 0/, 'the cancelled run’s row shows it exiting normally');
    await visible(workloadRow(page, 'Running').locator('.label-description', { hasText: /^0$/ }), 'the Running group still counts a run');
    // Cancel kills the run's process group; the sleeping process goes with it, long before its five
    // minutes. Nothing tells another process of an exit, so /proc is looked at until it is gone.
    await pollUntil(() => !alive(pid), { timeoutMs: 10_000, message: `process ${pid} of the cancelled workload is still running` });
    await workbench.screenshot('compute-cancelled');
  });
});
