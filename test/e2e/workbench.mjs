// The UI tests' fixture: the packaged extension installed into a fresh code-server (real VS Code),
// its workbench open in headless chromium, and screenshots saved to test/e2e/artifacts/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../harness/browser.mjs';
import { installExtension, startCodeServer, workbenchUrl } from '../harness/codeServer.mjs';
import { exitOnSignals } from '../harness/processes.mjs';
import { startEmbeddedCloud } from '../harness/s3Services.mjs';

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Waits for `locator` to be visible; on timeout, fails with `what` rather than a selector dump. */
export async function visible(locator, what, timeout = 20_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`${what} (not visible after ${timeout / 1000} s)`);
  }
  return locator.first();
}

/**
 * Installs the .vsix (from `npm run test:e2e`, NEUROLAKE_E2E_VSIX) into a fresh profile, starts
 * code-server on a workspace holding `files` (relative path -> content) with a fresh NeuroLake
 * data folder (`prepare({ dataFolder, cloud })` may fill it first), and opens the workbench. The files are written before code-server starts, so the
 * Explorer lists them from its first read of the folder, not from a file watcher that may not be
 * watching yet on a busy machine. `trusted: false` opens the workspace untrusted (Restricted Mode).
 */
export async function openWorkbench({ files = {}, prepare, trusted = true } = {}) {
  // node:test forwards Ctrl-C and its runner's SIGTERM here; code-server must not outlive us.
  exitOnSignals();
  const vsix = process.env.NEUROLAKE_E2E_VSIX;
  if (!vsix) throw new Error('NEUROLAKE_E2E_VSIX is not set: run the UI tests with `npm run test:e2e`');
  const scratch = mkdtempSync(join(tmpdir(), 'neurolake-e2e-'));
  const dirs = Object.fromEntries(['workspace', 'home', 'user-data', 'extensions'].map((d) => [d, join(scratch, d)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dirs.workspace, name)), { recursive: true });
    writeFileSync(join(dirs.workspace, name), content);
  }
  await installExtension({ vsix, extensionsDir: dirs.extensions, userDataDir: dirs['user-data'] });
  // All three storage tiers, as a new user gets them from `npm start`: an embedded S3 server.
  const cloud = await startEmbeddedCloud({ directory: join(scratch, 's3'), dataFolder: dirs.home });
  // What the data folder should already hold when VS Code starts (records made by the engines).
  if (prepare) {
    await prepare({ dataFolder: dirs.home, cloud }).catch(async (error) => {
      await cloud.stop();
      throw error;
    });
  }
  const server = await startCodeServer({
    workspace: dirs.workspace,
    userDataDir: dirs['user-data'],
    extensionsDir: dirs.extensions,
    env: { NEUROLAKE_HOME: dirs.home, ...cloud.env },
    trusted,
  }).catch(async (error) => {
    await cloud.stop();
    throw error;
  });
  let browser;
  let page;
  try {
    ({ browser, page } = await openBrowser());
    await page.goto(workbenchUrl(server, { folder: dirs.workspace }));
    await visible(page.locator('.monaco-workbench .activitybar'), 'the VS Code workbench did not load', 60_000);
  } catch (error) {
    await browser?.close();
    await server.stop();
    await cloud.stop();
    throw new Error(`${error.message}; code-server log at ${server.logFile}`);
  }

  return {
    page,
    dataFolder: dirs.home,
    /** The embedded S3 server behind the cloud tier: endpoint, bucket, credentials. */
    cloud,
    /** The folder the workbench has open, holding the `files` it was opened with. */
    workspace: dirs.workspace,
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close({ keep = false } = {}) {
      await browser.close();
      await server.stop();
      await cloud.stop();
      // Kept when a test failed: the code-server log and VS Code's logs are in user-data/.
      if (keep) console.log(`[e2e] workspace, data folder and logs kept in ${scratch}`);
      else rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The fixture every UI suite shares: one workbench for the suite, opened on a workspace holding
 * `files`, a screenshot after each test (named `<prefix><test name>`, passed or failed), and the
 * logs kept when a test failed. Returns `step(name, body)`, a test whose body gets the page and
 * the workbench.
 */
export function workbenchSuite({ before, after, afterEach, it }, prefix = '', { files = {}, prepare, trusted = true } = {}) {
  let workbench;
  let failed = false;
  before(async () => {
    workbench = await openWorkbench({ files, prepare, trusted });
  });
  afterEach(async (t) => {
    const name = t.name.replace(/\W+/g, '-').replace(/^-|-$/g, '').toLowerCase();
    if (workbench) await workbench.screenshot(`${prefix}${name}`);
  });
  after(async () => {
    await workbench?.close({ keep: failed });
  });
  return (name, body) =>
    it(name, { timeout: 60_000 }, async () => {
      try {
        await body(workbench.page, workbench);
      } catch (error) {
        failed = true;
        throw error;
      }
    });
}
