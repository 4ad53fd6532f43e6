/**
 * @module Renovation registration (装修登记): a household (or the manager for it) registers its
 * flat's work; the manager approves it — the neighbours in the same stairway (单元) are told of the
 * dates — or refuses it with a reason; forbidden work is refused at registration with the rule
 * named. The deposit (装修押金) is received before work and returned, less deductions, when the
 * renovation is closed. Every change is one transaction with its ledger record; the contractor's
 * name and phone stay in the table (personal data), the ledger holds ids, dates and amounts only.
 */
import { DomainError } from '../core/errors.js';
import type { Actor } from '../core/events.js';
import type { RenovationPlan } from '../core/renovation.js';
import { DEFAULT_DEPOSIT_FEN, checkRenovationPlan, depositRefund } from '../core/renovation.js';
import { shanghaiDate } from '../core/time.js';
import type { Address } from '../store/household.repository.js';
import { addressOf as householdAddressOf } from '../store/household.repository.js';
import type { RenovationRow } from '../store/renovation.repository.js';
import {
  insertRenovationRow,
  openStrayAgainst,
  overlappingRenovation,
  renovationById,
  renovationsWithAddresses,
  stairwayHouseholds,
  updateRenovation,
} from '../store/renovation.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import { residentHousehold } from './actor.js';
import type { AppContext } from './context.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { record } from './tasks.js';
import { formatYuan } from '../core/fees.js';

export type RenovationStatus = RenovationRow['status'];
export const RENOVATION_STATUSES: readonly RenovationStatus[] = ['pending', 'approved', 'refused', 'closed'];
export type DepositStatus = RenovationRow['deposit_status'];

export interface RenovationInput extends RenovationPlan {
  /** The flat's household; a resident's own by default. */
  householdId?: string | undefined;
  contractorName: string;
  contractorPhone: string;
  workers: number;
}

export interface Renovation {
  id: string;
  householdId: string;
  building: string;
  unit: string;
  room: string;
  contractorName: string;
  contractorPhone: string;
  workers: number;
  startsOn: string;
  endsOn: string;
  kinds: string[];
  hoursFrom: string;
  hoursTo: string;
  status: RenovationStatus;
  refusal: string | null;
  depositFen: number;
  depositStatus: DepositStatus;
  deductedFen: number;
  createdAt: number;
  decidedAt: number | null;
  closedAt: number | null;
}

function renovationOf(row: RenovationRow, address: Address): Renovation {
  return {
    id: row.id,
    householdId: row.household_id,
    ...address,
    contractorName: row.contractor_name,
    contractorPhone: row.contractor_phone,
    workers: row.workers,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    kinds: row.kinds.split(','),
    hoursFrom: row.hours_from,
    hoursTo: row.hours_to,
    status: row.status,
    refusal: row.refusal,
    depositFen: row.deposit_fen,
    depositStatus: row.deposit_status,
    deductedFen: row.deducted_fen,
    createdAt: Number(row.created_at),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
  };
}

export async function addressOf(uow: UnitOfWork, householdId: string): Promise<Address> {
  const a = await householdAddressOf(uow.trx, uow.compoundId, householdId);
  if (a === undefined) {
    throw new DomainError('NOT_FOUND', `householdId: no household "${householdId}" with an address`, {
      field: 'householdId',
    });
  }
  return a;
}

/** A renovation by id, locked for the caller's transaction; a resident sees only their household's. */
export async function renovationRow(uow: UnitOfWork, principal: Principal, id: string): Promise<RenovationRow> {
  const row = await renovationById(uow.trx, uow.compoundId, id);
  if (row === undefined || (principal.role === 'resident' && row.household_id !== principal.householdId)) {
    throw new DomainError('NOT_FOUND', `renovationId: no renovation "${id}"`, { field: 'renovationId' });
  }
  return row;
}

function stateError(message: string): DomainError {
  return new DomainError('RENOVATION_STATE', message, { field: 'renovationId' });
}

/** `POST /renovations`: registers the work as pending; the managers are told. */
export async function registerRenovation(
  ctx: AppContext,
  principal: Principal,
  input: RenovationInput,
): Promise<Renovation> {
  const householdId =
    principal.role === 'resident'
      ? residentHousehold(principal, input.householdId, 'registers renovations for')
      : input.householdId;
  if (householdId === undefined) {
    throw new DomainError('VALIDATION', 'body.householdId: required when a manager registers a renovation', {
      field: 'body.householdId',
    });
  }
  const now = ctx.now();
  checkRenovationPlan(input, shanghaiDate(now));
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const address = await addressOf(uow, householdId);
    const overlapping = await overlappingRenovation(uow.trx, uow.compoundId, householdId, input.startsOn, input.endsOn);
    if (overlapping !== undefined) {
      throw stateError(`renovationId: the flat already has renovation "${overlapping}" registered for those dates`);
    }
    const row: RenovationRow = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      household_id: householdId,
      contractor_name: input.contractorName,
      contractor_phone: input.contractorPhone,
      workers: input.workers,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      kinds: [...new Set(input.kinds)].join(','),
      hours_from: input.hoursFrom,
      hours_to: input.hoursTo,
      status: 'pending',
      refusal: null,
      deposit_fen: DEFAULT_DEPOSIT_FEN,
      deposit_status: 'due',
      deducted_fen: 0,
      created_by: principal.userId,
      created_at: now,
      decided_by: null,
      decided_at: null,
      closed_at: null,
    };
    await insertRenovation(ctx, uow, principal.userId, row);
    await notify(
      uow,
      {
        userIds: await usersWithRole(uow, 'manager'),
        kind: 'renovation.registered',
        title: `装修登记待审批：${address.building}${address.unit}${address.room}`,
        body: `${row.starts_on} 至 ${row.ends_on}`,
        ref: row.id,
      },
      ctx,
    );
    return renovationOf(row, address);
  });
}

/** Writes a renovation row and its `renovation.registered` record (ids, dates and kinds only). */
export async function insertRenovation(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Actor,
  row: RenovationRow,
): Promise<void> {
  await insertRenovationRow(uow.trx, row);
  await record(ctx, uow, actor, 'renovation.registered', row.id, {
    householdId: row.household_id,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    kinds: row.kinds,
  });
}

/** The residents of the other flats in the same building and stairway (单元). */
async function stairwayNeighbours(uow: UnitOfWork, householdId: string, address: Address): Promise<string[]> {
  const households = await stairwayHouseholds(uow.trx, uow.compoundId, address.building, address.unit);
  const users: string[] = [];
  for (const h of households) if (h !== householdId) users.push(...(await residentsOf(uow, h)));
  return users;
}

export type Decision = { approve: true } | { approve: false; reason: string };

/** `POST /renovations/{id}/decision`: the manager approves (neighbours told) or refuses (with a reason). */
export async function decideRenovation(
  ctx: AppContext,
  principal: Principal,
  id: string,
  decision: Decision,
): Promise<Renovation> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await renovationRow(uow, principal, id);
    if (row.status !== 'pending') throw stateError(`renovationId: renovation "${id}" is ${row.status}, not pending`);
    const now = ctx.now();
    const address = await addressOf(uow, row.household_id);
    const flat = `${address.building}${address.unit}${address.room}`;
    const next: Partial<RenovationRow> = decision.approve
      ? { status: 'approved', decided_by: principal.userId, decided_at: now }
      : { status: 'refused', refusal: decision.reason, decided_by: principal.userId, decided_at: now };
    await updateRenovation(uow.trx, uow.compoundId, id, next);
    await record(ctx, uow, principal.userId, decision.approve ? 'renovation.approved' : 'renovation.refused', id, {});
    await notify(
      uow,
      {
        userIds: await residentsOf(uow, row.household_id),
        kind: decision.approve ? 'renovation.approved' : 'renovation.refused',
        title: decision.approve ? '装修登记已批准' : '装修登记未批准',
        body: decision.approve
          ? `${row.starts_on} 至 ${row.ends_on}，每日 ${row.hours_from}–${row.hours_to}；请先交装修押金`
          : decision.reason,
        ref: id,
      },
      ctx,
    );
    if (decision.approve) {
      await notify(
        uow,
        {
          userIds: await stairwayNeighbours(uow, row.household_id, address),
          kind: 'renovation.neighbour',
          title: `邻居装修通知：${flat}`,
          body: `${row.starts_on} 至 ${row.ends_on}，施工时间 ${row.hours_from}–${row.hours_to}`,
          ref: id,
        },
        ctx,
      );
    }
    return renovationOf({ ...row, ...next }, address);
  });
}

/** `POST /renovations/{id}/deposit`: the manager records the deposit received (approved renovations only). */
export async function receiveDeposit(ctx: AppContext, principal: Principal, id: string): Promise<Renovation> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await renovationRow(uow, principal, id);
    if (row.status !== 'approved' || row.deposit_status !== 'due') {
      throw stateError(
        `renovationId: the deposit is received once, for an approved renovation ("${id}" is ${row.status}, deposit ${row.deposit_status})`,
      );
    }
    await updateRenovation(uow.trx, uow.compoundId, id, { deposit_status: 'received' });
    await record(ctx, uow, principal.userId, 'renovation.deposit', id, {
      status: 'received',
      amountFen: row.deposit_fen,
    });
    return renovationOf({ ...row, deposit_status: 'received' }, await addressOf(uow, row.household_id));
  });
}

/**
 * `POST /renovations/{id}/close`: the work is done; the deposit is returned less the deductions, and
 * the household is told the amounts. Refused while a stray report held against it is open.
 */
export async function closeRenovation(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<Renovation & { refundFen: number; owedFen: number }> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await renovationRow(uow, principal, id);
    if (row.status !== 'approved') throw stateError(`renovationId: renovation "${id}" is ${row.status}, not approved`);
    const open = await openStrayAgainst(uow.trx, uow.compoundId, id);
    if (open !== undefined) {
      throw stateError(
        `renovationId: stray waste report "${open}" against this renovation is still open; clear it first`,
      );
    }
    const now = ctx.now();
    const received = row.deposit_status === 'received';
    const { refundFen, owedFen } = depositRefund(received ? row.deposit_fen : 0, row.deducted_fen);
    const next: Partial<RenovationRow> = {
      status: 'closed',
      closed_at: now,
      ...(received ? { deposit_status: 'returned' as const } : {}),
    };
    await updateRenovation(uow.trx, uow.compoundId, id, next);
    await record(ctx, uow, principal.userId, 'renovation.closed', id, {
      depositFen: received ? row.deposit_fen : 0,
      deductedFen: row.deducted_fen,
      refundFen,
      owedFen,
    });
    await notify(
      uow,
      {
        userIds: await residentsOf(uow, row.household_id),
        kind: 'renovation.closed',
        title: '装修已结束，押金结算',
        body: `退还 ¥${formatYuan(refundFen)}，扣除 ¥${formatYuan(Number(row.deducted_fen))}${owedFen > 0 ? `，尚欠 ¥${formatYuan(owedFen)}` : ''}`,
        ref: id,
      },
      ctx,
    );
    return { ...renovationOf({ ...row, ...next }, await addressOf(uow, row.household_id)), refundFen, owedFen };
  });
}

/** `GET /renovations`: a resident's own household's; the manager's and guards' all, optionally by status. */
export async function listRenovations(
  ctx: AppContext,
  principal: Principal,
  status?: RenovationStatus,
): Promise<Renovation[]> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const rows = await renovationsWithAddresses(uow.trx, uow.compoundId, {
      ...(principal.role === 'resident' ? { householdId: principal.householdId ?? '' } : {}),
      ...(status === undefined ? {} : { status }),
    });
    return rows.map((r) => renovationOf(r, { building: r.building, unit: r.unit, room: r.room }));
  });
}
