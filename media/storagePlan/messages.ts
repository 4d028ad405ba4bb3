// The messages between the storage plan view's webview and the extension (postMessage), typed
// once for both sides. The plan and results are the protocol's wire types, as the server sent them.
import type { StorageCost, StorageMoveResult, StoragePlan } from '../../server/protocol';

/** Sent by the extension. */
export type ToPlan =
  | { readonly type: 'plan'; readonly plan: StoragePlan }
  /** After Apply: each move's outcome, and the monthly cost it started from and has now. */
  | { readonly type: 'applied'; readonly results: readonly StorageMoveResult[]; readonly was: StorageCost; readonly now: StorageCost }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'error'; readonly message: string };

/** Sent by the webview script. */
export type FromPlan =
  | { readonly type: 'ready' }
  /** The user pressed Apply; the extension asks for confirmation before anything moves. */
  | { readonly type: 'apply' }
  | { readonly type: 'refresh' };
