// The messages between the cost dashboard's webview and the extension (postMessage), typed once
// for both sides. Figures are the protocol's wire types, passed through as the server sent them.
import type { CostCompareParams, CostComparison, CostDashboard } from '../../server/protocol/cost';

/** Sent by the extension. */
export type ToDashboard =
  | { readonly type: 'data'; readonly dashboard: CostDashboard }
  | { readonly type: 'comparison'; readonly comparison: CostComparison }
  | { readonly type: 'applied'; readonly id: string; readonly done: string }
  | { readonly type: 'busy'; readonly id: string | undefined }
  | { readonly type: 'error'; readonly message: string };

/** Sent by the webview script. */
export type FromDashboard =
  | { readonly type: 'ready' }
  /** The user pressed Apply; the extension asks for confirmation before anything runs. */
  | { readonly type: 'apply'; readonly id: string }
  | { readonly type: 'compare'; readonly params: CostCompareParams }
  | { readonly type: 'export' }
  | { readonly type: 'refresh' }
  /** After each render: what is on screen, so tests can check what a user sees. */
  | { readonly type: 'rendered'; readonly summary: RenderedSummary };

export interface RenderedSummary {
  readonly charts: readonly string[];
  readonly tables: readonly string[];
  readonly recommendations: readonly string[];
  readonly totalUsd: number;
  readonly pricesName: string;
}
