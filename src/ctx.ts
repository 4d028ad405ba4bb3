// The extension's shared context: the log channel, the language client and its state.
// Commands and views get a Ctx and ask it for the server; they never hold the client themselves.
// Custom messages go through the typed helpers here, by the protocol's descriptors.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { LanguageClient, LanguageClientOptions, NodeModule, State } from 'vscode-languageclient/node';
import type * as ClientModule from './client/languageClient';
import {
  ComputeTokenRefusedNotification,
  DidChangeCatalogNotification,
  DidChangeComputeNotification,
  DidChangeCostNotification,
  DidChangeSettingsNotification,
  DidChangeStatusNotification,
  DidChangeStorageNotification,
  SLURM_TOKEN_ENV,
  StatusRequest,
  type InitializationOptions,
  type NotificationDescriptor,
  type ProgressToken,
  type RequestDescriptor,
  type ServerStatus,
  type WorkDoneProgressValue,
} from '../server/protocol';
import { newSessionKey, sealSecret, type SealedSecret } from '../server/protocol/secrets';
import type { ServerState } from './api';
import { readCloudCredentials, serverEnvironment } from './cloudCredentials';
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
  private readonly storageEmitter = new vscode.EventEmitter<readonly string[]>();
  private readonly crashPolicy = new CrashPolicy(() => readSettings().settings.server.maxRestarts);
  private readonly disposables: vscode.Disposable[] = [];
  private library: ClientLibrary | undefined;
  /** Seals secrets sent to this window's server; handed to it in its environment, never on the wire. */
  private readonly sessionKey = newSessionKey();
  private serverModules: { readonly run: NodeModule; readonly debug: NodeModule } | undefined;
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
  /** Fires with the changed object keys (empty: anything, or a tier's state) when storage changed, in any process. */
  readonly onDidChangeStorage = this.storageEmitter.event;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('NeuroLake', { log: true });
    this.disposables.push(
      this.log,
      this.stateEmitter,
      this.statusEmitter,
      this.catalogEmitter,
      this.computeEmitter,
      this.costEmitter,
      this.storageEmitter,
      this.tokenRefusedEmitter,
      // The Slurm token reaches the server in its environment (never in a message, which LSP
      // tracing would print): a new one, from this window or another, means a restart.
      extensionContext.secrets.onDidChange((event) => {
        if (event.key === SLURM_TOKEN_SECRET) void this.slurmTokenChanged();
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
    // A restart spawns a new process: with the access key stored now, not the one at first start.
    await this.refreshServerEnvironment();
    await client.restart();
  }

  /** The stored cloud access key changed: the server reads keys from its environment, so it restarts. */
  async cloudCredentialsChanged(): Promise<void> {
    if (this.client === undefined) return;
    await this.restart();
  }

  /** `value` sealed for this window's server (see server/protocol/secrets.ts). */
  seal(value: string): SealedSecret {
    return sealSecret(value, this.sessionKey);
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
    const env = await this.serverEnvironment();
    // Kept, so a restart can give the next process a new environment (the client reads these on every start).
    const serverOptions = (this.serverModules = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'], env } },
    });
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
      onNotification(client, DidChangeStorageNotification, ({ keys }) => this.storageEmitter.fire(keys)),
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

  private async serverEnvironment(): Promise<Record<string, string>> {
    let credentials;
    try {
      credentials = await readCloudCredentials(this.extensionContext.secrets);
    } catch (error) {
      // A locked or unavailable keychain: the server still starts, on the AWS default chain.
      this.log.warn(`Could not read the cloud access key from the secret storage: ${error instanceof Error ? error.message : String(error)}`);
    }
    const slurmToken = await Promise.resolve(this.extensionContext.secrets.get(SLURM_TOKEN_SECRET)).catch((error: unknown) => {
      this.log.warn(`Could not read the Slurm token from the secret storage: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return { ...serverEnvironment(this.sessionKey, credentials), [SLURM_TOKEN_ENV]: slurmToken ?? '' };
  }

  private async slurmTokenChanged(): Promise<void> {
    if (this.client === undefined) return;
    this.log.info('The Slurm token changed; restarting the server so it uses the new one.');
    try {
      await this.restart();
    } catch (error) {
      this.log.error(`Restarting the server for the new Slurm token failed: ${String(error)}`);
    }
  }

  private async refreshServerEnvironment(): Promise<void> {
    if (this.serverModules === undefined) return;
    const env = await this.serverEnvironment();
    for (const module of [this.serverModules.run, this.serverModules.debug]) module.options = { ...module.options, env };
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
