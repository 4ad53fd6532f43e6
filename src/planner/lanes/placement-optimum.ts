/**
 * @module The fewest badly placed cars a night's placement can achieve when every departure is known
 * (the yardstick of the evening placement). A car is **badly placed** when the morning must move it
 * even if nobody moves anything before: the placement's own `morningLowerBound` — in a one-end lane a
 * car in front of one that leaves earlier; in a through row a car outside the longest run whose
 * departures rise and then fall along the row (each car of that run finds one end clear when it
 * leaves: blocking counts from the open end it can use, not a fixed one; counting from the end
 * nearer by distance would call 9 | 8 | 7 badly placed, which needs no relocation). Every car of the
 * night is placed; sizes, closed places and keyless
 * cars (in a one-end lane only at the deepest car) are respected. The order of arrival is ignored,
 * and in a through row a keyless car may stand anywhere, so this is a lower bound for any placement
 * that obeys the product's stricter rules.
 *
 * Exact by dynamic programming over car subsets (cars are numbered in departure order, so the
 * earliest car of a subset is its lowest bit): for each lane, the fewest badly placed cars of every
 * subset it could hold (one-end: places from the deepest outward, a car is badly placed when it
 * leaves after the earliest car already deeper; through: places front to back, tracking the last
 * car of the rise-then-fall run and whether it is falling), then lanes are combined by subset
 * convolution. Time grows as 3^cars: meant for nights of up to `MAX_OPTIMUM_CARS` cars.
 */
import type { Night } from './night.js';
import { geometryOf, mayStand } from './night.js';

export const MAX_OPTIMUM_CARS = 14;

const INF = 0x3fff;

/**
 * The fewest badly placed cars over all placements of every car of `night`, or null when the cars
 * cannot all be placed (or there are more than `MAX_OPTIMUM_CARS`).
 */
export function fewestBadlyPlaced(night: Night): number | null {
  const n = night.cars.length;
  if (n > MAX_OPTIMUM_CARS) return null;
  const g = geometryOf(night);
  const leaves = night.cars.map((c) => c.leaves);
  const full = (1 << n) - 1;
  let best = new Int16Array(full + 1).fill(INF);
  best[0] = 0;
  night.lanes.forEach((lane, l) => {
    const places = Array.from({ length: lane.places.length }, (_, i) => (g.laneStart[l] as number) + i);
    const cost = lane.access === 'through' ? throughCosts(g, leaves, places, n) : oneEndCosts(g, leaves, places, n);
    const next = new Int16Array(full + 1).fill(INF);
    for (let mask = 0; mask <= full; mask++) {
      // sub runs over the subsets of mask (the cars this lane takes), the empty one last.
      for (let sub = mask; ; sub = (sub - 1) & mask) {
        const c = cost[sub] as number;
        if (c < INF) {
          const before = best[mask ^ sub] as number;
          if (before < INF && before + c < (next[mask] as number)) next[mask] = before + c;
        }
        if (sub === 0) break;
      }
    }
    best = next;
  });
  const result = best[full] as number;
  return result >= INF ? null : result;
}

const lowestBit = (mask: number): number => 31 - Math.clz32(mask & -mask);

/** One-end lane: for every subset of cars, the fewest badly placed when they all stand in it. */
function oneEndCosts(
  g: ReturnType<typeof geometryOf>,
  leaves: readonly number[],
  places: readonly number[],
  n: number,
): Int16Array {
  const size = 1 << n;
  let dp = new Int16Array(size).fill(INF);
  dp[0] = 0;
  for (let k = places.length - 1; k >= 0; k--) {
    const p = places[k] as number;
    const next = dp.slice();
    for (let mask = 0; mask < size; mask++) {
      const d = dp[mask] as number;
      if (d >= INF) continue;
      const earliest = mask === 0 ? Infinity : (leaves[lowestBit(mask)] as number);
      for (let c = 0; c < n; c++) {
        if (mask & (1 << c) || !mayStand(g, c, p)) continue;
        // A keyless car stands in no one's way: nothing may be deeper than it.
        if (!(g.movable[c] as boolean) && mask !== 0) continue;
        const v = d + ((leaves[c] as number) > earliest ? 1 : 0);
        const to = mask | (1 << c);
        if (v < (next[to] as number)) next[to] = v;
      }
    }
    dp = next;
  }
  return dp;
}

/** Through lane: for every subset of cars, the fewest cars outside a rise-then-fall run when they all stand in it. */
function throughCosts(
  g: ReturnType<typeof geometryOf>,
  leaves: readonly number[],
  places: readonly number[],
  n: number,
): Int16Array {
  const size = 1 << n;
  // State (mask, phase, last): phase 0 rising, 1 falling; last = n before the run has begun.
  const stride = 2 * (n + 1);
  const at = (mask: number, phase: number, last: number): number => mask * stride + phase * (n + 1) + last;
  let dp = new Int16Array(size * stride).fill(INF);
  dp[at(0, 0, n)] = 0;
  for (const p of places) {
    const next = dp.slice();
    const relax = (i: number, v: number): void => {
      if (v < (next[i] as number)) next[i] = v;
    };
    for (let mask = 0; mask < size; mask++) {
      for (let phase = 0; phase < 2; phase++) {
        for (let last = 0; last <= n; last++) {
          const d = dp[at(mask, phase, last)] as number;
          if (d >= INF) continue;
          for (let c = 0; c < n; c++) {
            if (mask & (1 << c) || !mayStand(g, c, p)) continue;
            const to = mask | (1 << c);
            relax(at(to, phase, last), d + 1);
            const t = leaves[c] as number;
            if (last === n) {
              relax(at(to, 0, c), d);
              continue;
            }
            const lt = leaves[last] as number;
            if (phase === 0 && t >= lt) relax(at(to, 0, c), d);
            if (t <= lt) relax(at(to, 1, c), d);
          }
        }
      }
    }
    dp = next;
  }
  const out = new Int16Array(size).fill(INF);
  for (let mask = 0; mask < size; mask++)
    for (let i = mask * stride; i < (mask + 1) * stride; i++)
      if ((dp[i] as number) < (out[mask] as number)) out[mask] = dp[i] as number;
  return out;
}
