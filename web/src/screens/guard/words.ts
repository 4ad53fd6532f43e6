/** @module The guard screen's words for tasks and places, and which shift it is now. */
import type { Lot, Reply, Shifts, Task } from '../../types';
import { hhmm } from '../../time';

export const KIND: Record<Task['kind'], string> = {
  park: '停车',
  move: '移车',
  deliver: '送到门口',
};

/** Why a task exists, as the server names it (MoveReason, arrival, delivery). */
export const REASON: Record<string, string> = {
  arrival: '到达停车',
  delivery: '送车',
  relocation: '让路移车',
  'pre-staging': '提前挪位',
  'night-resort': '夜间整理',
  charging: '充电轮换',
  override: '改停',
  correction: '更正',
};

/** A position with its lane's name, or the gate for none. */
export function positionName(lot: Lot | null, id: string | null, gate: string): string {
  if (id === null) return gate;
  const lane = lot?.lanes.find((l) => l.positions.some((p) => p.id === id));
  return lane === undefined ? id : `${id}（${lane.name}）`;
}

/** The shift running now in the compound's zone (a night shift wraps past midnight). */
export function currentShift(s: Shifts, now = new Date()): Shifts['shifts'][number] | undefined {
  const hm = hhmm(now.getTime());
  return s.shifts.find((x) => (x.start <= x.end ? x.start <= hm && hm < x.end : hm >= x.start || hm < x.end));
}

/** The key counts and list `GET /api/keys` answers with. */
export type KeyList = Reply<'/api/keys'>;
