// One server's view of the world: the current settings and the runtime of the data folder and
// catalog they name. Moving either opens a new runtime (and closes the old one); handlers always
// ask the session for the current one instead of keeping their own copy.
import { BUILTIN_TEMPLATES } from './engines/catalog/builtins';
import { defaultDataFolderContext, resolveDataFolder } from './runtime/dataFolder';
import { Runtime } from './runtime/runtime';
import type { InitializationOptions, NeuroLakeSettings, ServerStatus } from './protocol';

export interface SessionEvents {
  readonly statusChanged: (status: ServerStatus) => void;
  readonly catalogChanged: (ids: readonly string[]) => void;
  readonly log: (message: string) => void;
  /** Something the user should see now, not only in the log. */
  readonly warn: (message: string) => void;
}

export class Session {
  private current: Promise<Runtime>;
  private settings: NeuroLakeSettings;
  private readonly workspaceFolder: string | undefined;
  private watcher: { dispose(): void } | undefined;

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
    const before = this.location();
    this.settings = settings;
    const after = this.location();
    if (after !== before) {
      this.events.log(`Data folder or catalog changed (${before} → ${after}).`);
      const previous = this.current;
      this.current = previous.then((runtime) => this.closeRuntime(runtime)).then(() => this.open());
    }
  }

  async dispose(): Promise<void> {
    await this.closeRuntime(await this.current);
  }

  private location(): string {
    return `${this.dataFolder()}|${this.settings.catalog.file}`;
  }

  private dataFolder(): string {
    return resolveDataFolder(this.settings.dataFolder, defaultDataFolderContext(this.base()));
  }

  private base(): string {
    return this.workspaceFolder ?? process.cwd();
  }

  private async open(): Promise<Runtime> {
    const runtime = await Runtime.open({
      dataFolder: this.dataFolder(),
      catalogFile: this.settings.catalog.file,
      base: this.base(),
      builtins: BUILTIN_TEMPLATES,
      onWarning: (message) => this.events.warn(message),
    });
    for (const failure of runtime.failures()) this.events.log(`Engine ${failure.name} failed: ${failure.detail ?? 'no detail'}`);
    runtime.onDidChangeStatus(this.events.statusChanged);
    this.events.statusChanged(runtime.status());
    if (runtime.failures().every((engine) => engine.name !== 'catalog')) {
      const catalog = runtime.catalog();
      catalog.onDidChange((event) => this.events.catalogChanged(event.ids));
      // Other windows and the CLI write the same file; their changes reach this window's views.
      this.watcher = catalog.watchForExternalChanges((error) => this.events.log(`Watching the catalog failed: ${String(error)}`));
      this.events.catalogChanged([]);
    }
    return runtime;
  }

  private async closeRuntime(runtime: Runtime): Promise<void> {
    this.watcher?.dispose();
    this.watcher = undefined;
    await runtime.close();
  }
}
