/**
 * @module The residents' events: a car coming home to the gate (or the partner lot), a resident
 * coming for the car (driving off when nothing is in the way, else waiting for a retrieval), a
 * night emergency, a car turned away coming back.
 */
import type { SimCar } from '../policy.js';
import { PARTNER_FREE_PLACES } from './constants.js';
import { observeDeparture } from './departure-knowledge.js';
import { nightOf, tallyAt } from './measurements.js';
import { partnerChargerFree, partnerOpen, toPartner } from './partner.js';
import type { EngineState } from './state.js';
import { depart, enqueue, inWorkedLane, leaveGate, toGate } from './state.js';

/** `car` comes home for day `k`'s night: to a partner lot, or to the gate to be parked. */
export function arrive(s: EngineState, car: number, k: number): void {
  const { lot, loc, policy } = s;
  if (loc[car] !== 'out') return;
  const today = s.plan(k, car);
  s.needKwh[car] = today.energyKwh;
  s.chargeNight[car] = nightOf(s.now);
  const a = tallyAt(s.m, s.now);
  if (a) a.requested += today.energyKwh;
  if (today.partnerTonight && toPartner(s, car)) return;
  if (policy.allocatesPartner && partnerOpen(s).length > 0) {
    const free = lot.positions.reduce((sum, p, i) => sum + (lot.at(i) === -1 && !p.closed && !p.fireLane ? 1 : 0), 0);
    const queued = loc.reduce((sum, l) => sum + (l === 'gate' ? 1 : 0), 0);
    const chargersFree = lot.positions.some((p, i) => p.chargerKw !== null && !p.closed && lot.at(i) === -1);
    // An EV goes for a charger only where one is free: at a partner lot without one it would get no charge.
    const evWaiting =
      (s.cars[car] as SimCar).ev && today.energyKwh > 0 && !chargersFree && partnerChargerFree(s) !== undefined;
    if ((free - queued <= PARTNER_FREE_PLACES || evWaiting) && toPartner(s, car)) return;
  }
  toGate(s, car);
}

/** A car turned away comes back to the gate (only at its latest return, when turned away more than once). */
export function comeBack(s: EngineState, car: number, k: number): void {
  if (s.loc[car] !== 'outside' || s.comeBackAt[car] !== s.now) return;
  s.loc[car] = 'out';
  arrive(s, car, k);
}

/** The resident comes for `car`, day `k`'s departure. */
export function comeForCar(s: EngineState, car: number, k: number): void {
  const { lot, loc, movable, waitingSince } = s;
  const l = loc[car];
  const declared = s.plan(k, car).declared;
  s.declaredNow[car] = declared !== null && Number.isFinite(declared) ? declared : Number.NaN;
  if (l === 'compound' || l === 'gate') observeDeparture(s, car, k, declared);
  if (l === 'compound') {
    if ((waitingSince[car] as number) >= 0) return;
    const p = lot.where(car);
    const blockers = p === -1 ? [] : lot.blockersOf(p, movable);
    if (blockers !== null && blockers.length === 0 && !inWorkedLane(s, car)) depart(s, car);
    else {
      if (s.options.onDeparture)
        s.blockedAs.set(car, {
          blockers: blockers?.length ?? -1,
          blockerCars: blockers ?? [],
          guardsFree: s.guardFree.filter(Boolean).length,
          prestageQueued: s.queuedSubjects.has(`prestage:${car}`),
        });
      waitingSince[car] = s.now;
      enqueue(s, 'retrieve', car);
    }
  } else if (l === 'gate') {
    leaveGate(s, car, s.now);
    depart(s, car);
  } else if (l === 'outside') {
    loc[car] = 'out';
  }
}

/** A night emergency: the resident needs `car` now (undeclared), and brings it back at `returnAt`. */
export function emergency(s: EngineState, car: number, returnAt: number): void {
  const { lot, movable, waitingSince } = s;
  if (s.loc[car] !== 'compound' || (waitingSince[car] as number) >= 0 || lot.where(car) === -1) return;
  const blockers = lot.blockersOf(lot.where(car), movable);
  s.declaredNow[car] = Number.NaN;
  if (blockers !== null && blockers.length === 0 && !inWorkedLane(s, car)) depart(s, car);
  else {
    waitingSince[car] = s.now;
    enqueue(s, 'retrieve', car);
  }
  s.events.push(returnAt, { kind: 'arrive', car, k: nightOf(returnAt) });
}
