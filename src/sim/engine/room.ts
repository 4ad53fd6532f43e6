/**
 * @module Room-making: what the guards do for a car that has no legal place (a car without a key
 * in a lot with no empty lane end, a large car when only small places are left) — close up a hole,
 * free a bay of its own, tuck the car in behind a lane's front cars — and the reordering of a
 * one-end lane that brings a car to its front. Each works on the lot at once and says the lanes
 * the work holds and the moves it took; the guard task that asked times it.
 */
import { fits } from '../../core/layout.js';
import type { SimCar } from '../policy.js';
import { believedDeparture } from '../policy.js';
import { TUCK_IN_MAX_CARS } from './constants.js';
import type { EngineState } from './state.js';
import { avoidSet, known, liftCar, placeCar, putBack } from './state.js';

/** Room made for a car: where it goes, the lanes the work holds, the moves; `then` runs once it stands. */
export interface Room {
  bay: number;
  lanes: number[];
  moves: number;
  then?: () => void;
}

/**
 * Brings `car` to the front of its one-end lane, the cars in front of it going behind it in
 * their order (the road holds them meanwhile). Returns the moves made, 0 when the lane is not a
 * one-end lane, a car in front has no key or is wanted now, or a position is too small for its
 * new car.
 */
export function reorderLane(s: EngineState, car: number): number {
  const { lot, cars, movable, waitingSince } = s;
  const p = lot.where(car);
  const lane = lot.lane(lot.pos(p).lane);
  if (lane.access !== 'one-end') return 0;
  const spots = lane.positions.slice(0, lot.pos(p).index + 1).filter((q) => lot.at(q) !== -1);
  const order = spots.map((q) => lot.at(q));
  if (order.some((c) => !movable(c) || (c !== car && (waitingSince[c] as number) >= 0))) return 0;
  const wanted = [car, ...order.filter((c) => c !== car)];
  for (const c of order) liftCar(s, c);
  const placed: number[] = [];
  // Deepest first, so that every place is reachable as it is taken.
  for (let i = spots.length - 1; i >= 0; i--) {
    const c = wanted[i] as number;
    const q = spots[i] as number;
    if (lot.illegal(q, cars[c] as SimCar, movable) !== null) {
      for (const x of placed) liftCar(s, x);
      order.forEach((x, j) => putBack(s, x, spots[j] as number));
      return 0;
    }
    placeCar(s, c, q);
    placed.push(c);
  }
  return order.length;
}

/**
 * Room for a car that has no legal position (a car without a key in a lot with no empty lane, a
 * large car when only small places are left): a bay of its own whose car the guards can move to
 * a place the policy chooses. Returns the freed bay and the lane the other car went to.
 */
export function makeRoom(s: EngineState, car: number): Room | null {
  const direct = makeRoomOnce(s, car) ?? tuckIn(s, car);
  if (direct !== null || (s.cars[car] as SimCar).movable) return direct;
  // A car without a key needs a lane end with nothing behind it. When the only free places are
  // holes, first close one hole up (its lane's end cars move inward) and try again.
  const shifted = shiftHole(s, null);
  if (shifted === null) return null;
  const room = makeRoomOnce(s, car);
  if (room !== null) return { ...room, lanes: [...room.lanes, shifted.lane], moves: room.moves + shifted.moves };
  shifted.undo();
  return null;
}

/**
 * The last resort for a full lot whose only free places lie behind cars too large for them: the
 * cars in front of such a place (at most `TUCK_IN_MAX_CARS`, all movable, none of them wanted now)
 * come out, the new car goes in at the back, and they go back in front of it, deepest place first,
 * each taking the deepest car still out that fits it. `then` puts them back once the new car stands.
 * When the place is too small for the new car (a large car, and only a small-car place left), a
 * smaller car that can drive out from where it stands goes in at the back instead (the latest
 * leaver among them, as it is the one shut in), and the new car takes its place: one move more.
 */
function tuckIn(s: EngineState, car: number): Room | null {
  const { lot, cars, movable, waitingSince, lockedLanes, loc } = s;
  const traits = cars[car] as SimCar;
  for (const [l, lane] of lot.lanes.entries()) {
    if (lane.access !== 'one-end' || lockedLanes.has(l)) continue;
    const q = [...lane.positions].reverse().find((x) => lot.at(x) === -1 && !lot.pos(x).closed && !lot.pos(x).fireLane);
    if (q === undefined || lot.reachable(q)) continue;
    const index = lot.pos(q).index;
    if (lane.positions.slice(index + 1).some((x) => lot.at(x) !== -1)) continue;
    const front = lane.positions.slice(0, index);
    const prefix = front.map((x) => lot.at(x)).filter((c) => c !== -1);
    if (prefix.length > TUCK_IN_MAX_CARS || prefix.some((c) => !movable(c) || (waitingSince[c] as number) >= 0))
      continue;
    const tooSmall = !fits(lot.pos(q), traits.size);
    const standIn = tooSmall ? standInFor(s, car, q) : null;
    if (tooSmall && standIn === null) continue;
    // Dry run of the return: deepest place first, the deepest car still out that fits it.
    const targets = front.filter((x) => !lot.pos(x).closed && !lot.pos(x).fireLane).reverse();
    const remaining = [...prefix];
    const plan: [number, number][] = [];
    for (const x of targets) {
      if (remaining.length === 0) break;
      let pick = remaining.length - 1;
      while (pick >= 0 && !fits(lot.pos(x), (cars[remaining[pick] as number] as SimCar).size)) pick--;
      if (pick < 0) break;
      plan.push([(remaining.splice(pick, 1) as [number])[0], x]);
    }
    if (remaining.length > 0) continue;
    for (const c of prefix) liftCar(s, c);
    const then = (): void => {
      for (const [c, x] of plan) if (!placeCar(s, c, x)) loc[c] = 'outside';
    };
    if (standIn === null) return { bay: q, lanes: [l], moves: prefix.length, then };
    const bay = liftCar(s, standIn);
    placeCar(s, standIn, q);
    return { bay, lanes: [l, lot.pos(bay).lane], moves: prefix.length + 1, then };
  }
  return null;
}

/**
 * A car that may stand on `q` (in place of `car`, too large for it) and can drive out now from a
 * place of another lane where `car` may then stand; the one believed to leave latest, or null.
 */
function standInFor(s: EngineState, car: number, q: number): number | null {
  const { lot, cars, movable, waitingSince, lockedLanes } = s;
  const traits = cars[car] as SimCar;
  const lane = lot.pos(q).lane;
  let best: number | null = null;
  let latest = -Infinity;
  for (let p = 0; p < lot.positions.length; p++) {
    const x = lot.at(p);
    const l = lot.pos(p).lane;
    if (x === -1 || l === lane || lockedLanes.has(l) || !movable(x) || (waitingSince[x] as number) >= 0) continue;
    if (!fits(lot.pos(q), (cars[x] as SimCar).size)) continue;
    if (lot.blockersOf(p, movable)?.length !== 0) continue;
    lot.remove(x);
    const legal = lot.illegal(p, traits, movable) === null;
    lot.place(x, p);
    const leaves = believedDeparture(known(s, x));
    if (legal && leaves > latest) {
      best = x;
      latest = leaves;
    }
  }
  return best;
}

/**
 * Closes up a hole: the cars between an open end and free places behind them move inward, in
 * order, as deep as the hole goes (a one-end lane, or either end of a through lane, where a car
 * left from the middle). The lane that needs the fewest moves is used. With `traits`, only when
 * that car may then stand at the freed end, which is returned as `spot`.
 */
function shiftHole(
  s: EngineState,
  traits: SimCar | null,
): { lane: number; moves: number; spot: number; undo: () => void } | null {
  const { lot, cars, movable, waitingSince, lockedLanes } = s;
  const found: { l: number; order: number[]; cars: number; moves: number }[] = [];
  for (const [l, lane] of lot.lanes.entries()) {
    if (lockedLanes.has(l)) continue;
    for (const side of lot.sides(lane)) {
      const order = side === 'front' ? lane.positions : [...lane.positions].reverse();
      const first = order.findIndex((q) => lot.at(q) !== -1);
      if (first === -1) continue;
      let j = first;
      while (j < order.length && lot.at(order[j] as number) !== -1) j++;
      const prefix = order.slice(first, j).map((q) => lot.at(q));
      if (prefix.some((c) => !movable(c) || (waitingSince[c] as number) >= 0)) continue;
      let h = j;
      while (h < order.length && lot.at(order[h] as number) === -1) h++;
      const usable = order.slice(first, h).filter((q) => !lot.pos(q).closed);
      if (usable.length <= prefix.length || prefix.length === 0) continue;
      const moves = prefix.length;
      found.push({ l, order: order.slice(0, h), cars: first, moves });
    }
  }
  found.sort((a, b) => a.moves - b.moves);
  for (const { l, order, cars: first } of found) {
    const spots = order.slice(first).filter((q) => lot.at(q) !== -1);
    const prefix = spots.map((q) => lot.at(q));
    const usable = order.filter((q, i) => i >= first && !lot.pos(q).closed);
    for (const c of prefix) liftCar(s, c);
    const targets = usable.slice(usable.length - prefix.length);
    const placed: number[] = [];
    let ok = true;
    // Deepest target first, each taking the deepest car still out that fits it: the cars keep
    // their order unless a position too small for one of them forces a swap.
    const remaining = [...prefix];
    for (let i = targets.length - 1; i >= 0 && ok; i--) {
      const q = targets[i] as number;
      let pick = remaining.length - 1;
      while (pick >= 0 && lot.illegal(q, cars[remaining[pick] as number] as SimCar, movable) !== null) pick--;
      if (pick < 0) {
        ok = false;
        break;
      }
      const [c] = remaining.splice(pick, 1) as [number];
      placeCar(s, c, q);
      placed.push(c);
    }
    const undo = (): void => {
      for (const c of placed) liftCar(s, c);
      prefix.forEach((c, i) => putBack(s, c, spots[i] as number));
    };
    const spot = order.find((q) => lot.at(q) === -1 && (traits === null || lot.illegal(q, traits, movable) === null));
    if (ok && spot !== undefined)
      return { lane: l, spot, moves: prefix.filter((c, i) => lot.where(c) !== spots[i]).length, undo };
    undo();
  }
  return null;
}

function makeRoomOnce(s: EngineState, car: number): Room | null {
  const { lot, cars, movable, waitingSince, lockedLanes, policy, ctx } = s;
  const traits = cars[car] as SimCar;
  // First, a hole closed up so that the new car can stand at the lane's end.
  const shifted = shiftHole(s, traits);
  if (shifted !== null) return { bay: shifted.spot, lanes: [shifted.lane], moves: shifted.moves };
  // Then a bay of its own, whose car goes where the policy puts it.
  for (const [l, lane] of lot.lanes.entries()) {
    if (lane.positions.length !== 1 || lockedLanes.has(l)) continue;
    const bay = lane.positions[0] as number;
    const pos = lot.pos(bay);
    const occupant = lot.at(bay);
    if (pos.closed || pos.fireLane || occupant === -1 || !movable(occupant) || (waitingSince[occupant] as number) >= 0)
      continue;
    if (!fits(pos, traits.size)) continue;
    liftCar(s, occupant);
    const to = policy.relocate(ctx, occupant, avoidSet(s, [l]));
    if (to !== null && lot.illegal(to, cars[occupant] as SimCar, movable) === null) {
      placeCar(s, occupant, to);
      return { bay, lanes: [lot.pos(to).lane], moves: 1 };
    }
    putBack(s, occupant, bay);
  }
  // Last, the car nearest an open end goes where the policy puts it, and the new car takes the
  // deepest place of that lane it may use: a car without a key may stand only where nothing is
  // behind it, a large car only where the lane is wide enough.
  for (const [l, lane] of lot.lanes.entries()) {
    if (lockedLanes.has(l)) continue;
    for (const side of lot.sides(lane)) {
      const order = side === 'front' ? lane.positions : [...lane.positions].reverse();
      const spot = order.find((q) => lot.at(q) !== -1);
      if (spot === undefined) continue;
      const ahead = lot.at(spot);
      if (!movable(ahead) || (waitingSince[ahead] as number) >= 0) continue;
      liftCar(s, ahead);
      if (!order.some((q) => lot.illegal(q, traits, movable) === null)) {
        putBack(s, ahead, spot);
        continue;
      }
      const to = policy.relocate(ctx, ahead, avoidSet(s, [l]));
      if (to !== null && lot.illegal(to, cars[ahead] as SimCar, movable) === null) {
        placeCar(s, ahead, to);
        const deep = [...order].reverse().find((q) => lot.illegal(q, traits, movable) === null);
        if (deep !== undefined) return { bay: deep, lanes: [l, lot.pos(to).lane], moves: 1 };
        liftCar(s, ahead);
      }
      putBack(s, ahead, spot);
    }
  }
  return null;
}
