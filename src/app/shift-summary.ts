/**
 * @module The shift summary valet operators hand their manager: per rostered shift, and per guard on
 * it, the cars parked and delivered and the relocations; the shift's retrieval times (a resident's
 * "now" request to the car leaving, the same rule as the nightly reports: `retrievalsOf`); the keys
 * still out with a guard when the shift hands over; the incidents opened. Read from the ledger and the
 * roster only, so it is the same whenever it is asked.
 */
import type { CompoundState } from '../core/compound-state.js';
import { applyEvent, emptyState } from '../core/compound-state.js';
import type { LedgerEvent } from '../core/events.js';
import { userNamesInCompound } from '../store/account.repository.js';
import type { AppContext } from './context.js';
import { retrievalsOf } from './reports.js';
import type { RosterEntry, ShiftDefinition } from './shifts.js';
import { rosterBetween, shiftDefinitions } from './shifts.js';

export interface GuardShiftFigures {
  guardId: string;
  name: string | null;
  /** Cars this guard parked (`car.parked` by the guard). */
  parked: number;
  /** Cars this guard handed back (`car.departed` recorded by the guard). */
  delivered: number;
  /** Cars this guard moved (relocations and pre-staging). */
  moves: number;
}

export interface ShiftSummary {
  day: string;
  shiftId: string;
  shiftName: string;
  /** The shift's window, epoch ms: `start` ≤ t < `end`. */
  start: number;
  end: number;
  guards: GuardShiftFigures[];
  /** "Now" requests whose car left during the shift; minutes, one decimal; null when there were none. */
  retrievals: number;
  retrievalMeanMin: number | null;
  retrievalMaxMin: number | null;
  /** Spare keys out with a guard at the end of the shift (the hand-over); null while the shift runs. */
  keysOutAtHandover: number | null;
  incidents: number;
}

const DAY_MS = 86_400_000;

/** A shift's window on a day, in Asia/Shanghai; a shift whose end is not after its start ends the next day. */
export function shiftWindow(day: string, shift: ShiftDefinition): { start: number; end: number } {
  const start = Date.parse(`${day}T${shift.start}:00+08:00`);
  let end = Date.parse(`${day}T${shift.end}:00+08:00`);
  if (end <= start) end += DAY_MS;
  return { start, end };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function keysOut(state: CompoundState): number {
  return [...state.keys.values()].filter((k) => k.custody.kind === 'with-guard').length;
}

/**
 * The summaries of the given roster entries, from the whole ledger (oldest first). Pure: `now` only
 * decides whether a shift has handed over yet.
 */
export function summarizeShifts(
  events: readonly LedgerEvent[],
  shifts: readonly ShiftDefinition[],
  roster: readonly RosterEntry[],
  names: ReadonlyMap<string, string>,
  now: number,
): ShiftSummary[] {
  const byId = new Map(shifts.map((s) => [s.id, s]));
  const summaries: ShiftSummary[] = roster.flatMap((r) => {
    const shift = byId.get(r.shiftId);
    if (shift === undefined) return [];
    const { start, end } = shiftWindow(r.day, shift);
    return [
      {
        day: r.day,
        shiftId: shift.id,
        shiftName: shift.name,
        start,
        end,
        guards: r.guardIds.map((guardId) => ({
          guardId,
          name: names.get(guardId) ?? null,
          parked: 0,
          delivered: 0,
          moves: 0,
        })),
        retrievals: 0,
        retrievalMeanMin: null,
        retrievalMaxMin: null,
        keysOutAtHandover: null,
        incidents: 0,
      },
    ];
  });
  summaries.sort((a, b) => a.start - b.start);
  const during = (at: number) => summaries.filter((s) => s.start <= at && at < s.end);
  const guardOf = (s: ShiftSummary, actor: string) => s.guards.find((g) => g.guardId === actor);

  // The keys out at each hand-over: the state replayed to the end of each shift.
  const state = emptyState();
  const ends = summaries.filter((s) => s.end <= now).sort((a, b) => a.end - b.end);
  let next = 0;
  for (const e of events) {
    while (next < ends.length && (ends[next] as ShiftSummary).end <= e.at) {
      (ends[next] as ShiftSummary).keysOutAtHandover = keysOut(state);
      next++;
    }
    applyEvent(state, e);
    for (const s of during(e.at)) {
      const g = guardOf(s, e.actor);
      if (e.type === 'car.parked' && g) g.parked++;
      if (e.type === 'car.departed' && g) g.delivered++;
      if (e.type === 'car.moved' && g) g.moves++;
      if (e.type === 'record' && e.payload.kind === 'incident.opened') s.incidents++;
    }
  }
  for (; next < ends.length; next++) (ends[next] as ShiftSummary).keysOutAtHandover = keysOut(state);

  const retrievals = retrievalsOf(events);
  for (const s of summaries) {
    const waits = retrievals
      .filter((r) => s.start <= r.leftAt && r.leftAt < s.end)
      .map((r) => (r.leftAt - r.askedAt) / 60_000);
    s.retrievals = waits.length;
    if (waits.length > 0) {
      s.retrievalMeanMin = round1(waits.reduce((a, b) => a + b, 0) / waits.length);
      s.retrievalMaxMin = round1(Math.max(...waits));
    }
  }
  return summaries;
}

/** The shift summaries of `days` days from `from` (YYYY-MM-DD, Asia/Shanghai), oldest first. */
export async function shiftSummaries(
  ctx: AppContext,
  compoundId: string,
  from: string,
  days: number,
): Promise<ShiftSummary[]> {
  const [shifts, roster, events, users] = await Promise.all([
    shiftDefinitions(ctx, compoundId),
    rosterBetween(ctx, compoundId, from, days),
    ctx.store.events(compoundId),
    userNamesInCompound(ctx.store.db, compoundId),
  ]);
  return summarizeShifts(events, shifts, roster, new Map(users.map((u) => [u.id, u.name])), ctx.now());
}
