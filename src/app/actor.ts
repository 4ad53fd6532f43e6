/** @module Who is acting: a signed-in user of one compound, with a role. */
import type { HouseholdId, PartnerLotId, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { Role } from '../core/statuses.js';

export type { Role } from '../core/statuses.js';
export { ROLES } from '../core/statuses.js';

export interface Principal {
  compoundId: string;
  userId: UserId;
  role: Role;
  name: string;
  householdId: HouseholdId | null;
  partnerLotId: PartnerLotId | null;
}

/**
 * The household a resident acts for: their own. Refuses an account with no household, and a
 * request naming another household (`doing` completes "a resident … their own household only").
 */
export function residentHousehold(actor: Principal, requested: string | undefined, doing: string): HouseholdId {
  if (actor.householdId === null)
    throw new DomainError('FORBIDDEN', 'your account belongs to no household', { field: 'householdId' });
  if (requested !== undefined && requested !== actor.householdId) {
    throw new DomainError('FORBIDDEN', `householdId: a resident ${doing} their own household only`, {
      field: 'householdId',
    });
  }
  return actor.householdId;
}
