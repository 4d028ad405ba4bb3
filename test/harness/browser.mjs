// Headless Debian chromium through playwright-core (never `playwright install`: nothing to
// download here). Used to open code-server's workbench for the integration and UI tests.
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
  let browser;
  try {
    browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS, timeout: 30_000 });
  } catch (error) {
    throw new Error(`chromium did not start (${EXECUTABLE}): ${error.message.split('\n')[0]}`);
  }
  const page = await browser.newPage({ viewport });
  return { browser, page };
}
