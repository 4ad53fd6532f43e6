/**
 * @module What the residents do, drawn in advance from the scenario and the seed: for every car
 * and every day, whether it leaves in the morning and when, whether that departure was declared
 * the evening before, when it comes back, whether it stays away overnight, whether it goes to the
 * partner lot, how much energy an EV asks for; and the night emergencies. Drawn once per run and
 * shared by every policy, so a comparison sees the same residents.
 *
 * Times are **absolute minutes** of the run: minute 0 is midnight (Asia/Shanghai) of the warm-up
 * day, the day before the first simulated day; day k (0-based) starts at (k + 1) × 1440.
 *
 * Modelling choices that the scenario does not state (documented here, not tuned):
 * - A day's intended departure is the car's habitual time plus normal noise
 *   (σ = behaviour.departureNoiseMinutes); a declared departure is that intention rounded to 5
 *   minutes, and the resident then slips around it by σ/2.
 * - A resident who declares also declares a stay-home day (the planner then knows the car stays).
 * - Arrival home is the habitual time plus normal noise of σ = 30 minutes, at least 30 minutes
 *   after leaving; behaviour.arrivals is the histogram of those habits and is not drawn from again.
 *   A habitual arrival earlier in the day than the departure is a night-shift worker's: back the
 *   next morning.
 * - A night emergency picks a car uniformly, between 23:00 and 06:00; it comes back 1–3 hours later.
 * - An EV that drove asks for 4–12 kWh that night (at most 90% of its battery).
 * - The partner lot takes, on an evening it is open, round(partnerLotShare × cars) residents who
 *   come home inside the window and leave next morning no later than 45 minutes after its leave-by
 *   time (they leave by then), EVs first.
 */
import { isWeekend, minutesOf, windowOnNight, type NightWindow } from '../core/calendar.js';
import { addDays } from '../core/time.js';
import type { Scenario } from '../core/scenario.js';
import { normal, poisson, substream, uniform } from './random.js';

export const DAY = 1440;

/** One car's day k: the morning departure (if present) and the evening return. */
export interface CarDay {
  /** The car leaves this morning (or in the day) if it is home. */
  leaves: boolean;
  /** Actual departure (absolute minute); meaningful when `leaves`. */
  departAt: number;
  /** Declared departure (absolute minute), `Infinity` for a declared stay-home day, or null when not declared. */
  declared: number | null;
  /** Back at the gate (absolute minute), when it left. */
  returnAt: number;
  /** Does not come back tonight (back the next evening). */
  awayTonight: boolean;
  /** Goes to the partner lot tonight (the resident's own choice). */
  partnerTonight: boolean;
  /** kWh an EV asks for tonight (0 for other cars). */
  energyKwh: number;
}

export interface Emergency {
  car: number;
  at: number;
  returnAt: number;
}

export interface Behaviour {
  /** `days[k + 1][car]` for day k = -1 (warm-up) … days − 1, plus one day more for the last morning. */
  days: CarDay[][];
  emergencies: Emergency[];
  /** Each car's habitual departure and arrival, minutes of the day. */
  habitDeparture: number[];
  habitArrival: number[];
}

/** A partner lot's window that opens on a date: minutes from that date's midnight. */
export interface PartnerWindow extends NightWindow {
  lot: number;
}

/** The windows of every partner lot that open on `date`, in the scenario's order. */
export function partnerWindows(s: Scenario, date: string): PartnerWindow[] {
  const out: PartnerWindow[] = [];
  for (const [i, lot] of s.partnerLots.entries()) {
    const w = windowOnNight(lot, undefined, date);
    if (w !== null) out.push({ lot: i, ...w });
  }
  return out;
}

/** The first partner-lot window open on the evening of `date` (its `from` time), or null: the residents' own choice. */
export function partnerWindow(s: Scenario, date: string): PartnerWindow | null {
  return partnerWindows(s, date)[0] ?? null;
}

/** Absolute minute of `minute` on day k. */
export function abs(k: number, minute: number): number {
  return (k + 1) * DAY + minute;
}

/**
 * A car whose habitual arrival comes before its habitual departure works nights: it leaves in the
 * evening and comes back the next morning, so its next departure after noon is that same evening's.
 */
export function worksNights(habitDeparture: readonly number[], habitArrival: readonly number[], car: number): boolean {
  return (habitArrival[car] as number) < (habitDeparture[car] as number);
}

export function drawBehaviour(s: Scenario, startDate: string, days: number, seed: number): Behaviour {
  const b = s.behaviour;
  const sigma = b.departureNoiseMinutes;
  const cars = s.vehicles;
  const habitDeparture = cars.map((v) => minutesOf(v.habits.departure));
  const habitArrival = cars.map((v) => minutesOf(v.habits.arrival));
  const out: CarDay[][] = [];
  for (let k = -1; k <= days; k++) {
    const date = addDays(startDate, k);
    const weekend = isWeekend(date);
    const rng = substream(seed, 1, k + 1);
    const row: CarDay[] = cars.map((v, c) => {
      const stay = weekend ? 1 - (1 - v.habits.stayHomeRate) * b.weekendFactor : v.habits.stayHomeRate;
      const leaves = k === -1 ? true : rng.next() >= stay;
      const declares = rng.next() < v.habits.declaresDeparture;
      const intended = abs(k, habitDeparture[c] as number) + normal(rng, 0, sigma);
      const declaredAt = Math.round(intended / 5) * 5;
      const departAt = Math.max(abs(k, 240), declares ? declaredAt + normal(rng, 0, sigma / 2) : intended);
      // A car that works nights (its habitual arrival comes before its departure) is back the next morning.
      const returnDay = worksNights(habitDeparture, habitArrival, c) ? k + 1 : k;
      const returnAt = Math.max(departAt + 30, abs(returnDay, habitArrival[c] as number) + normal(rng, 0, 30));
      const awayRate = weekend ? (b.weekendAwayOvernightRate ?? b.awayOvernightRate ?? 0) : (b.awayOvernightRate ?? 0);
      const awayTonight = k >= 0 && leaves && rng.next() < awayRate;
      const energy = uniform(rng, 4, 12);
      return {
        leaves,
        departAt: Math.round(departAt),
        declared: !declares ? null : leaves ? declaredAt : Infinity,
        returnAt: Math.round(returnAt),
        awayTonight,
        partnerTonight: false,
        energyKwh: v.ev && leaves ? Math.min(energy, 0.9 * (v.batteryKwh ?? 0)) : 0,
      };
    });
    out.push(row);
  }
  // Partner lot: the residents' own choice, EVs first.
  for (let k = 0; k < days; k++) {
    const date = addDays(startDate, k);
    const w = partnerWindow(s, date);
    const lot = w === null ? undefined : s.partnerLots[w.lot];
    if (w === null || lot === undefined) continue;
    const today = out[k + 1] as CarDay[];
    const tomorrow = out[k + 2] as CarDay[];
    const rng = substream(seed, 2, k + 1);
    const candidates = cars
      .map((v, c) => ({ c, ev: v.ev, key: rng.next() }))
      .filter(({ c }) => {
        const d = today[c] as CarDay;
        const next = tomorrow[c] as CarDay;
        const back = d.leaves && !d.awayTonight ? d.returnAt : -1;
        return back >= abs(k, w.from) && back < abs(k, w.to) && next.leaves && next.departAt <= abs(k, w.leaveBy) + 45;
      })
      .sort((x, y) => Number(y.ev) - Number(x.ev) || x.key - y.key);
    const take = Math.min(lot.spaces, Math.round(b.partnerLotShare * cars.length));
    for (const { c } of candidates.slice(0, take)) (today[c] as CarDay).partnerTonight = true;
  }
  const emergencies: Emergency[] = [];
  for (let k = 0; k < days; k++) {
    const rng = substream(seed, 3, k + 1);
    const n = poisson(rng, b.nightEmergencyRate);
    for (let i = 0; i < n; i++) {
      const car = Math.floor(rng.next() * cars.length);
      const at = Math.round(abs(k, 23 * 60) + rng.next() * 7 * 60);
      emergencies.push({ car, at, returnAt: at + Math.round(uniform(rng, 60, 180)) });
    }
  }
  return { days: out, emergencies, habitDeparture, habitArrival };
}
