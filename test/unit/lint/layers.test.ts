// The layer rule of eslint.config.mjs on imports a newcomer might write: each wrong one fails
// `npm run lint` with a message saying what to do, and the right ones pass.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error eslint.config.mjs is plain JavaScript without type declarations.
import { layers } from '../../../eslint.config.mjs';

const linter = new Linter({ configType: 'flat' });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { neurolake: { rules: { layers } } },
    rules: { 'neurolake/layers': 'error' },
  },
] as Linter.Config[];

/** The layer messages for `code` as if it were the file at `path` (relative to the repository). */
function problems(path: string, code: string): string[] {
  return linter.verify(code, config, { filename: resolve(path) }).map((message) => message.message);
}

describe('layer rule', () => {
  const wrong: [string, string, RegExp][] = [
    ['server/engines/catalog/diff.ts', "import { DIAGNOSTIC_SOURCE } from '../../protocol';", /engine imports nothing outside server\/engines/],
    ['server/engines/catalog/record.ts', "import type { Connection } from 'vscode-languageserver';", /engine imports no vscode or LSP package/],
    ['server/engines/storage/tier.ts', "import * as vscode from 'vscode';", /engine imports no vscode or LSP package/],
    ['server/engines/templates/render.ts', "import { CatalogStore } from '../catalog/store';", /reached only through its index\.ts: import 'server\/engines\/catalog'/],
    ['server/engines/catalog/types.ts', "export type { ProgressReporter } from '../common/progress';", /reached only through its index\.ts: import 'server\/engines\/common'/],
    ['server/protocol/status.ts', "import type { RequestType } from 'vscode-jsonrpc';", /protocol needs no vscode or LSP package/],
    ['server/protocol/catalog.ts', "import type { CatalogEntry } from '../engines/catalog';", /protocol imports nothing outside server\/protocol/],
    ['src/api.ts', "import type { Runtime } from '../server/runtime';", /extension imports from server\/ only server\/protocol/],
    ['src/commands/catalog.ts', "import { Catalog } from '../../server/engines/catalog';", /extension imports from server\/ only server\/protocol/],
    ['server/handlers/catalog.ts', "import { CatalogError } from '../engines/catalog/errors';", /reached only through its index\.ts/],
    ['server/cli/status.ts', "import type { CatalogStore } from '../engines/catalog/store';", /reached only through its index\.ts/],
    ['server/runtime/engines.ts', "import { Storage } from '../engines/storage/storage';", /reached only through its index\.ts/],
  ];
  for (const [path, code, message] of wrong) {
    it(`refuses in ${path}: ${code}`, () => {
      const found = problems(path, code);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0]!, message);
    });
  }

  const right: [string, string][] = [
    ['server/engines/catalog/catalog.ts', "import { CatalogStore } from './store';"],
    ['server/engines/catalog/builtins/scd2.ts', "import { type TemplateEntry } from '../types';"],
    ['server/engines/templates/render.ts', "import { SQL_DIALECTS } from '../catalog';"],
    ['server/engines/storage/tier.ts', "import { throwIfCancelled } from '../common/index';"],
    ['server/engines/storage/tier.ts', "import { S3Client } from '@aws-sdk/client-s3';"],
    ['server/protocol/index.ts', "export * from './status';"],
    ['src/ctx.ts', "import { StatusRequest } from '../server/protocol';"],
    ['src/ctx.ts', "import type { LanguageClient } from 'vscode-languageclient/node';"],
    ['server/handlers/catalog.ts', "import { CatalogError } from '../engines/catalog';"],
    ['server/handlers/catalog.ts', "import { ResponseError } from 'vscode-languageserver/node';"],
    ['server/runtime/engine.ts', "import type { EngineName } from '../protocol/status';"],
    ['test/unit/catalog/store.test.ts', "import { CatalogStore } from '../../../server/engines/catalog/store';"],
  ];
  for (const [path, code] of right) {
    it(`accepts in ${path}: ${code}`, () => assert.deepEqual(problems(path, code), []));
  }
});
