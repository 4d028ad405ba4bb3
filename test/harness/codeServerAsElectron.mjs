#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron spawns: takes the same
// Electron-style arguments (--extensionDevelopmentPath=… --extensionTestsPath=… --user-data-dir=…
// <folder>), runs the tests in code-server's extension host through headless chromium, and exits
// with the tests' exit code. So the suite under test/vscode runs unchanged on a desktop VS Code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openBrowser } from './browser.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { withTimeout } from './deadline.mjs';
import { exitOnSignals } from './processes.mjs';

const TIMEOUT_MS = Number(process.env.NEUROLAKE_VSCODE_TEST_TIMEOUT_MS ?? 300_000);
const VERBOSE = Boolean(process.env.NEUROLAKE_VSCODE_VERBOSE);
// test-electron always passes --disable-workspace-trust; a run that checks Restricted Mode says so
// here instead, and the folder then opens untrusted.
const UNTRUSTED = process.env.NEUROLAKE_VSCODE_UNTRUSTED === '1';
// The workbench's own start-up chatter, and the extension gallery it cannot reach offline; shown
// with NEUROLAKE_VSCODE_VERBOSE=1. Everything else (test output, real errors) is always shown.
const NOISE = [
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /ENOTFOUND open-vsx\.org/,
];

/** `--key=value` pairs (repeatable) and positional folders; bare `--flags` are Electron's and ignored. */
function parseArgs(argv) {
  const options = new Map();
  const positional = [];
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/s.exec(arg);
    if (match) options.set(match[1], [...(options.get(match[1]) ?? []), match[2]]);
    else if (!arg.startsWith('-')) positional.push(resolve(arg));
  }
  return { one: (key) => options.get(key)?.at(-1), all: (key) => options.get(key) ?? [], positional };
}

/** Keeps the logs VS Code hands over at exit (renderer, extension host…) next to its user data. */
function saveLogs(userDataDir, logs) {
  for (const { relativePath, contents } of logs ?? []) {
    const file = join(userDataDir, 'automation-logs', relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const extensionTestsPath = args.one('extensionTestsPath');
  const extensionDevelopmentPath = args.all('extensionDevelopmentPath');
  if (!extensionTestsPath) throw new Error('no --extensionTestsPath=… given: nothing to run');
  // Folders test-electron did not pass (it always passes the profile ones) live in a scratch folder.
  let scratch;
  const orScratch = (given, name) => given ?? join((scratch ??= mkdtempSync(join(tmpdir(), 'neurolake-vscode-'))), name);
  const userDataDir = orScratch(args.one('user-data-dir'), 'user-data');
  const folder = orScratch(args.positional[0], 'workspace');
  mkdirSync(folder, { recursive: true });

  const server = await startCodeServer({
    workspace: folder,
    userDataDir,
    extensionsDir: orScratch(args.one('extensions-dir'), 'extensions'),
    trusted: !UNTRUSTED,
  });
  const { browser, page } = await openBrowser().catch(async (error) => {
    await server.stop();
    throw error;
  });
  let exitCode = 1;
  try {
    // Both hooks must exist before the workbench loads: it looks for them once, at startup.
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      saveLogs(userDataDir, logs);
      done(code);
    });
    await page.exposeFunction('codeAutomationLog', (type, message) => {
      if (!VERBOSE && NOISE.some((pattern) => pattern.test(message))) return;
      (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${message}\n`);
    });
    page.on('pageerror', (error) => process.stderr.write(`[workbench] ${error.message}\n`));
    const serverDied = server.exited.then((code) => {
      throw new Error(`code-server exited (${code}) while the tests ran; log at ${server.logFile}`);
    });
    serverDied.catch(() => {}); // it also "dies" when stopped below, after the tests
    await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }));
    exitCode = await withTimeout(
      Promise.race([finished, serverDied]),
      TIMEOUT_MS,
      `VS Code tests did not finish; code-server log at ${server.logFile}`,
    );
  } catch (error) {
    const shot = join(userDataDir, 'failure.png');
    await page.screenshot({ path: shot }).catch(() => {});
    console.error(`[vscode] ${error.message}\n[vscode] screenshot of the workbench: ${shot}`);
  } finally {
    await browser.close();
    await server.stop();
  }
  if (scratch && exitCode === 0) rmSync(scratch, { recursive: true, force: true });
  return exitCode;
}

// Ctrl-C (test-electron forwards it as SIGINT) must not leave code-server behind.
exitOnSignals();

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[vscode] ${error.message}`);
    process.exit(1);
  },
);
