// The engines of one data folder and their states. Shared by the language server and the CLI;
// knows nothing of LSP, so both drive the same code. Which engines exist is ./engines.ts.
import { version } from '../../package.json';
import { normaliseSettings, type NeuroLakeSettings } from '../protocol/settings';
import { checkDataFolder } from './dataFolder';
import {
  EngineUnavailableError,
  type Disposable,
  type Engine,
  type EngineContext,
  type EngineName,
  type EngineRegistry,
  type OpenedEngines,
} from './engine';
import { ENGINES, type DefaultEngines } from './engines';
import { defaultOwner, type Location } from './location';

export interface RuntimeOptions<R extends EngineRegistry = DefaultEngines> {
  readonly location: Location;
  /** The server's current settings; default: every setting at its default (the CLI). */
  readonly settings?: NeuroLakeSettings;
  readonly owner?: string;
  /** Keep engines in step with other processes writing the same files (the server: yes). */
  readonly watch?: boolean;
  /** The cloud tier's access key from the extension's SecretStorage; else the AWS default chain. */
  readonly cloudCredentials?: EngineContext['cloudCredentials'];
  /** Open only these engines (a CLI command opens what it uses); default: every registered one. */
  readonly only?: readonly NoInfer<keyof R & EngineName>[];
  /** The engines to open; tests pass their own. Default: ./engines.ts. */
  readonly engines?: R;
  /** Problems worth telling the user that did not stop an engine (a corrupt file kept aside). */
  readonly onWarning?: (message: string) => void;
  readonly onLog?: (message: string) => void;
}

/** One engine's line in the status: `starting` until its open settles. */
export interface EngineReport {
  readonly name: EngineName;
  readonly state: 'starting' | 'ready' | 'degraded' | 'failed';
  readonly detail?: string;
}

export interface RuntimeStatus {
  readonly version: string;
  readonly pid: number;
  readonly dataFolder: string;
  readonly catalogFile: string;
  readonly engines: readonly EngineReport[];
}

/** The event an engine's `onDidChange` passes its listeners. */
export type ChangeEventOf<E> = E extends { onDidChange(listener: (event: infer V) => void): unknown } ? V : never;

interface Slot {
  report: EngineReport;
  engine?: Engine;
  /** Why open failed, kept for callers that map causes to exit codes. */
  error?: unknown;
  readonly disposables: Disposable[];
}

export class Runtime<R extends EngineRegistry = DefaultEngines> {
  private readonly slots = new Map<EngineName, Slot>();
  private readonly statusListeners = new Set<(status: RuntimeStatus) => void>();
  private readonly changeListeners = new Set<(name: EngineName, event: unknown) => void>();
  private closed = false;

  private constructor(readonly location: Location) {}

  get dataFolder(): string {
    return this.location.dataFolder;
  }

  /** Opens every engine at once; one that cannot start is reported failed and leaves the others up. */
  static async open<R extends EngineRegistry = DefaultEngines>(options: RuntimeOptions<R>): Promise<Runtime<R>> {
    const runtime = new Runtime<R>(options.location);
    const registry: EngineRegistry = options.engines ?? ENGINES;
    const names = (Object.keys(registry) as EngineName[]).filter((name) => options.only === undefined || options.only.includes(name));
    let dataFolderCheck: Promise<string | undefined> | undefined;
    const baseContext: Omit<EngineContext, 'track' | 'onPeerChange'> = {
      dataFolder: options.location.dataFolder,
      catalogFile: options.location.catalogFile,
      catalogInDataFolder: options.location.catalogInDataFolder,
      settings: options.settings ?? normaliseSettings(() => undefined).settings,
      owner: options.owner ?? defaultOwner(),
      watch: options.watch ?? false,
      ...(options.cloudCredentials ? { cloudCredentials: options.cloudCredentials } : {}),
      dataFolderProblem: () => (dataFolderCheck ??= checkDataFolder(options.location.dataFolder)),
      warn: (message) => options.onWarning?.(message),
      log: (message) => options.onLog?.(message),
      peer: (name) => (runtime.closed ? undefined : runtime.slots.get(name)?.engine),
    };
    for (const name of names) runtime.slots.set(name, { report: { name, state: 'starting' }, disposables: [] });
    await Promise.all(
      names.map(async (name) => {
        const slot = runtime.slots.get(name)!;
        try {
          const track = (disposable: Disposable): void => {
            slot.disposables.push(disposable);
          };
          const onPeerChange = (listener: (peer: EngineName, event: unknown) => void): Disposable => {
            const others = (changed: EngineName, event: unknown): void => {
              if (changed !== name) listener(changed, event);
            };
            runtime.changeListeners.add(others);
            const subscription = { dispose: () => runtime.changeListeners.delete(others) };
            track(subscription);
            return subscription;
          };
          const engine = await registry[name]!.open({ ...baseContext, track, onPeerChange });
          slot.engine = engine;
          runtime.update(name, { name, ...engine.status() });
          const subscription = engine.onDidChange?.((event) => runtime.engineChanged(name, event));
          if (subscription !== undefined) slot.disposables.push(subscription);
        } catch (error) {
          slot.error = error;
          runtime.update(name, { name, state: 'failed', detail: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
    return runtime;
  }

  status(): RuntimeStatus {
    return {
      version,
      pid: process.pid,
      dataFolder: this.location.dataFolder,
      catalogFile: this.location.catalogFile,
      engines: [...this.slots.values()].map((slot) => slot.report),
    };
  }

  /** Engines that do not work, for the one-line summaries in the status bar and the CLI. */
  failures(): EngineReport[] {
    return [...this.slots.values()].map((slot) => slot.report).filter((report) => report.state === 'failed');
  }

  /** The open engine of that name; throws EngineUnavailableError saying why when it is not running. */
  engine<N extends keyof R & EngineName>(name: N): OpenedEngines<R>[N] {
    const slot = this.slots.get(name);
    if (slot?.engine === undefined || this.closed) {
      const why = slot === undefined ? `The ${name} engine is not open in this process.` : (slot.report.detail ?? `The ${name} engine is not running.`);
      throw new EngineUnavailableError(name, why, { cause: slot?.error });
    }
    return slot.engine as OpenedEngines<R>[N];
  }

  /** Fires whenever an engine's state changes, with the whole status. */
  onDidChangeStatus(listener: (status: RuntimeStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  /** Fires with one engine's own change events (the catalog's changed ids, say), for as long as it is open. */
  onDidChangeEngine<N extends keyof R & EngineName>(name: N, listener: (event: ChangeEventOf<OpenedEngines<R>[N]>) => void): Disposable {
    const filtered = (changed: EngineName, event: unknown): void => {
      if (changed === name) listener(event as ChangeEventOf<OpenedEngines<R>[N]>);
    };
    this.changeListeners.add(filtered);
    return { dispose: () => this.changeListeners.delete(filtered) };
  }

  /** Closes every engine so files are complete (the catalog compacts its journal); one failing to close does not stop the rest. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = [...this.slots.values()];
    const results = await Promise.allSettled(
      slots.map(async (slot) => {
        for (const disposable of slot.disposables.splice(0)) disposable.dispose();
        await slot.engine?.close();
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private engineChanged(name: EngineName, event: unknown): void {
    const engine = this.slots.get(name)?.engine;
    if (engine === undefined) return;
    this.update(name, { name, ...engine.status() });
    for (const listener of this.changeListeners) listener(name, event);
  }

  /** Records a report; listeners hear of it only when something they show changed. */
  private update(name: EngineName, report: EngineReport): void {
    const slot = this.slots.get(name)!;
    const before = slot.report;
    slot.report = report.detail === undefined ? { name, state: report.state } : { name, state: report.state, detail: report.detail };
    if (before.state === slot.report.state && before.detail === slot.report.detail) return;
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }
}
