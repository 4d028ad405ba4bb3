// LSP glue for the status request and the status-changed notification.
import { type Connection } from 'vscode-languageserver/node';
import { DidChangeStatusNotification, StatusRequest, type ServerStatus } from '../protocol';
import { type RuntimeStatus } from '../runtime';
import { type Session } from '../session';
import { onRequest, sendNotification } from './connection';

export function registerStatusHandlers(connection: Connection, session: () => Session): void {
  onRequest(connection, StatusRequest, async () => toWireStatus((await session().runtime()).status()));
}

export function publishStatus(connection: Connection, status: RuntimeStatus): void {
  void sendNotification(connection, DidChangeStatusNotification, toWireStatus(status));
}

/** The runtime's report in the protocol's shape; a field renamed in the runtime fails to compile here. */
export function toWireStatus(status: RuntimeStatus): ServerStatus {
  return {
    version: status.version,
    pid: status.pid,
    dataFolder: status.dataFolder,
    catalogFile: status.catalogFile,
    engines: status.engines.map((engine) => ({ name: engine.name, state: engine.state, ...(engine.detail === undefined ? {} : { detail: engine.detail }) })),
  };
}
