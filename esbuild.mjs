// Bundles the three entry points: the thin extension host client, the language server that hosts
// the engines, and the headless CLI. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Shared by all bundles: Node 20, CommonJS (what VS Code's extension host loads). */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  // Prefer packages' ES module builds: jsonc-parser's default UMD build requires its own files at
  // run time ("Cannot find module './impl/format'"), which a bundle cannot satisfy.
  mainFields: ['module', 'main'],
  // lowdb and other ESM-only packages are bundled too; `import.meta.url` has no meaning in CJS,
  // so map it onto the bundle's own file URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const entries = [
  // `vscode` is provided by the extension host and must never be bundled.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The language client library, loaded by the extension once it has activated (see src/ctx.ts).
  { ...common, entryPoints: ['src/client/languageClient.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/server.ts'], outfile: 'dist/server.js' },
  {
    ...common,
    entryPoints: ['server/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  },
  // The cost dashboard's webview script and uPlot's styles, for a browser frame (no Node, no network).
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['media/costDashboard/dashboard.ts'],
    outfile: 'dist/costDashboard.js',
    define: {},
    banner: {},
    mainFields: ['browser', 'module', 'main'],
  },
  // Optimize Placement's plan view script, for a browser frame too.
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['media/storagePlan/plan.ts'],
    outfile: 'dist/storagePlan.js',
    define: {},
    banner: {},
    mainFields: ['browser', 'module', 'main'],
  },
];

/** Prints a one-line summary per build so watch mode shows that something happened. */
const reportPlugin = {
  name: 'report',
  setup(build) {
    build.onEnd((result) => {
      const outfile = build.initialOptions.outfile;
      if (result.errors.length > 0) console.error(`✘ ${outfile}: ${result.errors.length} error(s)`);
      else if (watch) console.log(`✔ rebuilt ${outfile}`);
    });
  },
};

const contexts = await Promise.all(entries.map((options) => esbuild.context({ ...options, plugins: [reportPlugin] })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
