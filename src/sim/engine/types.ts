/** @module The engine's options, its result, and the traces its callbacks report. */
import type { NightKpi, OverallKpi } from '../kpi.js';
import type { Behaviour } from '../behaviour.js';

export interface SimOptions {
  days: number;
  seed: number;
  /** First simulated day; default the roster's rotation start. */
  startDate?: string;
  /** Called after each simulated night. */
  onProgress?: (nightsDone: number) => void;
  /** Behaviour drawn beforehand (shared between policies); drawn from the seed when absent. */
  behaviour?: Behaviour;
  /** Called for every guard task as it starts, with the cars it moves (for tests and traces). */
  onTask?: (task: TaskTrace) => void;
  /** Called for every departure of a car the guards housed (for diagnostics). */
  onDeparture?: (departure: DepartureTrace) => void;
  /** Called at each night's count (04:00) with the cars that needed a place (for tests and diagnostics). */
  onNightCount?: (night: number, carsNeedingPlace: number[]) => void;
  /** Called for every broken rule (for tests and diagnostics). */
  onViolation?: (violation: ViolationTrace) => void;
  /**
   * What the guards know of departures. 'habits' (the default): each car's habit, its declared
   * times and declared stay-home days, and the spreads learnt from the mornings seen. 'ledger':
   * what the product knows (for conformance runs): declared departure times (not a stay-home day,
   * which the product cannot be told), and the habits the planner's `learntKnowledge` reads from
   * the departures recorded before the night began, as the server reads its ledger — every car
   * driven off, turned away at the gate included (before any departure, every undeclared car is
   * the unknown departure).
   */
  guardsKnow?: 'habits' | 'ledger';
  /** Called for every car turned away at the gate (for diagnostics). */
  onTurnedAway?: (car: number, at: number) => void;
}

/** One departure: when the resident came for the car, how long they waited, what was declared. */
export interface DepartureTrace {
  car: number;
  /** When the resident came for the car (absolute minute). */
  at: number;
  wait: number;
  /** The declared time (absolute minute), or null (undeclared, or a night emergency). */
  declared: number | null;
  /** When blocked as the resident came: the blockers, the guards free, and whether pre-staging was queued. */
  blocked?: { blockers: number; blockerCars: number[]; guardsFree: number; prestageQueued: boolean };
}

/**
 * A broken rule: a placement `Lot.illegal` refuses (occupied, closed, fire-lane, too-small,
 * unreachable, keyless-would-block), a car standing on a closed or fire-lane position at the
 * night's count, a car whose every way out holds a car without a key (shut-in), or a blocker that
 * found no place back after a retrieval (no-place-back).
 */
export interface ViolationTrace {
  rule: string;
  car: number;
  at: number;
}

/** A car a task moved: its vehicle id, the position it left (null: from the gate) and the one it took (null: off the lot). */
export interface MoveTrace {
  vehicleId: string;
  from: string | null;
  to: string | null;
}

/** One guard task: who, when, what, for which car, the cars it moved, and the lanes it held. */
export interface TaskTrace {
  guard: number;
  kind: 'retrieve' | 'prestage' | 'vacate' | 'park' | 'charge' | 'resort';
  start: number;
  end: number;
  lanes: string[];
  /**
   * The task's car (vehicle id): the car parked, retrieved, pre-staged for or moved off a closing
   * place; the EV put on the charger; the car the re-sort moves.
   */
  car: string;
  /**
   * Where the task's car stood as the task started (null: at the gate) and where the task puts it
   * (null: a retrieval, it leaves with its resident; the same as `from` when it stays).
   */
  from: string | null;
  to: string | null;
  /**
   * Every car the task moved as it started, in the order the guard first touched them (blockers
   * nearest the open end first), with where each stood and where it went (null: held on the road
   * to go back in once the task's car has left). Room made for a parked car counts; cars put
   * back where they stood do not.
   */
  moves: MoveTrace[];
}

/** Averages over the run for the report's charts. */
export interface SimProfiles {
  /** Mean wait (minutes) of departures in each hour of the day, 0–23; null where none. */
  waitByHour: (number | null)[];
  /** Mean guards busy in each half hour of the day (0–47). */
  guardLoadByHalfHour: number[];
  /** Mean cars in the compound in each half hour of the day (0–47). */
  occupancyByHalfHour: number[];
}

export interface SimResult {
  policy: string;
  startDate: string;
  days: number;
  seed: number;
  positions: number;
  guardsOnDuty: number;
  nights: NightKpi[];
  overall: OverallKpi;
  profiles: SimProfiles;
}
