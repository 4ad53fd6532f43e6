/**
 * @module A whole evening's arrivals, placed one by one in arrival order with `placeArrival`; each
 * placement is fixed before the next car is considered (as at the gate, where nobody knows who
 * comes next). Reports the morning's blocking pairs and relocation lower bound for the result.
 */
import type { PlacementOptions, PlacementResult, ArrivingCar } from './place-arrival.js';
import { placeArrival } from './place-arrival.js';
import { blockingCount, morningLowerBound } from './blocking.js';
import type { LotView } from './lot-view.js';
import { withCarAt } from './lot-view.js';

export interface EveningResult {
  /** One result per arrival, in arrival order. */
  placements: PlacementResult[];
  /** The lot after every car that could be placed was placed. */
  lot: LotView;
  /** Arrivals that were not placed (full lot, or a keyless car with nowhere harmless to go). */
  unplaced: PlacementResult[];
  blockingCount: number;
  morningLowerBound: number;
}

export function placeEvening(
  lot: LotView,
  arrivals: readonly ArrivingCar[],
  options: PlacementOptions = {},
): EveningResult {
  let current = lot;
  const placements: PlacementResult[] = [];
  for (const car of arrivals) {
    const result = placeArrival(current, car, options);
    placements.push(result);
    if (result.status === 'placed' && result.positionId !== null) {
      current = withCarAt(current, result.positionId, {
        vehicleId: car.vehicleId,
        departure: car.departure,
        estimate: car.estimate ?? null,
        movable: car.movable,
      });
    }
  }
  const metrics = { unknownDeparture: options.unknownDeparture };
  return {
    placements,
    lot: current,
    unplaced: placements.filter((p) => p.status !== 'placed'),
    blockingCount: blockingCount(current, metrics),
    morningLowerBound: morningLowerBound(current, metrics),
  };
}
