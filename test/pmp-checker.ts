/**
 * @module Independent replay checker for pre-marshalling solutions: shares no code with the
 * planner. A solution is valid when every move takes the top item of a non-empty stack to a
 * different stack below its height limit, and every stack ends non-increasing bottom → top.
 */

export type PmpCheck =
  { readonly ok: true; readonly final: number[][] } | { readonly ok: false; readonly reason: string };

/** Replays `moves` on `stacks` (bottom → top) under per-stack height limits `caps`. */
export function checkPmpSolution(
  stacks: readonly (readonly number[])[],
  caps: readonly number[],
  moves: readonly (readonly number[])[],
): PmpCheck {
  const state = stacks.map((s) => s.slice());
  if (caps.length !== state.length) return { ok: false, reason: 'one height limit per stack expected' };
  for (let i = 0; i < moves.length; i++) {
    const move = moves[i]!;
    if (move.length !== 2) return { ok: false, reason: `move ${i} is not a pair` };
    const [from, to] = move as [number, number];
    if (!Number.isInteger(from) || from < 0 || from >= state.length)
      return { ok: false, reason: `move ${i}: no stack ${from}` };
    if (!Number.isInteger(to) || to < 0 || to >= state.length)
      return { ok: false, reason: `move ${i}: no stack ${to}` };
    if (from === to) return { ok: false, reason: `move ${i}: source and target are both ${from}` };
    const source = state[from]!;
    const target = state[to]!;
    if (source.length === 0) return { ok: false, reason: `move ${i}: stack ${from} is empty` };
    if (target.length >= caps[to]!) return { ok: false, reason: `move ${i}: stack ${to} is at its limit ${caps[to]}` };
    target.push(source.pop()!);
  }
  for (let s = 0; s < state.length; s++) {
    const stack = state[s]!;
    for (let j = 1; j < stack.length; j++) {
      if (stack[j]! > stack[j - 1]!) {
        return { ok: false, reason: `stack ${s} ends unsorted: ${stack[j]} above ${stack[j - 1]}` };
      }
    }
  }
  return { ok: true, final: state };
}

/** Items that sit under a later leaver (some item above has a larger value), with their weights summed. */
export function blockedWeight(stacks: readonly (readonly number[])[], weight: (value: number) => number): number {
  let total = 0;
  for (const stack of stacks) {
    for (let i = 0; i < stack.length; i++) {
      if (stack.slice(i + 1).some((above) => above > stack[i]!)) total += weight(stack[i]!);
    }
  }
  return total;
}

/** Replays legal moves and returns the resulting stacks (throws on an illegal move). */
export function replayStacks(
  stacks: readonly (readonly number[])[],
  caps: readonly number[],
  moves: readonly (readonly number[])[],
): number[][] {
  const state = stacks.map((s) => s.slice());
  moves.forEach(([from, to], i) => {
    const source = state[from!];
    const target = state[to!];
    if (
      source === undefined ||
      target === undefined ||
      from === to ||
      source.length === 0 ||
      target.length >= caps[to!]!
    ) {
      throw new Error(`move ${i} (${from}→${to}) is illegal`);
    }
    target.push(source.pop()!);
  });
  return state;
}

/** True when every stack is non-increasing bottom → top. */
function isSorted(st: readonly (readonly number[])[]): boolean {
  return st.every((s) => s.every((v, j) => j === 0 || v <= s[j - 1]!));
}

/** Every layout one legal move away from `st`, in order of (source, target). */
function legalChildren(st: readonly (readonly number[])[], caps: readonly number[]): number[][][] {
  const out: number[][][] = [];
  for (let a = 0; a < st.length; a++) {
    if (st[a]!.length === 0) continue;
    for (let b = 0; b < st.length; b++) {
      if (a === b || st[b]!.length >= caps[b]!) continue;
      const child = st.map((s) => s.slice());
      child[b]!.push(child[a]!.pop()!);
      out.push(child);
    }
  }
  return out;
}

/** Exact optimum by breadth-first search, for tiny layouts only (tests). */
export function bfsOptimum(
  stacks: readonly (readonly number[])[],
  caps: readonly number[],
  maxStates = 2_000_000,
): number | undefined {
  const start = stacks.map((s) => s.slice());
  if (isSorted(start)) return 0;
  const seen = new Set<string>([JSON.stringify(start)]);
  let frontier = [start];
  for (let depth = 1; frontier.length > 0 && seen.size < maxStates; depth++) {
    const next: number[][][] = [];
    for (const st of frontier) {
      for (const child of legalChildren(st, caps)) {
        const key = JSON.stringify(child);
        if (seen.has(key)) continue;
        if (isSorted(child)) return depth;
        seen.add(key);
        next.push(child);
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * Every layout reachable from `start` with its exact number of moves to a sorted layout (tiny
 * layouts only, tests): moves are reversible, so a breadth-first search from all sorted layouts of
 * the component gives each layout's distance. Keyed by the layout written out.
 */
export function reachableDistances(
  start: number[][],
  caps: readonly number[],
): Map<string, { stacks: number[][]; moves: number }> {
  const key = (st: number[][]): string => st.map((s) => s.join(',')).join('|');
  const all = new Map<string, number[][]>([[key(start), start]]);
  const neighbours = new Map<string, string[]>();
  const stack = [start];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    const near: string[] = [];
    for (const child of legalChildren(cur, caps)) {
      const k = key(child);
      near.push(k);
      if (!all.has(k)) {
        all.set(k, child);
        stack.push(child);
      }
    }
    neighbours.set(key(cur), near);
  }
  const out = new Map<string, { stacks: number[][]; moves: number }>();
  let frontier: string[] = [];
  for (const [k, st] of all) {
    if (!isSorted(st)) continue;
    out.set(k, { stacks: st, moves: 0 });
    frontier.push(k);
  }
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const n of neighbours.get(k) ?? []) {
        if (out.has(n)) continue;
        out.set(n, { stacks: all.get(n)!, moves: d });
        next.push(n);
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * A random layout of `items` items with values 1..`values` under the height limits `caps` (each item
 * on a random stack, the next one with room when that is full), its values renumbered 1..groups.
 */
export function randomRankedLayout(
  next: () => number,
  caps: readonly number[],
  items: number,
  values: number,
): { stacks: number[][]; groups: number } {
  const layout: number[][] = caps.map(() => []);
  for (let i = 0; i < items; i++) {
    let s = Math.floor(next() * caps.length);
    while (layout[s]!.length >= caps[s]!) s = (s + 1) % caps.length;
    layout[s]!.push(1 + Math.floor(next() * values));
  }
  const distinct = [...new Set(layout.flat())].sort((a, b) => a - b);
  return { stacks: layout.map((s) => s.map((v) => distinct.indexOf(v) + 1)), groups: distinct.length };
}
