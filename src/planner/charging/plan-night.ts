/**
 * @module The night's charger plan for one site (the compound, or a partner lot): EVs state the
 * energy they need and their departure; the plan puts cars on chargers slot by slot so that every
 * request the charger capacity allows is met by its departure, moving as few cars as it can (each
 * car put on a charger it is not standing on is one guard move — a **swap**). When not every request
 * can be met, it says so and shares fairly: the largest equal share of every need (max–min), then
 * single slots to whoever is furthest behind.
 *
 * Slot by slot it keeps the cars already charging on their chargers (least laxity first) as long as
 * the rest of the night stays feasible (checked with a max flow, `intervalFlow`); when it would not,
 * it takes the first slot of a feasible schedule instead: McNaughton's wrap-around rule over the
 * flow's amounts for the current interval (McNaughton 1959, "Scheduling with deadlines and loss
 * functions", Management Science 6). Pure: slots are numbered from the plan's start.
 */
import { intervalFlow } from './flow.js';

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
  return intervalFlow(need, deadline, chargers).feasible;
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
function wrapFirstSlot(remaining: readonly number[], deadline: readonly number[], chargers: number, t: number): Set<number> {
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
const START_ORDERS: ((remaining: readonly number[], deadline: readonly number[]) => (a: number, b: number, t: number) => number)[] = [
  (_r, d) => (a, b) => d[a]! - d[b]!,
  (r, d) => (a, b) => d[a]! - d[b]! || r[b]! - r[a]!,
  (r, d) => (a, b, t) => d[a]! - t - r[a]! - (d[b]! - t - r[b]!),
];

export function planCharging(night: ChargingNight): ChargingPlan {
  let best: ChargingPlan | null = null;
  for (const order of START_ORDERS) {
    const plan = planWith(night, order);
    if (best === null || plan.swaps.length < best.swaps.length) best = plan;
  }
  return best!;
}

function planWith(night: ChargingNight, startOrder: (typeof START_ORDERS)[number]): ChargingPlan {
  const chargers = night.chargers;
  const C = chargers.length;
  const kw = C === 0 ? 0 : Math.min(...chargers.map((c) => c.kw));
  const requests = night.requests;
  const n = requests.length;
  const needed = requests.map((r) => (C === 0 ? 0 : slotsFor(r.needKwh, kw, night.slotMinutes)));
  const deadline = requests.map((r) => Math.max(0, Math.min(r.departureSlot, night.slots)));
  const allFeasible = C > 0 && feasible(needed, deadline, C);
  const target = C === 0 ? needed.map(() => 0) : allFeasible ? [...needed] : fairTargets(needed, deadline, C);
  const remaining = [...target];
  const newOrder = startOrder(remaining, deadline);
  const holder = new Map<string, number | null>(chargers.map((c) => [c.id, null]));
  const chargerOf: (string | null)[] = requests.map(() => null);
  requests.forEach((r, j) => {
    if (r.onCharger != null && holder.has(r.onCharger) && holder.get(r.onCharger) === null) {
      holder.set(r.onCharger, j);
      chargerOf[j] = r.onCharger;
    }
  });
  const startsOnCharger = chargerOf.map((c) => c !== null);
  const kept = new Set(C === 0 ? [] : keptOnCharger(target, deadline, C, startsOnCharger));
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
  const delivered = requests.map((_, j) => target[j]! - remaining[j]!);
  const outcomes: RequestOutcome[] = requests.map((r, j) => ({
    vehicleId: r.vehicleId,
    neededSlots: needed[j]!,
    plannedSlots: delivered[j]!,
    met: delivered[j]! >= needed[j]!,
    plannedKwh: Math.min(r.needKwh, (delivered[j]! * kw * night.slotMinutes) / 60),
  }));
  const lowerBound = movesLowerBound(
    delivered,
    deadline,
    C,
    startsOnCharger.map((on, j) => on && delivered[j]! > 0),
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

/**
 * Every car that charges is put on a charger at least once, except a car already standing on one
 * that charges all it gets in one go from the first slot (a car interrupted is put back, one move).
 * The most such cars in some feasible plan are found by trying their subsets, largest first.
 */
export function keptOnCharger(delivered: readonly number[], deadline: readonly number[], chargers: number, startsOn: readonly boolean[]): number[] {
  const onCharger = startsOn.map((on, j) => (on && delivered[j]! > 0 ? j : -1)).filter((j) => j >= 0);
  let best: number[] = [];
  for (let mask = (1 << onCharger.length) - 1; mask > 0; mask--) {
    const members = onCharger.filter((_, i) => (mask >> i) & 1);
    if (members.length <= best.length || members.length > chargers) continue;
    if (members.some((j) => delivered[j]! > deadline[j]!)) continue;
    const rest = delivered.map((d, j) => (members.includes(j) ? 0 : d));
    if (
      intervalFlow(
        rest,
        deadline,
        chargers,
        members.map((j) => delivered[j]!),
      ).feasible
    )
      best = members;
  }
  return best;
}

export function movesLowerBound(delivered: readonly number[], deadline: readonly number[], chargers: number, startsOn: readonly boolean[]): number {
  return delivered.filter((d) => d > 0).length - keptOnCharger(delivered, deadline, chargers, startsOn).length;
}
