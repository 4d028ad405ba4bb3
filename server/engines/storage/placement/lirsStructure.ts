// LIRS (Jiang & Zhang, SIGMETRICS'02) as a local-tier structure, by bytes. An object's worth is
// its reuse distance, not its recency: objects whose last two requests were close together
// (LIR) hold 99% of the capacity; the rest is a small FIFO of resident HIR objects, where new
// and long-idle objects wait for a second request. The recency stack keeps, beside the
// residents, ghosts of recently evicted HIR objects: a ghost requested again while it is still
// in the stack has a reuse distance shorter than the stack's coldest LIR object, and takes its
// place. This is what keeps multi-pattern traffic (loops beside hot sets) near the optimum, where
// W-TinyLFU's frequency filter, which forgets slowly, lags behind.
//
// LIRS trusts one short reuse distance: a returning ghost displaces the coldest LIR object at
// once. Traffic that sweeps back over what it just read (a zigzag) defeats that: each returning
// ghost demotes a LIR object the sweep is about to reach, so the structure keeps neither half
// and misses nearly everything. So the structure watches its promotions: a run of returning
// ghosts, each from the newer half of the ghost list (the newest evicted come back first), with
// no hit or newcomer between them, as long as a sixteenth of its residents, is LIRS's premise
// failing; from then on a returning ghost comes back as a resident HIR object and becomes LIR
// only on its next return (or a hit while it is in the HIR queue). The run is short enough to
// spare most of the LIR set of the sweep that shows it; loops bring back the oldest ghosts and
// multi-pattern and recency-heavy traffic has hits between, so they keep the paper's rule.
//
// Memory: one node per resident (key, hash, size, state, two flags, two pairs of links) and per
// ghost; ghosts are at most twice as many as residents (the oldest go first).
import type { ResidentNode, TierStructure } from './tierStructure';

/** Share of the capacity for resident HIR objects (the paper's 1%). */
const HIR_SHARE = 0.01;
/** Ghosts kept per resident. */
const GHOSTS_PER_RESIDENT = 2;
/**
 * A run of returning ghosts with no hit between them, this long in residents (and at least
 * MIN_FAILED_RUN), makes returning ghosts wait for a second return before they become LIR.
 */
const FAILED_RUN_SHARE = 1 / 16;
const MIN_FAILED_RUN = 8;

const State = { Lir: 0, Hir: 1, Ghost: 2, Pinned: 3 } as const;
type State = (typeof State)[keyof typeof State];

class LirsNode implements ResidentNode {
  /** Links in the recency stack. */
  stackOlder: LirsNode | undefined = undefined;
  stackNewer: LirsNode | undefined = undefined;
  inStack = false;
  /** Came back as a ghost once and was kept HIR (cautious rule): its next return makes it LIR. */
  returnedOnce = false;
  /** When it last became a ghost, counted in ghosts made. */
  ghostSeq = 0;
  /** Links in the one FIFO the node is on: resident HIR queue, ghosts, or pinned. */
  fifoOlder: LirsNode | undefined = undefined;
  fifoNewer: LirsNode | undefined = undefined;
  constructor(
    readonly key: string,
    readonly hash: number,
    public size: number,
    public state: State,
  ) {}

  get isPinned(): boolean {
    return this.state === State.Pinned;
  }
}

/** The recency stack: oldest at the bottom. */
class Stack {
  bottom: LirsNode | undefined;
  top: LirsNode | undefined;

  push(node: LirsNode): void {
    node.stackOlder = this.top;
    node.stackNewer = undefined;
    if (this.top !== undefined) this.top.stackNewer = node;
    else this.bottom = node;
    this.top = node;
    node.inStack = true;
  }

  unlink(node: LirsNode): void {
    if (node.stackOlder !== undefined) node.stackOlder.stackNewer = node.stackNewer;
    else this.bottom = node.stackNewer;
    if (node.stackNewer !== undefined) node.stackNewer.stackOlder = node.stackOlder;
    else this.top = node.stackOlder;
    node.stackOlder = undefined;
    node.stackNewer = undefined;
    node.inStack = false;
  }

  moveToTop(node: LirsNode): void {
    if (this.top === node) return;
    if (node.inStack) this.unlink(node);
    this.push(node);
  }
}

/** A FIFO counting the bytes and nodes on it. */
class Fifo {
  oldest: LirsNode | undefined;
  newest: LirsNode | undefined;
  bytes = 0;
  length = 0;

  append(node: LirsNode): void {
    node.fifoOlder = this.newest;
    node.fifoNewer = undefined;
    if (this.newest !== undefined) this.newest.fifoNewer = node;
    else this.oldest = node;
    this.newest = node;
    this.bytes += node.size;
    this.length += 1;
  }

  unlink(node: LirsNode): void {
    if (node.fifoOlder !== undefined) node.fifoOlder.fifoNewer = node.fifoNewer;
    else this.oldest = node.fifoNewer;
    if (node.fifoNewer !== undefined) node.fifoNewer.fifoOlder = node.fifoOlder;
    else this.newest = node.fifoOlder;
    node.fifoOlder = undefined;
    node.fifoNewer = undefined;
    this.bytes -= node.size;
    this.length -= 1;
  }
}

export class LowInterReferenceRecency implements TierStructure {
  private readonly index = new Map<string, LirsNode>();
  private readonly stack = new Stack();
  private readonly hirQueue = new Fifo();
  private readonly ghosts = new Fifo();
  private readonly pinned = new Fifo();
  private lirBytes = 0;
  private maxLir = 0;
  /** Returning ghosts from the newer half in a row (a hit, a newcomer or an older ghost ends it). */
  private ghostRun = 0;
  /** Ghosts made so far: a ghost's age is the ghosts made since it was. */
  private ghostings = 0;
  /** The paper's rule (a returning ghost becomes LIR at once) until a failed run is seen. */
  private trustsOneReturn = true;

  /** @param evicted receives the keys dropped, when the owner must act on them; a shadow passes none. */
  constructor(
    private capacityValue: number,
    readonly evicted: string[] | undefined = undefined,
  ) {
    this.setCapacity(capacityValue);
  }

  get capacity(): number {
    return this.capacityValue;
  }

  get usedBytes(): number {
    return this.lirBytes + this.hirQueue.bytes + this.pinned.bytes;
  }

  get pinnedBytes(): number {
    return this.pinned.bytes;
  }

  get residents(): number {
    return this.index.size - this.ghosts.length;
  }

  /** Ghosts held now (bounded by twice the residents). */
  get ghostCount(): number {
    return this.ghosts.length;
  }

  lookup(key: string): ResidentNode | undefined {
    const node = this.index.get(key);
    return node === undefined || node.state === State.Ghost ? undefined : node;
  }

  access(key: string, hash: number, size: number): boolean {
    const node = this.index.get(key);
    if (node !== undefined && node.state !== State.Ghost) {
      this.touch(node);
      return true;
    }
    if (size <= this.capacityValue - this.pinned.bytes) this.insert(key, hash, size, false);
    return false;
  }

  /** False once a failed run of promotions has made returning ghosts wait for a second return. */
  get promotesOnFirstReturn(): boolean {
    return this.trustsOneReturn;
  }

  touch(resident: ResidentNode): void {
    const node = resident as LirsNode;
    this.ghostRun = 0;
    if (node.state === State.Lir) {
      const wasBottom = this.stack.bottom === node;
      this.stack.moveToTop(node);
      if (wasBottom) this.prune();
    } else if (node.state === State.Hir) {
      if (node.inStack) {
        // Requested again within the stack: its reuse distance beats the coldest LIR object's.
        this.hirQueue.unlink(node);
        node.state = State.Lir;
        this.lirBytes += node.size;
        this.stack.moveToTop(node);
        this.demoteLirsBeyond(node);
      } else {
        this.stack.push(node);
        this.hirQueue.unlink(node);
        this.hirQueue.append(node);
      }
    }
  }

  insert(key: string, hash: number, size: number, pinned: boolean): void {
    const ghost = this.index.get(key);
    if (ghost !== undefined) this.forgetGhost(ghost);
    const node = new LirsNode(key, hash, size, State.Hir);
    this.index.set(key, node);
    const promote = ghost !== undefined && this.promotesReturning(ghost, node);
    if (ghost === undefined) this.ghostRun = 0;
    if (pinned) {
      node.state = State.Pinned;
      this.pinned.append(node);
    } else if (promote || this.lirBytes + size <= this.maxLir) {
      // A returning ghost, or room left among the LIR objects while the tier fills.
      node.state = State.Lir;
      this.lirBytes += size;
      this.stack.push(node);
      this.demoteLirsBeyond(node);
    } else {
      this.stack.push(node);
      this.hirQueue.append(node);
    }
    this.fit(node);
  }

  /** Whether a ghost requested again becomes LIR (see the file's comment); counts the run. */
  private promotesReturning(ghost: LirsNode, node: LirsNode): boolean {
    // Only ghosts from the newer half of the ghost list count: a loop brings back the oldest
    // ghosts, which LIRS handles well; a sweep back over what was just read brings back the
    // newest first.
    const recent = 2 * (this.ghostings - ghost.ghostSeq) < this.ghosts.length;
    this.ghostRun = recent ? this.ghostRun + 1 : 0;
    if (this.trustsOneReturn && this.ghostRun >= Math.max(MIN_FAILED_RUN, FAILED_RUN_SHARE * this.residents)) this.trustsOneReturn = false;
    if (this.trustsOneReturn || ghost.returnedOnce) return true;
    node.returnedOnce = true;
    return false;
  }

  adopt(resident: ResidentNode): void {
    const node = new LirsNode(resident.key, resident.hash, resident.size, resident.isPinned ? State.Pinned : State.Hir);
    this.index.set(node.key, node);
    if (node.isPinned) {
      this.pinned.append(node);
      return;
    }
    this.stack.push(node);
    this.hirQueue.append(node);
  }

  /** After adopting coldest first: the hottest residents, up to the LIR share, become LIR. */
  settle(): void {
    for (let node = this.stack.top; node !== undefined; node = node.stackOlder) {
      if (node.state !== State.Hir || this.lirBytes + node.size > this.maxLir) continue;
      this.hirQueue.unlink(node);
      node.state = State.Lir;
      this.lirBytes += node.size;
    }
    this.prune();
    this.fit();
  }

  remove(key: string): ResidentNode | undefined {
    const node = this.index.get(key);
    if (node === undefined) return undefined;
    if (node.state === State.Ghost) {
      this.forgetGhost(node);
      return undefined;
    }
    this.index.delete(key);
    if (node.inStack) this.stack.unlink(node);
    if (node.state === State.Lir) this.lirBytes -= node.size;
    else if (node.state === State.Hir) this.hirQueue.unlink(node);
    else this.pinned.unlink(node);
    this.prune();
    return node;
  }

  setPinned(key: string, pinned: boolean): void {
    const node = this.index.get(key);
    if (node === undefined || node.state === State.Ghost || node.isPinned === pinned) return;
    if (pinned) {
      if (node.inStack) this.stack.unlink(node);
      if (node.state === State.Lir) this.lirBytes -= node.size;
      else this.hirQueue.unlink(node);
      node.state = State.Pinned;
      this.pinned.append(node);
      this.prune();
      return;
    }
    // An unpinned object starts over as HIR, where it must earn its place.
    this.pinned.unlink(node);
    node.state = State.Hir;
    this.stack.push(node);
    this.hirQueue.append(node);
    this.fit();
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.maxLir = capacity * (1 - HIR_SHARE);
    while (this.lirBytes > this.maxLir && this.demoteBottomLir()) {
      // Demoted LIR objects join the HIR queue; fit evicts from there.
    }
    this.fit();
  }

  coldestFirst(): ResidentNode[] {
    const nodes: ResidentNode[] = [];
    for (let node = this.hirQueue.oldest; node !== undefined; node = node.fifoNewer) nodes.push(node);
    for (let node = this.stack.bottom; node !== undefined; node = node.stackNewer) if (node.state === State.Lir) nodes.push(node);
    for (let node = this.pinned.oldest; node !== undefined; node = node.fifoNewer) nodes.push(node);
    return nodes;
  }

  /**
   * Evicts from the HIR queue's head until the tier fits; evicted objects in the stack stay as
   * ghosts. The object just inserted is the last to go: as in the paper, a newcomer takes the
   * place of older HIR objects, and of the coldest LIR objects when those are not enough.
   */
  private fit(newcomer?: LirsNode): void {
    while (this.usedBytes > this.capacityValue) {
      let victim = this.hirQueue.oldest;
      if (victim === newcomer && victim !== undefined) victim = victim.fifoNewer;
      if (victim === undefined) {
        if (this.demoteBottomLir(newcomer)) continue;
        // Nothing left but the newcomer (and pins): it goes after all, through the HIR queue.
        if (newcomer?.state === State.Lir && this.demoteBottomLir()) continue;
        if (newcomer?.state !== State.Hir) break;
        victim = newcomer;
      }
      this.hirQueue.unlink(victim);
      this.evicted?.push(victim.key);
      if (victim.inStack) {
        victim.state = State.Ghost;
        victim.ghostSeq = ++this.ghostings;
        this.ghosts.append(victim);
      } else {
        this.index.delete(victim.key);
      }
    }
    while (this.ghosts.length > GHOSTS_PER_RESIDENT * Math.max(1, this.residents)) this.forgetGhost(this.ghosts.oldest as LirsNode);
  }

  /** Keeps the LIR objects within their share, sparing `spared` (just promoted). */
  private demoteLirsBeyond(spared: LirsNode): void {
    while (this.lirBytes > this.maxLir && this.stack.bottom !== spared && this.demoteBottomLir()) {
      // Each pass moves the stack's coldest LIR object to the HIR queue.
    }
  }

  /** The stack's bottom LIR object becomes a resident HIR one; false when there is none (or it is `spared`). */
  private demoteBottomLir(spared?: LirsNode): boolean {
    this.prune();
    const bottom = this.stack.bottom;
    if (bottom === undefined || bottom === spared) return false;
    this.stack.unlink(bottom);
    bottom.state = State.Hir;
    this.lirBytes -= bottom.size;
    this.hirQueue.append(bottom);
    this.prune();
    return true;
  }

  /** Removes HIR objects and ghosts from the stack's bottom, so its bottom is a LIR object. */
  private prune(): void {
    for (let node = this.stack.bottom; node !== undefined && node.state !== State.Lir; node = this.stack.bottom) {
      this.stack.unlink(node);
      if (node.state === State.Ghost) {
        this.ghosts.unlink(node);
        this.index.delete(node.key);
      }
    }
  }

  private forgetGhost(ghost: LirsNode): void {
    if (ghost.inStack) this.stack.unlink(ghost);
    this.ghosts.unlink(ghost);
    this.index.delete(ghost.key);
  }
}
