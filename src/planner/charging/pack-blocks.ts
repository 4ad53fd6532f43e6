/**
 * @module A night's charging as whole blocks: cars in order of departure (earliest deadline first,
 * Jackson's rule) each take one unbroken run on one charger, right behind the charger's last run
 * (best fit: the fullest charger that still finishes the car in time), so that every car costs one
 * move. A car that fits no single run without making the rest of the night infeasible is split in
 * two the way McNaughton's wrap-around splits a job: a piece at the end of one charger's load and
 * the rest earlier on a less loaded one (McNaughton 1959, "Scheduling with deadlines and loss
 * functions", Management Science 6). Every step keeps each charger busy from slot 0 without gaps,
 * so the rest of the night is feasible exactly when Horn's condition holds with each charger busy
 * until its load (`canMeetAll` with `busyUntil`); it is checked before each placement, so a packing
 * that completes delivers every amount.
 *
 * The choices (which charger, where to split) are searched depth first, greedy choice first, with
 * branch and bound on the moves. Any plan with one run per car can be reordered to this form (on
 * one charger, runs in order of departure stay feasible: Jackson's rule), so the search space holds
 * such a plan whenever one exists with the given kept cars. The search may find nothing within its
 * budget (or a car would need three pieces); the slot-by-slot plans are always there.
 */
import { canMeetAll } from './flow.js';

/** Car `car` charges on charger `charger` in slots [from, to). */
export interface Piece {
  car: number;
  charger: number;
  from: number;
  to: number;
}

/** The moves of a packing: its pieces, less those that start at slot 0 on the charger the car stands on. */
export function moves(pieces: readonly Piece[], initial: readonly (number | null)[]): number {
  return pieces.filter((q) => !(q.from === 0 && q.charger === initial[q.car])).length;
}

/** Tie-breaks among cars with the same deadline: the longest first, or the shortest first. */
export type PackOrder = 'longest-first' | 'shortest-first';

/**
 * Packs `amount[j]` slots for car j before `deadline[j]` on `chargers` chargers; `kept` cars charge
 * from slot 0 on the charger they stand on (`initial[j]`, a charger index or null). A depth-first
 * branch and bound over the placements (greedy first, so its first packing is the greedy one) keeps
 * the packing with the fewest moves, within the feasibility checks left in `budget` (it spends them); it looks only for packings
 * with fewer than `below` moves (the best plan known) and stops at `floor` moves (a lower bound).
 * Returns null when it found none (some car fits neither one run nor a two-piece wrap on every
 * branch tried, or none beats `below`).
 */
export function packBlocks(
  amount: readonly number[],
  deadline: readonly number[],
  chargers: number,
  kept: readonly number[],
  initial: readonly (number | null)[],
  order: PackOrder,
  budget: { checks: number } = { checks: 1000 },
  floor = 0,
  below = Infinity,
): Piece[] | null {
  const load = new Array<number>(chargers).fill(0);
  const pieces: Piece[] = [];
  for (const k of kept) {
    const c = initial[k];
    if (c === null || c === undefined) return null;
    pieces.push({ car: k, charger: c, from: 0, to: amount[k]! });
    load[c] = amount[k]!;
  }
  const keptSet = new Set(kept);
  const sign = order === 'longest-first' ? -1 : 1;
  const rest = amount
    .map((_, j) => j)
    .filter((j) => amount[j]! > 0 && !keptSet.has(j))
    .sort((a, b) => deadline[a]! - deadline[b]! || sign * (amount[a]! - amount[b]!) || a - b);
  /** The amounts and deadlines of the cars placed after the i-th. */
  const laterAmount = rest.map((_, i) => rest.slice(i + 1).map((k) => amount[k]!));
  const laterDeadline = rest.map((_, i) => rest.slice(i + 1).map((k) => deadline[k]!));
  let best: Piece[] | null = null;
  let bestMoves = below;
  /** A car still to place costs a move unless it stands on a charger nobody has used yet. */
  const movesLeft = (i: number) => {
    let left = 0;
    for (let k = i; k < rest.length; k++) {
      const own = initial[rest[k]!];
      if (own == null || load[own]! > 0) left++;
    }
    return left;
  };
  const search = (i: number, moves: number): void => {
    if (i === rest.length) {
      if (moves < bestMoves) {
        bestMoves = moves;
        best = pieces.map((x) => ({ ...x }));
      }
      return;
    }
    if (moves + movesLeft(i) >= bestMoves || bestMoves <= floor) return;
    const j = rest[i]!;
    for (const placed of placements(load, amount[j]!, deadline[j]!, initial[j] ?? null)) {
      if (budget.checks <= 0 || bestMoves <= floor) return;
      const saved = [...load];
      for (const q of placed) load[q.charger] = q.to;
      budget.checks--;
      if (canMeetAll(laterAmount[i]!, laterDeadline[i]!, chargers, load)) {
        for (const q of placed) pieces.push({ car: j, ...q });
        const cost = placed.length - (placed[0]!.from === 0 && placed[0]!.charger === initial[j] ? 1 : 0);
        search(i + 1, moves + cost);
        pieces.length -= placed.length;
      }
      for (let c = 0; c < chargers; c++) load[c] = saved[c]!;
    }
  };
  search(0, 0);
  return best;
}

/**
 * The ways to place one car behind the chargers' loads, most promising first: one run (on its own
 * charger while nobody has used it, else best fit: the fullest charger that finishes it in time),
 * then two-piece wraps. Chargers with the same load are alike, so each load is tried once.
 */
function placements(
  load: readonly number[],
  p: number,
  d: number,
  own: number | null,
): { charger: number; from: number; to: number }[][] {
  const byLoad = load.map((_, c) => c).sort((a, b) => load[b]! - load[a]! || a - b);
  const out: { charger: number; from: number; to: number }[][] = [];
  const seen = new Set<string>();
  const singles = byLoad
    .filter((c) => load[c]! + p <= d)
    .sort((a, b) => Number(b === own && load[b] === 0) - Number(a === own && load[a] === 0));
  for (const c of singles) {
    const key = `${load[c]}|${c === own && load[c] === 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([{ charger: c, from: load[c]!, to: load[c]! + p }]);
  }
  for (const a of byLoad) {
    for (const b of [...byLoad].reverse()) {
      if (load[b]! >= load[a]!) continue;
      // Fill a up to the deadline (McNaughton's wrap), or give b just enough to reach a's load, or a split in between.
      const most = d - load[a]!;
      const least = p - (load[a]! - load[b]!);
      for (const x of [most, least, ...Array.from({ length: Math.max(0, most - least - 1) }, (_, k) => most - 1 - k)]) {
        if (x < 1 || x > p - 1 || load[a]! + x > d || load[b]! + p - x > load[a]!) continue;
        const key = `${load[a]}|${load[b]}|${x}|${b === own && load[b] === 0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The first piece on b ends before the second one starts on a: the car is never on two chargers at once.
        out.push([
          { charger: b, from: load[b]!, to: load[b]! + p - x },
          { charger: a, from: load[a]!, to: load[a]! + x },
        ]);
      }
    }
  }
  return out;
}
