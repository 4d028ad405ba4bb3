// Starts the bundled server (dist/server.js) as its own process and speaks real LSP to it over
// stdio, as an editor would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  normaliseSettings,
  type InitializationOptions,
  type NeuroLakeSettings,
  type NotificationDescriptor,
  type RequestDescriptor,
} from '../../../server/protocol';

export interface RunningServer {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly initializeResult: InitializeResult;
  /** Everything the server wrote to stderr, for assertion messages. */
  stderr(): string;
  /** Sends one of NeuroLake's own requests, typed by its protocol descriptor. */
  request<P, R, E>(descriptor: RequestDescriptor<P, R, E>, ...params: P extends void ? [] : [P]): Promise<R>;
  notify<P>(descriptor: NotificationDescriptor<P>, params: P): Promise<void>;
  onNotification<P>(descriptor: NotificationDescriptor<P>, handler: (params: P) => void): { dispose(): void };
  /** shutdown + exit, as an editor closes it; resolves to the exit code. */
  stop(): Promise<number | null>;
}

export function settingsWith(dataFolder: string): NeuroLakeSettings {
  return { ...normaliseSettings(() => undefined).settings, dataFolder };
}

/**
 * `env` is added to this process's environment, as a shell that exported it would start the
 * editor; `capabilities` is what the test client claims to support, e.g. server-created progress.
 */
export async function startServer(
  options: InitializationOptions,
  env: Readonly<Record<string, string>> = {},
  capabilities: ClientCapabilities = {},
): Promise<RunningServer> {
  const child = spawn(process.execPath, [resolve('dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities,
    initializationOptions: options,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
    initializeResult,
    stderr: () => stderr,
    request: <P, R, E>(descriptor: RequestDescriptor<P, R, E>, ...params: P extends void ? [] : [P]) =>
      params.length === 0 ? connection.sendRequest<R>(descriptor.method) : connection.sendRequest<R>(descriptor.method, params[0]),
    notify: (descriptor, params) => connection.sendNotification(descriptor.method, params),
    onNotification: (descriptor, handler) => connection.onNotification(descriptor.method, handler),
    async stop() {
      const exited = once(child, 'exit');
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const [code] = (await exited) as [number | null];
      connection.dispose();
      return code;
    },
  };
}

/** Runs `work` against a fresh server and stops it whatever happens, so a failure cannot leak it. */
export async function withServer<T>(
  options: InitializationOptions,
  work: (server: RunningServer) => Promise<T>,
  env: Readonly<Record<string, string>> = {},
): Promise<T> {
  const server = await startServer(options, env);
  try {
    return await work(server);
  } finally {
    if (server.process.exitCode === null) await server.stop().catch(() => server.process.kill('SIGKILL'));
  }
}
