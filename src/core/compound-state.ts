/**
 * @module The custody state of one compound, and the one function that changes it: `applyEvent`.
 * Use cases propose an event, `applyEvent` checks that it is a legal transition (or throws a
 * `DomainError`) and returns the next state; the store writes the same change to its tables in the
 * transaction that appends the event. Replaying the ledger through `applyEvent` rebuilds the state.
 */
import type { EpochMs, HouseholdId, KeyTag, PositionId, UserId, VehicleId } from './brand.js';
import type { CarLocation, KeyCustody } from './custody.js';
import { guardsHoldKey } from './custody.js';
import { refusal } from './refusal-names.js';
import { DomainError, assertNever } from './errors.js';
import type { NewEvent } from './events.js';
import type { Lane, Layout, Position, VehicleSize } from './layout.js';
import { blockingIndexes, fits, indexPositions, isClosedOn } from './layout.js';
import { shanghaiDate } from './time.js';

export interface VehicleState {
  id: VehicleId;
  /** null for a visitor's car. */
  householdId: HouseholdId | null;
  size: VehicleSize;
  ev: boolean;
  location: CarLocation;
  /** The text version of the key-custody consent in force, or null when none is. */
  consent: string | null;
  /** The tag of the spare key the guards hold or last held, or null. */
  keyTag: KeyTag | null;
}

export interface KeyState {
  tag: KeyTag;
  vehicleId: VehicleId;
  custody: KeyCustody;
}

export interface CompoundState {
  name: string | null;
  layout: Layout;
  households: Set<HouseholdId>;
  vehicles: Map<VehicleId, VehicleState>;
  keys: Map<KeyTag, KeyState>;
  onDuty: Set<UserId>;
  /** Derived: which car stands on which position. */
  occupancy: Map<PositionId, VehicleId>;
}

export function emptyState(): CompoundState {
  return {
    name: null,
    layout: { lanes: [], fireLanes: [] },
    households: new Set(),
    vehicles: new Map(),
    keys: new Map(),
    onDuty: new Set(),
    occupancy: new Map(),
  };
}

function notFound(what: string, id: string, field: string): DomainError {
  return new DomainError('NOT_FOUND', `${field}: no ${what} "${id}" in this compound`, { field });
}

function vehicleOf(state: CompoundState, id: VehicleId): VehicleState {
  const v = state.vehicles.get(id);
  if (v === undefined) throw notFound('vehicle', id, 'vehicleId');
  return v;
}

function keyOf(state: CompoundState, tag: KeyTag): KeyState {
  const k = state.keys.get(tag);
  if (k === undefined) throw notFound('key', tag, 'keyTag');
  return k;
}

/** The key state of a vehicle's spare key, if the guards ever held one. */
export function keyOfVehicle(state: CompoundState, vehicle: VehicleState): KeyState | undefined {
  return vehicle.keyTag === null ? undefined : state.keys.get(vehicle.keyTag);
}

/** True when the guards hold the car's spare key (so they may move it and it may block others). */
export function canBeMoved(state: CompoundState, vehicle: VehicleState): boolean {
  return guardsHoldKey(keyOfVehicle(state, vehicle)?.custody);
}

/** The cars standing between a parked car and the nearest open end of its lane. */
export function blockersOf(state: CompoundState, vehicleId: VehicleId): VehicleId[] {
  const v = vehicleOf(state, vehicleId);
  if (v.location.kind !== 'parked') return [];
  const where = indexPositions(state.layout).get(v.location.positionId);
  if (where === undefined) return [];
  return blockersAt(state, where.lane, where.position.index);
}

function blockersAt(state: CompoundState, lane: Lane, index: number): VehicleId[] {
  const at = (i: number): VehicleId | undefined => {
    const p = lane.positions[i];
    return p === undefined ? undefined : state.occupancy.get(p.id);
  };
  return blockingIndexes(lane, index, (i) => at(i) !== undefined).map((i) => at(i) as VehicleId);
}

function locate(state: CompoundState, positionId: PositionId, field: string): { lane: Lane; position: Position } {
  const where = indexPositions(state.layout).get(positionId);
  if (where === undefined) throw notFound('position', positionId, field);
  return where;
}

/** Refuses a car entering `position` when it cannot get there or may not stand there. */
function checkCanEnter(
  state: CompoundState,
  vehicle: VehicleState,
  positionId: PositionId,
  at: EpochMs,
  field: string,
): void {
  const { lane, position } = locate(state, positionId, field);
  const occupant = state.occupancy.get(positionId);
  if (occupant !== undefined) {
    throw refusal('POSITION_OCCUPIED', field, {
      vehicleId: vehicle.id,
      positionId,
      template: '{place} is taken by another car',
    });
  }
  if (isClosedOn(position, shanghaiDate(at))) {
    throw refusal('POSITION_CLOSED', field, {
      vehicleId: vehicle.id,
      positionId,
      template: `{place} is closed on ${shanghaiDate(at)}`,
    });
  }
  if (!fits(position, vehicle.size)) {
    throw refusal('POSITION_TOO_SMALL', field, {
      vehicleId: vehicle.id,
      positionId,
      template: `{car} (${vehicle.size}) does not fit {place} (up to ${position.maxSize})`,
    });
  }
  const inTheWay = blockersAt(state, lane, position.index);
  if (inTheWay.length > 0) {
    throw refusal('LANE_BLOCKED', field, {
      vehicleId: vehicle.id,
      blockerIds: inTheWay,
      positionId,
      template: '{blockers} stand between the open end of the lane and {place}',
    });
  }
  if (!canBeMoved(state, vehicle) && wouldBlockAnother(state, lane, position.index)) {
    throw refusal('NO_KEY_BLOCKING', field, {
      vehicleId: vehicle.id,
      positionId,
      template: "the guards do not hold {car}'s spare key, so it may not stand in front of another car at {place}",
    });
  }
}

/** True when a car placed at `index` would stand on every way out of some other car in the lane. */
function wouldBlockAnother(state: CompoundState, lane: Lane, index: number): boolean {
  const occupied = (i: number): boolean => i === index || state.occupancy.has(lane.positions[i]?.id as PositionId);
  return lane.positions.some(
    (p, i) => i !== index && state.occupancy.has(p.id) && blockingIndexes(lane, i, occupied).includes(index),
  );
}

/** True when a parked car, whose key the guards no longer hold, stands in front of another car. */
function blocksAnother(state: CompoundState, positionId: PositionId): boolean {
  const { lane, position } = locate(state, positionId, 'positionId');
  const occupied = (i: number): boolean => state.occupancy.has(lane.positions[i]?.id as PositionId);
  return lane.positions.some(
    (_, i) => i !== position.index && occupied(i) && blockingIndexes(lane, i, occupied).includes(position.index),
  );
}

function requireOnDuty(state: CompoundState, guardId: UserId): void {
  if (!state.onDuty.has(guardId)) {
    throw new DomainError('NOT_ON_DUTY', `guardId: guard "${guardId}" is not on duty`, { field: 'guardId' });
  }
}

function leave(state: CompoundState, vehicle: VehicleState): void {
  if (vehicle.location.kind !== 'parked') return;
  const blockers = blockersOf(state, vehicle.id);
  if (blockers.length > 0) {
    throw refusal('LANE_BLOCKED', 'vehicleId', {
      vehicleId: vehicle.id,
      blockerIds: blockers,
      positionId: vehicle.location.positionId,
      template: '{car} at {place} is blocked by {blockers}',
    });
  }
  state.occupancy.delete(vehicle.location.positionId);
}

/**
 * Checks an event against the state and applies it, mutating `state` in place (callers that must
 * keep the old state clone it first with `cloneState`). Throws a `DomainError` on an illegal
 * transition, leaving `state` unchanged.
 */
export function applyEvent(state: CompoundState, event: NewEvent): void {
  switch (event.type) {
    case 'compound.created':
      state.name = event.payload.name;
      return;
    case 'layout.set': {
      const next = indexPositions(event.payload.layout);
      for (const positionId of state.occupancy.keys()) {
        if (!next.has(positionId)) {
          throw new DomainError(
            'POSITION_OCCUPIED',
            `layout: position "${positionId}" holds a car and cannot be removed`,
            { field: 'layout' },
          );
        }
      }
      state.layout = event.payload.layout;
      return;
    }
    case 'household.added':
      if (state.households.has(event.payload.householdId)) {
        throw new DomainError('DUPLICATE_ID', `householdId: household "${event.payload.householdId}" exists`, {
          field: 'householdId',
        });
      }
      state.households.add(event.payload.householdId);
      return;
    case 'vehicle.registered': {
      const p = event.payload;
      if (state.vehicles.has(p.vehicleId)) {
        throw new DomainError('DUPLICATE_ID', `vehicleId: vehicle "${p.vehicleId}" exists`, { field: 'vehicleId' });
      }
      if (p.householdId !== null && !state.households.has(p.householdId))
        throw notFound('household', p.householdId, 'householdId');
      state.vehicles.set(p.vehicleId, {
        id: p.vehicleId,
        householdId: p.householdId,
        size: p.size,
        ev: p.ev,
        location: { kind: 'away' },
        consent: null,
        keyTag: null,
      });
      return;
    }
    case 'vehicle.updated': {
      const p = event.payload;
      const v = vehicleOf(state, p.vehicleId);
      if (v.location.kind === 'parked') {
        const { position } = locate(state, v.location.positionId, 'vehicleId');
        if (!fits(position, p.size)) {
          throw new DomainError(
            'POSITION_TOO_SMALL',
            `size: a ${p.size} car does not fit position "${position.id}" where vehicle "${v.id}" stands`,
            {
              field: 'size',
            },
          );
        }
      }
      v.size = p.size;
      v.ev = p.ev;
      return;
    }
    case 'vehicle.removed': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (v.location.kind !== 'away') {
        throw new DomainError(
          'CAR_ALREADY_ON_SITE',
          `vehicleId: vehicle "${v.id}" is on site; it leaves before it is removed`,
          { field: 'vehicleId' },
        );
      }
      if (canBeMoved(state, v)) {
        throw new DomainError(
          'KEY_ALREADY_IN_CUSTODY',
          `vehicleId: the guards still hold the key of "${v.id}"; release it first`,
          { field: 'vehicleId' },
        );
      }
      state.vehicles.delete(v.id);
      return;
    }
    case 'consent.given':
      vehicleOf(state, event.payload.vehicleId).consent = event.payload.textVersion;
      return;
    case 'consent.withdrawn': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (canBeMoved(state, v)) {
        throw new DomainError(
          'KEY_ALREADY_IN_CUSTODY',
          `vehicleId: the guards hold the key of "${v.id}"; it is handed back before consent ends`,
          {
            field: 'vehicleId',
          },
        );
      }
      v.consent = null;
      return;
    }
    case 'guard.on-duty':
      state.onDuty.add(event.payload.guardId);
      return;
    case 'guard.off-duty': {
      const out = [...state.keys.values()].find(
        (k) => k.custody.kind === 'with-guard' && k.custody.guardId === event.payload.guardId,
      );
      if (out !== undefined) {
        throw new DomainError(
          'KEY_HELD_BY_OTHER',
          `guardId: guard "${event.payload.guardId}" still holds key "${out.tag}"; return or hand it over first`,
          {
            field: 'guardId',
          },
        );
      }
      state.onDuty.delete(event.payload.guardId);
      return;
    }
    case 'key.received': {
      const p = event.payload;
      const v = vehicleOf(state, p.vehicleId);
      if (v.consent === null) {
        throw refusal('CONSENT_REQUIRED', 'vehicleId', {
          vehicleId: v.id,
          template: 'no key-custody consent for {car}',
        });
      }
      if (canBeMoved(state, v)) {
        throw new DomainError(
          'KEY_EXISTS',
          `vehicleId: the guards already hold key "${v.keyTag}" of vehicle "${v.id}"`,
          { field: 'vehicleId' },
        );
      }
      const existing = state.keys.get(p.keyTag);
      if (existing !== undefined && (existing.vehicleId !== v.id || existing.custody.kind !== 'with-resident')) {
        throw new DomainError('KEY_ALREADY_IN_CUSTODY', `keyTag: tag "${p.keyTag}" is in use`, { field: 'keyTag' });
      }
      state.keys.set(p.keyTag, { tag: p.keyTag, vehicleId: v.id, custody: { kind: 'in-cabinet' } });
      v.keyTag = p.keyTag;
      return;
    }
    case 'key.checked-out': {
      const p = event.payload;
      const k = keyOf(state, p.keyTag);
      if (k.custody.kind !== 'in-cabinet') {
        throw new DomainError(
          'KEY_NOT_IN_CABINET',
          `keyTag: key "${k.tag}" is not in the cabinet (${k.custody.kind})`,
          { field: 'keyTag' },
        );
      }
      requireOnDuty(state, p.guardId);
      k.custody = { kind: 'with-guard', guardId: p.guardId, taskId: p.taskId, since: event.at };
      return;
    }
    case 'key.returned': {
      const p = event.payload;
      const k = keyOf(state, p.keyTag);
      if (k.custody.kind !== 'with-guard') {
        throw new DomainError('KEY_NOT_CHECKED_OUT', `keyTag: key "${k.tag}" is not out (${k.custody.kind})`, {
          field: 'keyTag',
        });
      }
      if (k.custody.guardId !== p.guardId) {
        throw new DomainError('KEY_HELD_BY_OTHER', `keyTag: key "${k.tag}" is held by guard "${k.custody.guardId}"`, {
          field: 'keyTag',
        });
      }
      k.custody = { kind: 'in-cabinet' };
      return;
    }
    case 'key.handed-over': {
      const p = event.payload;
      const k = keyOf(state, p.keyTag);
      if (k.custody.kind !== 'with-guard' || k.custody.guardId !== p.fromGuardId) {
        throw new DomainError('KEY_HELD_BY_OTHER', `keyTag: key "${k.tag}" is not held by guard "${p.fromGuardId}"`, {
          field: 'keyTag',
        });
      }
      requireOnDuty(state, p.toGuardId);
      k.custody = { kind: 'with-guard', guardId: p.toGuardId, taskId: k.custody.taskId, since: event.at };
      return;
    }
    case 'key.released': {
      const k = keyOf(state, event.payload.keyTag);
      if (k.custody.kind !== 'in-cabinet') {
        throw new DomainError(
          'KEY_NOT_IN_CABINET',
          `keyTag: key "${k.tag}" is not in the cabinet (${k.custody.kind})`,
          { field: 'keyTag' },
        );
      }
      const v = vehicleOf(state, k.vehicleId);
      if (v.location.kind === 'parked' && blocksAnother(state, v.location.positionId)) {
        throw new DomainError(
          'NO_KEY_BLOCKING',
          `keyTag: car "${v.id}" stands in front of another car; move it before its key goes back`,
          {
            field: 'keyTag',
          },
        );
      }
      k.custody = { kind: 'with-resident' };
      return;
    }
    case 'key.lost': {
      const k = keyOf(state, event.payload.keyTag);
      if (!guardsHoldKey(k.custody)) {
        throw new DomainError('KEY_NOT_IN_CUSTODY', `keyTag: the guards do not hold key "${k.tag}"`, {
          field: 'keyTag',
        });
      }
      k.custody = { kind: 'lost', since: event.at };
      return;
    }
    case 'key.found': {
      const k = keyOf(state, event.payload.keyTag);
      if (k.custody.kind !== 'lost') {
        throw new DomainError('KEY_NOT_LOST', `keyTag: key "${k.tag}" is not lost`, { field: 'keyTag' });
      }
      k.custody = { kind: 'in-cabinet' };
      return;
    }
    case 'car.checked-in': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (v.location.kind !== 'away') {
        throw refusal('CAR_ALREADY_ON_SITE', 'vehicleId', {
          vehicleId: v.id,
          template: `{car} is already ${v.location.kind}`,
        });
      }
      v.location = { kind: 'at-gate', since: event.at };
      return;
    }
    case 'car.parked': {
      const p = event.payload;
      const v = vehicleOf(state, p.vehicleId);
      if (v.location.kind !== 'at-gate') {
        throw refusal('CAR_NOT_AT_GATE', 'vehicleId', {
          vehicleId: v.id,
          template: `{car} is ${v.location.kind}, not at the gate`,
        });
      }
      checkCanEnter(state, v, p.positionId, event.at, 'positionId');
      v.location = { kind: 'parked', positionId: p.positionId };
      state.occupancy.set(p.positionId, v.id);
      return;
    }
    case 'car.moved': {
      const p = event.payload;
      const v = vehicleOf(state, p.vehicleId);
      if (v.location.kind !== 'parked' || v.location.positionId !== p.from) {
        throw new DomainError('STALE_STATE', `from: vehicle "${v.id}" is not at "${p.from}"`, { field: 'from' });
      }
      if (keyOfVehicle(state, v)?.custody.kind !== 'with-guard') {
        throw new DomainError(
          'KEY_NOT_IN_CUSTODY',
          `vehicleId: the key of "${v.id}" is not out with a guard; check it out for the move first`,
          {
            field: 'vehicleId',
          },
        );
      }
      leave(state, v);
      try {
        checkCanEnter(state, v, p.to, event.at, 'to');
      } catch (error) {
        state.occupancy.set(p.from, v.id);
        throw error;
      }
      v.location = { kind: 'parked', positionId: p.to };
      state.occupancy.set(p.to, v.id);
      return;
    }
    case 'car.departed': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (v.location.kind === 'away') {
        throw refusal('CAR_NOT_ON_SITE', 'vehicleId', { vehicleId: v.id, template: '{car} is not on site' });
      }
      leave(state, v);
      v.location = { kind: 'away' };
      return;
    }
    case 'car.sent-to-partner': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (v.location.kind !== 'at-gate' && v.location.kind !== 'parked') {
        throw refusal('CAR_NOT_ON_SITE', 'vehicleId', { vehicleId: v.id, template: '{car} is not on site' });
      }
      leave(state, v);
      v.location = { kind: 'at-partner', partnerLotId: event.payload.partnerLotId };
      return;
    }
    case 'car.returned-from-partner': {
      const v = vehicleOf(state, event.payload.vehicleId);
      if (v.location.kind !== 'at-partner') {
        throw new DomainError('CAR_NOT_ON_SITE', `vehicleId: vehicle "${v.id}" is not at a partner lot`, {
          field: 'vehicleId',
        });
      }
      v.location = { kind: 'away' };
      return;
    }
    case 'record':
      // Records change no custody state; they are checked by their use cases.
      return;
    default:
      return assertNever(event, 'event');
  }
}

/**
 * A copy that `applyEvent` can change without changing `state`. Only what `applyEvent` changes in
 * place is copied: the collections and the vehicle and key records. What it only ever replaces is
 * shared: the layout (`layout.set` puts in a new one), a vehicle's `location` and a key's `custody`.
 * A copy per mutation is on every request's path, and the layout is most of the state.
 */
export function cloneState(state: CompoundState): CompoundState {
  const vehicles = new Map<VehicleId, VehicleState>();
  for (const [id, v] of state.vehicles) vehicles.set(id, { ...v });
  const keys = new Map<KeyTag, KeyState>();
  for (const [tag, k] of state.keys) keys.set(tag, { ...k });
  return {
    name: state.name,
    layout: state.layout,
    households: new Set(state.households),
    vehicles,
    keys,
    onDuty: new Set(state.onDuty),
    occupancy: new Map(state.occupancy),
  };
}

/** Rebuilds a compound's state from its events, in order. */
export function replay(events: Iterable<NewEvent>): CompoundState {
  const state = emptyState();
  for (const event of events) applyEvent(state, event);
  return state;
}

/** A canonical, JSON-comparable picture of the state, for comparing a replay with the store. */
export interface StateSnapshot {
  name: string | null;
  layout: Layout;
  households: string[];
  vehicles: VehicleState[];
  keys: KeyState[];
  onDuty: string[];
}

export function snapshot(state: CompoundState): StateSnapshot {
  const byId =
    <T>(get: (t: T) => string) =>
    (a: T, b: T) =>
      get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : 0;
  return {
    name: state.name,
    layout: state.layout,
    households: [...state.households].sort(),
    vehicles: [...state.vehicles.values()].map((v) => ({ ...v })).sort(byId((v) => v.id)),
    keys: [...state.keys.values()].map((k) => ({ ...k })).sort(byId((k) => k.tag)),
    onDuty: [...state.onDuty].sort(),
  };
}
