// The steps of Schedule Workload and what each answer means, apart from the quick input that asks
// them, so the parsing and the decision's wording are tested without VS Code.
import {
  WORKLOAD_TYPE_DEFAULTS,
  type WireDecision,
  type WireDecisionOption,
  type WireWorkloadCommand,
  type WireWorkloadSpec,
  type WorkloadTypeName,
} from '../../server/protocol';
import { pricesOf } from '../pricesText';

export const SCHEDULE_STEPS = ['type', 'what', 'resources', 'priority', 'maxWait', 'decision'] as const;
export type ScheduleStep = (typeof SCHEDULE_STEPS)[number];

const STEP_LABELS: Readonly<Record<ScheduleStep, string>> = {
  type: 'Type of workload',
  what: 'What to run',
  resources: 'Resources',
  priority: 'Priority',
  maxWait: 'Maximum wait',
  decision: 'Where it runs',
};

/** "Schedule Workload (2/6): What to run" */
export function stepTitle(step: ScheduleStep): string {
  return `Schedule Workload (${SCHEDULE_STEPS.indexOf(step) + 1}/${SCHEDULE_STEPS.length}): ${STEP_LABELS[step]}`;
}

export const TYPE_DESCRIPTIONS: Readonly<Record<WorkloadTypeName, string>> = {
  query: 'a query or a quick report',
  etl: 'extract, transform, load',
  ml: 'training or scoring a model',
  migration: 'moving or converting data',
};

/** The type picker's line for a type: its defaults, so the user sees what the next step pre-fills. */
export function typeDetail(type: WorkloadTypeName): string {
  const d = WORKLOAD_TYPE_DEFAULTS[type];
  return `${TYPE_DESCRIPTIONS[type]}: ${d.cpus} CPU, ${d.memoryGb} GB, about ${d.estimatedMinutes} min, waits at most ${d.maxWaitMinutes} min`;
}

/**
 * Languages a file can be run in, by VS Code language id, and the interpreter that runs it
 * (on this machine, or on the cluster's node for a burst job). SQL is not among them: which
 * database runs it is not the editor's to guess.
 */
export const RUNNABLE_LANGUAGES: Readonly<Record<string, string>> = {
  python: 'python3',
  shellscript: 'bash',
  javascript: 'node',
  perl: 'perl',
  ruby: 'ruby',
  r: 'Rscript',
};

export function isRunnable(languageId: string): boolean {
  return Object.hasOwn(RUNNABLE_LANGUAGES, languageId);
}

/** What runs for a file in `languageId`, or why it cannot. */
export function commandForFile(file: string, languageId: string): WireWorkloadCommand {
  const interpreter = RUNNABLE_LANGUAGES[languageId];
  if (interpreter === undefined) {
    throw new Error(`NeuroLake cannot run a ${languageId} file as a workload; it runs ${Object.keys(RUNNABLE_LANGUAGES).join(', ')} files. Schedule a shell command instead.`);
  }
  return { kind: 'script', file, interpreter };
}

export interface Resources {
  readonly cpus: number;
  readonly memoryGb: number;
  readonly estimatedMinutes: number;
}

/** How the resources step shows them: "2 CPU, 4 GB, 30 min". */
export function resourcesText(resources: Resources): string {
  return `${resources.cpus} CPU, ${resources.memoryGb} GB, ${resources.estimatedMinutes} min`;
}

/** Reads "2 CPU, 4 GB, 30 min" (units optional: "2, 4, 30"); an error names the part that is wrong. */
export function parseResources(text: string): Resources | { readonly error: string } {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 3) return { error: 'Give three numbers separated by commas: CPUs, memory in GB, estimated minutes (e.g. 2 CPU, 4 GB, 30 min).' };
  const units = [/^(cpus?|cores?)$/i, /^(gb|g|gib)$/i, /^(min|mins|minutes?|m)$/i];
  const names = ['CPUs', 'memory', 'estimated duration'];
  const values: number[] = [];
  for (const [index, part] of parts.entries()) {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(part);
    if (match === null || (match[2] !== '' && !units[index]!.test(match[2]!))) return { error: `${names[index]}: "${part}" is not a number${index === 0 ? ' of CPUs' : index === 1 ? ' of GB' : ' of minutes'}.` };
    const value = Number(match[1]);
    if (value <= 0) return { error: `${names[index]} must be more than 0.` };
    values.push(value);
  }
  return { cpus: values[0]!, memoryGb: values[1]!, estimatedMinutes: values[2]! };
}

/** A whole number from `min` to `max`, or what is wrong with it. */
export function parseWhole(text: string, what: string, min: number, max: number): number | { readonly error: string } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) return { error: `${what} must be a whole number from ${min} to ${max}.` };
  return value;
}

/** Minutes of maximum wait: a number of at least 0 (a week at most). */
export function parseMaxWait(text: string): number | { readonly error: string } {
  const value = Number(text.trim().replace(/\s*(min|mins|minutes?)$/i, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 10_080) return { error: 'The maximum wait is a number of minutes from 0 to 10080 (a week).' };
  return value;
}

export interface ScheduleAnswers {
  readonly name: string;
  readonly type: WorkloadTypeName;
  readonly run: WireWorkloadCommand;
  readonly workingFolder?: string;
  readonly resources: Resources;
  readonly priority: number;
  readonly maxWaitMinutes: number;
}

export function specFromAnswers(answers: ScheduleAnswers): WireWorkloadSpec {
  return {
    name: answers.name,
    type: answers.type,
    run: answers.run,
    ...(answers.workingFolder === undefined ? {} : { workingFolder: answers.workingFolder }),
    cpus: answers.resources.cpus,
    memoryGb: answers.resources.memoryGb,
    estimatedMinutes: answers.resources.estimatedMinutes,
    priority: answers.priority,
    maxWaitMinutes: answers.maxWaitMinutes,
  };
}

const TIER_NAMES = { local: 'This machine', cluster: 'Cluster' } as const;

/** "now", "in 5 min", "at 14:05" */
export function startText(option: WireDecisionOption, now: number): string {
  if (!option.possible) return `not possible: ${option.why ?? 'unavailable'}`;
  if (option.estimatedStart === undefined) return option.why ?? 'start unknown';
  const ms = option.estimatedStart - now;
  if (ms <= 1000) return 'starts now';
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? `starts in ${Math.round(ms / 1000)} s` : minutes < 60 ? `starts in ${minutes} min` : `starts in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function costText(usd: number): string {
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

const VERDICT_WORDS: Readonly<Record<WireDecision['verdict'], string>> = {
  local: 'Runs on this machine',
  cluster: 'Runs on the cluster',
  queue: 'Waits in the queue',
  refuse: 'Cannot run',
};

export interface DecisionRow {
  /** Where choosing this row runs the workload: as decided, or forced to this tier. */
  readonly choice: 'run' | 'cancel' | 'local' | 'cluster';
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
}

/** The last step: the verdict in words, then each option with its start and cost. */
export function decisionRows(decision: WireDecision, now: number): { title: string; placeholder: string; rows: DecisionRow[] } {
  const rows: DecisionRow[] = [];
  const prices = pricesOf(decision);
  if (decision.verdict !== 'refuse') rows.push({ choice: 'run', label: `$(play) Run: ${VERDICT_WORDS[decision.verdict].toLowerCase()}`, detail: decision.reason });
  for (const option of decision.options) {
    const chosen = decision.verdict === option.tier;
    // A queued workload waits for its tier; choosing that tier runs it there now instead of waiting.
    const waitsFor = decision.verdict === 'queue' && decision.tier === option.tier;
    rows.push({
      choice: option.possible && !chosen ? option.tier : chosen ? 'run' : 'cancel',
      label: `${option.possible ? '$(circle-large-outline)' : '$(circle-slash)'} ${TIER_NAMES[option.tier]}${chosen ? ' (chosen)' : !option.possible ? '' : waitsFor ? ': run here now, without waiting' : ': run here instead'}`,
      description: `${startText(option, now)} · about ${costText(option.estimatedCostUsd)}`,
      ...(prices === undefined ? {} : { detail: `Cost at ${prices}` }),
    });
  }
  rows.push({ choice: 'cancel', label: '$(close) Cancel' });
  return { title: `${stepTitle('decision')}: ${VERDICT_WORDS[decision.verdict]}`, placeholder: decision.reason, rows };
}
