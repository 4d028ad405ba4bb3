// Template commands of the editor: Insert Pattern… (pick a SQL pattern, answer its variables,
// get formatted SQL at the cursor) and Render Template to New Editor.
import * as vscode from 'vscode';
import { InsertPatternCommand, type SqlDialect, type VariableValue } from '../../server/protocol';
import { entryFromArgument, searchCatalog } from './catalogPick';
import { type CommandFactories } from './registry';

interface PatternOptions {
  readonly values?: Record<string, VariableValue>;
  readonly dialect?: SqlDialect;
}

export const templateCommands: CommandFactories = {
  /**
   * Also run by the server's "Insert Pattern…" code action, with `(uri, position)`: the pattern
   * then goes where the user is, which is that editor's cursor.
   */
  [InsertPatternCommand.id]:
    ({ ctx }) =>
    async (arg?: unknown, maybeOptions?: unknown) => {
      // The code action passes (uri, { line, character }); anything else is an entry and options.
      const fromCodeAction = isPosition(maybeOptions);
      const options = fromCodeAction ? undefined : (maybeOptions as PatternOptions | undefined);
      const entry =
        (fromCodeAction ? undefined : entryFromArgument(arg)) ??
        (await searchCatalog(ctx, { title: 'Insert Pattern', kind: 'template', placeholder: 'Pattern name or tag, e.g. scd2, dedup, merge, quality' }));
      if (entry === undefined) return undefined;
      return vscode.commands.executeCommand('neurolake.catalog.insert', entry, options);
    },

  'neurolake.template.renderToEditor':
    ({ ctx }) =>
    async (arg?: unknown, options?: PatternOptions) => {
      const entry = entryFromArgument(arg) ?? (await searchCatalog(ctx, { title: 'Render Template to New Editor', kind: 'template' }));
      if (entry === undefined) return undefined;
      const document = await vscode.workspace.openTextDocument({ language: 'sql', content: '' });
      await vscode.window.showTextDocument(document);
      const sql = await vscode.commands.executeCommand<string | undefined>('neurolake.catalog.insert', entry, options);
      return sql === undefined ? undefined : document;
    },
};

function isPosition(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { line?: unknown }).line === 'number' && typeof (value as { character?: unknown }).character === 'number';
}
