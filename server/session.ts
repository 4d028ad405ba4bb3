// One server's view of the world: the current settings and the runtime of the data folder and
// catalog they name. Moving either opens a new runtime (and closes the old one); handlers always
// ask the session for the current one instead of keeping their own copy.
import type { InitializationOptions, NeuroLakeSettings } from './protocol';
import { defaultDataFolderContext, resolveLocation, Runtime, type Location, type RuntimeStatus } from './runtime';

export interface SessionEvents {
  readonly statusChanged: (status: RuntimeStatus) => void;
  readonly catalogChanged: (ids: readonly string[]) => void;
  /** Objects changed in this process or another; empty when anything may have. */
  readonly storageChanged?: (keys: readonly string[]) => void;
  readonly log: (message: string) => void;
  /** Something the user should see now, not only in the log. */
  readonly warn: (message: string) => void;
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

  /** The settings in force now; language features read dialect and layout from here on every request. */
  currentSettings(): NeuroLakeSettings {
    return this.settings;
  }

  /** Reopens the runtime only when the data folder or catalog file moves; other settings apply live. */
  updateSettings(settings: NeuroLakeSettings): void {
    const before = key(this.location());
    this.settings = settings;
    const after = key(this.location());
    if (after !== before) {
      this.events.log(`Data folder or catalog changed (${before} → ${after}).`);
      const previous = this.current;
      this.current = previous.then((runtime) => runtime.close()).then(() => this.open());
    }
  }

  async dispose(): Promise<void> {
    await (await this.current).close();
  }

  /** Resolved as the CLI resolves it, against the workspace folder: the same files for the same choices. */
  private location(): Location {
    return resolveLocation(
      { dataFolder: this.settings.dataFolder, catalogFile: this.settings.catalog.file },
      defaultDataFolderContext(this.workspaceFolder ?? process.cwd()),
    );
  }

  private async open(): Promise<Runtime> {
    const runtime = await Runtime.open({
      location: this.location(),
      watch: true,
      onWarning: (message) => this.events.warn(message),
      onLog: (message) => this.events.log(message),
    });
    for (const failure of runtime.failures()) this.events.log(`Engine ${failure.name} failed: ${failure.detail ?? 'no detail'}`);
    runtime.onDidChangeStatus(this.events.statusChanged);
    runtime.onDidChangeEngine('catalog', (event) => this.events.catalogChanged(event.ids));
    runtime.onDidChangeEngine('storage', (event) => this.events.storageChanged?.(event.keys ?? []));
    this.events.statusChanged(runtime.status());
    if (runtime.failures().every((engine) => engine.name !== 'catalog')) this.events.catalogChanged([]);
    return runtime;
  }
}

function key(location: Location): string {
  return `${location.dataFolder}|${location.catalogFile}`;
}
