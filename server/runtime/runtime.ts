// The engines of one data folder and their states. Shared by the language server and the CLI;
// knows nothing of LSP, so both drive the same code.
import { version } from '../../package.json';
import type { EngineState, ServerStatus } from '../protocol/types';
import { checkDataFolder } from './dataFolder';

export class Runtime {
  private readonly engineStates = new Map<string, EngineState>();
  private readonly listeners = new Set<(status: ServerStatus) => void>();

  private constructor(readonly dataFolder: string) {}

  /** Opens a data folder; a folder that cannot be used leaves the runtime up with a failed engine. */
  static async open(dataFolder: string): Promise<Runtime> {
    const runtime = new Runtime(dataFolder);
    runtime.setEngineState({ name: 'dataFolder', state: 'starting' });
    const problem = await checkDataFolder(dataFolder);
    runtime.setEngineState(
      problem === undefined ? { name: 'dataFolder', state: 'ready' } : { name: 'dataFolder', state: 'failed', detail: problem },
    );
    return runtime;
  }

  status(): ServerStatus {
    return { version, pid: process.pid, dataFolder: this.dataFolder, engines: [...this.engineStates.values()] };
  }

  /** Engines with a problem, for the one-line summaries in the status bar and the CLI. */
  failures(): EngineState[] {
    return [...this.engineStates.values()].filter((engine) => engine.state === 'failed');
  }

  onDidChangeStatus(listener: (status: ServerStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setEngineState(state: EngineState): void {
    this.engineStates.set(state.name, state);
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
