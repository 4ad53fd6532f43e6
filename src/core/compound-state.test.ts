import { describe, expect, it } from 'vitest';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, HouseholdId, TaskId } from './brand.js';
import type { CompoundState } from './compound-state.js';
import { applyEvent, blockersOf, cloneState, replay, snapshot } from './compound-state.js';
import type { ErrorCode } from './errors.js';
import type { EventBody, NewEvent } from './events.js';

let clock = T0 + 10_000_000;
const ev = (body: EventBody): NewEvent => ({ ...body, at: (clock += 1000) as EpochMs, actor: id.guard(1) }) as NewEvent;

function apply(state: CompoundState, ...bodies: EventBody[]): void {
  for (const body of bodies) applyEvent(state, ev(body));
}

function refusal(state: CompoundState, body: EventBody): ErrorCode | undefined {
  const before = JSON.stringify(snapshot(state));
  try {
    applyEvent(state, ev(body));
    return undefined;
  } catch (error) {
    expect(JSON.stringify(snapshot(state))).toBe(before);
    return (error as { code: ErrorCode }).code;
  }
}

const checkIn = (n: number): EventBody => ({ type: 'car.checked-in', payload: { vehicleId: id.vehicle(n) } });
const park = (n: number, p: string): EventBody => ({
  type: 'car.parked',
  payload: { vehicleId: id.vehicle(n), positionId: id.position(p), taskId: null },
});

function fresh(cars = 4): CompoundState {
  return replay(setupEvents(cars));
}

describe('car custody', () => {
  it('parks a car only from the gate, into a free, reachable, open position', () => {
    const s = fresh();
    expect(refusal(s, park(1, 'A-2'))).toBe('CAR_NOT_AT_GATE');
    apply(s, checkIn(1), checkIn(2), park(1, 'A-1'));
    expect(refusal(s, park(2, 'A-1'))).toBe('POSITION_OCCUPIED');
    expect(refusal(s, park(2, 'A-2'))).toBe('LANE_BLOCKED');
    expect(refusal(s, park(2, 'Z-9'))).toBe('NOT_FOUND');
    expect(refusal(s, checkIn(1))).toBe('CAR_ALREADY_ON_SITE');
  });

  it('refuses a closed position on the days of its closure only', () => {
    const s = fresh();
    apply(s, checkIn(1));
    clock = Date.parse('2026-12-10T12:00:00Z');
    expect(refusal(s, park(1, 'C-0'))).toBe('POSITION_CLOSED');
    clock = Date.parse('2027-01-01T12:00:00Z');
    apply(s, park(1, 'C-0'));
  });

  it('lets a car in the middle of a through lane out at the nearer free end', () => {
    const s = fresh();
    apply(s, checkIn(1), park(1, 'B-1'), checkIn(2), park(2, 'B-0'));
    expect(blockersOf(s, id.vehicle(1))).toEqual([]);
    apply(s, checkIn(3), park(3, 'B-2'));
    expect(blockersOf(s, id.vehicle(1))).toHaveLength(1);
    expect(refusal(s, { type: 'car.departed', payload: { vehicleId: id.vehicle(1), by: 'resident' } })).toBe(
      'LANE_BLOCKED',
    );
    apply(
      s,
      { type: 'car.departed', payload: { vehicleId: id.vehicle(3), by: 'resident' } },
      { type: 'car.departed', payload: { vehicleId: id.vehicle(1), by: 'resident' } },
    );
  });

  it('never lets a car whose key the guards do not hold stand in front of another car', () => {
    const s = fresh();
    apply(s, { type: 'key.released', payload: { keyTag: id.key(2) } }, checkIn(1), park(1, 'A-2'), checkIn(2));
    expect(refusal(s, park(2, 'A-1'))).toBe('NO_KEY_BLOCKING');
    apply(s, park(2, 'C-0'));
  });

  it('does not hand back the key of a car that blocks another', () => {
    const s = fresh();
    apply(s, checkIn(1), park(1, 'A-2'), checkIn(2), park(2, 'A-1'));
    expect(refusal(s, { type: 'key.released', payload: { keyTag: id.key(2) } })).toBe('NO_KEY_BLOCKING');
  });

  it('moves a car only with its key out to a guard and a clear way', () => {
    const s = fresh();
    apply(s, checkIn(1), park(1, 'A-2'), checkIn(2), park(2, 'A-1'));
    const move = (n: number, from: string, to: string): EventBody => ({
      type: 'car.moved',
      payload: {
        vehicleId: id.vehicle(n),
        from: id.position(from),
        to: id.position(to),
        reason: 'relocation',
        taskId: null,
      },
    });
    expect(refusal(s, move(2, 'A-1', 'B-0'))).toBe('KEY_NOT_IN_CUSTODY');
    apply(s, { type: 'key.checked-out', payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null } });
    expect(refusal(s, move(1, 'A-2', 'B-0'))).toBe('LANE_BLOCKED');
    expect(refusal(s, move(1, 'A-1', 'B-0'))).toBe('STALE_STATE');
    apply(
      s,
      { type: 'key.checked-out', payload: { keyTag: id.key(2), guardId: id.guard(1), taskId: null } },
      move(2, 'A-1', 'B-0'),
      move(1, 'A-2', 'A-0'),
    );
    expect(s.occupancy.get(id.position('A-0'))).toBe(id.vehicle(1));
  });
});

describe('key custody', () => {
  it('accepts a key only with consent, once', () => {
    const s = fresh(1);
    apply(s, {
      type: 'vehicle.registered',
      payload: { vehicleId: id.vehicle(9), householdId: id.household(1), size: 'small', ev: false },
    });
    expect(refusal(s, { type: 'key.received', payload: { keyTag: id.key(9), vehicleId: id.vehicle(9) } })).toBe(
      'CONSENT_REQUIRED',
    );
    expect(refusal(s, { type: 'key.received', payload: { keyTag: id.key(8), vehicleId: id.vehicle(1) } })).toBe(
      'KEY_EXISTS',
    );
    apply(s, { type: 'consent.given', payload: { vehicleId: id.vehicle(9), textVersion: 'v1' } });
    expect(refusal(s, { type: 'key.received', payload: { keyTag: id.key(1), vehicleId: id.vehicle(9) } })).toBe(
      'KEY_ALREADY_IN_CUSTODY',
    );
  });

  it('hands a key out only to an on-duty guard and takes it back only from that guard', () => {
    const s = fresh(1);
    const out = (g: number): EventBody => ({
      type: 'key.checked-out',
      payload: { keyTag: id.key(1), guardId: id.guard(g), taskId: null },
    });
    expect(refusal(s, out(2))).toBe('NOT_ON_DUTY');
    apply(s, out(1));
    expect(refusal(s, out(1))).toBe('KEY_NOT_IN_CABINET');
    expect(refusal(s, { type: 'key.returned', payload: { keyTag: id.key(1), guardId: id.guard(2) } })).toBe(
      'KEY_HELD_BY_OTHER',
    );
    expect(refusal(s, { type: 'guard.off-duty', payload: { guardId: id.guard(1) } })).toBe('KEY_HELD_BY_OTHER');
    apply(
      s,
      { type: 'guard.on-duty', payload: { guardId: id.guard(2) } },
      { type: 'key.handed-over', payload: { keyTag: id.key(1), fromGuardId: id.guard(1), toGuardId: id.guard(2) } },
    );
    apply(
      s,
      { type: 'guard.off-duty', payload: { guardId: id.guard(1) } },
      { type: 'key.returned', payload: { keyTag: id.key(1), guardId: id.guard(2) } },
    );
    expect(s.keys.get(id.key(1))?.custody).toEqual({ kind: 'in-cabinet' });
  });

  it('records a lost key and its finding, and refuses to find a key that is not lost', () => {
    const s = fresh(1);
    expect(refusal(s, { type: 'key.found', payload: { keyTag: id.key(1) } })).toBe('KEY_NOT_LOST');
    apply(s, { type: 'key.lost', payload: { keyTag: id.key(1) } });
    expect(refusal(s, { type: 'key.lost', payload: { keyTag: id.key(1) } })).toBe('KEY_NOT_IN_CUSTODY');
    apply(s, { type: 'key.found', payload: { keyTag: id.key(1) } });
    expect(s.keys.get(id.key(1))?.custody.kind).toBe('in-cabinet');
  });

  it('clones state deeply, so a failed use case cannot leak changes', () => {
    const s = fresh(2);
    apply(s, checkIn(2), park(2, 'A-0'));
    const before = JSON.stringify(snapshot(s));
    const copy = cloneState(s);
    apply(
      copy,
      checkIn(1),
      { type: 'household.added', payload: { householdId: 'h-new' as HouseholdId } },
      { type: 'vehicle.updated', payload: { vehicleId: id.vehicle(2), size: 'small', ev: true } },
      { type: 'consent.given', payload: { vehicleId: id.vehicle(1), textVersion: 'v2' } },
      { type: 'key.checked-out', payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: 't1' as TaskId } },
      { type: 'guard.on-duty', payload: { guardId: id.guard(2) } },
      { type: 'car.departed', payload: { vehicleId: id.vehicle(2), by: 'guard' } },
      { type: 'layout.set', payload: { layout: { ...s.layout, fireLanes: ['north'] } } },
    );
    expect(JSON.stringify(snapshot(s))).toBe(before);
    expect(s.occupancy.get(id.position('A-0'))).toBe(id.vehicle(2));
  });
});
