/**
 * @module Refusals in the names people know. Core knows cars and positions by id only (plates are
 * personal data kept outside the ledger), so a refusal about cars carries its subjects by id and a
 * message template; the store, which holds plates and the layout, names them (`nameRefusal`) before
 * the refusal leaves a transaction. A resident then reads `沪A12345 is blocked by 沪B·***45 at …`, never
 * `cars v108 stand in the way of vehicle "v003"`.
 */
import type { ErrorCode, RefusalSubjects } from './errors.js';
import { DomainError } from './errors.js';

/** How a refusal names things; each returns null when it does not know the id. */
export interface RefusalNamer {
  plate(vehicleId: string): string | null;
  place(positionId: string): string | null;
}

/** A refusal about cars or a place, with a message by id until `nameRefusal` names them. */
export function refusal(code: ErrorCode, field: string, subjects: RefusalSubjects): DomainError {
  return new DomainError(code, `${field}: ${fill(subjects, byId)}`, { field, subjects });
}

const byId: RefusalNamer = {
  plate: (id) => `vehicle "${id}"`,
  place: (id) => `position "${id}"`,
};

function fill(s: RefusalSubjects, names: RefusalNamer, blockerNames?: string[]): string {
  const car = s.vehicleId === undefined ? '' : (names.plate(s.vehicleId) ?? 'the car');
  const blockers = (blockerNames ?? (s.blockerIds ?? []).map((id) => names.plate(id) ?? 'a car')).join(', ');
  const place = s.positionId === undefined ? '' : (names.place(s.positionId) ?? 'its position');
  return s.template.replaceAll('{car}', car).replaceAll('{blockers}', blockers).replaceAll('{place}', place);
}

/** The refusal again, its message and `details` naming plates and places; others pass unchanged. */
export function nameRefusal(error: DomainError, names: RefusalNamer): DomainError {
  const s = error.subjects;
  if (s === undefined) return error;
  const plate = s.vehicleId === undefined ? null : names.plate(s.vehicleId);
  const blockers = (s.blockerIds ?? []).map((id) => maskPlate(names.plate(id)));
  const place = s.positionId === undefined ? null : names.place(s.positionId);
  const field = error.field ?? 'request';
  return new DomainError(error.code, `${field}: ${fill(s, names, blockers)}`, {
    field,
    cause: error,
    details: {
      ...(plate === null ? {} : { plate }),
      ...(s.blockerIds === undefined ? {} : { blockers }),
      ...(place === null ? {} : { place }),
    },
  });
}

/**
 * Another household's plate as a resident may see it: province and letter, then the last two
 * characters (沪A12345 → 沪A·***45), enough to recognise a neighbour's car, not to look it up.
 */
export function maskPlate(plate: string | null): string {
  if (plate === null) return '***';
  const chars = [...plate];
  return chars.length < 5 ? '***' : `${chars.slice(0, 2).join('')}·***${chars.slice(-2).join('')}`;
}
