// Lint rules that catch what review keeps missing: floating promises, stray console output, and
// imports that cross the project's layers (see `layers` below).
import { posix, relative, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The editor's API and the LSP libraries: the extension and the handlers use them, engines and the protocol never. */
const EDITOR_AND_LSP = /^(vscode|vscode-languageserver|vscode-languageserver-protocol|vscode-languageserver-textdocument|vscode-languageclient|vscode-jsonrpc)(\/|$)/;

/**
 * The layers, checked on every import and re-export by resolving relative paths:
 * - server/engines/<name>/**: plain modules. No vscode or LSP package, nothing outside
 *   server/engines (no protocol, runtime, handlers, CLI), another engine only through its index.ts.
 * - server/protocol/**: the wire. No vscode or LSP package (not even types), nothing outside itself.
 * - src/**: the extension. From server/ only server/protocol.
 * - the rest of server/ (handlers, runtime, CLI, session): an engine only through its index.ts.
 */
export const layers = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = toRepoPath(context.filename);
    const engineOfFile = /^server\/engines\/([^/]+)\//.exec(file)?.[1];
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const problem = layerProblem(file, engineOfFile, specifier);
      if (problem !== undefined) context.report({ node, message: `${problem} (import '${specifier}').` });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

function toRepoPath(filename) {
  return relative(import.meta.dirname, filename).split(sep).join('/');
}

function layerProblem(file, engineOfFile, specifier) {
  const isPackage = !specifier.startsWith('.');
  const target = isPackage ? undefined : posix.normalize(posix.join(posix.dirname(file), specifier));
  const targetEngine = target === undefined ? undefined : /^server\/engines\/([^/]+)(?:\/(.*))?$/.exec(target);
  const throughIndex = targetEngine !== null && targetEngine !== undefined && (targetEngine[2] === undefined || targetEngine[2] === 'index');

  if (engineOfFile !== undefined) {
    if (isPackage) return EDITOR_AND_LSP.test(specifier) ? 'An engine imports no vscode or LSP package: it is a plain module the server and the CLI both run' : undefined;
    if (!target.startsWith('server/engines/')) return 'An engine imports nothing outside server/engines (no protocol, runtime, handler or CLI): callers map its results';
    if (targetEngine[1] !== engineOfFile && !throughIndex) return `Another engine is reached only through its index.ts: import 'server/engines/${targetEngine[1]}'`;
    return undefined;
  }
  if (file.startsWith('server/protocol/')) {
    if (isPackage) return EDITOR_AND_LSP.test(specifier) ? 'The protocol needs no vscode or LSP package: its descriptors are plain objects (see descriptors.ts)' : undefined;
    return target.startsWith('server/protocol/') ? undefined : 'The protocol imports nothing outside server/protocol: wire types are declared here and handlers map engine results onto them';
  }
  if (file.startsWith('src/')) {
    if (target?.startsWith('server/') && !(target === 'server/protocol' || target.startsWith('server/protocol/'))) {
      return 'The extension imports from server/ only server/protocol: everything else runs in the server';
    }
    return undefined;
  }
  if (file.startsWith('server/') && targetEngine && !throughIndex) {
    return `An engine is reached only through its index.ts: import 'server/engines/${targetEngine[1]}'`;
  }
  return undefined;
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test/e2e/artifacts/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The extension host and the server talk to people through the log channel and the LSP
    // connection; console output there is lost or, on stdio transports, corrupts the protocol.
    files: ['src/**/*.ts', 'server/**/*.ts'],
    ignores: ['server/cli.ts', 'server/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**/*.ts', 'server/**/*.ts'],
    plugins: { neurolake: { rules: { layers } } },
    rules: { 'neurolake/layers': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
