// LSP glue for settings pushed by the extension.
import { type Connection } from 'vscode-languageserver/node';
import { DidChangeSettingsNotification } from '../protocol';
import { type Session } from '../session';

export function registerSettingsHandlers(connection: Connection, session: () => Session): void {
  connection.onNotification(DidChangeSettingsNotification.type, (settings) => session().updateSettings(settings));
}
