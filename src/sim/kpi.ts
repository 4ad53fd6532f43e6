/**
 * @module The simulator's key figures, per night and over a run. A **night** k runs from 12:00 on
 * day k to 12:00 the next day: that evening's arrivals, the night, and the next morning's
 * departures. Rates are in 0..1, times in minutes.
 */

/** The figures of one night. */
export interface NightKpi {
  /** The evening's date. */
  date: string;
  /** Cars that needed a place at 04:00 (in the compound, at the partner lot, queued at the gate or turned away). */
  carsNeedingPlace: number;
  /** Of those, in the compound or at the partner lot. */
  carsHoused: number;
  /** Cars turned away at the gate (no legal position) during the night. */
  turnedAway: number;
  /** Departures of cars the guards housed (compound), emergencies included. */
  departures: number;
  declaredDepartures: number;
  declaredOnTime: number;
  waitMeanMin: number;
  waitP95Min: number;
  waitMaxMin: number;
  /** Minutes from a car's hand-over at the gate until it stands in its place: p95 and max. */
  gateWaitP95Min: number;
  gateWaitMaxMin: number;
  /**
   * Guard moves of parked cars, by reason; `closure`: cars (and their blockers) moved off positions
   * that close the next day.
   */
  relocations: { onDemand: number; prestage: number; resort: number; charger: number; closure: number };
  /** morningLowerBound of the lot at 04:00 with the true departures. */
  relocationLowerBound: number;
  guardBusyMinutes: { dayShift: number; nightShift: number };
  guardPeakUtilization: number;
  evEnergyRequestedKwh: number;
  evEnergyDeliveredKwh: number;
  partnerCars: number;
  violations: number;
}

/** The `--json` figures of one policy over a run. */
export interface OverallKpi {
  housedRate: number;
  onTimeRate: number;
  waitMeanMin: number;
  waitP95Min: number;
  waitMaxMin: number;
  /** Minutes from a car's hand-over at the gate until it stands in its place: p95 and max. */
  gateWaitP95Min: number;
  gateWaitMaxMin: number;
  relocationsPerDeparture: number;
  relocationLowerBoundPerDeparture: number;
  guardPeakUtilization: number;
  evEnergyMetRate: number;
  partnerNightsUsed: number;
  violations: number;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Rounds for stable, readable output. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ratio(a: number, b: number, empty = 1): number {
  return b === 0 ? empty : a / b;
}

/** One EV's stay at home: it asks for `kwh` and stands from `from` to `to` (minutes). */
export interface ChargeStay {
  from: number;
  to: number;
  kwh: number;
}

/** Chargers of `kw` each, `count` of them, open from `from` to `to` (minutes). */
export interface ChargerSpan {
  from: number;
  to: number;
  kw: number;
  count: number;
}

/** Slot of the charger-capacity bound, minutes. */
const CHARGE_SLOT = 15;

/**
 * The most energy the chargers can deliver to `stays` (an upper bound, so that "energy met" is a
 * share of what was possible rather than of what was asked): no EV gets more than it asks for nor
 * more than the strongest charger gives over its stay, and in each `CHARGE_SLOT` minutes the EVs
 * at home get at most the strongest chargers open then, one EV on each. A compound with two
 * chargers and twenty EVs asking 30 kWh a night cannot meet the requests; the policy is judged on
 * what it does with the chargers there are.
 */
export function chargerDeliverableKwh(stays: readonly ChargeStay[], chargers: readonly ChargerSpan[]): number {
  const asking = stays.filter((s) => s.kwh > 0 && s.to > s.from);
  if (asking.length === 0 || chargers.length === 0) return 0;
  const strongest = Math.max(...chargers.map((c) => c.kw));
  const perCar = asking.reduce((sum, s) => sum + Math.min(s.kwh, (strongest * (s.to - s.from)) / 60), 0);
  const start = Math.min(...asking.map((s) => s.from));
  const end = Math.max(...asking.map((s) => s.to));
  let perSlot = 0;
  for (let t = start; t < end; t += CHARGE_SLOT) {
    const mid = t + CHARGE_SLOT / 2;
    let cars = 0;
    for (const s of asking) if (s.from <= mid && mid < s.to) cars++;
    if (cars === 0) continue;
    const open = chargers.filter((c) => c.from <= mid && mid < c.to).sort((a, b) => b.kw - a.kw);
    for (const c of open) {
      const n = Math.min(cars, c.count);
      perSlot += (n * c.kw * CHARGE_SLOT) / 60;
      cars -= n;
      if (cars === 0) break;
    }
  }
  return Math.min(perCar, perSlot);
}
