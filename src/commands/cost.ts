// Cost commands: the dashboard, and Export Cost Report… (format and file asked, then written).
import * as vscode from 'vscode';
import { COST_REPORT_FORMATS, CostReportRequest, type CostReportFormat } from '../../server/protocol';
import { CostDashboardPanel } from '../webviews/costDashboard';
import { type CommandFactories } from './registry';

const FORMATS: readonly { format: CostReportFormat; label: string; detail: string; filters: Record<string, string[]> }[] = [
  { format: 'html', label: 'HTML', detail: 'One self-contained page with the charts, for a browser or an e-mail', filters: { HTML: ['html'] } },
  { format: 'md', label: 'Markdown', detail: 'Tables for a README, a wiki or a pull request', filters: { Markdown: ['md'] } },
  { format: 'csv', label: 'CSV', detail: 'Every figure in one long table a spreadsheet can pivot', filters: { CSV: ['csv'] } },
];

export const costCommands: CommandFactories = {
  'neurolake.cost.showDashboard':
    ({ ctx }) =>
    () =>
      CostDashboardPanel.show(ctx),
  'neurolake.cost.exportReport':
    ({ ctx }) =>
    async (formatArg?: CostReportFormat, target?: vscode.Uri) => {
      let format = formatArg;
      if (format === undefined) {
        const picked = await vscode.window.showQuickPick(FORMATS, { title: 'Export Cost Report', placeHolder: 'Format' });
        if (picked === undefined) return undefined;
        format = picked.format;
      }
      if (!COST_REPORT_FORMATS.includes(format)) throw new Error(`A cost report is html, md or csv, not ${String(format)}.`);
      const chosen = FORMATS.find((f) => f.format === format)!;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri =
        target ??
        (await vscode.window.showSaveDialog({
          title: 'Export Cost Report',
          filters: chosen.filters,
          ...(folder === undefined ? {} : { defaultUri: vscode.Uri.joinPath(folder, `neurolake-cost.${format}`) }),
        }));
      if (uri === undefined) return undefined;
      const { text } = await ctx.request(CostReportRequest, { format });
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      if (target === undefined) {
        void vscode.window.showInformationMessage(`Cost report written to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((choice) => {
          if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
        });
      }
      return uri;
    },
};
