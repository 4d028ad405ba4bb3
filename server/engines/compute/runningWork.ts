// The workloads the scheduler has started, with the local ones also kept apart: burst ones never
// hold this machine's CPUs, and after a long replay or a busy day they far outnumber the local
// ones, so the sums over the machine walk only the local ones, in the same order as before.
import type { Running } from './schedulerTypes';

export class RunningWork {
  private readonly all = new Map<string, Running>();
  /** The local ones, in the order they appear in `all`. */
  private local = new Map<string, Running>();

  get size(): number {
    return this.all.size;
  }

  has(id: string): boolean {
    return this.all.has(id);
  }

  set(id: string, run: Running): void {
    const known = this.all.has(id);
    this.all.set(id, run);
    if (known) {
      // A map keeps a replaced key where it was: rebuild the local ones in that order.
      this.local = new Map([...this.all].filter(([, other]) => other.tier === 'local'));
    } else if (run.tier === 'local') {
      this.local.set(id, run);
    }
  }

  get(id: string): Running | undefined {
    return this.all.get(id);
  }

  delete(id: string): boolean {
    this.local.delete(id);
    return this.all.delete(id);
  }

  /** The local ones, which hold this machine's CPUs and memory. */
  localRuns(): IterableIterator<Running> {
    return this.local.values();
  }

  /** Local CPUs and memory held, summed in the order they started. */
  localHeld(): { cpus: number; memoryGb: number } {
    let cpus = 0;
    let memoryGb = 0;
    for (const run of this.local.values()) {
      cpus += run.job.cpus;
      memoryGb += run.job.memoryGb;
    }
    return { cpus, memoryGb };
  }
}
