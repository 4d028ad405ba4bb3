// Whether NeuroLake works: the engines' names and states, the status request and its notification.
// The status bar, "NeuroLake: Show Status" and `neurolake status --json` show these shapes.
import { notification, request } from './descriptors';

/**
 * One name per engine, used alike by its folder (server/engines/<name>), protocol file, handler,
 * CLI command and settings prefix. `dataFolder` is the check that the data folder can be written.
 */
export const ENGINE_NAMES = ['dataFolder', 'catalog', 'templates', 'storage', 'compute', 'cost'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * Life of one engine inside the server. `degraded` works but with a problem worth reading (a
 * corrupt file kept aside, a remote tier out of reach); `failed` does not work at all.
 */
export type EngineStateName = 'starting' | 'ready' | 'degraded' | 'failed' | 'disabled';

export interface EngineState {
  readonly name: EngineName;
  readonly state: EngineStateName;
  /** Why an engine is degraded, failed or disabled, in words a user can act on. */
  readonly detail?: string;
}

/** Answer to the status request: what a user needs to tell whether NeuroLake works. */
export interface ServerStatus {
  readonly version: string;
  /** Process id of the server; lets people (and tests) tell a restarted server apart. */
  readonly pid: number;
  readonly dataFolder: string;
  /** The catalog file in use, so the extension and `neurolake status` can be compared at a glance. */
  readonly catalogFile: string;
  readonly engines: readonly EngineState[];
}

/** Sent by the extension when the server must prove it is alive and say what state it is in. */
export const StatusRequest = request<void, ServerStatus>('neurolake/status');

/** Sent by the server when an engine starts, fails or recovers, so views and status bar follow. */
export const DidChangeStatusNotification = notification<ServerStatus>('neurolake/didChangeStatus');
