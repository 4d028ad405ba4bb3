// Plain data shapes that cross the client/server boundary and the CLI's --json output.
// No LSP imports here, so engines and the CLI can use these types too.

/** Life of one engine inside the server, as the status bar and `neurolake status` show it. */
export type EngineStateName = 'starting' | 'ready' | 'failed' | 'disabled';

export interface EngineState {
  readonly name: string;
  readonly state: EngineStateName;
  /** Why an engine failed or is disabled, in words a user can act on. */
  readonly detail?: string;
}

/** Answer to the status request: what a user needs to tell whether NeuroLake works. */
export interface ServerStatus {
  readonly version: string;
  /** Process id of the server; lets people (and tests) tell a restarted server apart. */
  readonly pid: number;
  readonly dataFolder: string;
  readonly engines: readonly EngineState[];
}
