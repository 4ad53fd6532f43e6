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
  /**
   * The fewest relocations the night needs: the largest morningLowerBound of the lot, with the true
   * departures, over looks from 22:00 to the 04:00 count, less the charger and closure moves after
   * each look (see the engine's `nightLowerBound`).
   */
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

/**
 * One EV's stay: it asks for `kwh` and stands from `from` to `to` (minutes), at any site, or with
 * `site` only where the resident took it (a partner lot of the resident's own choosing).
 */
export interface ChargeStay {
  from: number;
  to: number;
  kwh: number;
  site?: string;
}

/** Chargers of `kw` each, `count` of them, open from `from` to `to` (minutes), at `site` (absent: the compound). */
export interface ChargerSpan {
  from: number;
  to: number;
  kw: number;
  count: number;
  site?: string;
}

/** The power of the strongest `cars` of `open` chargers (one car on each). */
function strongestPower(open: readonly ChargerSpan[], cars: number): number {
  let power = 0;
  let left = cars;
  for (const c of [...open].sort((a, b) => b.kw - a.kw)) {
    const m = Math.min(left, c.count);
    power += m * c.kw;
    left -= m;
    if (left === 0) break;
  }
  return power;
}

/**
 * The most energy the chargers can deliver to `stays` (an upper bound, so that "energy met" is a
 * share of what was possible rather than of what was asked): a max flow from each EV (what it
 * asks) through the stretches of time it is at home (at most the strongest charger's power over
 * each, as it stands on one charger at a time) to the chargers open then (the strongest of them,
 * one EV on each, as many as there are EVs at home). An EV bound to a site (`ChargeStay.site`)
 * reaches the stretch through that site's chargers only (the strongest of them, one EV on each).
 * Time is cut wherever a stay or a charger starts or ends, so each stretch has one set of EVs and
 * chargers. Swaps cost nothing here, which keeps it an upper bound. A compound with two chargers
 * and twenty EVs asking 30 kWh a night cannot meet the requests; the policy is judged on what it
 * does with the chargers there are.
 */
export function chargerDeliverableKwh(stays: readonly ChargeStay[], chargers: readonly ChargerSpan[]): number {
  const asking = stays.filter((s) => s.kwh > 0 && s.to > s.from);
  if (asking.length === 0 || chargers.length === 0) return 0;
  const strongest = Math.max(...chargers.map((c) => c.kw));
  const cuts = [
    ...new Set([...asking.flatMap((s) => [s.from, s.to]), ...chargers.flatMap((c) => [c.from, c.to])]),
  ].sort((a, b) => a - b);
  const sites = [...new Set(asking.flatMap((s) => (s.site === undefined ? [] : [s.site])))];
  // Nodes: the stays, the stretches between cuts, each stretch's sites, then source and sink; energy in kW·min.
  const n = asking.length;
  const siteNode = (k: number, i: number): number => n + cuts.length + k * sites.length + i;
  const source = n + cuts.length * (1 + sites.length);
  const sink = source + 1;
  const net = new Dinic(sink + 1);
  asking.forEach((s, j) => net.addEdge(source, j, s.kwh * 60));
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k] as number;
    const len = (cuts[k + 1] as number) - from;
    const bySite = sites.map(() => 0);
    let home = 0;
    asking.forEach((s, j) => {
      if (s.from <= from && from < s.to) {
        home++;
        const i = s.site === undefined ? -1 : sites.indexOf(s.site);
        if (i >= 0) bySite[i] = (bySite[i] as number) + 1;
        net.addEdge(j, i >= 0 ? siteNode(k, i) : n + k, strongest * len);
      }
    });
    if (home === 0) continue;
    const open = chargers.filter((c) => c.from <= from && from < c.to);
    sites.forEach((site, i) => {
      const here = open.filter((c) => c.site === site);
      if ((bySite[i] as number) > 0)
        net.addEdge(siteNode(k, i), n + k, strongestPower(here, bySite[i] as number) * len);
    });
    net.addEdge(n + k, sink, strongestPower(open, home) * len);
  }
  return net.maxFlow(source, sink) / 60;
}
