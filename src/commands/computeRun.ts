// Schedule Workload (a quick input that ends on the decision, then Run), Run Current File as
// Workload, and the notification that follows a run they started: its state and elapsed time,
// Cancel (which cancels the workload), and at the end its exit code, cost and Show Output.
// Each command takes answers in place of the questions, for tests and other commands.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  ComputeCancelRequest,
  ComputeGetRequest,
  ComputePreviewRequest,
  ComputeSubmitRequest,
  ComputeWaitRequest,
  WORKLOAD_TYPE_DEFAULTS,
  type WireDecision,
  type WireRun,
  type WireWorkloadCommand,
  type WireWorkloadSpec,
  type WorkloadTypeName,
} from '../../server/protocol';
import { readSettings } from '../config';
import { type Ctx } from '../ctx';
import { formatDuration } from '../views/workloadsView';
import { type CommandFactories } from './registry';
import {
  commandForFile,
  costText,
  decisionRows,
  parseMaxWait,
  parseResources,
  parseWhole,
  resourcesText,
  specFromAnswers,
  stepTitle,
  typeDetail,
  type DecisionRow,
  type Resources,
} from './scheduleSteps';
import { assertTrusted } from '../trust';

/** Answers to Schedule Workload's questions; each one given is not asked. */
export interface ScheduleWorkloadAnswers {
  readonly type?: WorkloadTypeName;
  /** The current editor's file, a shell command, or a script file. */
  readonly what?: { readonly kind: 'currentFile' } | { readonly kind: 'shell'; readonly command: string } | { readonly kind: 'script'; readonly file: string };
  readonly name?: string;
  /** As the resources step reads it: "2 CPU, 4 GB, 30 min". */
  readonly resources?: string;
  readonly priority?: number;
  readonly maxWaitMinutes?: number;
  /** The choice on the decision step: run as decided, run on a tier instead, or cancel. */
  readonly choice?: DecisionRow['choice'];
}

export interface ScheduledWorkload {
  /** The decision as the last step showed it. */
  readonly decision: WireDecision;
  readonly shown: { readonly title: string; readonly placeholder: string; readonly rows: readonly DecisionRow[] };
  /** The run once it ended; absent when the user cancelled at the decision. */
  readonly run?: WireRun;
}


/** A question nobody answered (Escape) ends the command quietly. */
class Dismissed extends Error {}

function answered<T>(value: T | undefined): T {
  if (value === undefined) throw new Dismissed();
  return value;
}

function currentFile(): { file: string; languageId: string; document: vscode.TextDocument } | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined || document.uri.scheme !== 'file') return undefined;
  return { file: document.uri.fsPath, languageId: document.languageId, document };
}

async function pickType(given: WorkloadTypeName | undefined): Promise<WorkloadTypeName> {
  if (given !== undefined) return given;
  const types = Object.keys(WORKLOAD_TYPE_DEFAULTS) as WorkloadTypeName[];
  const picked = await vscode.window.showQuickPick(
    types.map((type) => ({ label: type, detail: typeDetail(type), type })),
    { title: stepTitle('type'), placeHolder: 'What kind of work is it? Its resources are pre-filled from the type.', ignoreFocusOut: true },
  );
  return answered(picked).type;
}

async function pickWhat(given: ScheduleWorkloadAnswers['what']): Promise<{ run: WireWorkloadCommand; name: string; workingFolder?: string; document?: vscode.TextDocument }> {
  let what = given;
  const file = currentFile();
  if (what === undefined) {
    const items: (vscode.QuickPickItem & { what: 'currentFile' | 'shell' | 'script' })[] = [
      ...(file === undefined ? [] : [{ label: `$(file) ${basename(file.file)}`, description: `the current editor's file (${file.languageId})`, what: 'currentFile' as const }]),
      { label: '$(terminal) A shell command…', what: 'shell' },
      { label: '$(file-code) A script file…', what: 'script' },
    ];
    const picked = answered(await vscode.window.showQuickPick(items, { title: stepTitle('what'), placeHolder: 'What runs?', ignoreFocusOut: true }));
    if (picked.what === 'currentFile') what = { kind: 'currentFile' };
    else if (picked.what === 'shell') {
      const command = answered(
        await vscode.window.showInputBox({ title: stepTitle('what'), prompt: 'The shell command (it runs with sh in the workspace folder)', ignoreFocusOut: true, validateInput: (v) => (v.trim() === '' ? 'Type a command.' : undefined) }),
      );
      what = { kind: 'shell', command };
    } else {
      const chosen = answered(await vscode.window.showOpenDialog({ title: stepTitle('what'), canSelectMany: false, openLabel: 'Run this script' }))[0];
      what = { kind: 'script', file: answered(chosen).fsPath };
    }
  }
  const workspace = vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
  switch (what.kind) {
    case 'currentFile': {
      if (file === undefined) throw new Error('There is no file in the current editor to run; save it first, or schedule a shell command.');
      return { run: commandForFile(file.file, file.languageId), name: basename(file.file), workingFolder: dirname(file.file), document: file.document };
    }
    case 'shell':
      return { run: { kind: 'shell', command: what.command }, name: what.command.split(/\s+/).slice(0, 3).join(' '), ...(workspace === undefined ? {} : { workingFolder: workspace }) };
    case 'script':
      return { run: { kind: 'script', file: what.file }, name: basename(what.file), workingFolder: dirname(what.file) };
  }
}

async function askResources(given: string | undefined, defaults: Resources): Promise<Resources> {
  const text =
    given ??
    answered(
      await vscode.window.showInputBox({
        title: stepTitle('resources'),
        prompt: 'CPUs, memory in GB, estimated duration in minutes (pre-filled for the type)',
        value: resourcesText(defaults),
        ignoreFocusOut: true,
        validateInput: (value) => {
          const parsed = parseResources(value);
          return 'error' in parsed ? parsed.error : undefined;
        },
      }),
    );
  const parsed = parseResources(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

async function askNumber(given: number | undefined, step: 'priority' | 'maxWait', value: number): Promise<number> {
  const parse = (text: string): number | { error: string } => (step === 'priority' ? parseWhole(text, 'The priority', 1, 10) : parseMaxWait(text));
  const text =
    given !== undefined
      ? String(given)
      : answered(
          await vscode.window.showInputBox({
            title: stepTitle(step),
            prompt: step === 'priority' ? 'Priority from 1 (lowest) to 10 (highest); higher runs first' : 'How many minutes it may wait before it must start somewhere (then it goes to the cluster, if bursting is on)',
            value: String(value),
            ignoreFocusOut: true,
            validateInput: (v) => {
              const parsed = parse(v);
              return typeof parsed === 'number' ? undefined : parsed.error;
            },
          }),
        );
  const parsed = parse(text);
  if (typeof parsed !== 'number') throw new Error(parsed.error);
  return parsed;
}

async function chooseOnDecision(given: DecisionRow['choice'] | undefined, shown: ScheduledWorkload['shown']): Promise<DecisionRow['choice']> {
  if (given !== undefined) return given;
  const picked = await vscode.window.showQuickPick(
    shown.rows.map((row) => ({ label: row.label, ...(row.description === undefined ? {} : { description: row.description }), ...(row.detail === undefined ? {} : { detail: row.detail }), row })),
    { title: shown.title, placeHolder: shown.placeholder, ignoreFocusOut: true },
  );
  return picked?.row.choice ?? 'cancel';
}

/** Saves the file a workload runs, so it runs what the editor shows. */
async function saveFirst(document: vscode.TextDocument | undefined): Promise<void> {
  if (document?.isDirty === true && !(await document.save())) throw new Error(`${basename(document.fileName)} could not be saved, so it was not run.`);
}

async function scheduleWorkload(ctx: Ctx, answers: ScheduleWorkloadAnswers = {}): Promise<ScheduledWorkload | undefined> {
  assertTrusted('runs no workloads here');
  try {
    const type = await pickType(answers.type);
    const what = await pickWhat(answers.what);
    const defaults = WORKLOAD_TYPE_DEFAULTS[type];
    const resources = await askResources(answers.resources, defaults);
    const priority = await askNumber(answers.priority, 'priority', 5);
    const maxWaitMinutes = await askNumber(answers.maxWaitMinutes, 'maxWait', readSettings().settings.compute.defaultMaxWaitMinutes ?? defaults.maxWaitMinutes);
    const spec = specFromAnswers({ name: answers.name ?? what.name, type, run: what.run, ...(what.workingFolder === undefined ? {} : { workingFolder: what.workingFolder }), resources, priority, maxWaitMinutes });
    const decision = await ctx.request(ComputePreviewRequest, spec);
    const shown = decisionRows(decision, Date.now());
    const choice = await chooseOnDecision(answers.choice, shown);
    if (choice === 'cancel') return { decision, shown };
    await saveFirst(what.document);
    const run = await followRun(ctx, await ctx.request(ComputeSubmitRequest, choice === 'run' ? spec : { ...spec, tier: choice }));
    return { decision, shown, run };
  } catch (error) {
    if (error instanceof Dismissed) return undefined;
    throw error;
  }
}

/** Run Current File's choices: a type (query, whose 1 CPU and 2 GB fit most machines, when absent), or a tier to force. */
export interface RunFileAnswers {
  readonly type?: WorkloadTypeName;
  readonly tier?: 'local' | 'cluster';
}

async function runCurrentFile(ctx: Ctx, uri?: vscode.Uri, answers: RunFileAnswers = {}): Promise<WireRun> {
  assertTrusted('runs no workloads here');
  const document = uri === undefined ? vscode.window.activeTextEditor?.document : await vscode.workspace.openTextDocument(uri);
  if (document === undefined) throw new Error('Open the file to run first.');
  if (document.uri.scheme !== 'file') throw new Error(`${basename(document.fileName)} is not saved to a file yet; save it, then run it.`);
  const run = commandForFile(document.uri.fsPath, document.languageId);
  await saveFirst(document);
  const spec: WireWorkloadSpec = {
    name: basename(document.uri.fsPath),
    type: answers.type ?? 'query',
    run,
    workingFolder: dirname(document.uri.fsPath),
    ...(answers.tier === undefined ? {} : { tier: answers.tier }),
  };
  return followRun(ctx, await ctx.request(ComputeSubmitRequest, spec));
}

/** The notification of a run: state and elapsed while it runs, Cancel cancels it; resolves to the ended run. */
export async function followRun(ctx: Ctx, submitted: WireRun): Promise<WireRun> {
  ctx.log.info(`${submitted.id}: ${submitted.decision.reason}`);
  const ended = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: submitted.workload.name, cancellable: true },
    async (progress, token) => {
      let current = submitted;
      const show = (): void => {
        const elapsed = current.startedAt === undefined ? '' : ` · ${formatDuration(Date.now() - current.startedAt)}`;
        progress.report({ message: `${current.state}${current.tier === undefined ? '' : ` on ${current.tier === 'local' ? 'this machine' : 'the cluster'}`}${elapsed}` });
      };
      show();
      const refresh = async (): Promise<void> => {
        current = await ctx.request(ComputeGetRequest, { id: submitted.id }).catch(() => current);
        show();
      };
      // Elapsed time moves every second; a state change shows at once.
      const ticker = setInterval(() => void refresh(), 1000);
      const changes = ctx.onDidChangeCompute((runId) => {
        if (runId === submitted.id) void refresh();
      });
      const cancelled = token.onCancellationRequested(() => {
        void ctx.request(ComputeCancelRequest, { id: submitted.id }).catch((error: unknown) => ctx.log.warn(`Cancelling ${submitted.id} failed: ${String(error)}`));
      });
      try {
        return await ctx.request(ComputeWaitRequest, { id: submitted.id });
      } finally {
        clearInterval(ticker);
        changes.dispose();
        cancelled.dispose();
      }
    },
  );
  void announceEnd(ctx, ended);
  return ended;
}

/** "report.py completed · exit 0 · 3 s · $0.0000", with Show Output. */
export function endText(run: WireRun): string {
  const parts = [
    `${run.workload.name} ${run.state}${run.tier === undefined ? '' : ` on ${run.tier === 'local' ? 'this machine' : 'the cluster'}`}`,
    run.exitCode === undefined ? undefined : `exit code ${run.exitCode}`,
    run.startedAt === undefined || run.endedAt === undefined ? undefined : formatDuration(run.endedAt - run.startedAt),
    run.costUsd === undefined ? undefined : `cost ${costText(run.costUsd)}`,
  ];
  return parts.filter((part) => part !== undefined).join(' · ') + (run.detail === undefined || run.state === 'completed' ? '' : `: ${run.detail}`);
}

async function announceEnd(ctx: Ctx, run: WireRun): Promise<void> {
  const show = run.state === 'completed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(endText(run), ...(run.logFile === undefined ? [] : ['Show Output']));
  if (choice === 'Show Output') await vscode.commands.executeCommand('neurolake.compute.showOutput', { type: 'run', run });
}

export const computeRunCommands: CommandFactories = {
  'neurolake.compute.schedule':
    ({ ctx }) =>
    (answers?: ScheduleWorkloadAnswers) =>
      scheduleWorkload(ctx, answers),
  /** From the editor title or context menu (a URI), the palette (the active editor), or a caller with answers. */
  'neurolake.compute.runCurrentFile':
    ({ ctx }) =>
    (uri?: vscode.Uri, answers?: RunFileAnswers) =>
      runCurrentFile(ctx, uri instanceof vscode.Uri ? uri : undefined, answers),
};
