// Headless Debian chromium through playwright-core (never `playwright install`: nothing to
// download here). Used to open code-server's workbench for the integration and UI tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless without a sandbox (root in containers), and without the background traffic chromium
// would otherwise attempt on a machine with no internet.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh browser (Playwright gives each launch a new temporary profile) and one page. */
export async function openBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  // Chromium keeps crash reports and caches under ~/.config and ~/.cache even with a temporary
  // profile, and a killed one leaves its /tmp folders; point all of them at a folder that goes
  // away with the browser.
  const home = mkdtempSync(join(tmpdir(), 'neurolake-chromium-'));
  const env = { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), TMPDIR: home };
  let browser;
  try {
    browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS, env, timeout: 30_000 });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw new Error(`chromium did not start (${EXECUTABLE}): ${error.message.split('\n')[0]}`);
  }
  browser.on('disconnected', () => rmSync(home, { recursive: true, force: true }));
  const page = await browser.newPage({ viewport });
  return { browser, page };
}
