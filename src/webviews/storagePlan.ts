// Optimize Placement's plan view: one webview panel showing the server's plan (each move, its
// bytes, from and to, and why; the monthly cost per tier before and after), and Apply, which
// asks first, runs the moves with progress and Cancel, then shows each move's outcome and the new
// figures. The script and styles are media/storagePlan*, bundled into dist/.
import type * as vscode from 'vscode';
import { StorageApplyRequest, StoragePlanRequest, type StoragePlan } from '../../server/protocol';
import type { FromPlan, ToPlan } from '../../media/storagePlan/messages';
import { savingText } from '../../media/storagePlan/model';
import { formatBytes } from '../views/storageRows';
import { type Ctx } from '../ctx';
import { requestWithProgress } from '../progress';
import { assertTrusted } from '../trust';
import { askUser, NeuroLakePanel, type Confirm } from './neuroLakePanel';
import { createNeuroLakePanel } from './webviewHtml';

export const STORAGE_PLAN_VIEW_TYPE = 'neurolake.storagePlan';

export class StoragePlanPanel extends NeuroLakePanel<FromPlan, ToPlan> {
  private static current: StoragePlanPanel | undefined;
  private plan: StoragePlan | undefined;

  /** Shows the plan view, reusing the open one (with a fresh plan). */
  static show(ctx: Ctx): StoragePlanPanel {
    if (StoragePlanPanel.current !== undefined) {
      StoragePlanPanel.current.panel.reveal();
      void StoragePlanPanel.current.refresh();
      return StoragePlanPanel.current;
    }
    const panel = createNeuroLakePanel(ctx.extensionContext.extensionUri, STORAGE_PLAN_VIEW_TYPE, 'Optimize Placement');
    StoragePlanPanel.current = new StoragePlanPanel(ctx, panel);
    return StoragePlanPanel.current;
  }

  private constructor(
    ctx: Ctx,
    panel: vscode.WebviewPanel,
    private readonly confirm: Confirm = askUser,
  ) {
    super(ctx, panel, 'Optimize Placement', {
      title: 'Optimize Placement',
      styles: [['media', 'storagePlan.css']],
      script: ['dist', 'storagePlan.js'],
      body: `<h1>Optimize Placement</h1>
<p id="headline">Asking the placement policy for a plan…</p>
<p id="error" role="alert"></p>
<p id="status" role="status"></p>
<div class="toolbar"><button id="apply" hidden>Apply…</button><button id="refresh" class="secondary">Refresh</button></div>
<section id="moves"></section>
<section id="costs"></section>
<section id="results" hidden></section>`,
    });
  }

  /** Asks for a new plan and draws it. */
  async refresh(): Promise<StoragePlan | undefined> {
    if (!this.ready) return undefined;
    try {
      this.plan = await this.ctx.request(StoragePlanRequest, {});
      await this.post({ type: 'plan', plan: this.plan });
      return this.plan;
    } catch (error) {
      await this.postError(error);
      return undefined;
    }
  }

  /** Asks, applies the plan shown, then shows each move's outcome and the new plan. */
  async apply(confirm: Confirm = this.confirm): Promise<void> {
    const plan = this.plan;
    if (plan === undefined || plan.moves.length === 0) return;
    assertTrusted('moves nothing here, so the plan was not applied');
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

  protected async handle(message: FromPlan): Promise<void> {
    switch (message.type) {
      case 'refresh':
        await this.refresh();
        break;
      case 'apply':
        await this.apply();
        break;
    }
  }

  protected onDispose(): void {
    if (StoragePlanPanel.current === this) StoragePlanPanel.current = undefined;
  }
}
