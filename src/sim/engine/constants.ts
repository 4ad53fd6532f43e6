/**
 * @module The engine's fixed numbers, named: times of day are minutes after midnight, durations
 * minutes, energies kWh. The engine's rules (see `../engine.ts`) refer to them by these names.
 */
import { DAY } from '../behaviour.js';

/** A guard task's kind; its rank is the order in which a free guard considers queued tasks. */
export type TaskKind = 'retrieve' | 'prestage' | 'vacate' | 'park' | 'charge' | 'resort';

/**
 * The order a free guard takes queued tasks in (lower first): a waiting resident's car, then
 * pre-staging, moving a car off a place that closes, parking at the gate, charger swaps, re-sort moves.
 */
export const TASK_RANK: Readonly<Record<TaskKind, number>> = {
  retrieve: 0,
  prestage: 1,
  vacate: 2,
  park: 3,
  charge: 4,
  resort: 5,
};

/**
 * The measured night `k` runs from noon of day `k` (minute of day) to noon of day `k + 1`: what
 * happens in it counts for it. The run ends at this minute of the day after the last night.
 */
export const NIGHT_START_MINUTE = 12 * 60;

/**
 * The guards learn tomorrow's declared departures (and tomorrow's closures take effect) one
 * minute before this minute of each day, so that they are known from noon on.
 */
export const KNOWLEDGE_MINUTE = 12 * 60;

/** Minute of the day (the morning after night `k`) at which the cars needing a place are counted. */
export const NIGHT_COUNT_MINUTE = 4 * 60;

/**
 * From this minute of the evening to the night's count, each sample of the lot raises the night's
 * relocation lower bound (see `boundNight`): by then the evening's arrivals have mostly been placed.
 */
export const BOUND_FROM_MINUTE = 22 * 60;

/** The guards' busy minutes and the cars on the lot are measured in slots of this many minutes. */
export const SLOT_MINUTES = 30;

/** Measurement slots per day. */
export const SLOTS_PER_DAY = DAY / SLOT_MINUTES;

/** The peak hours of the residents' traffic, [from, to) in minutes of the day: guard utilization is measured there. */
export const PEAK_WINDOWS: readonly (readonly [number, number])[] = [
  [7 * 60, 9 * 60],
  [17 * 60 + 30, 19 * 60 + 30],
];

/** A car turned away at the gate stays out at least this long (minutes) before it comes back at its usual time. */
export const STREET_MINUTES = 60;

/** A car that stays in tomorrow counts as leaving this much later (minutes after midnight) for the lower bound. */
export const STAYS_IN_DEPARTURE = 3 * DAY;

/**
 * Without a policy's `prestageWorth`, a pre-stage is dropped when every blocker goes first: a
 * blocker with a declared time at least this many minutes before the car's believed departure.
 */
export const DECLARED_FIRST_MARGIN = 5;

/** Pre-staging for an undeclared departure is as urgent as a declared one this many minutes after the estimate. */
export const UNDECLARED_URGENCY_MINUTES = 15;

/** Room-making tucks a car in behind at most this many movable cars of a one-end lane. */
export const TUCK_IN_MAX_CARS = 3;

/** Between rotations started by a charger coming free, the guards look at the chargers this often (minutes). */
export const CHARGER_ROUND_MINUTES = 60;

/** Energy (kWh) below which an EV no longer wants charge. */
export const CHARGED_KWH = 1e-9;

/**
 * A policy that allocates the partner lot sends an arriving car there when at most this many open
 * places are left for the cars at the gate (or when it is an EV that wants charge and no charger is free).
 */
export const PARTNER_FREE_PLACES = 2;

/** The day and night shifts' hours when the roster has no shift of that name (and no shift at all). */
export const DEFAULT_SHIFT = { start: '07:00', end: '19:00' } as const;
