// The cost floor's second relaxation of the local machine (computeFloor.ts): time cut into buckets,
// each holding `cores` core-seconds per second of its length, and a job of p cores putting at most
// p core-seconds per second into the part of a bucket inside its window, since it never runs on
// more than its p cores at once. Every real schedule meets both limits, so the most work this
// serves bounds what any schedule can run here in time. It is a flow from jobs to buckets; the
// jobs are added a rate step at a time and the flow grows (Dinic's augmenting paths), so the greedy
// over rate steps costs one flow in all.

/** A job's window and work, as in computeFloor.ts, with its cores. */
export interface CappedWindow {
  readonly release: number;
  readonly deadline: number;
  readonly work: number;
  readonly cores: number;
}

const EPSILON = 1e-9;

export class CappedMachine {
  private readonly head: number[] = [];
  private readonly to: number[] = [];
  private readonly capacity: number[] = [];
  private readonly next: number[] = [];
  private level = new Int32Array(0);
  private cursor = new Int32Array(0);
  private readonly source = 0;
  private readonly sink = 1;
  private served = 0;

  constructor(
    private readonly cores: number,
    private readonly bucketSeconds: number,
    private readonly buckets: number,
  ) {
    for (let node = 0; node < 2 + buckets; node++) this.head.push(-1);
    for (let bucket = 0; bucket < buckets; bucket++) this.edge(2 + bucket, this.sink, cores * bucketSeconds);
  }

  /** Adds a job that may be served; call `serve` to serve what can be. */
  add(window: CappedWindow): void {
    const node = this.head.length;
    this.head.push(-1);
    this.edge(this.source, node, window.work);
    const first = Math.max(0, Math.floor(window.release / this.bucketSeconds));
    for (let bucket = first; bucket < this.buckets && bucket * this.bucketSeconds < window.deadline; bucket++) {
      const overlap = Math.min(window.deadline, (bucket + 1) * this.bucketSeconds) - Math.max(window.release, bucket * this.bucketSeconds);
      if (overlap > 0) this.edge(node, 2 + bucket, Math.min(window.cores, this.cores) * overlap);
    }
  }

  /** The most core-seconds of the jobs added so far the machine can serve. */
  serve(): number {
    while (this.levels()) {
      this.cursor = Int32Array.from(this.head);
      for (let pushed = this.push(this.source, Number.POSITIVE_INFINITY); pushed > EPSILON; pushed = this.push(this.source, Number.POSITIVE_INFINITY)) this.served += pushed;
    }
    return this.served;
  }

  private edge(from: number, to: number, capacity: number): void {
    for (const [a, b, c] of [[from, to, capacity], [to, from, 0]] as const) {
      this.to.push(b);
      this.capacity.push(c);
      this.next.push(this.head[a]!);
      this.head[a] = this.to.length - 1;
    }
  }

  private levels(): boolean {
    this.level = new Int32Array(this.head.length).fill(-1);
    this.level[this.source] = 0;
    const queue = [this.source];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      for (let edge = this.head[node]!; edge !== -1; edge = this.next[edge]!) {
        const to = this.to[edge]!;
        if (this.capacity[edge]! > EPSILON && this.level[to]! < 0) {
          this.level[to] = this.level[node]! + 1;
          queue.push(to);
        }
      }
    }
    return this.level[this.sink]! >= 0;
  }

  private push(node: number, limit: number): number {
    if (node === this.sink) return limit;
    for (; this.cursor[node]! !== -1; this.cursor[node] = this.next[this.cursor[node]!]!) {
      const edge = this.cursor[node]!;
      const to = this.to[edge]!;
      if (this.capacity[edge]! <= EPSILON || this.level[to] !== this.level[node]! + 1) continue;
      const pushed = this.push(to, Math.min(limit, this.capacity[edge]!));
      if (pushed > EPSILON) {
        this.capacity[edge] = this.capacity[edge]! - pushed;
        this.capacity[edge ^ 1] = this.capacity[edge ^ 1]! + pushed;
        return pushed;
      }
    }
    return 0;
  }
}
