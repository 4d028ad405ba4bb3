// A workload spec checked and completed: every field in range or a clear error naming it, every
// default filled in from its type, and a stable id (given, or made from the name).
import { isAbsolute, relative, resolve, sep } from 'node:path';
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
  // String(): JSON would show NaN and Infinity as null, which is not what the user gave.
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) bad(`${field} must be a number from ${min} to ${max}, not ${typeof value === 'number' ? String(value) : JSON.stringify(value)}.`);
  return value;
}

/**
 * The longest one argument may be: Linux refuses a longer one (MAX_ARG_STRLEN, 128 KiB) when the
 * command starts, which would fail the run with a bare E2BIG long after it was accepted.
 */
export const MAX_ARGUMENT_BYTES = 128 * 1024 - 1;
/** What the environment may add in all; the whole of it and the arguments must stay under ARG_MAX. */
export const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

/** Refuses a string the command line cannot carry: NUL ends a C string early, and the kernel caps each one's length. */
function checkArgument(text: string, what: string): void {
  if (text.includes('\u0000')) bad(`${what} contains a NUL character, which no command line can carry.`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ARGUMENT_BYTES) bad(`${what} is ${bytes} bytes; at most ${MAX_ARGUMENT_BYTES} fit in one argument of a command. Put it in a script file instead.`);
}

/** Names as POSIX shells and Slurm take them; a name with "=" would set another variable than the one it names. */
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkEnvironment(environment: unknown): Readonly<Record<string, string>> {
  if (environment === undefined) return {};
  if (typeof environment !== 'object' || environment === null || Array.isArray(environment)) bad('environment must map names to strings.');
  let bytes = 0;
  for (const [name, value] of Object.entries(environment)) {
    if (!ENVIRONMENT_NAME.test(name)) bad(`The environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and _, not starting with a digit (no "=").`);
    if (typeof value !== 'string') bad(`The environment variable ${name} must be a string, not ${JSON.stringify(value)}.`);
    checkArgument(value, `The environment variable ${name}`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 2;
  }
  if (bytes > MAX_ENVIRONMENT_BYTES) bad(`The environment adds ${bytes} bytes; at most ${MAX_ENVIRONMENT_BYTES} are allowed.`);
  return environment as Readonly<Record<string, string>>;
}

/** A relative working folder is relative to the workspace and must stay in it; an absolute one is the user's explicit choice. */
function workingFolderOf(folder: unknown, base: string): string {
  if (folder === undefined) return base;
  if (typeof folder !== 'string' || folder === '') bad('workingFolder must be a folder name.');
  checkArgument(folder, 'workingFolder');
  if (isAbsolute(folder)) return folder;
  const resolved = resolve(base, folder);
  const inside = relative(base, resolved);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) bad(`The working folder ${JSON.stringify(folder)} leads outside ${base}; give an absolute path to run somewhere else.`);
  return resolved;
}

export function normaliseWorkload(spec: WorkloadSpec, base: string = process.cwd()): Workload {
  if (typeof spec !== 'object' || spec === null) bad('A workload must be an object.');
  if (typeof spec.name !== 'string' || spec.name.trim() === '') bad('A workload needs a name.');
  if (!WORKLOAD_TYPES.includes(spec.type)) bad(`type must be one of ${WORKLOAD_TYPES.join(', ')}, not ${JSON.stringify(spec.type)}.`);
  const defaults = TYPE_DEFAULTS[spec.type];
  const run = spec.run;
  if (run?.kind === 'shell') {
    if (typeof run.command !== 'string' || run.command.trim() === '') bad('The command to run is empty.');
    checkArgument(run.command, 'The command');
  } else if (run?.kind === 'script') {
    if (typeof run.file !== 'string' || run.file.trim() === '') bad('The script file to run is empty.');
    checkArgument(run.file, 'The script file name');
    if (run.interpreter !== undefined) checkArgument(run.interpreter, 'The interpreter');
    if (run.args !== undefined && (!Array.isArray(run.args) || run.args.some((arg) => typeof arg !== 'string'))) bad('The script\'s arguments must be a list of strings.');
    for (const [index, arg] of (run.args ?? []).entries()) checkArgument(arg, `Argument ${index + 1} of the script`);
  } else bad('run must be a shell command ({ kind: "shell", command }) or a script ({ kind: "script", file }).');
  const id = spec.id ?? workloadId(spec.name);
  if (!/^[a-z0-9][a-z0-9._-]{0,79}$/i.test(id)) bad(`The id ${JSON.stringify(id)} may hold only letters, digits, dot, dash and underscore (at most 80).`);
  const workingFolder = workingFolderOf(spec.workingFolder, base);
  const estimatedMinutes = numberIn(spec.estimatedMinutes, 'estimatedMinutes', 0.01, 60 * 24 * 30, defaults.estimatedMinutes);
  const files = (value: unknown, field: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) bad(`${field} must be a list of file names.`);
    return value as string[];
  };
  const codes = spec.noRetryExitCodes ?? [];
  if (!Array.isArray(codes) || codes.some((code) => !Number.isInteger(code) || code < 0 || code > 255)) bad('noRetryExitCodes must be a list of exit codes from 0 to 255.');
  if (spec.tier !== undefined && spec.tier !== 'local' && spec.tier !== 'cluster') bad(`tier must be local or cluster, not ${JSON.stringify(spec.tier)}.`);
  const environment = checkEnvironment(spec.environment);
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
