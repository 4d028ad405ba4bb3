// The NeuroLake CLI of the build under test, run as another process would run it: the VS Code
// suites use it to change the data folder behind the extension's back.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Runs `dist/cli.js` of the extension at `extensionPath`; resolves with its output, rejects with its stderr on failure. */
export function runCli(extensionPath: string, args: readonly string[]): Promise<string> {
  const script = path.join(extensionPath, 'dist', 'cli.js');
  assert.ok(fs.existsSync(script), `${script} is missing: the harness builds it (node esbuild.mjs)`);
  return new Promise((resolve, reject) => {
    // The extension host's executable is Node here, Electron on desktop VS Code: make it act as Node.
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`neurolake ${args.join(' ')} exited with ${code ?? signal}: ${err.trim() || out.trim()}`));
    });
  });
}
