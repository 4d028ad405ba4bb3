// Long work over a list, done in slices: between slices it reports how far it got, lets the event
// loop run (so a cancellation, or another request, gets through) and stops when the caller gave up.
import { NO_PROGRESS, throwIfCancelled, type ProgressUpdate, type WorkOptions } from './progress';

export interface StepOptions extends WorkOptions {
  /** What the steps do, in the user's words ("Checking entries"); sent with every update. */
  readonly message: string;
  /** Named in the cancellation error ("The import was cancelled; nothing was changed."). */
  readonly what?: string;
  readonly unit?: ProgressUpdate['unit'];
}

/** Reports at every hundredth of the list, and at least this often, so a bar moves smoothly. */
const MAX_SLICE_MS = 50;

/**
 * Runs `step` on each item in order. Progress is reported before the first item, after every
 * hundredth of the list (or 50 ms of work, whichever comes first) and after the last; the
 * signal is checked at each of those points, after the event loop has had its turn.
 */
export async function eachStep<T>(items: readonly T[], options: StepOptions, step: (item: T, index: number) => void): Promise<void> {
  const progress = options.progress ?? NO_PROGRESS;
  const total = items.length;
  const report = (done: number): void => progress.report({ message: options.message, done, total, unit: options.unit ?? 'items' });
  throwIfCancelled(options.signal, options.what);
  report(0);
  const every = Math.max(1, Math.ceil(total / 100));
  let sliceStart = performance.now();
  for (let index = 0; index < total; index += 1) {
    step(items[index]!, index);
    const done = index + 1;
    if (done === total || done % every === 0 || performance.now() - sliceStart >= MAX_SLICE_MS) {
      report(done);
      await yieldToEventLoop();
      throwIfCancelled(options.signal, options.what);
      sliceStart = performance.now();
    }
  }
}

/** Lets pending I/O (a cancel request, other requests) run before the work goes on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
