// How a custom message is declared: its method string and, as types only, its parameters, result
// and error data. Plain objects, so this module (and the extension's bundle) needs no JSON-RPC
// library at run time; each side sends and handles them through a few typed helpers
// (src/ctx.ts in the extension, server/handlers/connection.ts in the server).

declare const carries: unique symbol;

/** A request: the client (or server) sends `params` and waits for `R`, or a ResponseError carrying `E`. */
export interface RequestDescriptor<P, R, E = void> {
  readonly kind: 'request';
  readonly method: string;
  /** Never set at run time: holds the types the typed helpers read. */
  readonly [carries]?: { readonly params: P; readonly result: R; readonly error: E };
}

/** A notification: sent one way, no answer. */
export interface NotificationDescriptor<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly [carries]?: { readonly params: P };
}

export function request<P, R, E = void>(method: string): RequestDescriptor<P, R, E> {
  return { kind: 'request', method };
}

export function notification<P>(method: string): NotificationDescriptor<P> {
  return { kind: 'notification', method };
}
