// Sharing the catalog: Export… writes a bundle where the user chooses; Import… reads one, shows
// what it would change (a dry run), and applies it only when the user agrees.
import * as vscode from 'vscode';
import {
  CatalogExportRequest,
  CatalogImportRequest,
  ENTRY_KINDS,
  type ConflictMode,
  type ExportFilter,
} from '../../server/protocol';
import { describeReport, describeReportItems } from './importReport';
import { requestWithProgress } from '../progress';
import { type CommandFactories } from './registry';

/** The engine refuses larger bundles too; checking the size first avoids reading 200 MB for nothing. */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

const MODES: readonly { mode: ConflictMode; label: string; detail: string }[] = [
  { mode: 'skip', label: 'Keep mine', detail: 'Entries that already exist stay as they are; only new ones are added.' },
  { mode: 'newVersion', label: 'Add theirs as a new version', detail: 'Existing entries get the imported content as their next version; history is kept.' },
  { mode: 'overwrite', label: 'Replace mine', detail: 'Existing entries are replaced by the imported ones, with their history.' },
];

export const catalogTransferCommands: CommandFactories = {
  'neurolake.catalog.export':
    ({ ctx }) =>
    async (target?: unknown, filterArg?: ExportFilter) => {
      let filter = filterArg;
      if (filter === undefined) {
        const scope = await vscode.window.showQuickPick(
          [
            { label: 'Everything', filter: {} },
            ...ENTRY_KINDS.map((kind) => ({ label: `Only ${kind === 'businessLogic' ? 'business logic' : `${kind}s`}`, filter: { kind } })),
            { label: 'Entries with a tag…', filter: undefined },
          ],
          { title: 'Export Catalog' },
        );
        if (scope === undefined) return undefined;
        filter = scope.filter;
        if (filter === undefined) {
          const tag = await vscode.window.showInputBox({ title: 'Export Catalog', prompt: 'Tag (entries must have it)' });
          if (tag === undefined || tag.trim() === '') return undefined;
          filter = { tags: [tag.trim().toLowerCase()] };
        }
      }
      const uri =
        target instanceof vscode.Uri
          ? target
          : await vscode.window.showSaveDialog({
              title: 'Export Catalog',
              filters: { 'NeuroLake catalog bundle': ['json'] },
              defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), 'neurolake-catalog.json'),
            });
      if (uri === undefined) return undefined;
      const exported = await requestWithProgress(ctx, 'Exporting the catalog', CatalogExportRequest, filter);
      if (exported === undefined) return undefined;
      const { text, count } = exported;
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      void vscode.window.showInformationMessage(`Exported ${count} catalog ${count === 1 ? 'entry' : 'entries'} to ${uri.fsPath}.`);
      return { uri, count };
    },

  'neurolake.catalog.import':
    ({ ctx }) =>
    async (source?: unknown, options?: { mode?: ConflictMode; apply?: boolean }) => {
      const uri =
        source instanceof vscode.Uri
          ? source
          : (await vscode.window.showOpenDialog({ title: 'Import Catalog Bundle', canSelectMany: false, filters: { 'NeuroLake catalog bundle': ['json'] } }))?.[0];
      if (uri === undefined) return undefined;
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size > MAX_BUNDLE_BYTES) {
        throw new Error(`${uri.fsPath} is ${(size / 1024 / 1024).toFixed(0)} MB; bundles over ${MAX_BUNDLE_BYTES / 1024 / 1024} MB are refused. Export by tag or kind to split it.`);
      }
      const mode =
        options?.mode ??
        (await vscode.window.showQuickPick(MODES.map((m) => ({ ...m, description: '' })), { title: 'When an entry already exists' }))?.mode;
      if (mode === undefined) return undefined;
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      const preview = await requestWithProgress(ctx, 'Checking the bundle', CatalogImportRequest, { text, mode, dryRun: true });
      if (preview === undefined) return undefined;
      ctx.log.info(`Import preview of ${uri.fsPath}: ${JSON.stringify(preview.items)}`);
      const changes = preview.counts.add + preview.counts.newVersion + preview.counts.overwrite;
      if (changes === 0) {
        void vscode.window.showInformationMessage(`Nothing to import: ${describeReport(preview)}.`);
        return preview;
      }
      let apply = options?.apply;
      while (apply === undefined) {
        const choice = await vscode.window.showInformationMessage(
          `Import ${uri.path.split('/').pop()}?`,
          { modal: true, detail: describeReportItems(preview) },
          'Import',
          'Show Details',
        );
        if (choice === 'Show Details') ctx.log.show();
        else apply = choice === 'Import';
      }
      if (!apply) return preview;
      const report = await requestWithProgress(ctx, 'Importing the bundle', CatalogImportRequest, { text, mode, dryRun: false });
      if (report === undefined) return undefined;
      void vscode.window.showInformationMessage(`Imported: ${describeReport(report)}.`);
      return report;
    },
};
