// What a person sees after installing NeuroLake: its icon in the activity bar opens the Catalog,
// Storage and Workloads views, and "NeuroLake: Show Server Status" reports a ready server.
import { after, afterEach, before, describe, it } from 'node:test';
import { visible, workbenchSuite } from './workbench.mjs';

describe('NeuroLake in the VS Code UI', { timeout: 180_000 }, () => {
  const step = workbenchSuite({ before, after, afterEach, it });

  step('the NeuroLake icon opens the Catalog, Storage and Workloads views', async (page) => {
    const icon = await visible(page.locator('.activitybar [aria-label^="NeuroLake"]'), 'no NeuroLake icon in the activity bar');
    await icon.click();
    await page.mouse.move(700, 450); // off the icon, so its tooltip does not cover the screenshot
    const sidebar = page.locator('.part.sidebar');
    await visible(sidebar.locator('.composite.title', { hasText: /NeuroLake/i }), 'the sidebar is not titled NeuroLake');
    for (const view of ['Catalog', 'Storage', 'Workloads']) {
      await visible(sidebar.locator('.pane-header .title', { hasText: view }), `no "${view}" view in the NeuroLake sidebar`);
    }
  });

  step('"NeuroLake: Show Server Status" shows a ready server', async (page) => {
    await page.keyboard.press('F1');
    const input = await visible(page.locator('.quick-input-widget input'), 'F1 did not open the command palette');
    await input.fill('>NeuroLake: Show Server Status');
    await visible(
      page.locator('.quick-input-list .monaco-list-row', { hasText: 'NeuroLake: Show Server Status' }),
      'the command palette does not list "NeuroLake: Show Server Status"',
    );
    await page.keyboard.press('Enter');
    // The toast's slide-in has ended (VS Code marks it fade-in-done), so the screenshot shows it.
    const message = await visible(
      page.locator('.notifications-toasts .notification-fade-in-done .notification-list-item-message', {
        hasText: /^NeuroLake.*ready/,
      }),
      'no notification "NeuroLake … ready" after running Show Server Status',
    );
    console.log(`# notification: ${await message.innerText()}`);
  });
});
