/**
 * @module The search state of the block relocation planner: a bay of stacks in flat typed arrays,
 * updated in place by relocations and undone exactly, with the blocking count (the lower bound of
 * Kim & Hong 2006) kept incrementally.
 *
 * Blocks are ranks 1..n (1 leaves first). Row s of `cells` holds stack s bottom → top; `minBelow`
 * holds, for each slot, the smallest block at or below it, so a stack's minimum and whether a block
 * is **blocking** (a smaller block lies below it) are O(1).
 */

export class BayState {
  readonly stackCount: number;
  /** Row stride: the largest stack capacity. */
  readonly width: number;
  readonly blockCount: number;
  readonly capacity: Int32Array;
  readonly cells: Int32Array;
  readonly minBelow: Int32Array;
  readonly height: Int32Array;
  /** Stack of each block (kept after retrieval so retrievals can be undone). */
  readonly stackOf: Int32Array;
  /** Position of each block in its stack (0 = bottom). */
  readonly posOf: Int32Array;
  /** The next block due for retrieval; `blockCount + 1` when the bay is empty. */
  next: number;
  /** Number of blocks in the bay that have a smaller block below them. */
  blocking: number;

  private constructor(stackCount: number, width: number, blockCount: number) {
    this.stackCount = stackCount;
    this.width = width;
    this.blockCount = blockCount;
    this.capacity = new Int32Array(stackCount);
    this.cells = new Int32Array(stackCount * width);
    this.minBelow = new Int32Array(stackCount * width);
    this.height = new Int32Array(stackCount);
    this.stackOf = new Int32Array(blockCount + 2);
    this.posOf = new Int32Array(blockCount + 2);
    this.next = 1;
    this.blocking = 0;
  }

  /**
   * Builds a state from stacks of ranks 1..n (a permutation) and per-stack capacities, then
   * retrieves whatever is already free. Assumes valid input (see `instance.ts` / `solve.ts`).
   */
  static fromRanks(stacks: readonly (readonly number[])[], capacities: readonly number[]): BayState {
    let n = 0;
    let width = 1;
    for (let s = 0; s < stacks.length; s++) {
      n += stacks[s]!.length;
      width = Math.max(width, capacities[s]!, stacks[s]!.length);
    }
    const bay = new BayState(stacks.length, width, n);
    for (let s = 0; s < stacks.length; s++) {
      bay.capacity[s] = capacities[s]!;
      for (const block of stacks[s]!) bay.push(s, block);
    }
    bay.retrieveReady();
    return bay;
  }

  clone(): BayState {
    const copy = new BayState(this.stackCount, this.width, this.blockCount);
    copy.copyFrom(this);
    return copy;
  }

  /** Overwrites this state with `other` (same dimensions); no allocation. */
  copyFrom(other: BayState): void {
    this.capacity.set(other.capacity);
    this.cells.set(other.cells);
    this.minBelow.set(other.minBelow);
    this.height.set(other.height);
    this.stackOf.set(other.stackOf);
    this.posOf.set(other.posOf);
    this.next = other.next;
    this.blocking = other.blocking;
  }

  isDone(): boolean {
    return this.next > this.blockCount;
  }

  /** Top block of stack s, or 0 when empty. */
  top(s: number): number {
    const h = this.height[s]!;
    return h === 0 ? 0 : this.cells[s * this.width + h - 1]!;
  }

  /** Smallest block in stack s, or `blockCount + 1` when empty. */
  stackMin(s: number): number {
    const h = this.height[s]!;
    return h === 0 ? this.blockCount + 1 : this.minBelow[s * this.width + h - 1]!;
  }

  isFull(s: number): boolean {
    return this.height[s]! >= this.capacity[s]!;
  }

  /** True when the top block of s has a smaller block below it. */
  topIsBlocking(s: number): boolean {
    const h = this.height[s]!;
    if (h === 0) return false;
    const i = s * this.width + h - 1;
    return this.minBelow[i]! !== this.cells[i]!;
  }

  /** Number of blocks above the next target in its stack. */
  blockersOfTarget(): number {
    if (this.isDone()) return 0;
    const t = this.next;
    return this.height[this.stackOf[t]!]! - 1 - this.posOf[t]!;
  }

  private push(s: number, block: number): void {
    const h = this.height[s]!;
    const i = s * this.width + h;
    const below = h === 0 ? this.blockCount + 1 : this.minBelow[i - 1]!;
    this.cells[i] = block;
    if (below < block) {
      this.minBelow[i] = below;
      this.blocking++;
    } else {
      this.minBelow[i] = block;
    }
    this.height[s] = h + 1;
    this.stackOf[block] = s;
    this.posOf[block] = h;
  }

  private pop(s: number): number {
    const h = this.height[s]! - 1;
    const i = s * this.width + h;
    const block = this.cells[i]!;
    if (this.minBelow[i]! !== block) this.blocking--;
    this.height[s] = h;
    return block;
  }

  /** Retrieves every block that is due and on top; returns how many left the bay. */
  retrieveReady(): number {
    let count = 0;
    while (this.next <= this.blockCount) {
      const s = this.stackOf[this.next]!;
      if (this.posOf[this.next]! !== this.height[s]! - 1) break;
      this.pop(s);
      this.next++;
      count++;
    }
    return count;
  }

  /**
   * Moves the top of `from` onto `to` (caller checks legality) and retrieves what becomes free.
   * Returns the number of retrievals, which `undo` needs.
   */
  relocate(from: number, to: number): number {
    this.push(to, this.pop(from));
    return this.retrieveReady();
  }

  /** Exactly reverses `relocate(from, to)` that returned `retrieved`. */
  undo(from: number, to: number, retrieved: number): void {
    for (let k = 0; k < retrieved; k++) {
      this.next--;
      this.push(this.stackOf[this.next]!, this.next);
    }
    this.push(from, this.pop(to));
  }

  /** A 32-bit hash of the layout (stack order matters); `seed` picks one of a family of hashes. */
  hash(seed = 0x811c9dc5): number {
    let h = seed ^ this.next;
    const w = this.width;
    const mul = seed === 0x811c9dc5 ? 0x01000193 : 0x5bd1e995;
    for (let s = 0; s < this.stackCount; s++) {
      const end = s * w + this.height[s]!;
      for (let i = s * w; i < end; i++) h = Math.imul(h ^ this.cells[i]!, mul);
      h = Math.imul(h ^ 0xffff, mul);
      h ^= h >>> 15;
    }
    return h >>> 0;
  }
}
