// The lifecycle every NeuroLake webview panel shares: the page is drawn once; the script says
// `ready` each time it (re)starts, since a hidden webview is torn down and started again when
// shown; messages from it are handled one by one, and a failure is logged and shown on the page
// rather than lost in a rejected promise; disposing the panel disposes everything it listens to.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { webviewHtml, type WebviewPage } from './webviewHtml';

/** Asks the user before an action runs; tests pass their own answer. */
export type Confirm = (title: string, detail: string) => Promise<boolean>;

export const askUser: Confirm = async (title, detail) => (await vscode.window.showWarningMessage(title, { modal: true, detail }, 'Apply')) === 'Apply';

/** The messages every page sends besides its own. */
interface PageMessage {
  readonly type: string;
}

export abstract class NeuroLakePanel<From extends PageMessage, To extends PageMessage> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the page's script is running and has asked for its figures. */
  protected ready = false;

  protected constructor(
    protected readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    /** Names the panel in the log: "Optimize Placement: …". */
    private readonly logName: string,
    page: WebviewPage,
  ) {
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionContext.extensionUri, page);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: From) => void this.received(message)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  /** Asks the server for fresh figures and draws them; nothing while the page is not running. */
  abstract refresh(): Promise<unknown>;

  /** Handles one of the page's own messages (`ready` is handled here). */
  protected abstract handle(message: From): Promise<void>;

  /** Called after a failed message was reported, so the page can show the current state again. */
  protected afterFailure(message: From): Promise<unknown> {
    return message.type === 'apply' ? this.refresh() : Promise.resolve();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  /** Lets a subclass forget itself as the open panel. */
  protected abstract onDispose(): void;

  protected post(message: To): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  /** The page's words for a failure: every page's script shows `{ type: 'error', message }`. */
  protected postError(error: unknown): Thenable<boolean> {
    return this.panel.webview.postMessage({ type: 'error', message: errorText(error) });
  }

  private async received(message: From): Promise<void> {
    try {
      if (message.type === 'ready') {
        this.ready = true;
        await this.refresh();
      } else {
        await this.handle(message);
      }
    } catch (error) {
      this.ctx.log.error(`${this.logName}: ${errorText(error)}`);
      await this.postError(error);
      await this.afterFailure(message);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
