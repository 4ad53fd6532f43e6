/**
 * @module The compound's calendar: weekdays, clock times `HH:MM`, and a partner lot's window on a
 * given night. Pure: days and times come in as arguments. The server (instants) and the simulator
 * (minutes from a day's midnight) both read windows through `windowOnNight`.
 */

/** Weekdays in the order the compound's schedules list them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes in a day. */
export const MINUTES_PER_DAY = 1440;
/** Milliseconds in a minute. */
export const MS_PER_MINUTE = 60_000;
/** Milliseconds in a day. */
export const MS_PER_DAY = 86_400_000;

/** The weekday of a calendar day `YYYY-MM-DD`. */
export function weekdayOf(day: string): Weekday {
  // getUTCDay counts from Sunday; WEEKDAYS from Monday.
  return WEEKDAYS[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

export function isWeekend(day: string): boolean {
  const d = weekdayOf(day);
  return d === 'sat' || d === 'sun';
}

/** Minutes since midnight of a clock time `HH:MM`. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** A weekly window: on each of `days` a lot opens at `from`; it closes at `to`, the next morning when `to` ≤ `from`. */
export interface WeeklyWindow {
  days: Weekday[];
  from: string;
  to: string;
}

/** A dated exception replaces the weekly windows for one night; null times close the lot that night. */
export interface NightException {
  from: string | null;
  to: string | null;
}

/** A night's opening, closing and leave-by, in minutes from the night's own midnight (past 1440 = next morning). */
export interface NightWindow {
  from: number;
  to: number;
  leaveBy: number;
}

/**
 * The window a lot keeps on the night that starts on `day`, or null when it is closed that night. A dated
 * exception replaces the weekly windows (the first weekly window listing the weekday counts);
 * leave-by is the lot's leave-by time after the opening, or the closing when that comes first.
 */
export function windowOnNight(
  lot: { windows: readonly WeeklyWindow[]; leaveBy: string },
  exception: NightException | undefined,
  day: string,
): NightWindow | null {
  let from: string;
  let to: string;
  if (exception !== undefined) {
    if (exception.from === null || exception.to === null) return null;
    from = exception.from;
    to = exception.to;
  } else {
    const weekday = weekdayOf(day);
    const w = lot.windows.find((x) => x.days.includes(weekday));
    if (w === undefined) return null;
    from = w.from;
    to = w.to;
  }
  const opens = minutesOf(from);
  let closes = minutesOf(to);
  if (closes <= opens) closes += MINUTES_PER_DAY;
  let leaveBy = minutesOf(lot.leaveBy);
  if (leaveBy <= opens) leaveBy += MINUTES_PER_DAY;
  return { from: opens, to: closes, leaveBy: Math.min(leaveBy, closes) };
}
