/**
 * @module The simulator's key figures, per night and over a run. A **night** k runs from 12:00 on
 * day k to 12:00 the next day: that evening's arrivals, the night, and the next morning's
 * departures. Rates are in 0..1, times in minutes.
 */
import { Dinic } from '../planner/charging/index.js';

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

/**
 * The most energy the chargers can deliver to `stays` (an upper bound, so that "energy met" is a
 * share of what was possible rather than of what was asked): a max flow from each EV (what it
 * asks) through the stretches of time it is at home (at most the strongest charger's power over
 * each, as it stands on one charger at a time) to the chargers open then (the strongest of them,
 * one EV on each, as many as there are EVs at home). Time is cut wherever a stay or a charger
 * starts or ends, so each stretch has one set of EVs and chargers. Swaps cost nothing here, which
 * keeps it an upper bound. A compound with two chargers and twenty EVs asking 30 kWh a night
 * cannot meet the requests; the policy is judged on what it does with the chargers there are.
 */
export function chargerDeliverableKwh(stays: readonly ChargeStay[], chargers: readonly ChargerSpan[]): number {
  const asking = stays.filter((s) => s.kwh > 0 && s.to > s.from);
  if (asking.length === 0 || chargers.length === 0) return 0;
  const strongest = Math.max(...chargers.map((c) => c.kw));
  const cuts = [
    ...new Set([...asking.flatMap((s) => [s.from, s.to]), ...chargers.flatMap((c) => [c.from, c.to])]),
  ].sort((a, b) => a - b);
  // Nodes: the stays, then the stretches between cuts, then source and sink; energy in kW·min.
  const n = asking.length;
  const source = n + cuts.length;
  const sink = source + 1;
  const net = new Dinic(sink + 1);
  asking.forEach((s, j) => net.addEdge(source, j, s.kwh * 60));
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k] as number;
    const len = (cuts[k + 1] as number) - from;
    let home = 0;
    asking.forEach((s, j) => {
      if (s.from <= from && from < s.to) {
        home++;
        net.addEdge(j, n + k, strongest * len);
      }
    });
    if (home === 0) continue;
    const open = chargers.filter((c) => c.from <= from && from < c.to).sort((a, b) => b.kw - a.kw);
    let power = 0;
    for (const c of open) {
      const m = Math.min(home, c.count);
      power += m * c.kw;
      home -= m;
      if (home === 0) break;
    }
    net.addEdge(n + k, sink, power * len);
  }
  return net.maxFlow(source, sink) / 60;
}
