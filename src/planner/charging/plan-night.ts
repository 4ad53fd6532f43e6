/**
 * @module The night's charger plan for one site (the compound, or a partner lot): EVs state the
 * energy they need and their departure; the plan puts cars on chargers so that every request the
 * charger capacity allows is met by its departure, moving as few cars as it can (each car put on a
 * charger it is not standing on is one guard move — a **swap**). When not every request can be met,
 * it says so and shares fairly: the largest equal share of every need (max–min), then single slots
 * to whoever is furthest behind.
 *
 * First the slots each car gets are fixed (`target`): its need when Horn's condition says all needs
 * fit (`canMeetAll`, the max flow's answer in closed form), else its fair share (`fairTargets`, which
 * raises a share only while the same condition holds). Then several constructions schedule those
 * same targets, and the plan keeps the one with the fewest swaps (the first when equal):
 * - slot by slot: keep the cars already charging on their chargers (least laxity first) as long as
 *   the rest of the night stays feasible; when it would not, take the first slot of McNaughton's
 *   wrap-around over the interval max flow's amounts (McNaughton 1959, "Scheduling with deadlines
 *   and loss functions", Management Science 6), in three orders for cars to start;
 * - whole blocks (`packBlocks`): earliest departure first, each car one run behind a charger's
 *   load, split in two McNaughton-style only when needed, by branch and bound.
 *
 * What holds by construction, for met and shared nights alike (both schedule feasible targets):
 * 1. Every target is delivered. Each construction keeps "the rest of the night is feasible" true
 *    after every step (checked before the step is taken; the wrap-around's first slot is the first
 *    slot of a feasible schedule), and at the end of the night "feasible" means "nothing left".
 *    So every request is met whenever the max flow says it can be, and a shared night delivers all
 *    the charge the chargers can give.
 * 2. The swaps are never below `lowerBound` (lower-bound.ts), a bound on every plan that delivers
 *    the same slots.
 *
 * What does not hold by construction: swaps ≤ lower bound + (chargers − 1). McNaughton's argument
 * gives it for one window with a common deadline (each of the chargers − 1 boundaries cuts at most
 * one car), but a night can hold several full windows and each may force its own split: with two
 * chargers, three 2-slot cars leaving at slot 3 and three leaving at slot 6 need 8 swaps, while one
 * per car is 6 (pinned by a test). Whether a full window can do without a split is a multiway number
 * partition (3-PARTITION when the chargers are many, strongly NP-hard), so the lower bound counts
 * the splits it can certify (`forcedSplits`), and the property test measures the gap on thousands
 * of generated nights instead of assuming it.
 *
 * Pure: slots are numbered from the plan's start.
 */
import { canMeetAll, intervalFlow } from './flow.js';
import { keptChoices, movesLowerBound } from './lower-bound.js';
import type { PackOrder, Piece } from './pack-blocks.js';
import { moves, packBlocks } from './pack-blocks.js';

export interface Charger {
  id: string;
  kw: number;
}

export interface ChargeRequest {
  vehicleId: string;
  /** Energy still needed, kWh. */
  needKwh: number;
  /** The slot at which the car leaves (it charges in slots before it). */
  departureSlot: number;
  /** The charger the car stands on at the start, if any. */
  onCharger?: string | null;
}

export interface ChargingNight {
  slotMinutes: number;
  /** Slots in the night (the plan's horizon). */
  slots: number;
  chargers: Charger[];
  requests: ChargeRequest[];
}

export interface ChargeBlock {
  vehicleId: string;
  chargerId: string;
  /** First slot on the charger. */
  from: number;
  /** Slot after the last one. */
  to: number;
}

/** One guard move: `vehicleId` goes onto `chargerId` at `slot`; `displaced` is the car standing there, if any. */
export interface ChargerSwap {
  slot: number;
  chargerId: string;
  vehicleId: string;
  displaced: string | null;
}

export interface RequestOutcome {
  vehicleId: string;
  /** Slots needed to deliver the requested energy at the slowest charger's power. */
  neededSlots: number;
  plannedSlots: number;
  met: boolean;
  /** Energy the plan delivers, kWh (at the slowest charger's power). */
  plannedKwh: number;
}

export interface ChargingPlan {
  /** `all-met`: every request is met; `shared`: capacity falls short and the night is shared fairly. */
  status: 'all-met' | 'shared';
  blocks: ChargeBlock[];
  swaps: ChargerSwap[];
  outcomes: RequestOutcome[];
  /**
   * A lower bound on the swaps of any plan delivering the same slots: every served car is put on a
   * charger once, except the cars already standing on one that can all charge in the first slot.
   */
  lowerBound: number;
  /** The smallest share of a need the plan delivers (1 when all are met). */
  minShare: number;
}

/** Slots of charge needed for `kwh` at `kw`. */
export function slotsFor(kwh: number, kw: number, slotMinutes: number): number {
  if (kwh <= 0) return 0;
  return Math.ceil(kwh / ((kw * slotMinutes) / 60) - 1e-9);
}

function feasible(need: readonly number[], deadline: readonly number[], chargers: number): boolean {
  return canMeetAll(need, deadline, chargers);
}

/** Targets that share the capacity fairly: the largest common share of every need, then one slot at a time to the furthest behind. */
export function fairTargets(need: readonly number[], deadline: readonly number[], chargers: number): number[] {
  const capped = need.map((n, j) => Math.max(0, Math.min(n, deadline[j]!)));
  if (feasible(need, deadline, chargers)) return [...need];
  const at = (permille: number) => capped.map((n) => Math.min(n, Math.floor((n * permille) / 1000)));
  let lo = 0;
  let hi = 1000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (feasible(at(mid), deadline, chargers)) lo = mid;
    else hi = mid - 1;
  }
  const target = at(lo);
  const blocked = new Set<number>();
  for (;;) {
    let best = -1;
    for (let j = 0; j < target.length; j++) {
      if (blocked.has(j) || target[j]! >= capped[j]!) continue;
      const share = target[j]! / capped[j]!;
      if (best < 0 || share < target[best]! / capped[best]!) best = j;
    }
    if (best < 0) return target;
    target[best]!++;
    if (!feasible(target, deadline, chargers)) {
      target[best]!--;
      blocked.add(best);
    }
  }
}

/** The first slot of McNaughton's wrap-around over the flow's amounts for the current interval. */
function wrapFirstSlot(
  remaining: readonly number[],
  deadline: readonly number[],
  chargers: number,
  t: number,
): Set<number> {
  const flow = intervalFlow(
    remaining,
    deadline.map((d) => Math.max(0, d - t)),
    chargers,
  );
  const len = (flow.cuts[1] ?? 0) - (flow.cuts[0] ?? 0);
  const order = remaining
    .map((_, j) => j)
    .filter((j) => (flow.amounts[j]?.[0] ?? 0) > 0)
    .sort((a, b) => flow.amounts[b]![0]! - flow.amounts[a]![0]! || a - b);
  const run = new Set<number>();
  let offset = 0;
  for (const j of order) {
    const x = flow.amounts[j]![0]!;
    // The job covers [offset, offset + x) of the concatenated chargers; it runs at slot 0 when that covers a charger's start.
    for (let c = 0; c < chargers; c++) {
      const start = c * len;
      if (start >= offset && start < offset + x) run.add(j);
    }
    offset += x;
  }
  return run;
}

/** Orders for starting cars that are not on a charger yet; the plan tries each and keeps the one with fewest swaps. */
const START_ORDERS: ((
  remaining: readonly number[],
  deadline: readonly number[],
) => (a: number, b: number, t: number) => number)[] = [
  (_r, d) => (a, b) => d[a]! - d[b]!,
  (r, d) => (a, b) => d[a]! - d[b]! || r[b]! - r[a]!,
  (r, d) => (a, b, t) => d[a]! - t - r[a]! - (d[b]! - t - r[b]!),
];

export function planCharging(night: ChargingNight): ChargingPlan {
  const setup = prepare(night);
  // The slot-by-slot plans charge early; a block packing replaces them only when it needs fewer moves.
  // A plan that reaches the lower bound cannot be beaten, so the search stops there.
  const budget = { checks: PACK_BUDGET };
  const constructions = [
    ...START_ORDERS.map((order) => () => planWith(night, setup, order)),
    ...PACK_ORDERS.map((order) => (below: number) => planFromPacking(night, setup, order, below, budget)),
  ];
  let best: ChargingPlan | null = null;
  for (const construct of constructions) {
    if (best !== null && best.swaps.length <= best.lowerBound) break;
    const plan = construct(best === null ? Infinity : best.swaps.length);
    if (plan !== null && (best === null || plan.swaps.length < best.swaps.length)) best = plan;
  }
  return best!;
}

/** What every construction of the night shares: the slots each car needs and gets, and who stands where. */
interface Setup {
  kw: number;
  needed: number[];
  deadline: number[];
  /** Slots each car is to get: its need when the night allows all, else its fair share. */
  target: number[];
  /** The charger (index) each car stands on at the start, or null; one car per charger. */
  initial: (number | null)[];
  /** The most cars standing on a charger that can charge all they get from slot 0 without a move. */
  kept: number[];
  /** Other sets of kept cars, for the block packing to try. */
  keptAlternatives: number[][];
  /** The lower bound on the moves of a plan delivering `target` (`movesLowerBound`). */
  lowerBound: number;
}

function prepare(night: ChargingNight): Setup {
  const C = night.chargers.length;
  const kw = C === 0 ? 0 : Math.min(...night.chargers.map((c) => c.kw));
  const needed = night.requests.map((r) => (C === 0 ? 0 : slotsFor(r.needKwh, kw, night.slotMinutes)));
  const deadline = night.requests.map((r) => Math.max(0, Math.min(r.departureSlot, night.slots)));
  const allFeasible = C > 0 && feasible(needed, deadline, C);
  const target = C === 0 ? needed.map(() => 0) : allFeasible ? [...needed] : fairTargets(needed, deadline, C);
  const taken = new Set<number>();
  const initial = night.requests.map((r) => {
    const c = r.onCharger == null ? -1 : night.chargers.findIndex((x) => x.id === r.onCharger);
    if (c < 0 || taken.has(c)) return null;
    taken.add(c);
    return c;
  });
  const startsOn = initial.map((c, j) => c !== null && target[j]! > 0);
  const [kept = [], ...keptAlternatives] = C === 0 ? [] : keptChoices(target, deadline, C, startsOn, KEPT_CHOICES);
  const lowerBound = movesLowerBound(target, deadline, C, startsOn);
  return { kw, needed, deadline, target, initial, kept, keptAlternatives, lowerBound };
}

const PACK_ORDERS: PackOrder[] = ['longest-first', 'shortest-first'];
/** Feasibility checks the block packings of one night may spend together (branch and bound). */
const PACK_BUDGET = 3000;
/** How many sets of kept cars (largest first) the block packing tries. */
const KEPT_CHOICES = 8;

/** The plan of a block packing (`packBlocks`) with fewer than `below` moves, or null when none is found. */
function planFromPacking(
  night: ChargingNight,
  setup: Setup,
  order: PackOrder,
  below: number,
  budget: { checks: number },
): ChargingPlan | null {
  const C = night.chargers.length;
  if (C === 0) return null;
  let pieces: Piece[] | null = null;
  for (const kept of [setup.kept, ...setup.keptAlternatives]) {
    const best = pieces === null ? below : moves(pieces, setup.initial);
    if (best <= setup.lowerBound) break;
    const packed = packBlocks(
      setup.target,
      setup.deadline,
      C,
      kept,
      setup.initial,
      order,
      budget,
      setup.lowerBound,
      best,
    );
    if (packed !== null && (pieces === null || moves(packed, setup.initial) < moves(pieces, setup.initial)))
      pieces = packed;
  }
  if (pieces === null) return null;
  const requests = night.requests;
  const holder: (number | null)[] = night.chargers.map(() => null);
  const chargerOf = [...setup.initial];
  chargerOf.forEach((c, j) => {
    if (c !== null) holder[c] = j;
  });
  const swaps: ChargerSwap[] = [];
  const blocks: ChargeBlock[] = [];
  for (const piece of [...pieces].sort((a, b) => a.from - b.from || a.charger - b.charger)) {
    const { car, charger } = piece;
    const chargerId = night.chargers[charger]!.id;
    blocks.push({ vehicleId: requests[car]!.vehicleId, chargerId, from: piece.from, to: piece.to });
    if (holder[charger] === car) continue;
    const displaced = holder[charger] ?? null;
    if (displaced !== null) chargerOf[displaced] = null;
    const left = chargerOf[car];
    if (left !== null && left !== undefined) holder[left] = null;
    holder[charger] = car;
    chargerOf[car] = charger;
    swaps.push({
      slot: piece.from,
      chargerId,
      vehicleId: requests[car]!.vehicleId,
      displaced: displaced === null ? null : requests[displaced]!.vehicleId,
    });
  }
  return finish(night, setup, blocks, swaps, setup.target);
}

/** Outcomes, lower bound and status of a plan delivering `delivered[j]` slots to car j. */
function finish(
  night: ChargingNight,
  setup: Setup,
  blocks: ChargeBlock[],
  swaps: ChargerSwap[],
  delivered: readonly number[],
): ChargingPlan {
  const { kw, needed, deadline, initial } = setup;
  const outcomes: RequestOutcome[] = night.requests.map((r, j) => ({
    vehicleId: r.vehicleId,
    neededSlots: needed[j]!,
    plannedSlots: delivered[j]!,
    met: delivered[j]! >= needed[j]!,
    plannedKwh: Math.min(r.needKwh, (delivered[j]! * kw * night.slotMinutes) / 60),
  }));
  const lowerBound = delivered.every((d, j) => d === setup.target[j])
    ? setup.lowerBound
    : movesLowerBound(
        delivered,
        deadline,
        night.chargers.length,
        initial.map((c, j) => c !== null && delivered[j]! > 0),
      );
  const shares = outcomes.filter((o) => o.neededSlots > 0).map((o) => o.plannedSlots / o.neededSlots);
  return {
    status: outcomes.every((o) => o.met) ? 'all-met' : 'shared',
    blocks: blocks.sort((a, b) => a.from - b.from || a.chargerId.localeCompare(b.chargerId)),
    swaps,
    outcomes,
    lowerBound,
    minShare: shares.length === 0 ? 1 : Math.min(...shares),
  };
}

function planWith(night: ChargingNight, setup: Setup, startOrder: (typeof START_ORDERS)[number]): ChargingPlan {
  const chargers = night.chargers;
  const C = chargers.length;
  const requests = night.requests;
  const n = requests.length;
  const { deadline, target } = setup;
  const remaining = [...target];
  const newOrder = startOrder(remaining, deadline);
  const holder = new Map<string, number | null>(chargers.map((c) => [c.id, null]));
  const chargerOf: (string | null)[] = setup.initial.map((c) => (c === null ? null : chargers[c]!.id));
  chargerOf.forEach((id, j) => {
    if (id !== null) holder.set(id, j);
  });
  const kept = new Set(setup.kept);
  const open: (ChargeBlock | null)[] = requests.map(() => null);
  const blocks: ChargeBlock[] = [];
  const swaps: ChargerSwap[] = [];
  const closeBlock = (j: number, t: number): void => {
    const b = open[j];
    if (b !== null && b !== undefined) {
      b.to = t;
      blocks.push(b);
      open[j] = null;
    }
  };
  for (let t = 0; t < night.slots; t++) {
    const active = remaining.map((_, j) => j).filter((j) => remaining[j]! > 0 && deadline[j]! > t);
    if (active.length === 0) {
      for (let j = 0; j < n; j++) closeBlock(j, t);
      break;
    }
    const laxity = (j: number) => deadline[j]! - t - remaining[j]!;
    // At the start only the cars that can charge in one go stay; the others give way first.
    const sticky = (j: number) => (chargerOf[j] !== null && (t > 0 || kept.has(j)) ? 0 : 1);
    const preferred = [...active]
      .sort((a, b) => sticky(a) - sticky(b) || (sticky(a) === 0 ? laxity(a) - laxity(b) : newOrder(a, b, t)) || a - b)
      .slice(0, C);
    let run = new Set(preferred);
    const after = remaining.map((r, j) => (run.has(j) ? r - 1 : r));
    const shifted = deadline.map((d) => Math.max(0, d - t - 1));
    const works = (set: Set<number>) =>
      feasible(
        remaining.map((r, j) => (set.has(j) ? r - 1 : r)),
        shifted,
        C,
      );
    if (!feasible(after, shifted, C)) {
      run = wrapFirstSlot(
        remaining.map((r, j) => (deadline[j]! > t ? r : 0)),
        deadline,
        C,
        t,
      );
      // Bring back the cars already on a charger where the night allows it: each one kept saves a move.
      for (const j of preferred) {
        if (run.has(j) || chargerOf[j] === null) continue;
        if (run.size < C) {
          const tryAdd = new Set([...run, j]);
          if (works(tryAdd)) {
            run = tryAdd;
            continue;
          }
        }
        for (const k of [...run].filter((x) => chargerOf[x] === null)) {
          const trySwap = new Set([...run].filter((x) => x !== k));
          trySwap.add(j);
          if (works(trySwap)) {
            run = trySwap;
            break;
          }
        }
      }
    }
    // Cars that stop charging now leave their block (they stay parked until someone needs the charger).
    for (let j = 0; j < n; j++) if (!run.has(j)) closeBlock(j, t);
    const freeChargers = chargers
      .map((c) => c.id)
      .filter((id) => {
        const h = holder.get(id);
        return h === null || h === undefined || !run.has(h);
      })
      // An empty charger first, then one whose car has finished, then one whose car still needs charge.
      .sort((a, b) => rank(a) - rank(b));
    function rank(id: string): number {
      const h = holder.get(id);
      if (h === null || h === undefined) return 0;
      return remaining[h]! > 0 && deadline[h]! > t ? 2 : 1;
    }
    for (const j of [...run].sort((a, b) => a - b)) {
      remaining[j]!--;
      if (chargerOf[j] !== null && holder.get(chargerOf[j]!) === j) {
        if (open[j] === null)
          open[j] = {
            vehicleId: requests[j]!.vehicleId,
            chargerId: chargerOf[j]!,
            from: t,
            to: t,
          };
        continue;
      }
      const id = freeChargers.shift();
      if (id === undefined) throw new Error('charging plan: more cars than chargers in a slot');
      const displaced = holder.get(id) ?? null;
      if (displaced !== null) chargerOf[displaced] = null;
      holder.set(id, j);
      chargerOf[j] = id;
      swaps.push({
        slot: t,
        chargerId: id,
        vehicleId: requests[j]!.vehicleId,
        displaced: displaced === null ? null : requests[displaced]!.vehicleId,
      });
      open[j] = {
        vehicleId: requests[j]!.vehicleId,
        chargerId: id,
        from: t,
        to: t,
      };
    }
  }
  for (let j = 0; j < n; j++) closeBlock(j, night.slots);
  for (const b of blocks) b.to = Math.min(b.to, night.slots);
  return finish(
    night,
    setup,
    blocks,
    swaps,
    target.map((x, j) => x - remaining[j]!),
  );
}
