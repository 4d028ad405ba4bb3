// The cost dashboard: one webview panel drawing the server's figures (the script and styles are
// media/costDashboard*, bundled into dist/). It asks for new figures whenever the server says they
// changed, and carries out a recommendation only after the user confirmed it.
import * as vscode from 'vscode';
import { CostApplyRequest, CostCompareRequest, CostDashboardRequest, type CostDashboard } from '../../server/protocol';
import type { FromDashboard, RenderedSummary, ToDashboard } from '../../media/costDashboard/messages';
import { type Ctx } from '../ctx';
import { askUser, NeuroLakePanel, type Confirm } from './neuroLakePanel';
import { createNeuroLakePanel } from './webviewHtml';

export const COST_DASHBOARD_VIEW_TYPE = 'neurolake.costDashboard';

/**
 * The server changes a compute limit only in the engine running now, and the next settings it is
 * sent would put the old value back: the setting it comes from is written here, where the user's
 * settings are (in the workspace when the workspace sets it, else the user's). Answers what to add to
 * the message.
 */
async function keepAppliedSetting(applied: CostDashboard['recommendations'][number]): Promise<string> {
  if (applied.action?.kind !== 'set-compute-limit') return '';
  const compute = vscode.workspace.getConfiguration('neurolake.compute');
  const inWorkspace = compute.inspect(applied.action.limit)?.workspaceValue !== undefined;
  await compute.update(applied.action.limit, applied.action.value, inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  return ` Saved as neurolake.compute.${applied.action.limit} in the ${inWorkspace ? 'workspace' : 'user'} settings.`;
}

export class CostDashboardPanel extends NeuroLakePanel<FromDashboard, ToDashboard> {
  private static current: CostDashboardPanel | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<RenderedSummary>();
  private dashboard: CostDashboard | undefined;
  /** What the webview last drew; tests and the export command read it. */
  lastRendered: RenderedSummary | undefined;
  readonly onDidRender = this.renderEmitter.event;

  /** Shows the dashboard, reusing the open one. */
  static show(ctx: Ctx): CostDashboardPanel {
    if (CostDashboardPanel.current !== undefined) {
      CostDashboardPanel.current.panel.reveal();
      return CostDashboardPanel.current;
    }
    const panel = createNeuroLakePanel(ctx.extensionContext.extensionUri, COST_DASHBOARD_VIEW_TYPE, 'NeuroLake Cost');
    CostDashboardPanel.current = new CostDashboardPanel(ctx, panel);
    return CostDashboardPanel.current;
  }

  private constructor(
    ctx: Ctx,
    panel: vscode.WebviewPanel,
    private readonly confirm: Confirm = askUser,
  ) {
    super(ctx, panel, 'Cost dashboard', {
      title: 'NeuroLake Cost',
      // uPlot's own styles, then the dashboard's.
      styles: [['dist', 'costDashboard.css'], ['media', 'costDashboard.css']],
      script: ['dist', 'costDashboard.js'],
      // data: images too. uPlot sizes its canvas through the style property, which a style-src
      // policy does not restrict.
      imageSources: ['data:'],
      body: `<h1>Cost</h1>
<p id="prices"></p>
<p id="records"></p>
<p id="error" role="alert"></p>
<p id="status" role="status"></p>
<div class="toolbar"><button id="refresh" class="secondary">Refresh</button><button id="export" class="secondary">Export Cost Report…</button></div>
<div class="figures">
  <div class="figure"><span class="label">Recorded cost</span><span class="value" id="total">…</span></div>
  <div class="figure"><span class="label">Saved to date by keeping things local</span><span class="value" id="saved">…</span></div>
  <div class="figure"><span class="label">Next month (forecast)</span><span class="value" id="forecastTotal">…</span></div>
</div>
<div class="grid">
  <section id="byTier" class="wide"><h2>Cost by tier over time</h2></section>
  <section id="forecast"><h2>Forecast</h2></section>
  <section id="models"><h2>Cloud only, hybrid and local only</h2>
    <div class="form"><label>Data <input id="dataGb" type="number" min="0" value="500"> GB</label><label>Compute <input id="computeHours" type="number" min="0" value="200"> hours a month</label><button id="compare" class="secondary">Compare</button><button id="useMeasured" class="secondary">Use my usage</button><span id="formError" role="alert"></span></div>
  </section>
  <section id="byType"><h2>Compute by workload type</h2></section>
  <section id="savings"><h2>Savings to date</h2></section>
  <section id="capacity"><h2>Local hit ratio against capacity</h2></section>
  <section id="recommendations" class="wide"><h2>Recommendations</h2></section>
</div>`,
    });
    this.disposables.push(
      this.renderEmitter,
      ctx.onDidChangeCost(() => void this.refresh()),
      ctx.onDidChangeStatus(() => void this.refresh()),
    );
  }

  /** The next time the webview has drawn the figures. */
  nextRender(): Promise<RenderedSummary> {
    return new Promise((resolve) => {
      const subscription = this.onDidRender((summary) => {
        subscription.dispose();
        resolve(summary);
      });
    });
  }

  /** Asks, then carries out the recommendation and shows the figures afterwards. */
  async apply(id: string, confirm: Confirm = this.confirm): Promise<string | undefined> {
    const recommendation = this.dashboard?.recommendations.find((r) => r.id === id);
    if (recommendation === undefined) throw new Error(`The recommendation "${id}" is no longer current; the dashboard has been refreshed.`);
    const saving = `$${recommendation.estimated_savings_usd_month.toFixed(2)} a month`;
    if (!(await confirm(`${recommendation.recommendation}?`, `${recommendation.impact}\n\nEstimated saving: ${saving}.`))) return undefined;
    await this.post({ type: 'busy', id });
    try {
      const result = await this.ctx.request(CostApplyRequest, { id });
      const done = result.done + (await keepAppliedSetting(result.recommendation));
      this.dashboard = result.dashboard;
      await this.post({ type: 'applied', id, done });
      await this.post({ type: 'data', dashboard: result.dashboard });
      return done;
    } finally {
      await this.post({ type: 'busy', id: undefined });
    }
  }

  async refresh(): Promise<void> {
    if (!this.ready) return;
    try {
      this.dashboard = await this.ctx.request(CostDashboardRequest, {});
      await this.post({ type: 'data', dashboard: this.dashboard });
    } catch (error) {
      await this.postError(error);
    }
  }

  protected onDispose(): void {
    if (CostDashboardPanel.current === this) CostDashboardPanel.current = undefined;
  }

  protected async handle(message: FromDashboard): Promise<void> {
    switch (message.type) {
      case 'refresh':
        await this.refresh();
        break;
      case 'compare':
        await this.post({ type: 'comparison', comparison: await this.ctx.request(CostCompareRequest, message.params) });
        break;
      case 'apply':
        await this.apply(message.id);
        break;
      case 'export':
        await vscode.commands.executeCommand('neurolake.cost.exportReport');
        break;
      case 'rendered':
        this.lastRendered = message.summary;
        this.renderEmitter.fire(message.summary);
        break;
    }
  }
}
