// A workload spec checked and completed: every field in range or a clear error naming it, every
// default filled in from its type, and a stable id (given, or made from the name).
import { isAbsolute, resolve } from 'node:path';
import { ComputeError } from './errors';
import { TYPE_DEFAULTS, WORKLOAD_TYPES, type Workload, type WorkloadSpec } from './types';

/** Exit codes that mean the command could not run at all; retrying cannot help. */
export const NEVER_RETRY_EXIT_CODES = [126, 127];

export function workloadId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug === '' ? 'workload' : slug;
}

function bad(message: string): never {
  throw new ComputeError('invalid-workload', message);
}

function numberIn(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) bad(`${field} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
  return value;
}

export function normaliseWorkload(spec: WorkloadSpec, base: string = process.cwd()): Workload {
  if (typeof spec !== 'object' || spec === null) bad('A workload must be an object.');
  if (typeof spec.name !== 'string' || spec.name.trim() === '') bad('A workload needs a name.');
  if (!WORKLOAD_TYPES.includes(spec.type)) bad(`type must be one of ${WORKLOAD_TYPES.join(', ')}, not ${JSON.stringify(spec.type)}.`);
  const defaults = TYPE_DEFAULTS[spec.type];
  const run = spec.run;
  if (run?.kind === 'shell') {
    if (typeof run.command !== 'string' || run.command.trim() === '') bad('The command to run is empty.');
  } else if (run?.kind === 'script') {
    if (typeof run.file !== 'string' || run.file.trim() === '') bad('The script file to run is empty.');
  } else bad('run must be a shell command ({ kind: "shell", command }) or a script ({ kind: "script", file }).');
  const id = spec.id ?? workloadId(spec.name);
  if (!/^[a-z0-9][a-z0-9._-]{0,79}$/i.test(id)) bad(`The id ${JSON.stringify(id)} may hold only letters, digits, dot, dash and underscore (at most 80).`);
  const workingFolder = spec.workingFolder === undefined ? base : isAbsolute(spec.workingFolder) ? spec.workingFolder : resolve(base, spec.workingFolder);
  const estimatedMinutes = numberIn(spec.estimatedMinutes, 'estimatedMinutes', 0.01, 60 * 24 * 30, defaults.estimatedMinutes);
  const files = (value: unknown, field: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) bad(`${field} must be a list of file names.`);
    return value as string[];
  };
  const codes = spec.noRetryExitCodes ?? [];
  if (!Array.isArray(codes) || codes.some((code) => !Number.isInteger(code) || code < 0 || code > 255)) bad('noRetryExitCodes must be a list of exit codes from 0 to 255.');
  if (spec.tier !== undefined && spec.tier !== 'local' && spec.tier !== 'cluster') bad(`tier must be local or cluster, not ${JSON.stringify(spec.tier)}.`);
  const environment = spec.environment ?? {};
  if (typeof environment !== 'object' || Object.values(environment).some((value) => typeof value !== 'string')) bad('environment must map names to strings.');
  return {
    id,
    name: spec.name.trim(),
    type: spec.type,
    run,
    workingFolder,
    environment,
    cpus: numberIn(spec.cpus, 'cpus', 0.1, 1024, defaults.cpus),
    memoryGb: numberIn(spec.memoryGb, 'memoryGb', 0.01, 16_384, defaults.memoryGb),
    estimatedMinutes,
    priority: Math.round(numberIn(spec.priority, 'priority', 1, 10, 5)),
    maxWaitMinutes: numberIn(spec.maxWaitMinutes, 'maxWaitMinutes', 0, 60 * 24 * 30, defaults.maxWaitMinutes),
    ...(spec.budgetUsd === undefined ? {} : { budgetUsd: numberIn(spec.budgetUsd, 'budgetUsd', 0, 1_000_000, 0) }),
    timeoutMinutes: numberIn(spec.timeoutMinutes, 'timeoutMinutes', 0.01, 60 * 24 * 30, Math.max(10, estimatedMinutes * 3)),
    retries: Math.round(numberIn(spec.retries, 'retries', 0, 10, 0)),
    noRetryExitCodes: [...new Set([...NEVER_RETRY_EXIT_CODES, ...codes])],
    inputs: files(spec.inputs, 'inputs'),
    outputs: files(spec.outputs, 'outputs'),
    ...(spec.tier === undefined ? {} : { tier: spec.tier }),
  };
}
