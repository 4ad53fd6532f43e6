/**
 * @module Local improvement of a found move sequence. An item that is moved twice, a → b and later
 * b → c, is tried as a single move a → c at any time from the first move to the second (a → a
 * drops both); a single move the sequence does without is dropped. A shortened sequence is kept
 * when a replay shows it legal and still ending sorted, and the search repeats until nothing
 * changes. The merge is the rule of Tanaka & Tierney (2018) that an optimal sequence never moves
 * the item just moved, applied to moves any distance apart: beam prefixes and greedy completions
 * leave such pairs behind when a parked item later finds its place.
 */
import type { EncodedPath } from './heuristic.js';
import type { Bay } from './layout.js';

/** Replays `path` on copies of `stacks`; true when every move is legal and the end is sorted. */
function replaysSorted(stacks: readonly (readonly number[])[], caps: Int32Array, path: readonly number[]): boolean {
  const S = stacks.length;
  const st = stacks.map((s) => [...s]);
  for (const m of path) {
    const from = Math.floor(m / S);
    const to = m - from * S;
    const a = st[from]!;
    const b = st[to]!;
    if (from === to || a.length === 0 || b.length >= caps[to]!) return false;
    b.push(a.pop()!);
  }
  return st.every((s) => s.every((v, i) => i === 0 || s[i - 1]! >= v));
}

/** For each move, the index of the next move of the same item (-1 when it is not moved again). */
function nextMoveOfItem(stacks: readonly (readonly number[])[], path: readonly number[]): Int32Array {
  const S = stacks.length;
  let id = 0;
  const st = stacks.map((s) => s.map(() => id++));
  const lastMoveOf = new Int32Array(id).fill(-1);
  const next = new Int32Array(path.length).fill(-1);
  path.forEach((m, k) => {
    const from = Math.floor(m / S);
    const item = st[from]!.pop()!;
    st[m - from * S]!.push(item);
    const prev = lastMoveOf[item]!;
    if (prev >= 0) next[prev] = k;
    lastMoveOf[item] = k;
  });
  return next;
}

/**
 * Shortens a legal sorting sequence of `root` by merging the moves of items moved more than once
 * (see the module comment); returns the original when nothing merges.
 */
export function polishSequence(root: Bay, path: EncodedPath): EncodedPath {
  const S = root.stackCount;
  const stacks = root.toRanked();
  let current = path.slice();
  for (let improved = true; improved;) {
    improved = false;
    // A move the sequence does without.
    for (let k = 0; k < current.length && !improved; k++) {
      const without = current.filter((_, q) => q !== k);
      if (replaysSorted(stacks, root.caps, without)) {
        current = without;
        improved = true;
      }
    }
    if (improved) continue;
    const next = nextMoveOfItem(stacks, current);
    for (let i = 0; i < current.length && !improved; i++) {
      const j = next[i]!;
      if (j < 0) continue;
      const a = Math.floor(current[i]! / S);
      const c = current[j]! % S;
      const variants: number[][] = [];
      const rest = current.filter((_, k) => k !== i && k !== j);
      if (a === c) {
        variants.push(rest);
      } else {
        // a → c at any time from the first move's to the second's (rest[i..j-1] follow it).
        for (let p = i; p <= j - 1; p++) variants.push([...rest.slice(0, p), a * S + c, ...rest.slice(p)]);
      }
      for (const v of variants) {
        if (replaysSorted(stacks, root.caps, v)) {
          current = v;
          improved = true;
          break;
        }
      }
    }
  }
  return current;
}
