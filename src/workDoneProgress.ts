// Turns the server's work-done progress into what VS Code's progress notification takes: a
// message, and an increment (VS Code adds increments up; LSP sends the percentage so far).
// Pure, so it is tested without VS Code.
import type { WorkDoneProgressValue } from '../server/protocol';

export interface ProgressStep {
  readonly message?: string;
  readonly increment?: number;
}

export class WorkDoneFollower {
  private percentage = 0;

  /** The step to show for one value; undefined when there is nothing new to show. */
  next(value: WorkDoneProgressValue): ProgressStep | undefined {
    if (value.kind === 'end') return undefined;
    const step: { message?: string; increment?: number } = {};
    if (value.message !== undefined) step.message = value.message;
    if (value.percentage !== undefined) {
      // A new phase starts again from 0: the bar cannot move back, so it waits until it is passed.
      if (value.percentage > this.percentage) step.increment = value.percentage - this.percentage;
      this.percentage = Math.max(this.percentage, value.percentage);
    }
    return step.message === undefined && step.increment === undefined ? undefined : step;
  }
}
