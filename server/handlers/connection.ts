// Typed glue between the protocol's message descriptors and the server's LSP connection: every
// custom message is handled and sent through these, so a handler's parameters and result are the
// protocol's types and no method string is written outside server/protocol.
import { type CancellationToken, type Connection, type Disposable, type ResponseError } from 'vscode-languageserver/node';
import { type NotificationDescriptor, type RequestDescriptor } from '../protocol';

export function onRequest<P, R, E>(
  connection: Connection,
  descriptor: RequestDescriptor<P, R, E>,
  handler: (params: P, token: CancellationToken) => R | ResponseError<E> | Promise<R | ResponseError<E>>,
): Disposable {
  // Registered by method string, jsonrpc calls the handler with the token alone when a request
  // has no parameters, and with (params, token) otherwise.
  return connection.onRequest(descriptor.method, (...args: unknown[]) => {
    const token = args[args.length - 1] as CancellationToken;
    return handler((args.length > 1 ? args[0] : undefined) as P, token);
  });
}

export function onNotification<P>(connection: Connection, descriptor: NotificationDescriptor<P>, handler: (params: P) => void): Disposable {
  return connection.onNotification(descriptor.method, (params: P) => handler(params));
}

export function sendNotification<P>(connection: Connection, descriptor: NotificationDescriptor<P>, params: P): Promise<void> {
  return connection.sendNotification(descriptor.method, params);
}
