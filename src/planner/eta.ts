/**
 * @module The one ETA: when a car is free to drive off, given the blockers still in front of it.
 * A lane is emptied in sequence — the next blocker can be reached only when the one in front of it
 * has gone — so one guard clears a lane move after move, as the relocation plan assigns it; lanes
 * are independent and are shared among the guards on duty.
 */
import type { Minutes } from '../core/brand.js';

/** One lane to empty: the blockers still in it and the earliest instant its first move may start. */
export interface LaneClearing {
  blockers: number;
  notBefore: number;
}

/**
 * The instant every lane is empty (`now` when there is nothing to move). Lanes are taken in order
 * of `notBefore`, each by the guard free soonest, and emptied one move after another from
 * `max(notBefore, that guard free)`. With no guard counted, one guard is assumed.
 */
export function readyTime(
  lanes: readonly LaneClearing[],
  guards: number,
  minutesPerMove: Minutes,
  now: number,
): number {
  const freeAt: number[] = Array.from({ length: Math.max(1, Math.floor(guards)) }, () => now);
  let ready = now;
  const ordered = lanes.filter((l) => l.blockers > 0).sort((a, b) => a.notBefore - b.notBefore);
  for (const lane of ordered) {
    let g = 0;
    for (let i = 1; i < freeAt.length; i++) if ((freeAt[i] as number) < (freeAt[g] as number)) g = i;
    const start = Math.max(now, lane.notBefore, freeAt[g] as number);
    const done = start + lane.blockers * minutesPerMove * 60_000;
    freeAt[g] = done;
    ready = Math.max(ready, done);
  }
  return ready;
}
