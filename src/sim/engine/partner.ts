/**
 * @module Partner lots: which are open now, sending a car to one (its EV charging there while a
 * charger space is free), and the car leaving it by the lot's leave-by time (back to the compound
 * gate when it does not drive off then).
 */
import { addDays } from '../../core/time.js';
import { abs, partnerWindows } from '../behaviour.js';
import type { SimCar } from '../policy.js';
import { nightOf, tallyAt } from './measurements.js';
import type { EngineState } from './state.js';
import { startCharging, stopCharging, toGate } from './state.js';

/** A partner lot open now: its window's day `k`, leave-by time (absolute minute), charging, spaces. */
interface OpenLot {
  k: number;
  lot: number;
  leaveBy: number;
  kw: number | null;
  chargerSpaces: number;
  spaces: number;
}

/** The partner lots open now, in the scenario's order. */
export function partnerOpen(s: EngineState): OpenLot[] {
  const { scenario, startDate, now } = s;
  const open: OpenLot[] = [];
  for (const k of [nightOf(now) + 1, nightOf(now)]) {
    for (const w of partnerWindows(scenario, addDays(startDate, k))) {
      const lotDef = scenario.partnerLots[w.lot];
      if (lotDef === undefined || open.some((o) => o.lot === w.lot)) continue;
      if (now >= abs(k, w.from) && now < abs(k, w.to)) {
        open.push({
          k,
          lot: w.lot,
          leaveBy: abs(k, w.leaveBy),
          kw: lotDef.chargerKw,
          chargerSpaces: lotDef.chargerSpaces,
          spaces: lotDef.spaces,
        });
      }
    }
  }
  return open;
}

/** The first open partner lot with a space and a free charger, if any. */
export function partnerChargerFree(s: EngineState): OpenLot | undefined {
  const { partnerCars, partnerChargers } = s;
  return partnerOpen(s).find(
    (o) =>
      (partnerCars[o.lot] as number) < o.spaces &&
      o.kw !== null &&
      (partnerChargers[o.lot] as number) < o.chargerSpaces,
  );
}

/**
 * Sends `car` to an open partner lot with a space (an EV that wants charge to one with a free
 * charger first, else the first); false when there is none.
 */
export function toPartner(s: EngineState, car: number): boolean {
  const { partnerCars, partnerChargers } = s;
  const charging = (s.cars[car] as SimCar).ev && (s.needKwh[car] as number) > 0 ? partnerChargerFree(s) : undefined;
  const open = charging ?? partnerOpen(s).find((o) => (partnerCars[o.lot] as number) < o.spaces);
  if (open === undefined) return false;
  s.loc[car] = 'partner';
  s.partnerLotOf[car] = open.lot;
  partnerCars[open.lot] = (partnerCars[open.lot] as number) + 1;
  const a = tallyAt(s.m, s.now);
  if (a) a.partner++;
  if ((s.cars[car] as SimCar).ev && (partnerChargers[open.lot] as number) < open.chargerSpaces) {
    partnerChargers[open.lot] = (partnerChargers[open.lot] as number) + 1;
    startCharging(s, car, open.kw);
  }
  const next = s.plan(open.k + 1, car);
  const leaveAt = next.leaves ? Math.min(next.departAt, open.leaveBy) : open.leaveBy;
  s.events.push(Math.max(s.now, leaveAt), { kind: 'partnerLeave', car, k: open.k });
  return true;
}

/** `car` leaves its partner lot (night `k`): out, or back to the compound gate when it does not drive off yet. */
export function leavePartner(s: EngineState, car: number, k: number): void {
  const { partnerCars, partnerChargers } = s;
  if (s.loc[car] !== 'partner') return;
  stopCharging(s, car);
  const at = s.partnerLotOf[car] as number;
  s.partnerLotOf[car] = -1;
  partnerCars[at] = (partnerCars[at] as number) - 1;
  if (s.chargeKw[car] !== 0 && (s.cars[car] as SimCar).ev)
    partnerChargers[at] = Math.max(0, (partnerChargers[at] as number) - 1);
  s.chargeKw[car] = 0;
  s.loc[car] = 'out';
  const next = s.plan(k + 1, car);
  s.needKwh[car] = 0;
  if (!(next.leaves && next.departAt <= s.now)) {
    // Gone by the leave-by time but not leaving yet: back to the compound gate.
    toGate(s, car);
  }
}
