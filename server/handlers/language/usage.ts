// Counts a pattern's insertion: the completion item's command, which the editor sends back here
// through workspace/executeCommand once the user accepts the item.
import { type Connection } from 'vscode-languageserver/node';
import { RecordPatternInsertedCommand } from '../../protocol';
import { type LanguageDocuments } from './documents';

export function registerUsage(connection: Connection, docs: LanguageDocuments): void {
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command !== RecordPatternInsertedCommand.id) return null;
    const id = args?.[0];
    const catalog = await docs.catalog();
    if (typeof id !== 'string' || catalog === undefined) return null;
    try {
      return await catalog.recordUsage(id, 'inserted');
    } catch (error) {
      connection.console.warn(`Counting the insertion of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  });
}
