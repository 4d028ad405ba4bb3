// The cost dashboard in a real VS Code: the command opens the webview, whose script draws the
// server's figures (the comparison chart, a table for every chart), follows a change of the
// neurolake.cost.preset setting by itself, and Export Cost Report… writes the chosen format.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import type { CostDashboardPanel } from '../../src/webviews/costDashboard';
import type { RenderedSummary } from '../../media/costDashboard/messages';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'neurolake.neurolake';

/** The next drawing that satisfies `predicate`, or the last one when it already does. */
async function rendered(panel: CostDashboardPanel, predicate: (summary: RenderedSummary) => boolean, what: string): Promise<RenderedSummary> {
  if (panel.lastRendered !== undefined && predicate(panel.lastRendered)) return panel.lastRendered;
  return waitFor(panel.onDidRender, predicate, 30_000, what);
}

suite('Cost dashboard', () => {
  let api: NeuroLakeApi;
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await api.ready();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('neurolake').update('cost.preset', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('opens and draws the figures with a table for every chart, then follows the prices setting', async () => {
    const panel = await vscode.commands.executeCommand<CostDashboardPanel>('neurolake.cost.showDashboard');
    assert.equal(panel.panel.title, 'NeuroLake Cost');
    assert.ok(panel.panel.webview.options.enableScripts);
    assert.deepEqual(
      panel.panel.webview.options.localResourceRoots?.map((uri) => path.basename(uri.fsPath)),
      ['media', 'dist'],
      'the page may load only the extension\'s media and bundles',
    );
    const first = await rendered(panel, () => true, 'the dashboard never drew its figures');
    assert.equal(first.pricesName, 'aws');
    assert.ok(first.charts.includes('models'), `the three models are drawn: ${first.charts.join(', ')}`);
    assert.deepEqual([...first.tables].sort(), ['byTier', 'byType', 'capacity', 'forecast', 'models', 'savings']);

    const again = await vscode.commands.executeCommand<CostDashboardPanel>('neurolake.cost.showDashboard');
    assert.equal(again, panel, 'one dashboard, shown again');

    await vscode.workspace.getConfiguration('neurolake').update('cost.preset', 'seed', vscode.ConfigurationTarget.Global);
    const seed = await rendered(panel, (s) => s.pricesName === 'seed', 'the dashboard did not redraw with the seed prices after the setting changed');
    assert.equal(seed.pricesName, 'seed');
  });

  test('Export Cost Report… writes the format asked for', async () => {
    const file = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nl-cost-report-')), 'cost.csv'));
    const written = await vscode.commands.executeCommand<vscode.Uri>('neurolake.cost.exportReport', 'csv', file);
    assert.equal(written.fsPath, file.fsPath);
    const text = fs.readFileSync(file.fsPath, 'utf8');
    assert.match(text, /^section,key,measure,value,unit\r?\n/);
    assert.match(text, /\nprices,\w+,as_of,\d{4}-\d{2}-\d{2},text/);
  });
});
