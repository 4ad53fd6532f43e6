/**
 * @module What the engine measures, night by night: waits and on-time departures, relocations by
 * cause, cars turned away, EV energy asked and delivered, partner nights, broken rules, the cars
 * counted at night and the night's relocation lower bound; the guards' busy minutes and the cars
 * on the lot per half hour; and, at the end, the figures of the run.
 */
import type { LotView } from '../../planner/placement/index.js';
import { morningLowerBound } from '../../planner/placement/index.js';
import { minutesOf } from '../../core/calendar.js';
import { addDays } from '../../core/time.js';
import { DAY, abs } from '../behaviour.js';
import type { NightKpi, OverallKpi } from '../kpi.js';
import { mean, percentile, ratio, round } from '../kpi.js';
import type { SimCar } from '../policy.js';
import {
  DEFAULT_SHIFT,
  NIGHT_START_MINUTE,
  PEAK_WINDOWS,
  SLOTS_PER_DAY,
  SLOT_MINUTES,
  STAYS_IN_DEPARTURE,
} from './constants.js';
import type { EngineState } from './state.js';
import type { SimProfiles, ViolationTrace } from './types.js';

/** One night's tallies (night `k` runs from noon of day `k` to noon of day `k + 1`). */
export interface NightTally {
  waits: number[];
  /** Minutes from each car's hand-over at the gate until it stood in its place (or left the gate otherwise). */
  gateWaits: number[];
  declared: number;
  onTime: number;
  relocations: NightKpi['relocations'];
  turnedAway: number;
  /** EV energy asked for and delivered, kWh. */
  requested: number;
  delivered: number;
  partner: number;
  violations: number;
  housed: number;
  needing: number;
  /** The night's relocation lower bounds, one per look at the lot (see `boundNight`). */
  bounds: BoundLook[];
}

/** A look at the lot for the night's relocation lower bound. */
interface BoundLook {
  /** The lower bound of the lot as it stood. */
  bound: number;
  /** The night's moves not counted as relocations (charger swaps, closures) made before the look. */
  otherMoves: number;
}

/** The measurements of a run under way. */
export interface Measurements {
  nights: NightTally[];
  /** Slots of `SLOT_MINUTES` from minute 0 the run measures. */
  slots: number;
  /** Guard minutes worked in each slot. */
  busy: Float64Array;
  /** Cars on the lot at the start of each slot (-1: not sampled). */
  occupancy: Float64Array;
  /** Sum and count of waits (minutes) by the hour of the day the resident came. */
  waitSum: Float64Array;
  waitCount: Float64Array;
  /** Broken rules over the whole run (the warm-up day included). */
  violations: number;
}

export function createMeasurements(days: number): Measurements {
  const slots = (days + 2) * SLOTS_PER_DAY;
  return {
    nights: Array.from({ length: days }, () => ({
      waits: [],
      gateWaits: [],
      declared: 0,
      onTime: 0,
      relocations: { onDemand: 0, prestage: 0, resort: 0, charger: 0, closure: 0 },
      turnedAway: 0,
      requested: 0,
      delivered: 0,
      partner: 0,
      violations: 0,
      housed: 0,
      needing: 0,
      bounds: [],
    })),
    slots,
    busy: new Float64Array(slots),
    occupancy: new Float64Array(slots).fill(-1),
    waitSum: new Float64Array(24),
    waitCount: new Float64Array(24),
    violations: 0,
  };
}

/** The measured night an absolute minute belongs to (-1: the warm-up day). */
export function nightOf(t: number): number {
  return Math.floor((t - NIGHT_START_MINUTE) / DAY) - 1;
}

/** The tally of the night minute `t` belongs to; undefined outside the measured nights. */
export function tallyAt(m: Measurements, t: number): NightTally | undefined {
  return m.nights[nightOf(t)];
}

/** Counts a broken rule now and reports it. */
export function violation(s: EngineState, rule: ViolationTrace['rule'], car: number): void {
  s.options.onViolation?.({ rule, car, at: s.now });
  s.m.violations++;
  const a = tallyAt(s.m, s.now);
  if (a) a.violations++;
}

/** Adds a guard's work from `from` to `to` (minutes) to the slots it spans. */
export function addBusy(m: Measurements, from: number, to: number): void {
  for (let t = from; t < to;) {
    const slot = Math.floor(t / SLOT_MINUTES);
    const next = Math.min(to, (slot + 1) * SLOT_MINUTES);
    if (slot < m.slots) m.busy[slot] = (m.busy[slot] as number) + (next - t);
    t = next;
  }
}

/** Samples the cars on the lot at the slot starting now. */
export function sampleOccupancy(s: EngineState): void {
  s.m.occupancy[Math.floor(s.now / SLOT_MINUTES)] = s.lot.count();
}

/**
 * Records a departure in `a`: the resident came at `came` (absolute minute), drove off now after
 * waiting `wait` minutes, for a declared time `declared` (NaN: undeclared or an emergency).
 */
export function recordDeparture(
  m: Measurements,
  a: NightTally,
  came: number,
  wait: number,
  declared: number,
  now: number,
): void {
  a.waits.push(wait);
  if (Number.isFinite(declared)) {
    a.declared++;
    if (now <= Math.max(declared, came)) a.onTime++;
  }
  const hour = Math.floor((came % DAY) / 60);
  m.waitSum[hour] = (m.waitSum[hour] as number) + wait;
  m.waitCount[hour] = (m.waitCount[hour] as number) + 1;
}

/**
 * The night's count (at `NIGHT_COUNT_MINUTE`): the cars that needed a place and those housed, a
 * violation for every car on a closed or fire-lane place, and the last look at the lot for the
 * night's relocation lower bound.
 */
export function countNight(s: EngineState, k: number): void {
  const { lot, loc } = s;
  const a = s.m.nights[k];
  if (a === undefined) return;
  let needing = 0;
  let housed = 0;
  const counted: number[] = [];
  for (let c = 0; c < s.n; c++) {
    const l = loc[c];
    if (l === 'out') continue;
    needing++;
    counted.push(c);
    if (l === 'compound' || l === 'partner') housed++;
    if (l === 'compound' && lot.where(c) !== -1) {
      const pos = lot.pos(lot.where(c));
      if (pos.closed || pos.fireLane) violation(s, pos.closed ? 'closed' : 'fire-lane', c);
    }
  }
  a.needing = needing;
  a.housed = housed;
  s.options.onNightCount?.(k, counted);
  boundNight(s, k);
}

/**
 * Looks at the lot as it stands now for night `k`'s relocation lower bound, with each car's real
 * departure of the morning (see `nightLowerBound`).
 */
export function boundNight(s: EngineState, k: number): void {
  const { lot, cars, movable } = s;
  const a = s.m.nights[k];
  if (a === undefined) return;
  const base = abs(k, 0);
  // A car that leaves after the night ends stays, for this night: its blockers move in the next one.
  const nightEnd = abs(k + 1, NIGHT_START_MINUTE);
  const view: LotView = {
    lanes: lot.lanes.map((lane) => ({
      id: lane.id,
      name: lane.id,
      access: lane.access,
      positions: lane.positions.map((p) => {
        const pos = lot.pos(p);
        const car = lot.at(p);
        const next = car === -1 ? null : s.plan(k + 1, car);
        return {
          id: pos.id,
          index: pos.index,
          chargerKw: pos.chargerKw,
          maxSize: pos.maxSize,
          closed: pos.closed,
          car:
            car === -1 || next === null
              ? null
              : {
                  vehicleId: (cars[car] as SimCar).id,
                  movable: movable(car),
                  departure: next.leaves && next.departAt < nightEnd ? next.departAt - base : STAYS_IN_DEPARTURE,
                },
        };
      }),
    })),
  };
  const { charger, closure } = a.relocations;
  a.bounds.push({ bound: morningLowerBound(view), otherMoves: charger + closure });
}

/**
 * Night `a`'s relocation lower bound. Every blocker of a look at the lot must be moved before the
 * morning's departures, by a relocation or else by a move the night does not count as one (a
 * charger swap, a closure), so the relocations after a look are at least its bound less the
 * other moves after it. The night's bound is the largest of these over its looks: the evening's
 * (from `BOUND_FROM_MINUTE`) and the count's. The count's alone would be lowered by the very
 * moves the night counts (a re-sort or a pre-staging before 04:00).
 */
export function nightLowerBound(a: NightTally): number {
  const { charger, closure } = a.relocations;
  const others = charger + closure;
  return a.bounds.reduce((best, look) => Math.max(best, look.bound - (others - look.otherMoves)), 0);
}

/** The run's figures: each night's KPIs, the overall KPIs and the daily profiles. */
export function figures(s: EngineState): { nights: NightKpi[]; overall: OverallKpi; profiles: SimProfiles } {
  const { m, days, guards, scenario, startDate } = s;
  const { busy, occupancy, waitSum, waitCount } = m;
  const acc = m.nights;
  const nights: NightKpi[] = [];
  const slotRange = (k: number, from: number, to: number): number => {
    let sum = 0;
    for (let t = abs(k, from); t < abs(k, to); t += SLOT_MINUTES) sum += busy[Math.floor(t / SLOT_MINUTES)] ?? 0;
    return sum;
  };
  const peakMinutes = PEAK_WINDOWS.reduce((sum, [a, b]) => sum + (b - a), 0);
  const peakBusy = (k: number): number => PEAK_WINDOWS.reduce((sum, [a, b]) => sum + slotRange(k + 1, a, b), 0);
  const shift = (name: 'day' | 'night'): [number, number] => {
    const sh = scenario.roster.shifts.find((x) => x.id === name) ?? scenario.roster.shifts[0];
    const from = minutesOf(sh?.start ?? DEFAULT_SHIFT.start);
    let to = minutesOf(sh?.end ?? DEFAULT_SHIFT.end);
    if (to <= from) to += DAY;
    return [from, to];
  };
  const [dayFrom, dayTo] = shift('day');
  const [nightFrom, nightTo] = shift('night');
  for (let k = 0; k < days; k++) {
    const a = acc[k] as NightTally;
    nights.push({
      date: addDays(startDate, k),
      carsNeedingPlace: a.needing,
      carsHoused: a.housed,
      turnedAway: a.turnedAway,
      departures: a.waits.length,
      declaredDepartures: a.declared,
      declaredOnTime: a.onTime,
      waitMeanMin: round(mean(a.waits), 2),
      waitP95Min: round(percentile(a.waits, 0.95), 2),
      waitMaxMin: round(Math.max(0, ...a.waits), 2),
      gateWaitP95Min: round(percentile(a.gateWaits, 0.95), 2),
      gateWaitMaxMin: round(Math.max(0, ...a.gateWaits), 2),
      relocations: a.relocations,
      relocationLowerBound: nightLowerBound(a),
      guardBusyMinutes: {
        dayShift: round(slotRange(k + 1, dayFrom, dayTo), 1),
        nightShift: round(slotRange(k, nightFrom, nightTo), 1),
      },
      guardPeakUtilization: round(peakBusy(k) / (guards * peakMinutes)),
      evEnergyRequestedKwh: round(a.requested, 2),
      evEnergyDeliveredKwh: round(a.delivered, 2),
      partnerCars: a.partner,
      violations: a.violations,
    });
  }
  const allWaits = acc.flatMap((a) => a.waits);
  const gateWaits = acc.flatMap((a) => a.gateWaits);
  const sum = (f: (a: NightTally) => number): number => acc.reduce((total, a) => total + f(a), 0);
  // Charger swaps are EV service, not moves out of a departing car's way; each night lists them.
  const relocs = sum((a) => a.relocations.onDemand + a.relocations.prestage + a.relocations.resort);
  let peak = 0;
  for (let k = 0; k < days; k++) peak += peakBusy(k);
  const overall: OverallKpi = {
    housedRate: round(
      ratio(
        sum((a) => a.housed),
        sum((a) => a.needing),
      ),
    ),
    onTimeRate: round(
      ratio(
        sum((a) => a.onTime),
        sum((a) => a.declared),
      ),
    ),
    waitMeanMin: round(mean(allWaits), 2),
    waitP95Min: round(percentile(allWaits, 0.95), 2),
    waitMaxMin: round(Math.max(0, ...allWaits), 2),
    gateWaitP95Min: round(percentile(gateWaits, 0.95), 2),
    gateWaitMaxMin: round(Math.max(0, ...gateWaits), 2),
    relocationsPerDeparture: round(ratio(relocs, allWaits.length, 0)),
    relocationLowerBoundPerDeparture: round(ratio(sum(nightLowerBound), allWaits.length, 0)),
    guardPeakUtilization: round(ratio(peak, guards * peakMinutes * days, 0)),
    evEnergyMetRate: round(
      ratio(
        sum((a) => a.delivered),
        sum((a) => a.requested),
      ),
    ),
    partnerNightsUsed: sum((a) => a.partner),
    violations: m.violations,
  };
  // Profiles over the measured days.
  const guardLoad: number[] = [];
  const occ: number[] = [];
  const half = SLOTS_PER_DAY / 2;
  for (let slotOfDay = 0; slotOfDay < SLOTS_PER_DAY; slotOfDay++) {
    let b = 0;
    let o = 0;
    let count = 0;
    for (let k = 1; k <= days; k++) {
      const slot = (k + 1) * SLOTS_PER_DAY + slotOfDay - SLOTS_PER_DAY + half; // from 12:00 on day k-1
      if (slot >= m.slots || (occupancy[slot] as number) < 0) continue;
      b += (busy[slot] as number) / SLOT_MINUTES;
      o += occupancy[slot] as number;
      count++;
    }
    const sod = (slotOfDay + half) % SLOTS_PER_DAY;
    guardLoad[sod] = round(count === 0 ? 0 : b / count, 3);
    occ[sod] = round(count === 0 ? 0 : o / count, 1);
  }
  return {
    nights,
    overall,
    profiles: {
      waitByHour: Array.from({ length: 24 }, (_, h) =>
        (waitCount[h] as number) === 0 ? null : round((waitSum[h] as number) / (waitCount[h] as number), 2),
      ),
      guardLoadByHalfHour: guardLoad,
      occupancyByHalfHour: occ,
    },
  };
}
