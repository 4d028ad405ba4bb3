// Progress of long CLI work, on stderr so stdout stays the command's answer: a bar (cli-progress)
// on a terminal, plain lines otherwise (a CI log), nothing with NEUROLAKE_PROGRESS=off. Ctrl-C
// cancels the work, which then changes nothing, and the command exits 130.
import { Presets, SingleBar } from 'cli-progress';
import { CancelledError, describeProgress, percentOf, type ProgressReporter, type ProgressUpdate, type WorkOptions } from '../engines/common';
import { EXIT } from './exitCodes';
import { CliError, type Io } from './output';

export type ProgressMode = 'bar' | 'lines' | 'off';

const MODES: readonly ProgressMode[] = ['bar', 'lines', 'off'];

/** Plain lines start only once work has gone on this long, so quick commands print just their answer. */
const QUIET_MS = 1000;

type Env = Readonly<Record<string, string | undefined>>;

/** NEUROLAKE_PROGRESS chooses; else a bar when stderr is a terminal, plain lines when it is not. */
function progressMode(io: Pick<Io, 'terminal'>, env: Env = process.env): { mode: ProgressMode; chosen: boolean } {
  const asked = env['NEUROLAKE_PROGRESS']?.trim().toLowerCase();
  if (MODES.includes(asked as ProgressMode)) return { mode: asked as ProgressMode, chosen: true };
  return { mode: io.terminal === undefined ? 'lines' : 'bar', chosen: false };
}

/**
 * Runs long engine work with its progress on stderr and Ctrl-C as its Cancel. A cancellation
 * ends the command with the engine's words ("… was cancelled; nothing was changed.") and exit 130.
 */
export async function withCliProgress<T>(io: Io, work: (options: WorkOptions) => Promise<T>, env: Env = process.env): Promise<T> {
  const controller = new AbortController();
  // Once: a second Ctrl-C, should the work not stop, ends the process as usual.
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  const display = createDisplay(io, env);
  try {
    return await work({ progress: display, signal: controller.signal });
  } catch (error) {
    if (error instanceof CancelledError) throw new CliError(error.message, EXIT.cancelled);
    throw error;
  } finally {
    display.stop();
    process.removeListener('SIGINT', interrupt);
  }
}

interface Display extends ProgressReporter {
  stop(): void;
}

function createDisplay(io: Io, env: Env): Display {
  const { mode, chosen } = progressMode(io, env);
  if (mode === 'bar' && io.terminal !== undefined) return new ProgressBar(io.terminal);
  if (mode === 'off') return { report: () => undefined, stop: () => undefined };
  return new ProgressLines(io, chosen ? 0 : QUIET_MS);
}

/**
 * One line per phase and per tenth of it: "Checking entries: 750 of 1,500 (50%)". With a quiet
 * time, lines start only once the work has gone on that long since its first update.
 */
class ProgressLines implements Display {
  private firstAt: number | undefined;
  private last: string | undefined;

  constructor(
    private readonly io: Pick<Io, 'err'>,
    private readonly quietMs: number,
  ) {}

  report(update: ProgressUpdate): void {
    this.firstAt ??= Date.now();
    if (Date.now() - this.firstAt < this.quietMs) return;
    const percentage = percentOf(update);
    const key = `${update.message ?? ''}\u0000${percentage === undefined ? '' : Math.floor(percentage / 10)}`;
    if (key === this.last) return;
    this.last = key;
    this.io.err(`${describeProgress(update)}${percentage === undefined ? '' : ` (${percentage}%)`}`);
  }

  stop(): void {}
}

/** A bar for each phase that has a total; the label says what is counted, in its unit. */
class ProgressBar implements Display {
  private bar: SingleBar | undefined;
  private total: number | undefined;

  constructor(private readonly terminal: NodeJS.WriteStream) {}

  report(update: ProgressUpdate): void {
    const label = describeProgress(update);
    if (update.done === undefined || update.total === undefined) {
      this.bar?.update({ label });
      return;
    }
    if (this.bar === undefined) {
      this.bar = new SingleBar(
        { stream: this.terminal, format: '{bar} {percentage}% | {label} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
        Presets.shades_classic,
      );
      this.bar.start(update.total, update.done, { label });
    } else {
      if (update.total !== this.total) this.bar.setTotal(update.total);
      this.bar.update(update.done, { label });
    }
    this.total = update.total;
  }

  stop(): void {
    this.bar?.stop();
  }
}
