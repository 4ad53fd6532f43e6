/**
 * @module The server's side of the compound planner (`src/planner/compound`): its `PlanningContext`
 * built from the stored state on the night timeline (minutes from the midnight that starts the
 * night's day), with each car's declared departure and, for cars that declared none, the habit
 * learnt from its departures in the ledger over the last weeks, by the planner's own belief code.
 */
import type { IsoDate, PositionId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { canBeMoved } from '../core/compound-state.js';
import { shanghaiDate, shanghaiMinuteOfDay } from '../core/time.js';
import type { DepartureKnowledge, PlannedCar, PlanningContext } from '../planner/compound/index.js';
import {
  DECLARED_GRACE,
  HABIT_WEEKS,
  Lot,
  departureProfile,
  knowledgeAt,
  learntKnowledge,
  positionNumber,
} from '../planner/compound/index.js';
import { eventAndLaterOfType, eventsOfTypeBetween } from '../store/ledger.repository.js';
import type { Store, UnitOfWork } from '../store/store.js';
import type { AppContext } from './context.js';
import { nextDepartures } from './departures.js';
import { midnightOf, nightDayOf, nightMinuteOf } from './night.js';

const DAY_MS = 86_400_000;

/** The planner's context for a compound now, and how its car numbers map to vehicles. */
export interface ServerPlanning {
  planning: PlanningContext;
  state: CompoundState;
  /** Car number of each vehicle in `planning.cars`. */
  carOf: ReadonlyMap<VehicleId, number>;
  /** Whether the ledger shows car number `car` leave in the last `HABIT_WEEKS` (else its belief is a prior). */
  hasHabit(car: number): boolean;
  day: IsoDate;
}

/**
 * The planner's context now. Positions in `unusable` count as closed tonight (promised to open
 * tasks, or on the way to them): no plan puts a car there, cars may still drive past them.
 * `next`: each car's next declared departure from `DECLARED_GRACE` ago (`nextDepartures`), when
 * the caller has read it already.
 */
export async function serverPlanning(
  ctx: AppContext,
  uow: UnitOfWork,
  unusable: ReadonlySet<string> = new Set(),
  next?: ReadonlyMap<VehicleId, { at: number }>,
): Promise<ServerPlanning> {
  const state = await uow.state();
  const now = ctx.now();
  const day = nightDayOf(now);
  const vehicles = [...state.vehicles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cars: PlannedCar[] = vehicles.map((v) => ({ id: v.id, size: v.size, movable: canBeMoved(state, v), ev: v.ev }));
  const carOf = new Map(vehicles.map((v, i) => [v.id, i]));
  const lot = new Lot(state.layout, cars.length);
  lot.setDay(day);
  for (const id of unusable) {
    const p = positionNumber(lot, id as PositionId);
    if (p !== null) lot.pos(p).closed = true;
  }
  for (const [positionId, vehicleId] of state.occupancy) {
    const p = positionNumber(lot, positionId);
    const car = carOf.get(vehicleId);
    if (p !== null && car !== undefined) lot.place(car, p);
  }

  const declared = new Map<VehicleId, number>();
  // A declared time just past still counts (the planner's `DECLARED_GRACE`).
  for (const [vehicleId, d] of next ?? (await nextDepartures(uow.trx, uow.compoundId, now - DECLARED_GRACE * 60_000)))
    declared.set(vehicleId, nightMinuteOf(d.at, day));
  let history = histories.get(uow);
  if (history === undefined) histories.set(uow, (history = await firstDepartures(ctx.store, uow, day)));
  const { firsts } = history;
  const learnt = learntKnowledge(
    { firsts: cars.map((c) => firsts.get(c.id) ?? []), days: history.days },
    cars.map((c) => declared.get(c.id) ?? null),
    1440,
  );
  const nowMinute = nightMinuteOf(now, day);
  const knowledge: DepartureKnowledge[] = learnt.knowledge.map((k) => knowledgeAt(k, nowMinute));
  const coming = vehicles.flatMap((v, i) =>
    v.location.kind === 'away' || v.location.kind === 'at-gate' ? [knowledge[i] as DepartureKnowledge] : [],
  );
  const planning: PlanningContext = {
    lot,
    cars,
    now: nowMinute,
    nightBase: 0,
    knowledge: (car) => knowledge[car] as DepartureKnowledge,
    wantsCharge: (car) => (cars[car] as PlannedCar).ev,
    keylessToCome: () =>
      vehicles.filter(
        (v, i) => !(cars[i] as PlannedCar).movable && (v.location.kind === 'away' || v.location.kind === 'at-gate'),
      ).length,
    departureProfile: departureProfile(coming, 0),
  };
  return { planning, state, carOf, day, hasHabit: (car) => learnt.seen[car] === true };
}

/** The departures read once per transaction: a pass plans many releases, each with a fresh context. */
const histories = new WeakMap<UnitOfWork, DepartureRecordOf>();

interface DepartureRecordOf {
  firsts: Map<VehicleId, number[]>;
  days: number;
}

/**
 * A compound's departure record for one night as read up to the ledger event `(seq, hash)`: each
 * car's first departure of each local day (dates in the order first seen, as the ledger ordered
 * them) and the earliest departure's instant. Kept between transactions, so a planning pass reads
 * only the events appended since (by this server or any other on the same database), not weeks of
 * `car.departed` history; the hash names the whole chain up to `seq`, so a ledger that no longer
 * holds that event there (a rolled-back append, a compound deleted and created again) is read afresh.
 */
interface KeptRecord {
  day: IsoDate;
  seq: number;
  hash: string;
  byDay: ReadonlyMap<VehicleId, ReadonlyMap<IsoDate, number>>;
  first: number | null;
  record: DepartureRecordOf;
}

const keptRecords = new WeakMap<Store, Map<string, KeptRecord>>();

/**
 * The planner's record of departures for the night of `day` (`DepartureRecord`): each car's first
 * departure of each local day over the `HABIT_WEEKS` before the night began (noon of `day`), from
 * the `car.departed` events of the ledger (minutes of the day), and the days from the earliest of
 * them to the morning planned for. Read as it stood at noon, what is believed of a car holds all
 * night, as the simulator's guards hold it (a count of days that grew at the minute of the first
 * departure on record changed the beliefs in the middle of the morning peak).
 */
async function firstDepartures(store: Store, uow: UnitOfWork, day: IsoDate): Promise<DepartureRecordOf> {
  const nightStart = midnightOf(day) + DAY_MS / 2;
  const windowStart = nightStart - HABIT_WEEKS * 7 * DAY_MS;
  const { trx, compoundId } = uow;
  let kept = keptRecords.get(store);
  if (kept === undefined) keptRecords.set(store, (kept = new Map()));
  // The transaction holds the compound's head: the ledger up to it is fixed while it runs.
  const last = uow.head();
  let base = kept.get(compoundId);
  if (base !== undefined && (base.day !== day || base.seq > last.seq)) base = undefined;
  if (base !== undefined && base.seq === last.seq) {
    if (base.hash === last.hash) return base.record;
    base = undefined;
  }
  let rows: { at: number; payload: string }[] | undefined;
  if (base !== undefined) {
    const from = base.seq;
    // The kept label's own event (is it still there?) and the departures since, by their numbers.
    const since = await eventAndLaterOfType(trx, compoundId, from, 'car.departed', last.seq);
    const label = since[0];
    if (label?.seq === base.seq && label.hash === base.hash)
      rows = since.filter((r) => r.seq !== from && Number(r.at) >= windowStart && Number(r.at) < nightStart);
    else base = undefined;
  }
  // Afresh: the night's window by time.
  rows ??= await eventsOfTypeBetween(trx, compoundId, 'car.departed', windowStart, nightStart, last.seq);
  // Copied where it changes: a record handed out earlier stays as it was.
  const byDay = new Map(base?.byDay ?? []);
  let first = base?.first ?? null;
  const changed = new Map<VehicleId, Map<IsoDate, number>>();
  for (const r of rows) {
    const at = Number(r.at);
    first = Math.min(first ?? at, at);
    const vehicleId = (JSON.parse(r.payload) as { vehicleId: VehicleId }).vehicleId;
    let days = changed.get(vehicleId);
    if (days === undefined) changed.set(vehicleId, (days = new Map(byDay.get(vehicleId) ?? [])));
    const date = shanghaiDate(at);
    if (!days.has(date)) days.set(date, shanghaiMinuteOfDay(at));
  }
  for (const [vehicleId, days] of changed) byDay.set(vehicleId, days);
  // Days from the earliest departure's to the morning planned for (the day after `day`).
  const days = first === null ? 0 : Math.round((midnightOf(day) + DAY_MS - midnightOf(shanghaiDate(first))) / DAY_MS);
  const record =
    base !== undefined && rows.length === 0
      ? base.record
      : { firsts: new Map([...byDay].map(([v, d]) => [v, [...d.values()]])), days };
  kept.set(compoundId, { day, seq: last.seq, hash: last.hash, byDay, first, record });
  return record;
}
