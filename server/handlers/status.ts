// LSP glue for the status request and the status-changed notification.
import { type Connection } from 'vscode-languageserver/node';
import { DidChangeStatusNotification, StatusRequest, type ServerStatus } from '../protocol';
import { type Session } from '../session';

export function registerStatusHandlers(connection: Connection, session: () => Session): void {
  connection.onRequest(StatusRequest.type, async () => (await session().runtime()).status());
}

export function publishStatus(connection: Connection, status: ServerStatus): void {
  void connection.sendNotification(DidChangeStatusNotification.type, status);
}
