// The CLI as a shell pipeline runs it: a reader that goes away early (`neurolake … | head`) must
// not turn into a crash with a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const cli = resolve(__dirname, '../../dist/cli.js');
const home = mkdtempSync(join(tmpdir(), 'neurolake-cli-pipe-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('neurolake CLI in a pipeline', { skip: existsSync(cli) ? false : 'dist/cli.js is built by `node esbuild.mjs`' }, () => {
  it('exits 0 without a stack trace when its output pipe is closed before it writes', async () => {
    const child = spawn(process.execPath, [cli, '--help'], { env: { ...process.env, NEUROLAKE_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closes before the CLI has even started, so its first write meets EPIPE.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.doesNotMatch(err, /EPIPE|Unhandled/, err);
    assert.equal(code, 0);
  });
});
