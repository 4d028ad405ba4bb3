// `neurolake compute …`: submit workloads, list and inspect runs, cancel them, read their logs and
// the statistics, on the same data folder (and cluster) as the extension.
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FINISHED_STATES, WORKLOAD_TYPES, type ComputeEngine, type Run, type RunState, type WorkloadSpec, type WorkloadType } from '../engines/compute';
import { collect, collectList, positiveInteger } from './catalogContext';
import { choice, positiveNumber, withCompute, type ComputeCliContext, type ComputeCliOptions } from './computeContext';
import { formatDecision, formatRun, formatRuns, formatStats } from './computeFormat';
import { EXIT } from './exitCodes';
import { CliError, print, type OutputOptions } from './output';

interface SubmitOptions extends OutputOptions {
  readonly name?: string;
  readonly type: WorkloadType;
  readonly id?: string;
  readonly script?: string;
  readonly interpreter?: string;
  readonly cwd?: string;
  readonly env?: string[];
  readonly cpus?: number;
  readonly memory?: number;
  readonly minutes?: number;
  readonly priority?: number;
  readonly maxWait?: number;
  readonly budget?: number;
  readonly timeout?: number;
  readonly retries?: number;
  readonly fatalExitCodes?: string[];
  readonly input?: string[];
  readonly output?: string[];
  readonly tier?: 'local' | 'cluster';
  readonly wait?: boolean;
  readonly dryRun?: boolean;
}

const STATES: readonly RunState[] = ['queued', 'starting', 'running', 'completed', 'failed', 'cancelled', 'timed-out', 'lost', 'refused'];

const EXAMPLES = `
Examples:
  $ neurolake compute submit --name nightly-etl --type etl --cpus 2 --memory 4 --minutes 30 -- python3 etl.py
  $ neurolake compute submit --type ml --script train.py --max-wait 30 --wait
  $ neurolake compute ls --state running --json
  $ neurolake compute logs nightly-etl --follow

The cluster: --cluster-url (or $NEUROLAKE_SLURM_URL, slurmrestd), --shared-folder (or
$NEUROLAKE_SLURM_SHARED_FOLDER; without one, a job's --input and --output are storage keys that
travel through the storage cloud tier by presigned URLs), --slurm-user (or $NEUROLAKE_SLURM_USER);
the token is $SLURM_JWT, else one from \`scontrol token\`.

Exit codes: 0 success (submit --wait: the job's own exit code), 1 general failure, 2 usage,
3 no such run, 4 the workload is already queued or running, 5 the workload was refused.`;

export function addComputeCommands(program: Command, ctx: Omit<ComputeCliContext, 'options'>): Command {
  const compute: Command = program
    .command('compute')
    .description('run workloads on this machine or burst them to a Slurm cluster, and see what they cost')
    .option('--data-folder <path>', 'data folder to use (default: $NEUROLAKE_HOME, else ~/.neurolake)')
    .option('--cluster-url <url>', 'slurmrestd of the cluster to burst to (default: $NEUROLAKE_SLURM_URL; none: local only)')
    .option('--api-version <v>', 'slurmrestd API version (default v0.0.38, Slurm 22.05)')
    .option('--slurm-user <name>', 'Slurm user the token belongs to (default: $NEUROLAKE_SLURM_USER, else $USER)')
    .option('--shared-folder <path>', 'folder this machine and the cluster both see (default: $NEUROLAKE_SLURM_SHARED_FOLDER)')
    .option('--partition <name>', 'Slurm partition (default: the cluster\'s default)')
    .option('--prices <preset>', 'price preset: seed or aws', choice(['seed', 'aws'] as const))
    .option('--cpu-limit <pct>', 'share of this machine\'s CPU NeuroLake may use (default 80)', positiveNumber)
    .option('--when-cluster-down <what>', 'a workload that must burst while the cluster is down: queue or refuse', choice(['queue', 'refuse'] as const))
    .enablePositionalOptions(false)
    .addHelpText('after', EXAMPLES);
  const full: ComputeCliContext = { ...ctx, options: () => compute.opts<ComputeCliOptions>() };
  const leaf = (name: string, description: string): Command => compute.command(name).description(description).option('--json', 'print JSON');

  leaf('submit', 'submit a workload: a shell command after --, or --script FILE; prints the decision and the run id')
    .argument('[command...]', 'the shell command to run')
    .option('--name <name>', 'what to call it (default: the command); its id is made from it')
    .option('--type <type>', `${WORKLOAD_TYPES.join(', ')}; sets default resources`, choice(WORKLOAD_TYPES), 'etl')
    .option('--id <id>', 'a stable workload id (default: made from the name)')
    .option('--script <file>', 'run this script file by its extension (.py, .sh, .js, .R…)')
    .option('--interpreter <cmd>', 'run the script with this instead')
    .option('--cwd <folder>', 'working folder (default: the current one)')
    .option('--env <NAME=value>', 'an environment variable; repeatable', collect)
    .option('--cpus <n>', 'CPUs it needs', positiveNumber)
    .option('--memory <gb>', 'memory it needs, in GB', positiveNumber)
    .option('--minutes <n>', 'how long it should run, in minutes', positiveNumber)
    .option('--priority <1-10>', 'priority, 10 highest (default 5)', positiveInteger)
    .option('--max-wait <minutes>', 'the longest it may wait before it starts somewhere', positiveNumber)
    .option('--budget <usd>', 'the most it may cost on the cluster', positiveNumber)
    .option('--timeout <minutes>', 'stop it after this long (default 3 x the estimate, at least 10)', positiveNumber)
    .option('--retries <n>', 'attempts after a failing exit (default 0)', (value) => Number(value))
    .option('--fatal-exit-codes <codes>', 'exit codes not worth retrying, comma-separated', collectList)
    .option('--input <file>', 'a file a cluster run needs; repeatable', collect)
    .option('--output <file>', 'a file a cluster run makes, copied back; repeatable', collect)
    .option('--tier <tier>', 'run it there, whatever the scheduler would decide: local or cluster', choice(['local', 'cluster'] as const))
    .option('--wait', 'wait for it to end, streaming its log; exit with its exit code')
    .option('--dry-run', 'only print the decision; run nothing')
    .action((command: string[], options: SubmitOptions) => submitCommand(full, command, options));

  leaf('ls', 'list runs, newest first')
    .option('--state <state>', `only runs in these states (${STATES.join(', ')}); repeatable`, collectList)
    .option('--limit <n>', 'at most this many (default 50)', positiveInteger)
    .action((options: OutputOptions & { state?: string[]; limit?: number }) =>
      withCompute(full, async (engine) => {
        const unknown = (options.state ?? []).filter((state) => !(STATES as readonly string[]).includes(state));
        if (unknown.length > 0) throw new CliError(`unknown state ${unknown.join(', ')}; use ${STATES.join(', ')}`, EXIT.usage);
        const runs = engine.list({ ...(options.state === undefined ? {} : { states: options.state as RunState[] }), limit: options.limit ?? 50 });
        print(full.io, options, runs, () => formatRuns(runs));
      }),
    );

  leaf('show', 'show a run (or a workload\'s latest run): decision, resources, times, exit')
    .argument('<run-or-workload-id>')
    .action((id: string, options: OutputOptions) =>
      withCompute(full, async (engine) => {
        const run = engine.get(id);
        print(full.io, options, run, () => formatRun(run));
      }),
    );

  leaf('cancel', 'cancel a queued or running run')
    .argument('<run-or-workload-id>')
    .action((id: string, options: OutputOptions) =>
      withCompute(full, async (engine) => {
        const run = await engine.cancel(id);
        print(full.io, options, run, () => `${run.id} ${run.state}${run.detail === undefined ? '' : `: ${run.detail}`}`);
      }),
    );

  compute
    .command('logs')
    .description('print a run\'s output (stdout and stderr)')
    .argument('<run-or-workload-id>')
    .option('--follow', 'keep printing as it grows, until the run ends')
    .action((id: string, options: { follow?: boolean }) =>
      withCompute(full, async (engine) => {
        const run = engine.get(id);
        await streamLog(engine, run.id, (text) => process.stdout.write(text), options.follow === true);
      }),
    );

  leaf('stats', 'runs by tier, type and state; cost and what it saved against cloud-only; queue waits')
    .action((options: OutputOptions) =>
      withCompute(full, async (engine) => {
        const stats = engine.stats();
        print(full.io, options, stats, () => formatStats(stats));
      }),
    );
  return compute;
}

async function submitCommand(ctx: ComputeCliContext, command: string[], options: SubmitOptions): Promise<void> {
  const spec = workloadSpec(command, options);
  await withCompute(ctx, async (engine) => {
    if (options.dryRun === true) {
      const decision = engine.preview(spec);
      print(ctx.io, options, decision, () => formatDecision(decision));
      return;
    }
    const submitted = await engine.submit(spec);
    if (options.json !== true) ctx.io.err(`${submitted.id}: ${formatDecision(engine.get(submitted.id).decision)}`);
    if (submitted.state === 'refused') {
      if (options.json === true) print(ctx.io, options, submitted, () => '');
      throw new CliError(`${submitted.id} refused: ${submitted.detail ?? submitted.decision.reason}`, EXIT.invalidInput);
    }
    if (options.wait === true) {
      const ended = await streamLog(engine, submitted.id, (text) => (options.json === true ? undefined : process.stdout.write(text)), true);
      if (options.json === true) print(ctx.io, options, ended, () => '');
      const how = `${ended.id} ${ended.state}${ended.exitCode === undefined ? '' : ` (exit ${ended.exitCode})`}${ended.detail === undefined ? '' : `: ${ended.detail}`}`;
      if (ended.state !== 'completed') throw new CliError(how, ended.exitCode !== undefined && ended.exitCode !== 0 ? ended.exitCode : EXIT.general);
      if (options.json !== true) ctx.io.err(how);
      return;
    }
    // This process runs what it starts on this machine in the background, so it leaves once the run has started.
    const started = await untilStarted(engine, submitted.id);
    print(ctx.io, options, started, () => `${started.id} ${started.state}${started.tier === undefined ? '' : ` on ${started.tier}`}`);
  });
}

function workloadSpec(command: string[], options: SubmitOptions): WorkloadSpec {
  if (command.length > 0 && options.script !== undefined) throw new CliError('give a command or --script, not both', EXIT.usage);
  if (command.length === 0 && options.script === undefined) throw new CliError('nothing to run: give a command after -- or --script FILE', EXIT.usage);
  const environment: Record<string, string> = {};
  for (const pair of options.env ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliError(`--env ${pair}: use NAME=value`, EXIT.usage);
    environment[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const run: WorkloadSpec['run'] =
    options.script !== undefined
      ? { kind: 'script', file: options.script, ...(options.interpreter === undefined ? {} : { interpreter: options.interpreter }) }
      : { kind: 'shell', command: command.join(' ') };
  const name = options.name ?? (options.script ?? command.join(' ')).slice(0, 60);
  const noRetry = (options.fatalExitCodes ?? []).map(Number);
  if (noRetry.some((code) => !Number.isInteger(code))) throw new CliError('--fatal-exit-codes takes exit codes, e.g. 2,3', EXIT.usage);
  const optional = <K extends keyof WorkloadSpec>(key: K, value: WorkloadSpec[K] | undefined): Partial<WorkloadSpec> => (value === undefined ? {} : { [key]: value });
  return {
    name,
    type: options.type,
    run,
    environment,
    ...optional('id', options.id),
    // Relative to the shell's folder, wherever that leads: the user typed it.
    ...optional('workingFolder', options.cwd === undefined ? undefined : resolve(options.cwd)),
    ...optional('cpus', options.cpus),
    ...optional('memoryGb', options.memory),
    ...optional('estimatedMinutes', options.minutes),
    ...optional('priority', options.priority),
    ...optional('maxWaitMinutes', options.maxWait),
    ...optional('budgetUsd', options.budget),
    ...optional('timeoutMinutes', options.timeout),
    ...optional('retries', options.retries),
    ...(noRetry.length === 0 ? {} : { noRetryExitCodes: noRetry }),
    ...optional('inputs', options.input),
    ...optional('outputs', options.output),
    ...optional('tier', options.tier),
  };
}

async function untilStarted(engine: ComputeEngine, runId: string): Promise<Run> {
  for (;;) {
    const run = engine.get(runId);
    if (run.state === 'running' || FINISHED_STATES.has(run.state)) return run;
    await new Promise<void>((resolve) => {
      const keepAlive = setInterval(() => undefined, 60_000);
      const subscription = engine.onDidChange((change) => {
        if (change.runId !== runId) return;
        clearInterval(keepAlive);
        subscription.dispose();
        resolve();
      });
    });
  }
}

/** Writes a run's log as it grows; with `follow`, until the run has ended. Resolves to the run as it ended (or is). */
export async function streamLog(engine: ComputeEngine, runId: string, write: (text: string) => void, follow: boolean): Promise<Run> {
  let offset = 0;
  let file: string | undefined;
  const drain = async (): Promise<void> => {
    const current = engine.get(runId).execution?.logFile;
    if (current === undefined) return;
    if (current !== file) {
      // A cluster log fetched into the data folder at the end is the same text: carry on from the same offset.
      file = current;
    }
    const handle = await open(file, 'r').catch(() => undefined);
    if (handle === undefined) return;
    try {
      const { size } = await handle.stat();
      if (size <= offset) return;
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      offset = size;
      write(buffer.toString('utf8'));
    } finally {
      await handle.close();
    }
  };
  for (;;) {
    const run = engine.get(runId);
    await drain();
    if (!follow || FINISHED_STATES.has(run.state)) {
      await drain();
      return engine.get(runId);
    }
    // A log grows without telling anyone: look again shortly, or as soon as the run changes.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, 200);
      const subscription = engine.onDidChange((change) => {
        if (change.runId === runId) finish();
      });
      function finish(): void {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  }
}
