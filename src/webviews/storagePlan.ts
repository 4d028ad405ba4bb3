// Optimize Placement's plan view: one webview panel showing the server's plan (each move, its
// bytes, from and to, and why; the monthly cost per tier before and after), and Apply, which
// asks first, runs the moves with progress and Cancel, then shows each move's outcome and the new
// figures. The script and styles are media/storagePlan*, bundled into dist/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { StorageApplyRequest, StoragePlanRequest, type StoragePlan } from '../../server/protocol';
import type { FromPlan, ToPlan } from '../../media/storagePlan/messages';
import { savingText } from '../../media/storagePlan/model';
import { formatBytes } from '../commands/storeProgress';
import { type Ctx } from '../ctx';
import { requestWithProgress } from '../progress';

export const STORAGE_PLAN_VIEW_TYPE = 'neurolake.storagePlan';

/** Asks the user before the moves run; tests pass their own answer. */
export type Confirm = (title: string, detail: string) => Promise<boolean>;

const askUser: Confirm = async (title, detail) => (await vscode.window.showWarningMessage(title, { modal: true, detail }, 'Apply')) === 'Apply';

export class StoragePlanPanel implements vscode.Disposable {
  private static current: StoragePlanPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private plan: StoragePlan | undefined;
  private ready = false;

  /** Shows the plan view, reusing the open one (with a fresh plan). */
  static show(ctx: Ctx): StoragePlanPanel {
    if (StoragePlanPanel.current !== undefined) {
      StoragePlanPanel.current.panel.reveal();
      void StoragePlanPanel.current.refresh();
      return StoragePlanPanel.current;
    }
    const extensionUri = ctx.extensionContext.extensionUri;
    const panel = vscode.window.createWebviewPanel(STORAGE_PLAN_VIEW_TYPE, 'Optimize Placement', vscode.ViewColumn.Active, {
      enableScripts: true,
      // The page loads only the bundled script and the styles; nothing from a network.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'neurolake.svg');
    StoragePlanPanel.current = new StoragePlanPanel(ctx, panel);
    return StoragePlanPanel.current;
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    private readonly confirm: Confirm = askUser,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromPlan) => void this.received(message)),
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down; its script says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  /** Asks for a new plan and draws it. */
  async refresh(): Promise<StoragePlan | undefined> {
    if (!this.ready) return undefined;
    try {
      this.plan = await this.ctx.request(StoragePlanRequest, {});
      await this.post({ type: 'plan', plan: this.plan });
      return this.plan;
    } catch (error) {
      await this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  /** Asks, applies the plan shown, then shows each move's outcome and the new plan. */
  async apply(confirm: Confirm = this.confirm): Promise<void> {
    const plan = this.plan;
    if (plan === undefined || plan.moves.length === 0) return;
    if (!vscode.workspace.isTrusted) throw new Error('This workspace is not trusted, so NeuroLake moves nothing here. Trust the workspace to apply the plan.');
    const moves = `${plan.moves.length} ${plan.moves.length === 1 ? 'move' : 'moves'}`;
    if (!(await confirm(`Apply ${moves} (${formatBytes(plan.bytesMoved)})?`, `The plan ${savingText(plan.monthlyCostBefore, plan.monthlyCostAfter)}. Every object is copied and checked before its old copy is removed.`))) return;
    await this.post({ type: 'busy', busy: true });
    try {
      const results = await requestWithProgress(this.ctx, 'Optimizing placement', StorageApplyRequest, { plan });
      const next = await this.refresh();
      if (results !== undefined) {
        for (const result of results) if (!result.ok) this.ctx.log.warn(`Optimize Placement: ${result.move} ${result.key} failed: ${result.error ?? ''}`);
        await this.post({ type: 'applied', results, was: plan.monthlyCostBefore, now: next?.monthlyCostBefore ?? plan.monthlyCostAfter });
      }
    } finally {
      await this.post({ type: 'busy', busy: false });
    }
  }

  dispose(): void {
    if (StoragePlanPanel.current === this) StoragePlanPanel.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  private async received(message: FromPlan): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          await this.refresh();
          break;
        case 'refresh':
          await this.refresh();
          break;
        case 'apply':
          await this.apply();
          break;
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`Optimize Placement: ${text}`);
      await this.post({ type: 'error', message: text });
      if (message.type === 'apply') await this.refresh();
    }
  }

  private post(message: ToPlan): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = this.ctx.extensionContext.extensionUri;
    const uri = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...path)).toString();
    const nonce = randomBytes(16).toString('base64');
    // Scripts only with this page's nonce; styles only from the extension; nothing else at all.
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource}`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('media', 'storagePlan.css')}">
<title>Optimize Placement</title>
</head>
<body>
<h1>Optimize Placement</h1>
<p id="headline">Asking the placement policy for a plan…</p>
<p id="error" role="alert"></p>
<p id="status" role="status"></p>
<div class="toolbar"><button id="apply" hidden>Apply…</button><button id="refresh" class="secondary">Refresh</button></div>
<section id="moves"></section>
<section id="costs"></section>
<section id="results" hidden></section>
<script nonce="${nonce}" src="${uri('dist', 'storagePlan.js')}"></script>
</body>
</html>`;
  }
}
