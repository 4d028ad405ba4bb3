// The one contract every engine meets so the runtime can open, report and close it, whatever it
// does. Engines stay plain modules: a class with `static open(options)`, `status()`, `close()` and
// `onDidChange(listener)` already satisfies `Engine`; its registration in ./engines.ts turns the
// runtime's context into that class's own options.
import type { NeuroLakeSettings } from '../protocol/settings';
import type { EngineName } from '../protocol/status';

export type { EngineName };

/** What `status()` answers: `degraded` works with a problem worth reading, `failed` does not work. */
export interface EngineStatus {
  readonly state: 'ready' | 'degraded' | 'failed';
  /** In words a user can act on ("The bucket nl-tier is out of reach: …"). */
  readonly detail?: string;
}

export interface Disposable {
  dispose(): void;
}

/** An open engine, as the runtime sees it. */
export interface Engine {
  status(): EngineStatus;
  /** Finishes writes and releases files, locks and connections. */
  close(): Promise<void>;
  /** Fires when the engine's content or state changed; the runtime then reads `status()` again. */
  onDidChange?(listener: (event: unknown) => void): Disposable;
}

/** What the runtime hands every engine's registration when it opens one data folder. */
export interface EngineContext {
  readonly dataFolder: string;
  readonly catalogFile: string;
  /** True when the catalog file is the data folder's own (no setting, flag or variable chose another). */
  readonly catalogInDataFolder: boolean;
  /** The normalised `neurolake.*` settings (the defaults in the CLI); an engine reads its own part. */
  readonly settings: NeuroLakeSettings;
  /** Recorded as the owner of what a user creates without naming one. */
  readonly owner: string;
  /** Keep in step with other processes writing the same files (the server does; a CLI command does not). */
  readonly watch: boolean;
  /** The cloud tier's access key given by the extension (SecretStorage); undefined: the AWS default chain. */
  readonly cloudCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Whether the data folder can be used: undefined when it can, else why not. Checked once per runtime. */
  dataFolderProblem(): Promise<string | undefined>;
  /** Something the user should see now (a damaged file kept aside). */
  warn(message: string): void;
  log(message: string): void;
  /** Disposed just before this engine closes: watchers, timers. */
  track(disposable: Disposable): void;
  /**
   * Another engine of the same runtime, while it is open and running; undefined otherwise. Engines
   * open concurrently, so ask when the engine is needed, not while opening.
   */
  peer(name: EngineName): Engine | undefined;
  /** Fires with another engine's own change events, for as long as this engine is open. */
  onPeerChange(listener: (name: EngineName, event: unknown) => void): Disposable;
}

/** How the runtime opens one engine: usually one line calling the engine's `static open`. */
export interface EngineRegistration<E extends Engine = Engine> {
  open(context: EngineContext): Promise<E>;
}

/** Engine name → registration; the runtime opens them in this order, concurrently. */
export type EngineRegistry = { readonly [N in EngineName]?: EngineRegistration };

/** The engine type each registration opens, by name. */
export type OpenedEngines<R extends EngineRegistry> = {
  readonly [N in keyof R]: R[N] extends EngineRegistration<infer E> ? E : never;
};

/** Thrown when a caller needs an engine that is not running; says why, in the user's words. */
export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: EngineName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineUnavailableError';
  }
}
