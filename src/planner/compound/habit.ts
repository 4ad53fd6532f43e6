/**
 * @module A car's departure habit and what it says of the next morning: the usual time of the
 * day's first departure and how likely the car is to leave at all, learnt from the departures seen
 * (the server's ledger, the simulator's drawn habits), turned into the planner's
 * `DepartureKnowledge`.
 */
import { UNKNOWN_DEPARTURE } from '../placement/index.js';
import type { DepartureKnowledge } from './context.js';
import { DepartureSpread } from './departure-spread.js';
import { DECLARED_SLIP } from './mixture.js';

/** How far back a car's departures teach its habit: four weeks of mornings (the server's ledger, the simulator's record). */
export const HABIT_WEEKS = 4;

/** Spread of a habit-based departure guess, minutes (an assumption, narrowed by `DepartureSpread`). */
export const ESTIMATE_SPREAD = 30;

/** When a car that has not declared is unlikely to leave, its guess is this minute of the day (14:00). */
const MIDDAY = 14 * 60;

export interface Habit {
  /** The usual minute of the day of the car's first departure. */
  minute: number;
  /** The probability that the car leaves on a day. */
  leaves: number;
}

/**
 * The habit shown by `firsts` (the minute of the day of each observed day's first departure) over
 * `days` observed days: the median minute, and the share of days with a departure, shrunk towards
 * even odds by one day's weight (a car never seen leave over a fortnight most likely stays in; a
 * car never seen at all is a coin toss, around `UNKNOWN_DEPARTURE`'s time).
 */
export function learnHabit(firsts: readonly number[], days: number): Habit {
  const sorted = [...firsts].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const minute =
    sorted.length === 0
      ? UNKNOWN_DEPARTURE.at % 1440
      : sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { minute, leaves: (Math.min(sorted.length, days) + 0.5) / (days + 1) };
}

/**
 * What is known of a car's departure on the morning starting at minute `morning` (its midnight):
 * the declared time (`Infinity` for a declared stay-home day), else a guess from the habit. The
 * guess weighs how likely the car is to leave at all: a likely leaver is expected at its habitual
 * time, an unlikely one around midday, with a spread that grows with the doubt. The same knowledge
 * is kept as a mixture (leaves with that probability, then around the habit within `habitSpread`;
 * a declared time within `declaredSlip`).
 */
export function knowledgeOf(
  morning: number,
  habit: Habit,
  declared: number | null,
  habitSpread: number,
  declaredSlip: number,
): DepartureKnowledge {
  const likely = habit.leaves >= 0.5;
  const usual = morning + habit.minute;
  return {
    declared,
    estimate: likely ? usual : morning + MIDDAY,
    spread: habit.leaves >= 0.85 ? ESTIMATE_SPREAD : likely ? 2 * ESTIMATE_SPREAD : 6 * ESTIMATE_SPREAD,
    leaves: declared === null ? habit.leaves : Number.isFinite(declared) ? 1 : 0,
    at: declared !== null && Number.isFinite(declared) ? declared : usual,
    atSpread: declared !== null ? declaredSlip : habitSpread,
  };
}

/**
 * A compound's record of departures as the planner learns from it: for each car, the minute of the
 * day of its first departure on each day it left (`firsts`), and the days the record spans up to
 * the morning planned for (`days`: from the day of its earliest departure to that morning; 0 for
 * an empty record). The record is read as it stood when the night began (noon), so what is
 * believed of a car does not change while its morning is planned.
 */
export interface DepartureRecord {
  firsts: readonly (readonly number[])[];
  days: number;
}

/**
 * What a record of departures teaches of every car's next morning (starting at minute `morning`):
 * each car's habit (`learnHabit`), its spread around it (`DepartureSpread`, over every car), and
 * the declared time if any (`declared[car]`, or null), kept within `DECLARED_SLIP`. A car the
 * record never shows leave is the unknown departure. The one reading of the record for the
 * server (its ledger) and for the simulator's guards when they know what the server would.
 */
export function learntKnowledge(
  record: DepartureRecord,
  declared: readonly (number | null)[],
  morning: number,
): { knowledge: DepartureKnowledge[]; seen: boolean[] } {
  const { firsts, days } = record;
  const spreads = new DepartureSpread(firsts.length, ESTIMATE_SPREAD);
  const habits = firsts.map((mine, car) => {
    const habit = learnHabit(mine, days);
    for (const m of mine) spreads.observe(car, m - habit.minute);
    return habit;
  });
  const seen = firsts.map((mine) => mine.length > 0);
  const knowledge = habits.map((habit, car) =>
    knowledgeOf(
      morning,
      habit,
      declared[car] ?? null,
      seen[car] === true ? spreads.of(car) : UNKNOWN_DEPARTURE.spread,
      DECLARED_SLIP,
    ),
  );
  return { knowledge, seen };
}
