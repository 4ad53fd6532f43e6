/**
 * @module Greedy completion of a pre-marshalling state: a fast sort-and-fill heuristic that the
 * beam search runs from every candidate node, both as the node's value (moves so far plus moves of
 * the completion) and as a full solution (the best completion is the incumbent), as the heuristic
 * tree search of Hottung, Tanaka & Tierney (2020) completes its nodes and the beam search of Wang,
 * Jin & Lim (2015) evaluates them.
 *
 * Each step is one of
 * - a **BG move** (a badly placed top item onto a sorted stack whose top is at least as large):
 *   the tightest fit first, as the lowest-priority-first heuristic (LPFH) of Expósito-Izquierdo,
 *   Melián-Batista & Moreno-Vega (2012) and the sort-fill greedy of the BS-B evaluation do; among
 *   equally tight fits the one that leaves its source stack with fewest badly placed items;
 * - when no BG move exists, a **clearing**: the cheapest way to uncover a sorted part whose top
 *   takes some badly placed top item of another stack (Bortfeldt & Forster 2012's "compound move"
 *   of emptying part of a stack), counting a dug well-placed item twice since it must come back.
 *   Cleared items go where they are well placed if possible (tightest fit), else onto an unsorted
 *   stack (the one with the most badly placed items, whose items move anyway), else onto the
 *   sorted stack with the shortest sorted part (the least damage).
 * It gives up (returns -1) once `limit` moves are used, so it always terminates.
 */
import type { Bay } from './layout.js';

/**
 * The best BG move of `bay` as from * S + to, or -1 when none exists. Among the tightest fits, the
 * source stack with the fewest badly placed items left wins (it is closest to sorted).
 */
export function bestBgMove(bay: Bay): number {
  const { stackCount: S, heights, sortedLen, caps } = bay;
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let s = 0; s < S; s++) {
    const h = heights[s]!;
    const badS = h - sortedLen[s]!;
    if (badS === 0) continue;
    const x = bay.top(s);
    for (let d = 0; d < S; d++) {
      if (d === s || heights[d] !== sortedLen[d] || heights[d]! >= caps[d]!) continue;
      const room = bay.sortedTop(d) - x;
      if (room < 0) continue;
      const score = room * 64 + badS;
      if (score < bestScore) {
        bestScore = score;
        best = s * S + d;
      }
    }
  }
  return best;
}

/** Where a cleared item from `from` goes (never `avoid1`, `avoid2`); -1 when no stack has room. */
function parkDestination(bay: Bay, from: number, avoid1: number, avoid2: number): number {
  const { stackCount: S, heights, sortedLen, caps } = bay;
  const x = bay.top(from);
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let d = 0; d < S; d++) {
    if (d === from || d === avoid1 || d === avoid2) continue;
    const h = heights[d]!;
    if (h >= caps[d]!) continue;
    const w = sortedLen[d]!;
    let score: number;
    if (h === w) {
      const top = bay.sortedTop(d);
      if (top >= x) score = top - x;
      else score = 20_000 + 64 * w + (caps[d]! - h);
    } else {
      score = 10_000 - 64 * (h - w) - (caps[d]! - h);
    }
    if (score < bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/**
 * How many badly placed tops could follow one another onto a sorted stack with top `v` and `room`
 * free slots (each the largest that still fits), not taking them from `skip`: the "reachable
 * height" idea of the sort-fill greedy. `virt` holds virtual heights and is overwritten.
 */
function fillCount(bay: Bay, skip: number, v: number, room: number, virt: Int32Array): number {
  const { stackCount: S, heights, sortedLen, items, stride } = bay;
  for (let k = 0; k < S; k++) virt[k] = heights[k]!;
  let top = v;
  let fill = 0;
  while (fill < room) {
    let pick = -1;
    let pickValue = -1;
    for (let k = 0; k < S; k++) {
      if (k === skip || virt[k]! <= sortedLen[k]!) continue;
      const x = items[k * stride + virt[k]! - 1]!;
      if (x <= top && x > pickValue) {
        pickValue = x;
        pick = k;
      }
    }
    if (pick < 0) break;
    virt[pick]!--;
    top = pickValue;
    fill++;
  }
  return fill;
}

/**
 * Chooses a clearing when no BG move exists: stack s, depth j (its top j items leave) and the
 * stack src whose top then fits on s, written to `out` as [s, j, src]; false when none fits the
 * free room. A clearing is worth the badly placed items that can then follow onto s less the
 * moves it costs (a dug well-placed item counts twice: it must come back); `tabu` (the stack the
 * previous clearing filled) is not dug, so two clearings cannot undo each other forever.
 */
function chooseClearing(bay: Bay, out: Int32Array, tabu: number, virt: Int32Array): boolean {
  const { stackCount: S, heights, sortedLen, caps, items, stride } = bay;
  let free = 0;
  let maxCap = 0;
  for (let s = 0; s < S; s++) {
    free += caps[s]! - heights[s]!;
    if (caps[s]! > maxCap) maxCap = caps[s]!;
    badTop[s] = heights[s] === sortedLen[s] ? -1 : items[s * stride + heights[s]! - 1]!;
  }
  let bestScore = Number.NEGATIVE_INFINITY;
  let found = false;
  // By increasing number of dug well-placed items: a clearing's worth is at most its room less
  // what it digs, so deeper levels stop once they cannot beat the best.
  for (let dug = 0; dug < maxCap && (maxCap - dug) * 4096 > bestScore; dug++) {
    for (let s = 0; s < S; s++) {
      const h = heights[s]!;
      const w = sortedLen[s]!;
      if (dug > w || (dug > 0 && s === tabu)) continue;
      const j = h - w + dug;
      if (j === 0 || (caps[s]! - h - dug) * 4096 <= bestScore) continue;
      const outside = free - (caps[s]! - h);
      if (j > outside) continue;
      const rest = h - j;
      const v = rest === 0 ? bay.groups + 1 : items[s * stride + rest - 1]!;
      // The largest badly placed top of another stack that fits on v.
      let src = -1;
      let srcTop = -1;
      for (let k = 0; k < S; k++) {
        const x = badTop[k]!;
        if (k !== s && x <= v && x > srcTop) {
          srcTop = x;
          src = k;
        }
      }
      // Slots outside s and src must hold the j cleared items.
      if (src < 0 || outside - (caps[src]! - heights[src]!) < j) continue;
      // The fill is at most the room above v: skip the count when even a full fill cannot win.
      if ((caps[s]! - h - dug) * 4096 - (v - srcTop) <= bestScore) continue;
      const fill = fillCount(bay, s, v, caps[s]! - rest, virt);
      const score = (fill - j - dug) * 4096 - (v - srcTop);
      if (score > bestScore) {
        bestScore = score;
        out[0] = s;
        out[1] = j;
        out[2] = src;
        found = true;
      }
    }
  }
  return found;
}

const clearing = new Int32Array(3);
let virt = new Int32Array(16);
/** Top value of each stack with badly placed items, -1 for a sorted stack (per `chooseClearing` call). */
let badTop = new Int32Array(16);

/**
 * Completes `bay` in place with the greedy of the module comment; returns the number of moves, or
 * -1 when the layout is not sorted within `limit` moves. Moves are appended to `path` when given.
 * The moves skip the hash updates (`Bay.shift`): afterwards the layout is right but its key is not,
 * so callers complete a scratch copy.
 */
export function greedyComplete(bay: Bay, limit: number, path?: number[]): number {
  const S = bay.stackCount;
  if (virt.length < S) {
    virt = new Int32Array(S);
    badTop = new Int32Array(S);
  }
  let moves = 0;
  let tabu = -1;
  while (!bay.isSorted()) {
    if (moves >= limit) return -1;
    const bg = bestBgMove(bay);
    if (bg >= 0) {
      const from = Math.floor(bg / S);
      const to = bg - from * S;
      bay.shift(from, to);
      path?.push(bg);
      moves++;
      continue;
    }
    if (!chooseClearing(bay, clearing, tabu, virt)) return -1;
    const s = clearing[0]!;
    const j = clearing[1]!;
    const src = clearing[2]!;
    for (let k = 0; k < j; k++) {
      if (moves >= limit) return -1;
      const d = parkDestination(bay, s, src, -1);
      if (d < 0) return -1;
      bay.shift(s, d);
      path?.push(s * S + d);
      moves++;
    }
    // The move the clearing was for (the tightest BG move might otherwise put a dug item back).
    if (moves >= limit) return -1;
    bay.shift(src, s);
    path?.push(src * S + s);
    moves++;
    tabu = s;
  }
  return moves;
}
