/**
 * @module Visitors. A resident pre-registers a visitor's plate and time window, or a guard registers
 * one at the gate. A visitor's car is a vehicle of no household: the guards never hold its key, so
 * the core never lets it stand in front of another car (`NO_KEY_BLOCKING`). A visit is
 * **expected** until the car checks in, **on-site** until it leaves, **overstayed** when it is
 * still on site after its window, then **left** — or **no-show** when the window passed without it.
 * Arrivals and departures are read from the ledger, so no other use case has to know about visits.
 */
import type { Kysely } from 'kysely';
import type { EpochMs, HouseholdId, VehicleId } from '../core/brand.js';
import type { CompoundState } from '../core/compound-state.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import type { VehicleSize } from '../core/layout.js';
import { parsePlate } from '../core/plate.js';
import type { Database } from '../store/schema.js';
import type { UnitOfWork } from '../store/store.js';
import { insertPlate, platesOf, vehicleIdOfPlate } from '../store/vehicle-plate.repository.js';
import type { CarMovementRow, VisitRow } from '../store/visitor.repository.js';
import {
  carMovementsAfter,
  carMovementsOf,
  flagOverstay,
  insertVisit,
  visitsEndingFromOrOf,
  visitsOfVehicles,
} from '../store/visitor.repository.js';
import type { Principal } from './actor.js';
import { residentHousehold } from './actor.js';
import type { AppContext } from './context.js';
import { appendAs } from './vehicles.js';

export type VisitStatus = 'expected' | 'on-site' | 'overstayed' | 'left' | 'no-show';
export const VISIT_STATUSES: readonly VisitStatus[] = ['expected', 'on-site', 'overstayed', 'left', 'no-show'];
/** The statuses listed when none is asked for: the visits the gate cares about now. */
export const CURRENT_STATUSES: readonly VisitStatus[] = ['expected', 'on-site', 'overstayed'];

/** The longest visit window. */
export const MAX_VISIT_MS = 7 * 24 * 3600_000;
/** Ended visits (left, no-show) stay listed this long after their window. */
const ENDED_LISTED_MS = 7 * 24 * 3600_000;

export interface VisitorInput {
  plate: string;
  /** The window's start; a guard's gate registration starts now. */
  from?: number | undefined;
  /** The window's end. */
  to: number;
  /** The host household: a resident's own; a guard may name one. */
  householdId?: string | undefined;
  size?: VehicleSize | undefined;
}

export interface VisitView {
  id: string;
  vehicleId: string;
  plate: string | null;
  hostHouseholdId: string | null;
  from: number;
  to: number;
  status: VisitStatus;
  arrivedAt: number | null;
  leftAt: number | null;
  overstayFlaggedAt: number | null;
  registeredBy: string;
  registeredAt: number;
}

function badWindow(field: string, message: string): DomainError {
  return new DomainError('BAD_WINDOW', `${field}: ${message}`, { field });
}

/** Checks a visit window against the clock: from before to, to in the future, at most 7 days. */
export function checkWindow(
  from: number,
  to: number,
  now: number,
  fields: { from: string; to: string } = { from: 'from', to: 'to' },
): void {
  if (!(from < to))
    throw badWindow(
      fields.to,
      `the visit ends (${new Date(to).toISOString()}) before it starts (${new Date(from).toISOString()})`,
    );
  if (!(to > now)) throw badWindow(fields.to, `the visit window ends in the past (${new Date(to).toISOString()})`);
  if (to - from > MAX_VISIT_MS) throw badWindow(fields.to, 'a visit lasts at most 7 days');
}

/**
 * Registers a visit: the visitor's car (`vehicle.registered` with no household, once per plate;
 * a returning visitor's car is reused) and a `record` `visitor.registered` with the window.
 */
export async function registerVisitor(
  ctx: AppContext,
  actor: Principal,
  input: VisitorInput,
): Promise<{ visitId: string; vehicleId: VehicleId; events: LedgerEvent[] }> {
  return ctx.store.transaction(actor.compoundId, (uow) => registerVisitorWithin(ctx, uow, actor, input));
}

/** `registerVisitor` inside the caller's transaction (the gate admits an unknown plate in its decision's). */
export async function registerVisitorWithin(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  input: VisitorInput,
): Promise<{ visitId: string; vehicleId: VehicleId; events: LedgerEvent[] }> {
  const now = ctx.now();
  let host: HouseholdId | null;
  if (actor.role === 'resident') {
    host = residentHousehold(actor, input.householdId, 'invites visitors to');
  } else {
    host = (input.householdId ?? null) as HouseholdId | null;
  }
  const from = input.from ?? now;
  checkWindow(from, input.to, now, actor.role === 'guard' ? { from: 'until', to: 'until' } : undefined);
  const { plate } = parsePlate(input.plate);
  const state = await uow.state();
  if (host !== null && !state.households.has(host))
    throw new DomainError('NOT_FOUND', `householdId: no household "${host}"`, { field: 'householdId' });
  const events: LedgerEvent[] = [];
  const existing = await vehicleIdOfPlate(uow.trx, actor.compoundId, plate);
  let vehicleId: VehicleId;
  if (existing === undefined) {
    vehicleId = ctx.newId() as VehicleId;
    events.push(
      await appendAs(ctx, uow, actor, {
        type: 'vehicle.registered',
        payload: { vehicleId, householdId: null, size: input.size ?? 'standard', ev: false },
      }),
    );
    await insertPlate(uow.trx, { compound_id: actor.compoundId, vehicle_id: vehicleId, plate });
  } else {
    vehicleId = existing as VehicleId;
    if (state.vehicles.get(vehicleId)?.householdId != null) {
      throw new DomainError(
        'DUPLICATE_PLATE',
        `plate: ${plate} is a resident's car of this compound, not a visitor's`,
        { field: 'plate' },
      );
    }
  }
  const visitId = ctx.newId();
  const record = await appendAs(ctx, uow, actor, {
    type: 'record',
    payload: {
      kind: 'visitor.registered',
      refId: visitId,
      vehicleId,
      detail: { hostHouseholdId: host, from, to: input.to, by: actor.role },
    },
  });
  events.push(record);
  const location = state.vehicles.get(vehicleId)?.location.kind ?? 'away';
  await insertVisit(uow.trx, {
    compound_id: actor.compoundId,
    id: visitId,
    vehicle_id: vehicleId,
    host_household_id: host,
    from_at: from,
    to_at: input.to,
    registered_by: actor.userId,
    registered_at: now,
    registered_seq: record.seq,
    arrived_at: location === 'away' ? null : now,
    overstay_flagged_at: null,
  });
  return { visitId, vehicleId, events };
}

interface Movement {
  seq: number;
  at: number;
  vehicleId: string;
  kind: 'in' | 'out';
}

function movementOf(e: CarMovementRow): Movement {
  return {
    seq: e.seq,
    at: e.at,
    vehicleId: (JSON.parse(e.payload) as { vehicleId: string }).vehicleId,
    kind: e.type === 'car.checked-in' ? 'in' : 'out',
  };
}

/**
 * The visits worth showing now, with their status: every visit whose car is on site, and every
 * visit whose window ends no more than 7 days ago.
 */
async function visitsWithStatus(
  db: Kysely<Database>,
  compoundId: string,
  state: CompoundState,
  now: number,
): Promise<VisitView[]> {
  const onSite = [...state.vehicles.values()]
    .filter((v) => v.householdId === null && v.location.kind !== 'away')
    .map((v) => v.id as string);
  const rows = await visitsEndingFromOrOf(db, compoundId, now - ENDED_LISTED_MS, onSite);
  if (rows.length === 0) return [];
  const firstSeq = Math.min(...rows.map((r) => r.registered_seq));
  const vehicleIds = new Set(rows.map((r) => r.vehicle_id));
  const movements = (await carMovementsAfter(db, compoundId, firstSeq))
    .map(movementOf)
    .filter((m) => vehicleIds.has(m.vehicleId));
  const plates = await platesOf(db, compoundId, [...vehicleIds]);
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  return rows.map((row, i) =>
    view(
      row,
      rows.slice(i + 1).find((r) => r.vehicle_id === row.vehicle_id),
      movements,
      plateOf,
      now,
    ),
  );
}

/** One stay of a visit's car: its arrival and departure, with the ledger events they were read from. */
interface Stay {
  arrival: Movement | undefined;
  departure: Movement | undefined;
  arrivedAt: number;
  leftAt: number | null;
}

/**
 * The stays of a visit, in order: its car's arrivals after its registration (and before the car's
 * next registration) that begin within its window, each until the first departure after it. A visit
 * registered at the gate for a car already there (`arrived_at`) begins with that arrival. A stay
 * that begins after the window is no longer the host's visit (the car pays at the exit, `gate.ts`).
 */
function staysOf(row: VisitRow, next: VisitRow | undefined, movements: readonly Movement[]): Stay[] {
  const own = movements.filter(
    (m) => m.vehicleId === row.vehicle_id && (next === undefined || m.seq < next.registered_seq),
  );
  // The next stay's start after ledger seq `seq`: an arrival within the window, or none.
  const arrivalAfter = (seq: number) => {
    const arrival = own.find((m) => m.kind === 'in' && m.seq > seq);
    return arrival === undefined || !withinVisit(row, arrival.at)
      ? undefined
      : { arrival, arrivedAt: arrival.at, seq: arrival.seq };
  };
  const stays: Stay[] = [];
  let start =
    row.arrived_at === null
      ? arrivalAfter(row.registered_seq)
      : { arrival: undefined, arrivedAt: row.arrived_at, seq: row.registered_seq };
  while (start !== undefined) {
    const from = start.seq;
    const departure = own.find((m) => m.kind === 'out' && m.seq > from);
    stays.push({ arrival: start.arrival, departure, arrivedAt: start.arrivedAt, leftAt: departure?.at ?? null });
    start = departure === undefined ? undefined : arrivalAfter(departure.seq);
  }
  return stays;
}

/** Whether a stay that began at `arrivedAt` belongs to the visit: it began by the end of its window. */
export function withinVisit(visit: Pick<VisitRow, 'to_at'>, arrivedAt: number): boolean {
  return arrivedAt <= visit.to_at;
}

/**
 * A stay of a visit that has ended: when it came and left, and the ledger seqs of its registration,
 * arrival and departure. `refId` names it on a bill: the visit's id for its first stay,
 * `visitId:arrivalSeq` for a later one (a visitor who comes back within the window).
 */
export interface VisitStay {
  refId: string;
  visitId: string;
  vehicleId: string;
  hostHouseholdId: string | null;
  arrivedAt: number;
  leftAt: number;
  seqs: number[];
}

/**
 * The stays of the given visits that have ended, read from the ledger as the visit list reads them
 * (the car's own events, through `ledger_subjects`). Stays still under way are omitted.
 */
export async function visitStays(
  db: Kysely<Database>,
  compoundId: string,
  rows: readonly VisitRow[],
): Promise<VisitStay[]> {
  if (rows.length === 0) return [];
  const vehicleIds = [...new Set(rows.map((r) => r.vehicle_id))];
  const all = await visitsOfVehicles(db, compoundId, vehicleIds);
  const movements = (await carMovementsOf(db, compoundId, vehicleIds)).map(movementOf);
  const stays: VisitStay[] = [];
  for (const row of rows) {
    const next = all.find((r) => r.vehicle_id === row.vehicle_id && r.registered_seq > row.registered_seq);
    for (const [i, s] of staysOf(row, next, movements).entries()) {
      if (s.leftAt === null || s.departure === undefined) continue;
      stays.push({
        refId: i === 0 || s.arrival === undefined ? row.id : `${row.id}:${s.arrival.seq}`,
        visitId: row.id,
        vehicleId: row.vehicle_id,
        hostHouseholdId: row.host_household_id,
        arrivedAt: s.arrivedAt,
        leftAt: s.leftAt,
        seqs: [row.registered_seq, ...(s.arrival === undefined ? [] : [s.arrival.seq]), s.departure.seq],
      });
    }
  }
  return stays;
}

function view(
  row: VisitRow,
  next: VisitRow | undefined,
  movements: readonly Movement[],
  plateOf: Map<string, string>,
  now: number,
): VisitView {
  // Arrived with its first stay; left (or still on site) with its latest.
  const stays = staysOf(row, next, movements);
  const arrivedAt = stays[0]?.arrivedAt ?? null;
  const leftAt = stays.at(-1)?.leftAt ?? null;
  let status: VisitStatus;
  if (arrivedAt === null) status = now > row.to_at ? 'no-show' : 'expected';
  else if (leftAt !== null) status = 'left';
  else status = now > row.to_at ? 'overstayed' : 'on-site';
  return {
    id: row.id,
    vehicleId: row.vehicle_id,
    plate: plateOf.get(row.vehicle_id) ?? null,
    hostHouseholdId: row.host_household_id,
    from: row.from_at,
    to: row.to_at,
    status,
    arrivedAt,
    leftAt,
    overstayFlaggedAt: row.overstay_flagged_at,
    registeredBy: row.registered_by,
    registeredAt: row.registered_at,
  };
}

/** Visits for the gate and the manager; a resident sees only their household's visitors. */
export async function listVisitors(
  ctx: AppContext,
  actor: Principal,
  statuses: readonly VisitStatus[] = CURRENT_STATUSES,
): Promise<VisitView[]> {
  const state = await ctx.store.state(actor.compoundId);
  const visits = await visitsWithStatus(ctx.store.db, actor.compoundId, state, ctx.now());
  return visits.filter(
    (v) =>
      statuses.includes(v.status) &&
      (actor.role !== 'resident' || (actor.householdId !== null && v.hostHouseholdId === actor.householdId)),
  );
}

/**
 * Records `visitor.overstayed` once for every visit whose car is still on site after its window.
 * Idempotent: a visit already flagged is not flagged again, so a timer may call it every minute.
 * Returns the ids of the visits flagged now.
 */
export async function flagOverstays(ctx: AppContext, compoundId: string): Promise<string[]> {
  return ctx.store.transaction(compoundId, async (uow) => {
    const now = ctx.now();
    const visits = await visitsWithStatus(uow.trx, compoundId, await uow.state(), now);
    const flagged: string[] = [];
    for (const v of visits) {
      if (v.status !== 'overstayed' || v.overstayFlaggedAt !== null) continue;
      await uow.append({
        type: 'record',
        payload: {
          kind: 'visitor.overstayed',
          refId: v.id,
          vehicleId: v.vehicleId as VehicleId,
          detail: { hostHouseholdId: v.hostHouseholdId, to: v.to, minutesOver: Math.floor((now - v.to) / 60_000) },
        },
        at: now as EpochMs,
        actor: 'system',
      });
      await flagOverstay(uow.trx, compoundId, v.id, now);
      flagged.push(v.id);
    }
    return flagged;
  });
}
