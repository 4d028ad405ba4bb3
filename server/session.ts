// One server's view of the world: the current settings and the runtime of the data folder they
// name. Swapping the data folder opens a new runtime; handlers always ask the session for the
// current one instead of keeping their own copy.
import { defaultDataFolderContext, resolveDataFolder } from './runtime/dataFolder';
import { Runtime } from './runtime/runtime';
import type { InitializationOptions, NeuroLakeSettings, ServerStatus } from './protocol';

export interface SessionEvents {
  readonly statusChanged: (status: ServerStatus) => void;
  readonly log: (message: string) => void;
}

export class Session {
  private current: Promise<Runtime>;
  private settings: NeuroLakeSettings;
  private readonly workspaceFolder: string | undefined;

  constructor(
    options: InitializationOptions,
    private readonly events: SessionEvents,
  ) {
    this.settings = options.settings;
    this.workspaceFolder = options.workspaceFolder;
    this.current = this.open();
  }

  runtime(): Promise<Runtime> {
    return this.current;
  }

  /** Reopens the runtime only when the data folder actually moves; other settings apply live. */
  updateSettings(settings: NeuroLakeSettings): void {
    const before = this.dataFolder();
    this.settings = settings;
    if (this.dataFolder() !== before) {
      this.events.log(`Data folder changed from ${before} to ${this.dataFolder()}.`);
      this.current = this.open();
    }
  }

  private dataFolder(): string {
    return resolveDataFolder(this.settings.dataFolder, defaultDataFolderContext(this.workspaceFolder ?? process.cwd()));
  }

  private async open(): Promise<Runtime> {
    const runtime = await Runtime.open(this.dataFolder());
    for (const failure of runtime.failures()) this.events.log(`Engine ${failure.name} failed: ${failure.detail ?? 'no detail'}`);
    runtime.onDidChangeStatus(this.events.statusChanged);
    this.events.statusChanged(runtime.status());
    return runtime;
  }
}
