/**
 * @module Lower bounds on the moves (swaps) of any night plan that delivers given slots of charge.
 *
 * A plan's moves are its **runs** (maximal stretches a car holds one charger) less the runs that
 * start at slot 0 on the charger the car already stands on. Two counts bound them from below:
 *
 * - Every car that gets charge has a run. A car standing on a charger can avoid a move only by
 *   charging all it gets in one run from slot 0 there ("kept"); the most cars kept at once is found
 *   by trying subsets with a max flow (`keptOnCharger`).
 * - A **tight** prefix [0, T) is one whose forced work — max(0, p_j − (d_j − T)) for every car —
 *   fills all chargers (Horn's condition holds with equality). Between two tight prefixes every
 *   charger charges in every slot and each car's amount in the window is fixed. If each car had a
 *   single run there, each charger's runs would sum to the window's length, so when the amounts
 *   cannot be cut into `chargers` groups of exactly that length (a multiway partition, decided
 *   by a small search), some car has two runs in that window (`forcedSplits`).
 *
 * Combining them: with S forced splits, kept cars k and I cars standing on a charger with charge
 * to get, moves ≥ served − k + max(0, S − (I − k)) (a car that starts on its charger but is later
 * split has one extra run and no move for its first), least when k is the most kept.
 */
import { canMeetAll } from './flow.js';

/**
 * The most cars standing on a charger (`startsOn`) that can charge all they get in one go from
 * the first slot while the rest of the night stays feasible; tried largest subset first.
 */
export function keptOnCharger(
  delivered: readonly number[],
  deadline: readonly number[],
  chargers: number,
  startsOn: readonly boolean[],
): number[] {
  return keptChoices(delivered, deadline, chargers, startsOn, 1)[0] ?? [];
}

/**
 * Up to `most` sets of cars that can stay on their chargers (see `keptOnCharger`), largest first,
 * down to none: keeping the most cars is not always what packs best.
 */
export function keptChoices(
  delivered: readonly number[],
  deadline: readonly number[],
  chargers: number,
  startsOn: readonly boolean[],
  most: number,
): number[][] {
  const onCharger = startsOn.map((on, j) => (on && delivered[j]! > 0 ? j : -1)).filter((j) => j >= 0);
  const found: number[][] = [];
  // Largest sets first, size by size: the first size with a set that fits is the most that can stay.
  for (let size = Math.min(chargers, onCharger.length); size >= 0 && found.length < most; size--) {
    for (const members of subsets(onCharger, size)) {
      if (members.some((j) => delivered[j]! > deadline[j]!)) continue;
      const rest = delivered.map((d, j) => (members.includes(j) ? 0 : d));
      if (
        canMeetAll(
          rest,
          deadline,
          chargers,
          members.map((j) => delivered[j]!),
        )
      )
        found.push(members);
      if (found.length >= most) break;
    }
  }
  return found;
}

/** The subsets of `items` with `size` members, in lexicographic order of positions. */
function* subsets(items: readonly number[], size: number, from = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++)
    for (const tail of subsets(items, size - 1, i + 1)) yield [items[i]!, ...tail];
}

/** Work car j must have done before slot t to deliver `p` slots by `d`. */
const forced = (p: number, d: number, t: number) => Math.max(0, p - Math.max(0, d - t));

/** Windows between tight prefixes whose amounts cannot be cut into `chargers` runs per charger: each forces one split. */
export function forcedSplits(delivered: readonly number[], deadline: readonly number[], chargers: number): number {
  if (chargers === 0) return 0;
  const horizon = Math.max(0, ...deadline.filter((_, j) => delivered[j]! > 0));
  let splits = 0;
  let from = 0;
  for (let t = 1; t <= horizon; t++) {
    const work = delivered.reduce((s, p, j) => s + forced(p, deadline[j]!, t), 0);
    if (work !== chargers * t) continue;
    const amounts = delivered
      .map((p, j) => forced(p, deadline[j]!, t) - forced(p, deadline[j]!, from))
      .filter((a) => a > 0);
    if (!cutsInto(amounts, chargers, t - from)) splits++;
    from = t;
  }
  return splits;
}

/**
 * Whether `amounts` (summing to `bins × size`) split into `bins` groups of exactly `size`. Bin
 * completion: the largest item left opens the next group, filled by a search over the items
 * after it. A search past `budget` steps answers yes, which keeps the bound a lower bound.
 */
export function cutsInto(amounts: readonly number[], bins: number, size: number, budget = 20_000): boolean {
  const items = [...amounts].sort((a, b) => b - a);
  if (items.reduce((s, a) => s + a, 0) !== bins * size || (items[0] ?? 0) > size) return false;
  const used = items.map(() => false);
  let steps = 0;
  const failed = new Set<string>();
  const fill = (left: number, start: number, open: number): boolean => {
    if (++steps > budget) return true;
    if (left === 0) return open === 1 || nextBin(open - 1);
    let previous = -1;
    for (let i = start; i < items.length; i++) {
      if (used[i] || items[i]! > left || items[i] === previous) continue;
      previous = items[i]!;
      used[i] = true;
      if (fill(left - items[i]!, i + 1, open)) return true;
      used[i] = false;
    }
    return false;
  };
  const nextBin = (open: number): boolean => {
    const key = used.map((u) => (u ? 1 : 0)).join('');
    if (failed.has(key)) return false;
    const first = used.indexOf(false);
    if (first < 0) return false;
    used[first] = true;
    const ok = fill(size - items[first]!, first + 1, open);
    used[first] = false;
    if (!ok) failed.add(key);
    return ok;
  };
  return nextBin(bins);
}

/** A lower bound on the moves of any plan delivering `delivered[j]` slots to car j by `deadline[j]` (see the module comment). */
export function movesLowerBound(
  delivered: readonly number[],
  deadline: readonly number[],
  chargers: number,
  startsOn: readonly boolean[],
): number {
  const served = delivered.filter((d) => d > 0).length;
  const standing = startsOn.filter((on, j) => on && delivered[j]! > 0).length;
  const kept = keptOnCharger(delivered, deadline, chargers, startsOn).length;
  const splits = forcedSplits(delivered, deadline, chargers);
  return served - kept + Math.max(0, splits - (standing - kept));
}
