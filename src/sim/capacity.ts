/**
 * @module The capacity check of a night and the 60-night forecast built on it. A night's room is
 * its open positions (open on the evening's date and on the next morning's: from noon on, the
 * simulator keeps a position that closes the next day free) and the spaces of the partner lots
 * open that evening. The check counts by the rules every placement obeys: a car fits only a
 * position large enough for it (small ⊂ standard ⊂ large places), and a car without a key blocks
 * no one only at the back of a lane, so a lane holds at most one of them. Cars beyond any of these
 * counts cannot be housed that night whatever the guards do; the forecast names such nights in
 * advance, counting every car of the compound as home (an upper bound).
 */
import type { IsoDate } from '../core/brand.js';
import type { Layout, VehicleSize } from '../core/layout.js';
import { VEHICLE_SIZES, isClosedOn, validateLayout } from '../core/layout.js';
import type { Scenario } from '../core/scenario.js';
import { addDays } from '../core/time.js';
import { partnerWindows } from './behaviour.js';

/** Nights the forecast looks ahead. */
export const FORECAST_NIGHTS = 60;

/** The room of one night. */
export interface NightRoom {
  /** The evening's date. */
  date: string;
  /** Open positions, and of those the ones a standard car fits and the ones a large car fits. */
  positions: number;
  fitsStandard: number;
  fitsLarge: number;
  /** Lanes with an open position (a car without a key stands at a lane's back: one a lane). */
  lanes: number;
  /** Spaces of the partner lots open that evening. */
  partnerSpaces: number;
}

/** The cars that need a place on a night, counted the way the check needs them. */
export interface CarsTonight {
  cars: number;
  /** Cars of standard size or larger, and large cars. */
  standardOrLarger: number;
  large: number;
  /** Cars without a key in custody. */
  keyless: number;
}

export function nightRoom(
  scenario: Scenario,
  date: string,
  layout: Layout = validateLayout(scenario.layout),
): NightRoom {
  const next = addDays(date, 1) as IsoDate;
  let positions = 0;
  let fitsStandard = 0;
  let fitsLarge = 0;
  let lanes = 0;
  for (const lane of layout.lanes) {
    let open = 0;
    for (const p of lane.positions) {
      if (isClosedOn(p, date as IsoDate) || isClosedOn(p, next)) continue;
      open++;
      if (p.maxSize !== 'small') fitsStandard++;
      if (p.maxSize === 'large') fitsLarge++;
    }
    positions += open;
    if (open > 0) lanes++;
  }
  const partnerSpaces = partnerWindows(scenario, date).reduce(
    (sum, w) => sum + (scenario.partnerLots[w.lot]?.spaces ?? 0),
    0,
  );
  return { date, positions, fitsStandard, fitsLarge, lanes, partnerSpaces };
}

/** Counts cars by the classes of the check. */
export function carsTonight(cars: readonly { size: VehicleSize; keyConsent: boolean }[]): CarsTonight {
  const at = (size: VehicleSize): number => VEHICLE_SIZES.indexOf(size);
  return {
    cars: cars.length,
    standardOrLarger: cars.filter((c) => at(c.size) >= at('standard')).length,
    large: cars.filter((c) => c.size === 'large').length,
    keyless: cars.filter((c) => !c.keyConsent).length,
  };
}

/** Cars the check says cannot be housed on the night (0: room for every one). */
export function shortfall(room: NightRoom, need: CarsTonight): number {
  const partner = room.partnerSpaces;
  return Math.max(
    0,
    need.cars - room.positions - partner,
    need.standardOrLarger - room.fitsStandard - partner,
    need.large - room.fitsLarge - partner,
    need.keyless - room.lanes - partner,
  );
}

/** One night of the forecast. */
export interface ForecastNight extends NightRoom {
  /** Every car of the compound (an upper bound: who stays away is not known in advance). */
  expectedCars: number;
  /** Cars the check says cannot be housed if every car is home. */
  shortfall: number;
}

/** The next `nights` nights from `from`, each with its room and the shortfall if every car is home. */
export function capacityForecast(scenario: Scenario, from: string, nights = FORECAST_NIGHTS): ForecastNight[] {
  const layout = validateLayout(scenario.layout);
  const need = carsTonight(scenario.vehicles);
  return Array.from({ length: nights }, (_, d) => {
    const room = nightRoom(scenario, addDays(from, d), layout);
    return { ...room, expectedCars: need.cars, shortfall: shortfall(room, need) };
  });
}
