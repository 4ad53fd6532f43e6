/** @module Evening placement: the public API of `src/planner/placement`. */
export type { DepartureBelief, DepartureEstimate, HasDeparture } from './departure.js';
export { UNKNOWN_DEPARTURE } from './departure.js';
export type { LaneView, LotView, ParkedCar, PositionView, Side } from './lot-view.js';
export type { MetricOptions, PairCost } from './blocking.js';
export { laneCost, morningLowerBound } from './blocking.js';
export type {
  ArrivingCar,
  IllegalReason,
  PlacementAlternative,
  PlacementBeliefs,
  PlacementOptions,
  PlacementResult,
  PlacementStatus,
  PlacementWeights,
} from './place-arrival.js';
export { bestPosition, placeArrival } from './place-arrival.js';
export { shareLeavingBy } from './room.js';
export type { PositionSketch } from './sketch.js';
export type { EveningResult } from './place-evening.js';
export { placeEvening } from './place-evening.js';
