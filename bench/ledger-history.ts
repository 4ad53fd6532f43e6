/**
 * @module A compound's made-up history for the ledger bench and the report tests: households with
 * one car each, cars checked in and gone (some asked for "now"), sent to a partner lot and back,
 * tasks started and ended, at about `perDay` events a day. Every event is legal for the compound.
 */
import type { EpochMs, HouseholdId, PartnerLotId, VehicleId } from '../src/core/brand.js';
import type { NewEvent } from '../src/core/events.js';

export function* ledgerHistory(options: {
  cars: number;
  perDay: number;
  start: number;
  events: number;
  rand: () => number;
}): Generator<NewEvent> {
  const { cars, rand } = options;
  let at = options.start;
  const e = (body: Omit<NewEvent, 'at' | 'actor'>): NewEvent =>
    ({ ...body, at: at as EpochMs, actor: 'system' }) as NewEvent;
  const car = (n: number) => `v${n}` as VehicleId;
  for (let n = 0; n < cars; n++) {
    yield e({ type: 'household.added', payload: { householdId: `h${n}` as HouseholdId } });
    yield e({
      type: 'vehicle.registered',
      payload: { vehicleId: car(n), householdId: `h${n}` as HouseholdId, size: 'standard', ev: false },
    });
  }
  const where = new Array<'away' | 'here' | 'partner'>(cars).fill('away');
  const running: string[] = [];
  const gap = 86_400_000 / options.perDay;
  for (let i = 2 * cars; i < options.events; i++) {
    at += Math.round(gap * 2 * rand());
    const n = Math.floor(rand() * cars);
    const r = rand();
    const vehicleId = car(n);
    if (r < 0.15 && running.length < 20) {
      const taskId = `t${i}`;
      running.push(taskId);
      yield e({ type: 'record', payload: { kind: 'task.started', refId: taskId, detail: {} } });
    } else if (r < 0.3 && running.length > 0) {
      const taskId = running.splice(Math.floor(rand() * running.length), 1)[0]!;
      const kind = rand() < 0.9 ? 'task.completed' : 'task.failed';
      yield e({ type: 'record', payload: { kind, refId: taskId, detail: {} } });
    } else if (where[n] === 'away') {
      where[n] = 'here';
      yield e({ type: 'car.checked-in', payload: { vehicleId } });
    } else if (where[n] === 'partner') {
      where[n] = 'away';
      yield e({ type: 'car.returned-from-partner', payload: { vehicleId } });
    } else if (r < 0.4) {
      yield e({
        type: 'record',
        payload: { kind: 'departure.declared', refId: `d${i}`, vehicleId, detail: { kind: 'now' } },
      });
    } else if (r < 0.45) {
      where[n] = 'partner';
      yield e({ type: 'car.sent-to-partner', payload: { vehicleId, partnerLotId: 'p1' as PartnerLotId } });
    } else {
      where[n] = 'away';
      yield e({ type: 'car.departed', payload: { vehicleId, by: 'resident' } });
    }
  }
}
