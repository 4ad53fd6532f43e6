/** @module Names for core's refusals: plates from `vehicle_plates`, places from the compound's layout. */
import type { Kysely, Transaction } from 'kysely';
import type { CompoundState } from '../core/compound-state.js';
import type { DomainError } from '../core/errors.js';
import { indexPositions } from '../core/layout.js';
import { nameRefusal } from '../core/refusal-names.js';
import type { Database } from './schema.js';

/** A place as people say it: the lane's name and the position counted from its open end, 1 first. */
export function placeLabel(state: CompoundState, positionId: string): string | null {
  const where = indexPositions(state.layout).get(positionId as never);
  return where === undefined ? null : `${where.lane.name} 第${where.position.index + 1}位`;
}

/** `error` with plates and places named, when it names cars or a place by id; others unchanged. */
export async function namedRefusal(
  db: Kysely<Database> | Transaction<Database>,
  compoundId: string,
  state: CompoundState,
  error: DomainError,
): Promise<DomainError> {
  const s = error.subjects;
  if (s === undefined) return error;
  const ids = [...(s.vehicleId === undefined ? [] : [s.vehicleId]), ...(s.blockerIds ?? [])];
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('vehicle_plates')
          .select(['vehicle_id', 'plate'])
          .where('compound_id', '=', compoundId)
          .where('vehicle_id', 'in', ids)
          .execute();
  const plates = new Map(rows.map((r) => [r.vehicle_id, r.plate]));
  return nameRefusal(error, { plate: (id) => plates.get(id) ?? null, place: (id) => placeLabel(state, id) });
}
