// One server's view of the world: the current settings and the runtime of the data folder and
// catalog they name. Moving either opens a new runtime (and closes the old one); handlers always
// ask the session for the current one instead of keeping their own copy.
import type { ComputeChange } from './engines/compute';
import type { PriceOverrides } from './engines/cost';
import type { CostSettings, InitializationOptions, NeuroLakeSettings } from './protocol';
import { defaultDataFolderContext, engineComputeSettings, resolveLocation, Runtime, type Location, type RuntimeStatus } from './runtime';

export interface SessionEvents {
  readonly statusChanged: (status: RuntimeStatus) => void;
  readonly catalogChanged: (ids: readonly string[]) => void;
  readonly computeChanged?: (change: ComputeChange) => void;
  /** The cost figures changed: new prices, or new storage or compute records. */
  readonly costChanged?: (reason: 'prices' | 'records') => void;
  /** Objects changed in this process or another; empty when anything may have. */
  readonly storageChanged?: (keys: readonly string[]) => void;
  readonly log: (message: string) => void;
  /** Something the user should see now, not only in the log. */
  readonly warn: (message: string) => void;
}

export interface SessionOptions extends InitializationOptions {
  /** The cloud access key the extension started this server with (never from a message); else the AWS default chain. */
  readonly cloudCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export class Session {
  private current: Promise<Runtime>;
  private settings: NeuroLakeSettings;
  private readonly workspaceFolder: string | undefined;
  /** The compute settings the engine has, so an unrelated change does not reconfigure it. */
  private appliedCompute: string | undefined;
  private readonly cloudCredentials: SessionOptions['cloudCredentials'];

  constructor(
    options: SessionOptions,
    private readonly events: SessionEvents,
  ) {
    this.settings = options.settings;
    this.workspaceFolder = options.workspaceFolder;
    this.cloudCredentials = options.cloudCredentials;
    this.current = this.open();
  }

  runtime(): Promise<Runtime> {
    return this.current;
  }

  /** The settings in force now; language features read dialect and layout from here on every request. */
  currentSettings(): NeuroLakeSettings {
    return this.settings;
  }

  /**
   * Reopens the runtime only when the data folder or catalog file moves; other settings apply
   * live. An engine whose own settings take effect only when it opens adds them to `reopenKey`.
   */
  updateSettings(settings: NeuroLakeSettings): void {
    const before = this.reopenKey();
    this.settings = settings;
    const after = this.reopenKey();
    if (after !== before) {
      this.events.log(`Data folder or catalog changed (${before} → ${after}).`);
      const previous = this.current;
      this.current = previous.then((runtime) => runtime.close()).then(() => this.open());
    } else {
      void this.current.then((runtime) => this.applyCostSettings(runtime));
      void this.current.then((runtime) => this.applyComputeSettings(runtime));
    }
  }

  async dispose(): Promise<void> {
    await (await this.current).close();
  }

  private reopenKey(): string {
    const location = this.location();
    return `${location.dataFolder}|${location.catalogFile}`;
  }

  /** Resolved as the CLI resolves it, against the workspace folder: the same files for the same choices. */
  private location(): Location {
    return resolveLocation(
      { dataFolder: this.settings.dataFolder, catalogFile: this.settings.catalog.file },
      defaultDataFolderContext(this.workspaceFolder ?? process.cwd()),
    );
  }

  private async open(): Promise<Runtime> {
    // Settings may change while the engines open; the compute engine then catches up below.
    const openedWith = this.settings;
    const runtime = await Runtime.open({
      location: this.location(),
      settings: openedWith,
      watch: true,
      ...(this.cloudCredentials ? { cloudCredentials: this.cloudCredentials } : {}),
      onWarning: (message) => this.events.warn(message),
      onLog: (message) => this.events.log(message),
    });
    for (const failure of runtime.failures()) this.events.log(`Engine ${failure.name} failed: ${failure.detail ?? 'no detail'}`);
    runtime.onDidChangeStatus(this.events.statusChanged);
    runtime.onDidChangeEngine('catalog', (event) => this.events.catalogChanged(event.ids));
    runtime.onDidChangeEngine('compute', (change) => this.events.computeChanged?.(change));
    runtime.onDidChangeEngine('cost', (event) => this.events.costChanged?.(event.reason));
    this.applyCostSettings(runtime);
    this.appliedCompute = JSON.stringify(openedWith.compute);
    void this.applyComputeSettings(runtime);
    runtime.onDidChangeEngine('storage', (event) => this.events.storageChanged?.(event.keys ?? []));
    this.events.statusChanged(runtime.status());
    if (runtime.failures().every((engine) => engine.name !== 'catalog')) this.events.catalogChanged([]);
    return runtime;
  }

  /** Hands changed `neurolake.compute.*` settings to the running compute engine; a refused cluster is shown. */
  private async applyComputeSettings(runtime: Runtime): Promise<void> {
    if (runtime.failures().some((engine) => engine.name === 'compute')) return;
    const wanted = JSON.stringify(this.settings.compute);
    if (wanted === this.appliedCompute) return;
    this.appliedCompute = wanted;
    const { settings, problem } = engineComputeSettings(this.settings.compute);
    if (problem !== undefined) this.events.warn(problem);
    try {
      await runtime.engine('compute').configure(settings);
      this.events.log(`Compute settings applied: ${describeCompute(this.settings.compute)}.`);
    } catch (error) {
      this.events.warn(`The neurolake.compute settings were not applied: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Prices the cost engine by the `neurolake.cost.*` settings. Refused prices (an override that is
   * not a price) are shown, naming the setting, and the engine keeps the prices it had.
   */
  private applyCostSettings(runtime: Runtime): void {
    if (runtime.failures().some((engine) => engine.name === 'cost')) return;
    const { preset, overrides } = costPrices(this.settings.cost);
    // Compute quotes the same preset in Schedule Workload and the task lens, where it has rates for it.
    if (!runtime.failures().some((engine) => engine.name === 'compute')) runtime.engine('compute').usePrices(preset);
    try {
      runtime.engine('cost').usePrices(preset, overrides);
    } catch (error) {
      this.events.warn(`The neurolake.cost settings were not applied: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function describeCompute(settings: NeuroLakeSettings['compute']): string {
  const cluster = settings.slurm.url === '' ? 'no cluster' : `cluster ${settings.slurm.url} (${settings.slurm.apiVersion}${settings.burst ? '' : ', burst off'})`;
  return `CPU limit ${settings.localCpuLimitPct}%, memory limit ${settings.localMemoryLimitPct}%, ${cluster}`;
}

/** The preset and the overrides the cost settings make, the local machine's figures laid over the rest. */
export function costPrices(settings: CostSettings): { preset: string; overrides?: PriceOverrides } {
  const local = {
    ...(settings.hardwareUsd === null ? {} : { machineUsd: settings.hardwareUsd }),
    ...(settings.hardwareLifeMonths === null ? {} : { lifeMonths: settings.hardwareLifeMonths }),
    ...(settings.powerWatts === null ? {} : { powerWatts: settings.powerWatts }),
  };
  const given = settings.overrides as PriceOverrides;
  const hasLocal = Object.keys(local).length > 0;
  if (!hasLocal && Object.keys(given).length === 0) return { preset: settings.preset };
  return { preset: settings.preset, overrides: hasLocal ? { ...given, local: { ...given.local, ...local } } : given };
}
