// The engines of one data folder and their states. Shared by the language server and the CLI;
// knows nothing of LSP, so both drive the same code.
import { version } from '../../package.json';
import { Catalog } from '../engines/catalog/catalog';
import type { CatalogEntry } from '../engines/catalog/types';
import type { EngineState, ServerStatus } from '../protocol/types';
import { defaultOwner, resolveCatalogFile } from './catalogLocation';
import { checkDataFolder } from './dataFolder';

export interface RuntimeOptions {
  readonly dataFolder: string;
  /** Raw catalog file setting; empty means the data folder's catalog.json. */
  readonly catalogFile?: string;
  /** What a relative catalog file is relative to (the workspace folder, or the CLI's cwd). */
  readonly base?: string;
  readonly owner?: string;
  readonly builtins?: readonly CatalogEntry[];
  /** Problems worth telling the user that did not stop an engine (a corrupt file kept aside). */
  readonly onWarning?: (message: string) => void;
}

/** Thrown when a caller needs an engine that is not running; says why, in the user's words. */
export class EngineUnavailableError extends Error {}

export class Runtime {
  private readonly engineStates = new Map<string, EngineState>();
  private readonly listeners = new Set<(status: ServerStatus) => void>();
  private catalogEngine: Catalog | undefined;

  private constructor(readonly dataFolder: string) {}

  /** Opens a data folder; an engine that cannot start leaves the runtime up with that engine failed. */
  static async open(options: RuntimeOptions): Promise<Runtime> {
    const runtime = new Runtime(options.dataFolder);
    runtime.setEngineState({ name: 'dataFolder', state: 'starting' });
    const problem = await checkDataFolder(options.dataFolder);
    runtime.setEngineState(
      problem === undefined ? { name: 'dataFolder', state: 'ready' } : { name: 'dataFolder', state: 'failed', detail: problem },
    );
    await runtime.openCatalog(options, problem);
    return runtime;
  }

  status(): ServerStatus {
    return { version, pid: process.pid, dataFolder: this.dataFolder, engines: [...this.engineStates.values()] };
  }

  /** Engines with a problem, for the one-line summaries in the status bar and the CLI. */
  failures(): EngineState[] {
    return [...this.engineStates.values()].filter((engine) => engine.state === 'failed');
  }

  catalog(): Catalog {
    if (this.catalogEngine === undefined) {
      throw new EngineUnavailableError(this.engineStates.get('catalog')?.detail ?? 'The catalog is not open.');
    }
    return this.catalogEngine;
  }

  onDidChangeStatus(listener: (status: ServerStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Closes every engine so files are complete (the catalog compacts its journal). */
  async close(): Promise<void> {
    await this.catalogEngine?.close();
    this.catalogEngine = undefined;
  }

  private async openCatalog(options: RuntimeOptions, dataFolderProblem: string | undefined): Promise<void> {
    const file = resolveCatalogFile(options.catalogFile ?? '', options.dataFolder, options.base ?? process.cwd());
    if (dataFolderProblem !== undefined && (options.catalogFile ?? '').trim() === '') {
      this.setEngineState({ name: 'catalog', state: 'failed', detail: `The catalog lives in the data folder, which cannot be used: ${dataFolderProblem}` });
      return;
    }
    this.setEngineState({ name: 'catalog', state: 'starting' });
    const warnings: string[] = [];
    try {
      this.catalogEngine = await Catalog.open({
        file,
        owner: options.owner ?? defaultOwner(),
        builtins: options.builtins ?? [],
        store: {
          onWarning: (message) => {
            warnings.push(message);
            options.onWarning?.(message);
          },
        },
      });
      this.setEngineState({ name: 'catalog', state: 'ready', ...(warnings.length > 0 ? { detail: warnings.join(' ') } : {}) });
    } catch (error) {
      this.setEngineState({ name: 'catalog', state: 'failed', detail: error instanceof Error ? error.message : String(error) });
    }
  }

  private setEngineState(state: EngineState): void {
    this.engineStates.set(state.name, state);
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
