// Progress and cancellation of long requests (imports, exports, uploads, moves, restores, jobs).
// A long request's params may name a `workDoneToken`: the server then sends LSP work-done
// progress (`$/progress` begin, report, end) on it. Without one, the server asks the client to
// create a token (`window/workDoneProgress/create`) when the client supports that. Cancelling
// the request (`$/cancelRequest`) or that progress stops the work; the request then fails with
// REQUEST_CANCELLED, and the engine has changed nothing.

export type ProgressToken = number | string;

/** Mixed into the params of every request whose work can take long. */
export interface WorkDoneParams {
  readonly workDoneToken?: ProgressToken;
}

/** What a client receives on its token: LSP's work-done progress values, as plain shapes. */
export type WorkDoneProgressValue =
  | { readonly kind: 'begin'; readonly title: string; readonly cancellable?: boolean; readonly message?: string; readonly percentage?: number }
  | { readonly kind: 'report'; readonly cancellable?: boolean; readonly message?: string; readonly percentage?: number }
  | { readonly kind: 'end'; readonly message?: string };

/** The error code of a request that was cancelled before it changed anything (LSP's RequestCancelled). */
export const REQUEST_CANCELLED = -32800;
