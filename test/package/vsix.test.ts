// The .vsix a user installs: built by vsce exactly as `npm run package` does, it must hold the
// bundles and what the Marketplace shows, and nothing else (no sources, maps or node_modules).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVSIX } from '@vscode/vsce';
import yauzl from 'yauzl';
import manifest from '../../package.json';

const scratch = mkdtempSync(join(tmpdir(), 'nl-vsix-'));
const vsixPath = join(scratch, `${manifest.name}-${manifest.version}.vsix`);
after(() => rmSync(scratch, { recursive: true, force: true }));

function listEntries(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: false }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => names.push(entry.fileName));
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
    });
  });
}

describe('the packaged .vsix', () => {
  let entries: string[] = [];
  before(async () => {
    await createVSIX({ cwd: process.cwd(), packagePath: vsixPath, dependencies: false });
    entries = await listEntries(vsixPath);
  });

  it('holds only the bundles, media, snippets, manifest, README, LICENSE and CHANGELOG', () => {
    const allowed = [
      /^extension\.vsixmanifest$/,
      /^\[Content_Types\]\.xml$/,
      /^extension\/dist\/(extension|client|server|cli)\.js$/,
      // The cost dashboard's webview script and uPlot's styles.
      /^extension\/dist\/costDashboard\.(js|css)$/,
      // Optimize Placement's plan view script.
      /^extension\/dist\/storagePlan\.js$/,
      /^extension\/media\/[\w.-]+\.(svg|png|css|js)$/,
      // The SQL Template language: its grammar and editor configuration.
      /^extension\/media\/sql-template\.(tmLanguage|language-configuration)\.json$/,
      /^extension\/snippets\/[\w.-]+\.json$/,
      /^extension\/package\.json$/,
      /^extension\/(readme\.md|changelog\.md|LICENSE\.txt)$/i,
    ];
    const unexpected = entries.filter((name) => !allowed.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, [], `unexpected files in the .vsix: ${unexpected.join(', ')}`);
  });

  it('has everything the extension needs at run time', () => {
    for (const required of [
      'extension/dist/extension.js',
      'extension/dist/client.js',
      'extension/dist/server.js',
      'extension/dist/cli.js',
      'extension/dist/costDashboard.js',
      'extension/dist/costDashboard.css',
      'extension/media/costDashboard.css',
      'extension/dist/storagePlan.js',
      'extension/media/storagePlan.css',
      'extension/media/neurolake.svg',
      'extension/media/neurolake.png',
      'extension/snippets/sql.json',
      'extension/package.json',
      // Every file package.json points at must ship, or VS Code fails to load that contribution.
      ...manifest.contributes.grammars.map((g) => `extension/${g.path.replace(/^\.\//, '')}`),
      ...manifest.contributes.languages.map((l) => `extension/${l.configuration.replace(/^\.\//, '')}`),
    ]) {
      assert.ok(entries.includes(required), `${required} missing from the .vsix`);
    }
  });

  it('starts no S3 server of its own: s3rver (the harness\'s embedded cloud of `npm start`) is neither packed nor bundled', () => {
    assert.deepEqual(entries.filter((name) => /node_modules|s3rver/i.test(name)), []);
    for (const bundle of entries.filter((name) => /^extension\/dist\/.*\.js$/.test(name))) {
      const code = readFileSync(bundle.replace(/^extension\//, ''), 'utf8');
      // s3rver's own option names and its module name: present only if its code were bundled.
      assert.doesNotMatch(code, /allowMismatchedSignatures|configureBuckets|require\(["']s3rver["']\)/, `${bundle} bundles s3rver`);
    }
  });

  it('is small enough to install quickly', () => {
    const size = statSync(vsixPath).size;
    assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${size} bytes`);
  });
});

describe('Marketplace metadata', () => {
  it('names what the Marketplace shows and pins the VS Code API to the @types/vscode in use', () => {
    for (const field of ['displayName', 'description', 'icon', 'publisher', 'license'] as const) {
      assert.ok(manifest[field], `package.json lacks ${field}`);
    }
    assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0);
    assert.match(manifest.repository.url, /^https:\/\//);
    assert.equal(manifest.engines.vscode, '^1.91.0');
    const typesManifest = JSON.parse(readFileSync('node_modules/@types/vscode/package.json', 'utf8')) as { version: string };
    const typesVersion = typesManifest.version;
    assert.equal(typesVersion.split('.').slice(0, 2).join('.'), '1.91', '@types/vscode must match engines.vscode');
  });
});
