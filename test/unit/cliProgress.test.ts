// `neurolake catalog import|export` of a large bundle from a shell whose stderr is not a terminal
// (a CI log): progress comes as plain lines on stderr, the answer alone on stdout, and Ctrl-C
// stops an import with exit 130, leaving the catalog as it was.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { holdCatalogLock } from './catalog/catalogLock';
import { largeBundleText } from './catalog/largeBundle';

const ENTRIES = 1500;
const root = join(import.meta.dirname, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-progress-'));
const bundleFile = join(scratch, 'bundle.json');
after(() => rmSync(scratch, { recursive: true, force: true }));

before(() => {
  const started = Date.now();
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
  assert.ok(existsSync(cliJs) && statSync(cliJs).mtimeMs >= started - 1000, 'node esbuild.mjs builds dist/cli.js');
  writeFileSync(bundleFile, largeBundleText(ENTRIES));
});

const env = (catalogFile: string): NodeJS.ProcessEnv => ({ ...process.env, NEUROLAKE_CATALOG_FILE: catalogFile, NEUROLAKE_PROGRESS: 'lines' });

function shell(catalogFile: string, ...argv: string[]): { code: number; out: string; err: string } {
  const run = spawnSync(process.execPath, [cliJs, 'catalog', ...argv], { encoding: 'utf8', env: env(catalogFile), maxBuffer: 256 * 1024 * 1024 });
  return { code: run.status ?? -1, out: run.stdout, err: run.stderr };
}

/** The lines a tenth-by-tenth phase prints: "Checking entries: 0 of 1,500 (0%)" … "(100%)". */
function tenths(message: string, total: number): string[] {
  return Array.from({ length: 11 }, (_, tenth) => `${message}: ${((total * tenth) / 10).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${tenth * 10}%)`);
}

describe('CLI progress as plain lines', () => {
  const catalogFile = join(scratch, 'catalog', 'catalog.json');

  it('an import prints each phase and every tenth of its entries on stderr, the report on stdout', () => {
    const run = shell(catalogFile, 'import', bundleFile);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, new RegExp(`^Imported: ${ENTRIES} add\\n`));
    assert.deepEqual(run.err.trimEnd().split('\n'), ['Opening the catalog', 'Reading the bundle', ...tenths('Checking entries', ENTRIES), 'Saving the imported entries']);
  });

  it('an export to a file prints every tenth of its entries; to stdout, the bundle stays clean', () => {
    const out = join(scratch, 'exported.json');
    const run = shell(catalogFile, 'export', '--out', out);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out, `Exported ${ENTRIES} entries to ${out}\n`);
    assert.deepEqual(run.err.trimEnd().split('\n'), ['Opening the catalog', ...tenths('Exporting entries', ENTRIES)]);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { entries: unknown[] }).entries.length, ENTRIES);

    const toStdout = shell(catalogFile, 'export', '--tag', 'shop-1');
    const shop1 = Array.from({ length: ENTRIES }, (_, i) => i).filter((i) => i % 40 === 1).length;
    assert.equal((JSON.parse(toStdout.out) as { entries: unknown[] }).entries.length, shop1, 'stdout holds the bundle alone');
  });

  it('Ctrl-C during an import, while it waits for another process, exits 130 and leaves the catalog as it was', async () => {
    const catalogState = (): unknown => {
      const exported = shell(catalogFile, 'export');
      const { exportedAt: _when, ...bundle } = JSON.parse(exported.out) as { exportedAt: string };
      return { list: shell(catalogFile, 'list', '--json').out, bundle };
    };
    const before = catalogState();
    // Held as another window saving a change would: the import waits to open the catalog, saying
    // so, and the interrupt lands then, however busy the machine. (Cancelling half-way through
    // the entries is shown by the engine's and the server's tests.)
    const release = await holdCatalogLock(catalogFile);
    const child = spawn(process.execPath, [cliJs, 'catalog', 'import', bundleFile, '--mode', 'overwrite'], { env: env(catalogFile) });
    let err = '';
    let interrupted = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      if (!interrupted && /Opening the catalog/.test(err)) {
        interrupted = true;
        child.kill('SIGINT');
        void release();
      }
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 130, err);
    assert.equal(err.trimEnd().split('\n').at(-1), 'neurolake: The import was cancelled; nothing was changed.');
    assert.deepEqual(catalogState(), before);
  });
});
