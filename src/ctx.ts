// The extension's shared context: the log channel, the language client and its state.
// Commands and views get a Ctx and ask it for the server; they never hold the client themselves.
// Custom messages go through the typed helpers here, by the protocol's descriptors.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';
import type * as ClientModule from './client/languageClient';
import {
  ComputeTokenRefusedNotification,
  DidChangeCatalogNotification,
  DidChangeComputeNotification,
  DidChangeCostNotification,
  DidChangeSettingsNotification,
  DidChangeStatusNotification,
  SLURM_TOKEN_ENV,
  StatusRequest,
  type InitializationOptions,
  type NotificationDescriptor,
  type ProgressToken,
  type RequestDescriptor,
  type ServerStatus,
  type WorkDoneProgressValue,
} from '../server/protocol';
import type { ServerState } from './api';
import { affectsNeuroLake, readSettings, workspaceFolderPath } from './config';
import { CrashPolicy, type CrashDecision } from './crashPolicy';

type ClientLibrary = typeof ClientModule;

/** dist/client.js, next to dist/extension.js; a runtime path so esbuild leaves it a separate file. */
function loadClientLibrary(): ClientLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, 'client.js')) as ClientLibrary;
}

const CLIENT_ID = 'neurolake';

/** Where SecretStorage keeps the Slurm JWT. */
export const SLURM_TOKEN_SECRET = 'neurolake.compute.slurm.token';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private currentState: ServerState = 'stopped';
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  private readonly catalogEmitter = new vscode.EventEmitter<readonly string[]>();
  private readonly costEmitter = new vscode.EventEmitter<'prices' | 'records'>();
  private readonly crashPolicy = new CrashPolicy(() => readSettings().settings.server.maxRestarts);
  private readonly disposables: vscode.Disposable[] = [];
  private library: ClientLibrary | undefined;
  /**
   * Secrets the server reads from its environment (the Slurm token), set when it starts and never
   * sent in a message, which LSP tracing would print. The language client reads this object at
   * every start, so a changed secret takes effect with a restart.
   */
  private readonly serverEnvironment: Record<string, string> = {};
  private readonly tokenRefusedEmitter = new vscode.EventEmitter<string>();
  /** Fires with the cluster's words when it refused the Slurm token. */
  readonly onDidRefuseSlurmToken = this.tokenRefusedEmitter.event;

  /** Fires on every server state change; the status bar and tests wait on it. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires when the server reports a new status (an engine started, failed or recovered). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires with the changed entry ids (empty: everything) when the catalog changed, here or in another window. */
  readonly onDidChangeCatalog = this.catalogEmitter.event;
  private readonly computeEmitter = new vscode.EventEmitter<string | undefined>();
  /** Fires with the changed run's id (undefined: the engine's state) when a workload changed, in any process. */
  readonly onDidChangeCompute = this.computeEmitter.event;
  /** Fires when the cost figures changed: new prices, or new storage or compute records. */
  readonly onDidChangeCost = this.costEmitter.event;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('NeuroLake', { log: true });
    this.disposables.push(
      this.log,
      this.stateEmitter,
      this.statusEmitter,
      this.catalogEmitter,
      this.computeEmitter,
      this.costEmitter,
      this.tokenRefusedEmitter,
      extensionContext.secrets.onDidChange((event) => {
        if (event.key === SLURM_TOKEN_SECRET) void this.restartForSecrets();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsNeuroLake(event)) this.pushSettings();
      }),
    );
  }

  get state(): ServerState {
    return this.currentState;
  }

  /** Starts the server once; concurrent callers share the same start. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.createAndStart().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async restart(): Promise<void> {
    this.crashPolicy.reset();
    const client = await this.start();
    await client.restart();
  }

  /** The running client; waits for start-up, and says plainly when the server is down. */
  async runningClient(): Promise<LanguageClient> {
    const client = await this.start();
    if (client.state !== this.library?.State.Running) {
      throw new Error('The NeuroLake server is not running. Run "NeuroLake: Restart Server" or see the NeuroLake log.');
    }
    return client;
  }

  status(): Promise<ServerStatus> {
    return this.request(StatusRequest, undefined);
  }

  /** Sends a protocol request once the server runs; its error message is the engine's own words. */
  async request<P, R, E>(descriptor: RequestDescriptor<P, R, E>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.runningClient();
    // A request without parameters sends none (not `null`).
    if (params === undefined) return token === undefined ? client.sendRequest<R>(descriptor.method) : client.sendRequest<R>(descriptor.method, token);
    return client.sendRequest<R>(descriptor.method, params, token);
  }

  /** Delivers the server's progress on a work-done token this window made up (see progress.ts). */
  async onWorkDoneProgress(token: ProgressToken, handler: (value: WorkDoneProgressValue) => void): Promise<vscode.Disposable> {
    const client = await this.runningClient();
    return client.onProgress(this.library!.WorkDoneProgress.type, token, handler);
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && client.needsStop()) await client.stop();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async createAndStart(): Promise<LanguageClient> {
    // Loading the client library takes tens of milliseconds; yield first so that happens after
    // activate() has returned and the editor has moved on, not inside it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const library = (this.library ??= loadClientLibrary());
    const { LanguageClient, TransportKind, BoundedRestartErrorHandler } = library;
    const { settings, problems } = readSettings();
    for (const problem of problems) {
      this.log.warn(problem.message);
      void vscode.window.showWarningMessage(`NeuroLake: ${problem.message}`);
    }
    const serverModule = this.extensionContext.asAbsolutePath('dist/server.js');
    await this.readServerSecrets();
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env: this.serverEnvironment } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'], env: this.serverEnvironment } },
    };
    const initializationOptions: InitializationOptions = { settings, workspaceFolder: workspaceFolderPath() };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'sql' },
        { scheme: 'untitled', language: 'sql' },
        // SQL templates only: other Handlebars files (HTML templates) must not get SQL formatting.
        { scheme: 'file', language: 'sql-template' },
        { scheme: 'untitled', language: 'sql-template' },
        { scheme: 'file', pattern: '**/*.sql.hbs' },
      ],
      initializationOptions,
      outputChannel: this.log,
      errorHandler: new BoundedRestartErrorHandler(this.crashPolicy, (decision) => this.reportCrash(decision)),
    };
    const client = new LanguageClient(CLIENT_ID, 'NeuroLake', serverOptions, clientOptions);
    this.client = client;
    this.disposables.push(
      client.onDidChangeState(({ newState }) => this.setState(toServerState(library.State, newState))),
      onNotification(client, DidChangeStatusNotification, (status) => this.statusEmitter.fire(status)),
      onNotification(client, DidChangeCatalogNotification, ({ ids }) => this.catalogEmitter.fire(ids)),
      onNotification(client, DidChangeComputeNotification, ({ runId }) => this.computeEmitter.fire(runId)),
      onNotification(client, DidChangeCostNotification, ({ reason }) => this.costEmitter.fire(reason)),
      onNotification(client, ComputeTokenRefusedNotification, ({ message }) => this.tokenRefusedEmitter.fire(message)),
    );
    this.setState('starting');
    try {
      await client.start();
    } catch (error) {
      this.setState('stopped');
      throw new Error(`The NeuroLake server did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return client;
  }

  /** The secrets as SecretStorage holds them now, into the environment the next server start gets. */
  private async readServerSecrets(): Promise<void> {
    const token = await this.extensionContext.secrets.get(SLURM_TOKEN_SECRET);
    if (token === undefined || token === '') delete this.serverEnvironment[SLURM_TOKEN_ENV];
    else this.serverEnvironment[SLURM_TOKEN_ENV] = token;
  }

  /** A new Slurm token (from this window or another): the server restarts with it. */
  private async restartForSecrets(): Promise<void> {
    await this.readServerSecrets();
    if (this.client === undefined) return;
    this.log.info('The Slurm token changed; restarting the server so it uses the new one.');
    try {
      await this.client.restart();
    } catch (error) {
      this.log.error(`Restarting the server for the new Slurm token failed: ${String(error)}`);
    }
  }

  private pushSettings(): void {
    const { settings, problems } = readSettings();
    for (const problem of problems) void vscode.window.showWarningMessage(`NeuroLake: ${problem.message}`);
    if (this.client !== undefined && this.client.state === this.library?.State.Running) {
      sendNotification(this.client, DidChangeSettingsNotification, settings).catch((error: unknown) => {
        this.log.error(`Could not send new settings to the server: ${String(error)}`);
      });
    }
  }

  private reportCrash(decision: CrashDecision): void {
    const message = decision.restart
      ? `The NeuroLake server stopped unexpectedly and was restarted (${decision.crashes} of ${decision.limit} restarts allowed in 3 minutes).`
      : `The NeuroLake server stopped unexpectedly ${decision.crashes} times in 3 minutes and will not be restarted. Check the log, then run "NeuroLake: Restart Server".`;
    this.log.error(message);
    void this.offerLog(decision.restart ? 'warning' : 'error', message);
  }

  /** Shows a message with a "Show Log" action, so the details are one click away. */
  async offerLog(severity: 'warning' | 'error', message: string): Promise<void> {
    const show = severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const choice = await show(message, 'Show Log');
    if (choice === 'Show Log') this.log.show();
  }

  private setState(state: ServerState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.log.info(`Server ${state}.`);
    this.stateEmitter.fire(state);
  }
}

function onNotification<P>(client: LanguageClient, descriptor: NotificationDescriptor<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(descriptor.method, handler);
}

function sendNotification<P>(client: LanguageClient, descriptor: NotificationDescriptor<P>, params: P): Promise<void> {
  return client.sendNotification(descriptor.method, params);
}

function toServerState(states: typeof State, state: State): ServerState {
  switch (state) {
    case states.Running:
      return 'running';
    case states.Starting:
      return 'starting';
    default:
      return 'stopped';
  }
}
