/**
 * @module Adding a compound to a running deployment (a district on one PostgreSQL, or a second
 * compound on one SQLite file): its layout, households, cars, accounts, shifts and partner lots
 * from a scenario file, with no history. All or nothing: a refused or failed load leaves no trace.
 */
import { DomainError, isDomainError } from '../core/errors.js';
import type { Scenario } from '../core/scenario.js';
import { findUserByPhone } from '../store/account.repository.js';
import type { AppContext } from './context.js';
import { deleteCompound, loadScenario, type LoadResult } from './demo.js';

/**
 * Loads `scenario` as a new compound. Refuses, before writing anything, a compound id that exists
 * and a phone that already signs in to an account (a phone signs in to one account in the whole
 * deployment); the error names the field.
 */
export async function addCompound(ctx: AppContext, scenario: Scenario): Promise<LoadResult> {
  const compoundId = scenario.compound.id;
  if ((await ctx.store.compoundIds()).includes(compoundId))
    throw new DomainError('COMPOUND_EXISTS', `compound.id: compound "${compoundId}" exists`, { field: 'compound.id' });
  for (const [i, user] of scenario.users.entries()) {
    const holder = await findUserByPhone(ctx.store.db, user.phone);
    if (holder !== undefined)
      throw new DomainError(
        'PHONE_TAKEN',
        `users[${i}].phone: ${user.phone} already signs in to an account of compound "${holder.compound_id}"`,
        { field: `users[${i}].phone` },
      );
  }
  try {
    return await loadScenario(ctx, scenario);
  } catch (error) {
    // The compound row and its genesis event are written before the load's transaction; a compound
    // of the same id created meanwhile by someone else is theirs and stays.
    const ours = !(isDomainError(error) && error.code === 'COMPOUND_EXISTS');
    if (ours && (await ctx.store.compoundIds()).includes(compoundId)) await deleteCompound(ctx, compoundId);
    throw error;
  }
}
