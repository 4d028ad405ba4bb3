// What the extension exports from activate(): for other extensions and for integration tests.
import type * as vscode from 'vscode';
import type { CatalogSearchResult, SearchQuery, ServerStatus } from '../server/protocol';

export type ServerState = 'starting' | 'running' | 'stopped';

export interface ActivationTimings {
  /** From the start of activate() until it returned: what the editor waits on. */
  readonly activateMs: number;
  /** From the start of activate() until the server answered initialize; undefined until then. */
  readonly serverReadyMs: number | undefined;
}

export interface NeuroLakeApi {
  readonly state: ServerState;
  readonly onDidChangeState: vscode.Event<ServerState>;
  /** Resolves once the server is running; rejects when it could not be started. */
  ready(): Promise<void>;
  status(): Promise<ServerStatus>;
  /** Fires when the server reports a new status (an engine started, failed, recovered, or its cloud tier connected). */
  readonly onDidChangeStatus: vscode.Event<ServerStatus>;
  /** Ranked catalog search, as the Search Catalog picker runs it. */
  searchCatalog(query: SearchQuery): Promise<CatalogSearchResult>;
  /** Fires with the changed entry ids (empty: everything) whenever the catalog changes. */
  readonly onDidChangeCatalog: vscode.Event<readonly string[]>;
  /** What the Workloads view shows: each run's row under its group (Queued, Running, Finished). */
  workloadRows(): Promise<WorkloadRow[]>;
  /** Fires with a run's id (undefined: the engine's state) whenever a workload changed, in any process. */
  readonly onDidChangeWorkloads: vscode.Event<string | undefined>;
  /** Fires with the changed object keys (empty: anything, or a tier's state) whenever storage changes, in any process. */
  readonly onDidChangeStorage: vscode.Event<readonly string[]>;
  timings(): ActivationTimings;
}

export interface WorkloadRow {
  readonly group: string;
  readonly runId: string;
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
}
