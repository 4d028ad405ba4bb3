// LSP glue for settings pushed by the extension.
import { type Connection } from 'vscode-languageserver/node';
import { DidChangeSettingsNotification } from '../protocol';
import { type Session } from '../session';
import { onNotification } from './connection';

export function registerSettingsHandlers(connection: Connection, session: () => Session): void {
  onNotification(connection, DidChangeSettingsNotification, (settings) => session().updateSettings(settings));
}
