// Every custom request and notification between the extension and the NeuroLake server.
// Method strings are written here and nowhere else.
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';
import type { NeuroLakeSettings } from './settings';
import type { ServerStatus } from './types';

/** Sent by the extension when the server must prove it is alive and say what state it is in. */
export namespace StatusRequest {
  export const method = 'neurolake/status' as const;
  export const type = new RequestType0<ServerStatus, void>(method);
}

/** Sent by the extension when `neurolake.*` settings change, already normalised. */
export namespace DidChangeSettingsNotification {
  export const method = 'neurolake/didChangeSettings' as const;
  export const type = new NotificationType<NeuroLakeSettings>(method);
}

/** Sent by the server when an engine starts, fails or recovers, so views and status bar follow. */
export namespace DidChangeStatusNotification {
  export const method = 'neurolake/didChangeStatus' as const;
  export const type = new NotificationType<ServerStatus>(method);
}

/** What the extension hands the server at start-up, in `initializationOptions`. */
export interface InitializationOptions {
  readonly settings: NeuroLakeSettings;
  /** Folder a relative `neurolake.dataFolder` is resolved against (the first workspace folder). */
  readonly workspaceFolder?: string;
}
