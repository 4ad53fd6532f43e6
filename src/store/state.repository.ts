/**
 * @module The custody state in tables: `loadState` reads a compound's state as the core type, and
 * `projectEvent` writes what one applied event changed. The ledger is the record; these tables are
 * its projection, written in the same transaction as the event.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  HouseholdId,
  KeyTag,
  LaneId,
  PartnerLotId,
  PositionId,
  TaskId,
  UserId,
  VehicleId,
  EpochMs,
  IsoDate,
} from '../core/brand.js';
import type { CompoundState, KeyState, VehicleState } from '../core/compound-state.js';
import { emptyState } from '../core/compound-state.js';
import type { CarLocation, KeyCustody } from '../core/custody.js';
import { assertNever } from '../core/errors.js';
import type { NewEvent } from '../core/events.js';
import type { Lane, LaneAccess, Layout, VehicleSize } from '../core/layout.js';
import type { Database, KeysTable, VehiclesTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function loadLayout(db: Db, compoundId: string): Promise<Layout> {
  const [lanes, positions, closures, fireLanes] = await Promise.all([
    db.selectFrom('lanes').selectAll().where('compound_id', '=', compoundId).orderBy('sort').execute(),
    db
      .selectFrom('positions')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .orderBy('lane_id')
      .orderBy('idx')
      .execute(),
    db
      .selectFrom('closures')
      .selectAll()
      .where('compound_id', '=', compoundId)
      .orderBy('position_id')
      .orderBy('seq')
      .execute(),
    db.selectFrom('fire_lanes').select('area').where('compound_id', '=', compoundId).orderBy('area').execute(),
  ]);
  const byLane = new Map<string, Lane>();
  const result: Layout = {
    lanes: lanes.map((l) => {
      const lane: Lane = {
        id: l.id as LaneId,
        name: l.name,
        access: l.access as LaneAccess,
        area: l.area,
        positions: [],
      };
      byLane.set(l.id, lane);
      return lane;
    }),
    fireLanes: fireLanes.map((f) => f.area),
  };
  const closuresOf = new Map<string, { from: IsoDate; to: IsoDate; reason: string }[]>();
  for (const c of closures) {
    const list = closuresOf.get(c.position_id) ?? [];
    list.push({ from: c.from_date as IsoDate, to: c.to_date as IsoDate, reason: c.reason });
    closuresOf.set(c.position_id, list);
  }
  for (const p of positions) {
    byLane.get(p.lane_id)?.positions.push({
      id: p.id as PositionId,
      laneId: p.lane_id as LaneId,
      index: p.idx,
      kind: p.kind,
      chargerKw: p.charger_kw,
      maxSize: p.max_size as VehicleSize,
      closures: closuresOf.get(p.id) ?? [],
    });
  }
  return result;
}

function locationOf(row: VehiclesTable): CarLocation {
  switch (row.location) {
    case 'away':
      return { kind: 'away' };
    case 'at-gate':
      return { kind: 'at-gate', since: row.since as EpochMs };
    case 'parked':
      return { kind: 'parked', positionId: row.position_id as PositionId };
    case 'at-partner':
      return { kind: 'at-partner', partnerLotId: row.partner_lot_id as PartnerLotId };
    default:
      throw new Error(`vehicles.location: unknown value "${row.location}" for ${row.id}`);
  }
}

function custodyOf(row: KeysTable): KeyCustody {
  switch (row.custody) {
    case 'with-resident':
      return { kind: 'with-resident' };
    case 'in-cabinet':
      return { kind: 'in-cabinet' };
    case 'with-guard':
      return {
        kind: 'with-guard',
        guardId: row.guard_id as UserId,
        taskId: row.task_id as TaskId | null,
        since: row.since as EpochMs,
      };
    case 'lost':
      return { kind: 'lost', since: row.since as EpochMs };
    default:
      throw new Error(`keys.custody: unknown value "${row.custody}" for ${row.tag}`);
  }
}

/** Reads a compound's whole custody state from its tables. */
export async function loadState(db: Db, compoundId: string): Promise<CompoundState> {
  const state = emptyState();
  const [meta, layout, households, vehicles, keys, onDuty] = await Promise.all([
    db.selectFrom('compound_state').select('name').where('compound_id', '=', compoundId).executeTakeFirst(),
    loadLayout(db, compoundId),
    db.selectFrom('households').select('id').where('compound_id', '=', compoundId).execute(),
    db.selectFrom('vehicles').selectAll().where('compound_id', '=', compoundId).execute(),
    db.selectFrom('keys').selectAll().where('compound_id', '=', compoundId).execute(),
    db.selectFrom('guards_on_duty').select('guard_id').where('compound_id', '=', compoundId).execute(),
  ]);
  state.name = meta?.name ?? null;
  state.layout = layout;
  for (const h of households) state.households.add(h.id as HouseholdId);
  for (const v of vehicles) {
    const vehicle: VehicleState = {
      id: v.id as VehicleId,
      householdId: v.household_id as HouseholdId | null,
      size: v.size as VehicleSize,
      ev: v.ev === 1,
      location: locationOf(v),
      consent: v.consent,
      keyTag: v.key_tag as KeyTag | null,
    };
    state.vehicles.set(vehicle.id, vehicle);
    if (vehicle.location.kind === 'parked') state.occupancy.set(vehicle.location.positionId, vehicle.id);
  }
  for (const k of keys) {
    const key: KeyState = { tag: k.tag as KeyTag, vehicleId: k.vehicle_id as VehicleId, custody: custodyOf(k) };
    state.keys.set(key.tag, key);
  }
  for (const g of onDuty) state.onDuty.add(g.guard_id as UserId);
  return state;
}

function vehicleRow(compoundId: string, v: VehicleState): VehiclesTable {
  const loc = v.location;
  return {
    compound_id: compoundId,
    id: v.id,
    household_id: v.householdId,
    size: v.size,
    ev: v.ev ? 1 : 0,
    consent: v.consent,
    key_tag: v.keyTag,
    location: loc.kind,
    position_id: loc.kind === 'parked' ? loc.positionId : null,
    partner_lot_id: loc.kind === 'at-partner' ? loc.partnerLotId : null,
    since: loc.kind === 'at-gate' ? loc.since : null,
  };
}

function keyRow(compoundId: string, k: KeyState): KeysTable {
  const c = k.custody;
  return {
    compound_id: compoundId,
    tag: k.tag,
    vehicle_id: k.vehicleId,
    custody: c.kind,
    guard_id: c.kind === 'with-guard' ? c.guardId : null,
    task_id: c.kind === 'with-guard' ? c.taskId : null,
    since: c.kind === 'with-guard' || c.kind === 'lost' ? c.since : null,
  };
}

async function writeVehicle(
  trx: Transaction<Database>,
  compoundId: string,
  state: CompoundState,
  id: VehicleId,
): Promise<void> {
  const v = state.vehicles.get(id);
  if (v === undefined) {
    await trx.deleteFrom('vehicles').where('compound_id', '=', compoundId).where('id', '=', id).execute();
    return;
  }
  const row = vehicleRow(compoundId, v);
  await trx
    .insertInto('vehicles')
    .values(row)
    .onConflict((oc) => oc.columns(['compound_id', 'id']).doUpdateSet({ ...row }))
    .execute();
}

async function writeKey(
  trx: Transaction<Database>,
  compoundId: string,
  state: CompoundState,
  tag: KeyTag,
): Promise<void> {
  const k = state.keys.get(tag);
  if (k === undefined) return;
  const row = keyRow(compoundId, k);
  await trx
    .insertInto('keys')
    .values(row)
    .onConflict((oc) => oc.columns(['compound_id', 'tag']).doUpdateSet({ ...row }))
    .execute();
  await writeVehicle(trx, compoundId, state, k.vehicleId);
}

async function writeLayout(trx: Transaction<Database>, compoundId: string, layout: Layout): Promise<void> {
  for (const table of ['closures', 'positions', 'lanes', 'fire_lanes'] as const) {
    await trx.deleteFrom(table).where('compound_id', '=', compoundId).execute();
  }
  const lanes = layout.lanes.map((l, sort) => ({
    compound_id: compoundId,
    id: l.id,
    name: l.name,
    access: l.access,
    area: l.area,
    sort,
  }));
  const positions = layout.lanes.flatMap((l) =>
    l.positions.map((p) => ({
      compound_id: compoundId,
      id: p.id,
      lane_id: l.id,
      idx: p.index,
      kind: p.kind,
      charger_kw: p.chargerKw,
      max_size: p.maxSize,
    })),
  );
  const closures = layout.lanes.flatMap((l) =>
    l.positions.flatMap((p) =>
      p.closures.map((c, seq) => ({
        compound_id: compoundId,
        position_id: p.id,
        seq,
        from_date: c.from,
        to_date: c.to,
        reason: c.reason,
      })),
    ),
  );
  // Chunked so large layouts stay under the databases' bound-parameter limits.
  for (const [table, rows] of [
    ['lanes', lanes],
    ['positions', positions],
    ['closures', closures],
  ] as const) {
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 200) as never)
        .execute();
    }
  }
  if (layout.fireLanes.length > 0) {
    await trx
      .insertInto('fire_lanes')
      .values(layout.fireLanes.map((area) => ({ compound_id: compoundId, area })))
      .execute();
  }
}

/** Writes to the tables what `event`, already applied to `state`, changed. */
export async function projectEvent(
  trx: Transaction<Database>,
  compoundId: string,
  state: CompoundState,
  event: NewEvent,
): Promise<void> {
  switch (event.type) {
    case 'compound.created':
      await trx
        .insertInto('compound_state')
        .values({ compound_id: compoundId, name: event.payload.name })
        .onConflict((oc) => oc.column('compound_id').doUpdateSet({ name: event.payload.name }))
        .execute();
      return;
    case 'layout.set':
      return writeLayout(trx, compoundId, event.payload.layout);
    case 'household.added':
      await trx.insertInto('households').values({ compound_id: compoundId, id: event.payload.householdId }).execute();
      return;
    case 'guard.on-duty':
      await trx
        .insertInto('guards_on_duty')
        .values({ compound_id: compoundId, guard_id: event.payload.guardId })
        .onConflict((oc) => oc.columns(['compound_id', 'guard_id']).doNothing())
        .execute();
      return;
    case 'guard.off-duty':
      await trx
        .deleteFrom('guards_on_duty')
        .where('compound_id', '=', compoundId)
        .where('guard_id', '=', event.payload.guardId)
        .execute();
      return;
    case 'vehicle.registered':
    case 'vehicle.updated':
    case 'vehicle.removed':
    case 'consent.given':
    case 'consent.withdrawn':
    case 'car.checked-in':
    case 'car.parked':
    case 'car.moved':
    case 'car.departed':
    case 'car.sent-to-partner':
    case 'car.returned-from-partner':
      return writeVehicle(trx, compoundId, state, event.payload.vehicleId);
    case 'key.received':
    case 'key.checked-out':
    case 'key.returned':
    case 'key.handed-over':
    case 'key.released':
    case 'key.lost':
    case 'key.found':
      return writeKey(trx, compoundId, state, event.payload.keyTag);
    case 'record':
      // Records live in the ledger and in their own use cases' tables, written by those use cases.
      return;
    default:
      return assertNever(event, 'event');
  }
}
