/**
 * @module The pre-marshalling layout (night re-sort) and the mutable search state behind every PMP
 * solver.
 *
 * A **lane** is modelled as a stack listed from the closed end (bottom, index 0) to the open end
 * (top). Each value is a priority group: a smaller value leaves earlier. A stack is sorted when its
 * values never increase from bottom to top; a move takes a top item to another stack that holds
 * fewer items than its height limit.
 */

/** A layout as the rest of the product sees it: plain arrays, bottom → top. */
export interface PmpLayout {
  /** Stacks left to right, each listed bottom → top; values are priority groups (smaller leaves earlier). */
  readonly stacks: readonly (readonly number[])[];
  /** Height limit of every stack unless `maxHeights` says otherwise. */
  readonly maxHeight: number;
  /** Optional per-stack height limits (real lanes differ); overrides `maxHeight` where given. */
  readonly maxHeights?: readonly number[];
}

/** A move: take the top item of stack `from` and put it on stack `to` (indices from 0). */
export type PmpMove = readonly [from: number, to: number];

/** Height limit of every stack of a layout. */
export function stackCaps(layout: PmpLayout): number[] {
  return layout.stacks.map((_, s) => layout.maxHeights?.[s] ?? layout.maxHeight);
}

const SEED_A = 0x2545f491;
const SEED_B = 0x6b43a9b5;

/** Mixes one value into a running 32-bit stack hash (murmur3-style finaliser). */
function mixA(prev: number, value: number): number {
  let h = Math.imul(prev ^ value, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  return h ^ (h >>> 13);
}

function mixB(prev: number, value: number): number {
  let h = Math.imul(prev + value * 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/**
 * The search state: items ranked 1..G (order-preserving compression of the values), flat typed
 * arrays, the length of each stack's sorted bottom part ("well placed" items, Bortfeldt & Forster
 * 2012), and per-position prefix hashes so that a move updates the state hash in O(1).
 *
 * The state hash is the sum of per-stack hashes, so it ignores the order of stacks with the same
 * height limit (such states need the same number of moves).
 */
export class Bay {
  readonly stackCount: number;
  /** Stride of `items`: the largest height limit. */
  readonly stride: number;
  readonly caps: Int32Array;
  /** items[s * stride + i] = rank of the item at position i (0 = bottom) of stack s. */
  readonly items: Uint16Array;
  readonly heights: Int32Array;
  /** Number of well-placed items: the longest non-increasing bottom part of each stack. */
  readonly sortedLen: Int32Array;
  /** Prefix hashes: hashA[s * stride + i] = hash of stack s holding items 0..i. */
  readonly hashA: Int32Array;
  readonly hashB: Int32Array;
  /** Rank count G: ranks are 1..G. */
  readonly groups: number;
  /** Total items. */
  readonly itemCount: number;
  sumA = 0;
  sumB = 0;

  constructor(caps: Int32Array, groups: number, itemCount: number) {
    this.stackCount = caps.length;
    let stride = 1;
    for (const c of caps) stride = Math.max(stride, c);
    this.stride = stride;
    this.caps = caps;
    this.groups = groups;
    this.itemCount = itemCount;
    const n = this.stackCount * stride;
    this.items = new Uint16Array(n);
    this.heights = new Int32Array(this.stackCount);
    this.sortedLen = new Int32Array(this.stackCount);
    this.hashA = new Int32Array(n);
    this.hashB = new Int32Array(n);
  }

  /** Builds the state from ranked stacks (values already compressed to 1..groups). */
  static fromRanked(ranked: readonly (readonly number[])[], caps: readonly number[], groups: number): Bay {
    let itemCount = 0;
    for (const st of ranked) itemCount += st.length;
    const bay = new Bay(Int32Array.from(caps), groups, itemCount);
    ranked.forEach((stack, s) => {
      for (const v of stack) bay.push(s, v);
    });
    return bay;
  }

  clone(): Bay {
    const copy = new Bay(this.caps, this.groups, this.itemCount);
    copy.copyFrom(this);
    return copy;
  }

  copyFrom(other: Bay): void {
    this.items.set(other.items);
    this.heights.set(other.heights);
    this.sortedLen.set(other.sortedLen);
    this.hashA.set(other.hashA);
    this.hashB.set(other.hashB);
    this.sumA = other.sumA;
    this.sumB = other.sumB;
  }

  /** Hash of stack s as it stands now (seeded by its height limit). */
  stackHashA(s: number): number {
    const h = this.heights[s]!;
    return h === 0 ? mixA(SEED_A, this.caps[s]!) : this.hashA[s * this.stride + h - 1]!;
  }

  stackHashB(s: number): number {
    const h = this.heights[s]!;
    return h === 0 ? mixB(SEED_B, this.caps[s]!) : this.hashB[s * this.stride + h - 1]!;
  }

  /** A 53-bit key of the state, independent of the order of stacks. */
  key(): number {
    return (this.sumA >>> 0) + (this.sumB & 0x1fffff) * 4294967296;
  }

  top(s: number): number {
    return this.items[s * this.stride + this.heights[s]! - 1]!;
  }

  /** Rank of the top well-placed item of s, or groups + 1 when s has none (an empty base takes anything). */
  sortedTop(s: number): number {
    const w = this.sortedLen[s]!;
    return w === 0 ? this.groups + 1 : this.items[s * this.stride + w - 1]!;
  }

  badCount(): number {
    let bad = 0;
    for (let s = 0; s < this.stackCount; s++) bad += this.heights[s]! - this.sortedLen[s]!;
    return bad;
  }

  isSorted(): boolean {
    for (let s = 0; s < this.stackCount; s++) if (this.heights[s] !== this.sortedLen[s]) return false;
    return true;
  }

  canMove(from: number, to: number): boolean {
    return from !== to && this.heights[from]! > 0 && this.heights[to]! < this.caps[to]!;
  }

  private push(s: number, v: number): void {
    const h = this.heights[s]!;
    const base = s * this.stride;
    const oldA = this.stackHashA(s);
    const oldB = this.stackHashB(s);
    this.items[base + h] = v;
    this.hashA[base + h] = mixA(oldA, v);
    this.hashB[base + h] = mixB(oldB, v);
    if (this.sortedLen[s] === h && (h === 0 || this.items[base + h - 1]! >= v)) this.sortedLen[s] = h + 1;
    this.heights[s] = h + 1;
    this.sumA = (this.sumA + this.hashA[base + h]! - oldA) | 0;
    this.sumB = (this.sumB + this.hashB[base + h]! - oldB) | 0;
  }

  private pop(s: number): number {
    const h = this.heights[s]! - 1;
    const v = this.items[s * this.stride + h]!;
    const oldA = this.stackHashA(s);
    const oldB = this.stackHashB(s);
    this.heights[s] = h;
    if (this.sortedLen[s]! > h) this.sortedLen[s] = h;
    this.sumA = (this.sumA + this.stackHashA(s) - oldA) | 0;
    this.sumB = (this.sumB + this.stackHashB(s) - oldB) | 0;
    return v;
  }

  /** Applies a legal move (the caller checks `canMove`). */
  move(from: number, to: number): void {
    this.push(to, this.pop(from));
  }

  /**
   * Reverses `move(from, to)`. `sortedFrom` is sortedLen[from] before the move; the sorted length of
   * `to` is restored exactly by popping.
   */
  unmove(from: number, to: number, sortedFrom: number): void {
    const v = this.pop(to);
    this.push(from, v);
    this.sortedLen[from] = sortedFrom;
  }

  /**
   * Makes a legal move without updating the hashes, for a search that only reads the layout (a
   * bound) before `unshift` undoes it; the key is wrong in between.
   */
  shift(from: number, to: number): void {
    const hf = this.heights[from]! - 1;
    const v = this.items[from * this.stride + hf]!;
    this.heights[from] = hf;
    if (this.sortedLen[from]! > hf) this.sortedLen[from] = hf;
    const h = this.heights[to]!;
    const base = to * this.stride;
    this.items[base + h] = v;
    if (this.sortedLen[to] === h && (h === 0 || this.items[base + h - 1]! >= v)) this.sortedLen[to] = h + 1;
    this.heights[to] = h + 1;
  }

  /** Reverses `shift(from, to)`; `sortedFrom` is sortedLen[from] before it. */
  unshift(from: number, to: number, sortedFrom: number): void {
    const h = this.heights[to]! - 1;
    this.heights[to] = h;
    if (this.sortedLen[to]! > h) this.sortedLen[to] = h;
    this.heights[from] = this.heights[from]! + 1;
    this.sortedLen[from] = sortedFrom;
  }

  /** Stacks as rank arrays, bottom → top. */
  toRanked(): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < this.stackCount; s++) {
      const base = s * this.stride;
      out.push(Array.from(this.items.subarray(base, base + this.heights[s]!)));
    }
    return out;
  }
}

/** Order-preserving compression of the values of a layout to ranks 1..G (equal values share a rank). */
export function rankLayout(layout: PmpLayout): { ranked: number[][]; groups: number; values: number[] } {
  const distinct = [...new Set(layout.stacks.flat())].sort((a, b) => a - b);
  const rankOf = new Map<number, number>();
  distinct.forEach((v, i) => rankOf.set(v, i + 1));
  const ranked = layout.stacks.map((stack) => stack.map((v) => rankOf.get(v) ?? 0));
  return { ranked, groups: distinct.length, values: distinct };
}

/** Builds the search state of a layout. */
export function bayOf(layout: PmpLayout): Bay {
  const { ranked, groups } = rankLayout(layout);
  return Bay.fromRanked(ranked, stackCaps(layout), groups);
}
