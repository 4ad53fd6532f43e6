/** @module Who is acting: a signed-in user of one compound, with a role. */
import type { HouseholdId, PartnerLotId, UserId } from '../core/brand.js';

export type Role = 'manager' | 'guard' | 'resident' | 'partner' | 'committee';
export const ROLES: readonly Role[] = ['manager', 'guard', 'resident', 'partner', 'committee'];

export interface Principal {
  compoundId: string;
  userId: UserId;
  role: Role;
  name: string;
  householdId: HouseholdId | null;
  partnerLotId: PartnerLotId | null;
}
