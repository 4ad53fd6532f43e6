/**
 * @module Construction waste (建筑垃圾): the compound's designated stacking points (统一堆放点), the
 * bags a renovating household declares there, the hauler's collections (a partner unit that confirms
 * each pickup with a photo), and stray waste found outside a point. A point that fills (or whose
 * timetable comes round) gets a collection scheduled for its hauler; a stray report goes to the
 * renovation under way in that stairway, else to the property company, and is reminded, escalated
 * and charged to the deposit by the rules of `core/renovation.ts`. Each change is one transaction
 * with its ledger record; photos are stored with their SHA-256 in the ledger.
 */
import { DomainError } from '../core/errors.js';
import type { Actor } from '../core/events.js';
import { STRAY_DEDUCTION_FEN, STRAY_ESCALATE_MS, STRAY_REMIND_MS, pointNeedsCollection } from '../core/renovation.js';
import { formatYuan, rulesOn, wasteFee } from '../core/fees.js';
import { shanghaiDate } from '../core/time.js';
import type {
  StrayReportRow,
  WasteCollectionRow,
  WasteDeclarationRow,
  WastePointRow,
} from '../store/renovation.repository.js';
import {
  approvedRenovationIn,
  bagsAt,
  collectionById,
  collectionsWithPointNames,
  completeCollection,
  deductFromDeposit,
  insertCollection,
  insertDeclaration,
  insertStrayReport,
  insertWastePhoto,
  openStrayReports,
  renovationHousehold,
  saveWastePointRow,
  scheduledCollectionAt,
  stairwayHouseholds,
  strayReportById,
  strayReportsOf,
  updateStrayReport,
  wastePhotoById,
  wastePointById,
  wastePointsOf,
} from '../store/renovation.repository.js';
import { roleOf } from '../store/account.repository.js';
import type { UnitOfWork } from '../store/store.js';
import type { Principal } from './actor.js';
import { feeVersions } from '../store/billing.repository.js';
import type { AppContext } from './context.js';
import type { CleanPhoto, PhotoType } from './photos.js';
import { cleanPhoto } from './photos.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { renovationRow } from './renovations.js';
import { record } from './tasks.js';

export interface PhotoInput {
  contentType: PhotoType;
  /** Base64. */
  data: string;
}

/** A point as the manager sets it up. */
export interface WastePointInput {
  id: string;
  name: string;
  /** The building it serves, or null for the whole compound. */
  building: string | null;
  capacityBags: number;
  /** The hauler's user (a partner account). */
  haulerId: string;
  /** A timetabled collection this many hours after the last, or null for collections when full only. */
  collectEveryHours: number | null;
}

export interface WastePoint extends WastePointInput {
  lastCollectedAt: number | null;
  /** Bags there now (declared, not yet collected). */
  bags: number;
  /** A collection is scheduled and not yet confirmed. */
  collectionScheduled: boolean;
}

export type WasteKind = WasteDeclarationRow['kind'];
export const WASTE_KINDS: readonly WasteKind[] = ['construction', 'bulky'];

async function pointOf(uow: UnitOfWork, row: WastePointRow): Promise<WastePoint> {
  return {
    id: row.id,
    name: row.name,
    building: row.building,
    capacityBags: row.capacity_bags,
    haulerId: row.hauler_id,
    collectEveryHours: row.collect_every_hours,
    lastCollectedAt: row.last_collected_at === null ? null : Number(row.last_collected_at),
    bags: await bagsAt(uow.trx, uow.compoundId, row.id),
    collectionScheduled: (await scheduledCollectionAt(uow.trx, uow.compoundId, row.id)) !== undefined,
  };
}

export async function pointRow(uow: UnitOfWork, pointId: string, field: string): Promise<WastePointRow> {
  const row = await wastePointById(uow.trx, uow.compoundId, pointId);
  if (row === undefined) throw new DomainError('NOT_FOUND', `${field}: no waste point "${pointId}"`, { field });
  return row;
}

/** Saves a waste point (the manager's, or a scenario's); the hauler must be a partner account. */
export async function saveWastePoint(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Actor,
  input: WastePointInput,
): Promise<void> {
  if ((await roleOf(uow.trx, uow.compoundId, input.haulerId)) !== 'partner') {
    throw new DomainError(
      'VALIDATION',
      `body.haulerId: "${input.haulerId}" is not a partner account of this compound`,
      {
        field: 'body.haulerId',
      },
    );
  }
  await saveWastePointRow(uow.trx, uow.compoundId, input.id, {
    name: input.name,
    building: input.building,
    capacity_bags: input.capacityBags,
    hauler_id: input.haulerId,
    collect_every_hours: input.collectEveryHours,
  });
  await record(ctx, uow, actor, 'waste.point-saved', input.id, {
    capacityBags: input.capacityBags,
    haulerId: input.haulerId,
    collectEveryHours: input.collectEveryHours,
  });
}

/** `PUT /waste-points/{id}`: the manager adds or edits a point. */
export async function putWastePoint(
  ctx: AppContext,
  principal: Principal,
  input: WastePointInput,
): Promise<WastePoint> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    await saveWastePoint(ctx, uow, principal.userId, input);
    return pointOf(uow, await pointRow(uow, input.id, 'pointId'));
  });
}

/** `GET /waste-points`: every point with its fill; a hauler sees the points he serves. */
export async function listWastePoints(ctx: AppContext, principal: Principal): Promise<WastePoint[]> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const rows = await wastePointsOf(
      uow.trx,
      uow.compoundId,
      principal.role === 'partner' ? principal.userId : undefined,
    );
    const points: WastePoint[] = [];
    for (const row of rows) points.push(await pointOf(uow, row));
    return points;
  });
}

/** Schedules a collection of a point for its hauler unless one is open; tells the hauler. */
export async function scheduleCollection(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Actor,
  point: WastePointRow,
  reason: WasteCollectionRow['reason'],
): Promise<WasteCollectionRow | null> {
  if ((await scheduledCollectionAt(uow.trx, uow.compoundId, point.id)) !== undefined) return null;
  const row: WasteCollectionRow = {
    compound_id: uow.compoundId,
    id: ctx.newId(),
    point_id: point.id,
    hauler_id: point.hauler_id,
    reason,
    status: 'scheduled',
    scheduled_at: ctx.now(),
    done_at: null,
    bags: null,
    photo_id: null,
  };
  await insertCollection(uow.trx, row);
  await record(ctx, uow, actor, 'waste.collection-scheduled', row.id, { pointId: point.id, reason });
  await notify(
    uow,
    {
      userIds: [point.hauler_id],
      kind: 'waste.collection',
      title: `请清运：${point.name}`,
      body: reason === 'full' ? '堆放点已满' : reason === 'timetable' ? '定期清运' : '物业安排清运',
      ref: row.id,
    },
    ctx,
  );
  return row;
}

export interface DeclarationInput {
  renovationId: string;
  pointId: string;
  bags: number;
  kind: WasteKind;
}

export interface Declaration {
  id: string;
  renovationId: string;
  pointId: string;
  bags: number;
  kind: WasteKind;
  feeFen: number;
  declaredAt: number;
  /** Set when the point filled with this declaration and a collection was scheduled. */
  collectionId: string | null;
}

/** Writes a declaration of bags at a point and its `waste.declared` record; the caller checks the rules. */
export async function addDeclaration(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Actor,
  input: { renovationId: string; point: WastePointRow; bags: number; kind: WasteKind },
): Promise<WasteDeclarationRow> {
  const now = ctx.now();
  const rules = rulesOn(await feeVersions(uow.trx, uow.compoundId), shanghaiDate(now));
  const row: WasteDeclarationRow = {
    compound_id: uow.compoundId,
    id: ctx.newId(),
    point_id: input.point.id,
    renovation_id: input.renovationId,
    bags: input.bags,
    kind: input.kind,
    fee_fen: wasteFee(input.bags, rules),
    declared_by: actor,
    declared_at: now,
    collection_id: null,
  };
  await insertDeclaration(uow.trx, row);
  await record(ctx, uow, actor, 'waste.declared', row.id, {
    renovationId: row.renovation_id,
    pointId: row.point_id,
    bags: row.bags,
    kind: row.kind,
    feeFen: row.fee_fen,
  });
  return row;
}

/**
 * `POST /waste-declarations`: the renovating household (or the manager) declares bagged waste at a
 * point, during an approved renovation. A point takes bags up to its capacity (`POINT_FULL` names
 * the room left); the declaration that fills it schedules a collection.
 */
export async function declareWaste(
  ctx: AppContext,
  principal: Principal,
  input: DeclarationInput,
): Promise<Declaration> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const renovation = await renovationRow(uow, principal, input.renovationId);
    if (renovation.status !== 'approved') {
      throw new DomainError(
        'RENOVATION_STATE',
        `body.renovationId: waste is declared during an approved renovation ("${renovation.id}" is ${renovation.status})`,
        { field: 'body.renovationId' },
      );
    }
    const point = await pointRow(uow, input.pointId, 'body.pointId');
    const bags = await bagsAt(uow.trx, uow.compoundId, point.id);
    if (bags + input.bags > point.capacity_bags) {
      throw new DomainError(
        'POINT_FULL',
        `body.bags: ${point.name} holds ${bags} of ${point.capacity_bags} bags; at most ${point.capacity_bags - bags} more until the hauler collects`,
        { field: 'body.bags' },
      );
    }
    const row = await addDeclaration(ctx, uow, principal.userId, {
      renovationId: renovation.id,
      point,
      bags: input.bags,
      kind: input.kind,
    });
    const scheduled = pointNeedsCollection(bags + input.bags, point.capacity_bags)
      ? await scheduleCollection(ctx, uow, principal.userId, point, 'full')
      : null;
    return {
      id: row.id,
      renovationId: row.renovation_id,
      pointId: row.point_id,
      bags: row.bags,
      kind: row.kind,
      feeFen: row.fee_fen,
      declaredAt: row.declared_at,
      collectionId: scheduled?.id ?? null,
    };
  });
}

export interface Collection {
  id: string;
  pointId: string;
  pointName: string;
  haulerId: string;
  reason: WasteCollectionRow['reason'];
  status: WasteCollectionRow['status'];
  scheduledAt: number;
  doneAt: number | null;
  bags: number | null;
  photoId: string | null;
}

function collectionOf(row: WasteCollectionRow, pointName: string): Collection {
  return {
    id: row.id,
    pointId: row.point_id,
    pointName,
    haulerId: row.hauler_id,
    reason: row.reason,
    status: row.status,
    scheduledAt: Number(row.scheduled_at),
    doneAt: row.done_at === null ? null : Number(row.done_at),
    bags: row.bags,
    photoId: row.photo_id,
  };
}

/** `GET /waste-collections`: a hauler's own; the manager's all. Open ones first. */
export async function listCollections(ctx: AppContext, principal: Principal): Promise<Collection[]> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const rows = await collectionsWithPointNames(
      uow.trx,
      uow.compoundId,
      principal.role === 'partner' ? principal.userId : undefined,
    );
    return rows.map((r) => collectionOf(r, r.point_name));
  });
}

/** `POST /waste-collections` by the manager: an extra collection of a point now. */
export async function requestCollection(ctx: AppContext, principal: Principal, pointId: string): Promise<Collection> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const point = await pointRow(uow, pointId, 'body.pointId');
    const row = await scheduleCollection(ctx, uow, principal.userId, point, 'manual');
    if (row === null) {
      throw new DomainError('COLLECTION_DONE', `body.pointId: a collection of ${point.name} is already scheduled`, {
        field: 'body.pointId',
      });
    }
    return collectionOf(row, point.name);
  });
}

async function savePhoto(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Actor,
  photo: CleanPhoto,
): Promise<{ id: string; sha256: string }> {
  const id = ctx.newId();
  await insertWastePhoto(uow.trx, {
    compound_id: uow.compoundId,
    id,
    content_type: photo.contentType,
    bytes: photo.bytes,
    sha256: photo.sha256,
    data: photo.data,
    uploaded_by: actor,
    created_at: ctx.now(),
  });
  return { id, sha256: photo.sha256 };
}

/**
 * `POST /waste-collections/{id}/confirm`: the hauler confirms the pickup with a photo; every bag
 * declared at the point until now is collected, and the point is empty again.
 */
export async function confirmCollection(
  ctx: AppContext,
  principal: Principal,
  collectionId: string,
  photo: PhotoInput,
): Promise<Collection> {
  const clean = await cleanPhoto(photo.contentType, photo.data, 'body.photo.data');
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await collectionById(uow.trx, uow.compoundId, collectionId);
    if (row === undefined || (principal.role === 'partner' && row.hauler_id !== principal.userId)) {
      throw new DomainError('NOT_FOUND', `collectionId: no collection "${collectionId}" of yours`, {
        field: 'collectionId',
      });
    }
    if (row.status === 'done') {
      throw new DomainError('COLLECTION_DONE', `collectionId: collection "${collectionId}" was confirmed already`, {
        field: 'collectionId',
      });
    }
    const point = await pointRow(uow, row.point_id, 'pointId');
    const saved = await savePhoto(ctx, uow, principal.userId, clean);
    const bags = await bagsAt(uow.trx, uow.compoundId, point.id);
    const now = ctx.now();
    const done = { done_at: now, bags, photo_id: saved.id };
    await completeCollection(uow.trx, uow.compoundId, { id: row.id, point_id: point.id }, done);
    await record(ctx, uow, principal.userId, 'waste.collected', row.id, {
      pointId: point.id,
      bags,
      photoId: saved.id,
      photoSha256: saved.sha256,
    });
    return collectionOf({ ...row, status: 'done', ...done }, point.name);
  });
}

export interface StrayInput {
  building: string;
  unit: string;
  place: string;
  photo: PhotoInput;
}

export interface StrayReport {
  id: string;
  building: string;
  unit: string;
  place: string;
  photoId: string;
  reportedAt: number;
  renovationId: string | null;
  /** Who must clear it: the renovating household, or the property company. */
  responsible: 'renovation' | 'property';
  status: StrayReportRow['status'];
  remindedAt: number | null;
  escalatedAt: number | null;
  clearedAt: number | null;
  deductedFen: number;
}

function strayOf(row: StrayReportRow): StrayReport {
  const num = (v: number | null): number | null => (v === null ? null : Number(v));
  return {
    id: row.id,
    building: row.building,
    unit: row.unit,
    place: row.place,
    photoId: row.photo_id,
    reportedAt: Number(row.reported_at),
    renovationId: row.renovation_id,
    responsible: row.renovation_id === null ? 'property' : 'renovation',
    status: row.status,
    remindedAt: num(row.reminded_at),
    escalatedAt: num(row.escalated_at),
    clearedAt: num(row.cleared_at),
    deductedFen: row.deducted_fen,
  };
}

/** Who is told of a stray report: the renovating household's residents, else the managers. */
async function strayOwners(uow: UnitOfWork, renovationId: string | null): Promise<string[]> {
  if (renovationId === null) return usersWithRole(uow, 'manager');
  return residentsOf(uow, await renovationHousehold(uow.trx, uow.compoundId, renovationId));
}

/**
 * `POST /stray-reports`: a resident or guard reports waste outside a point. It is held against the
 * approved renovation under way in that building and stairway today, else it is the property
 * company's to clear.
 */
export async function reportStray(ctx: AppContext, principal: Principal, input: StrayInput): Promise<StrayReport> {
  const clean = await cleanPhoto(input.photo.contentType, input.photo.data, 'body.photo.data');
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const known = await stairwayHouseholds(uow.trx, uow.compoundId, input.building, input.unit);
    if (known.length === 0) {
      throw new DomainError('NOT_FOUND', `body.unit: no stairway ${input.building}${input.unit} in this compound`, {
        field: 'body.unit',
      });
    }
    const now = ctx.now();
    const renovation = await approvedRenovationIn(
      uow.trx,
      uow.compoundId,
      input.building,
      input.unit,
      shanghaiDate(now),
    );
    const photo = await savePhoto(ctx, uow, principal.userId, clean);
    const row: StrayReportRow = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      building: input.building,
      unit: input.unit,
      place: input.place,
      photo_id: photo.id,
      reported_by: principal.userId,
      reported_at: now,
      renovation_id: renovation?.id ?? null,
      status: 'open',
      reminded_at: null,
      escalated_at: null,
      cleared_at: null,
      cleared_by: null,
      deducted_fen: 0,
    };
    await insertStrayReport(uow.trx, row);
    await record(ctx, uow, principal.userId, 'stray.reported', row.id, {
      renovationId: row.renovation_id,
      photoId: photo.id,
      photoSha256: photo.sha256,
    });
    await notify(
      uow,
      {
        userIds: await strayOwners(uow, row.renovation_id),
        kind: 'stray.reported',
        title: `乱堆垃圾待清理：${input.building}${input.unit}`,
        body: `${input.place}；请在 ${STRAY_ESCALATE_MS / 3600_000} 小时内清理${row.renovation_id === null ? '' : '，逾期从装修押金扣除'}`,
        ref: row.id,
      },
      ctx,
    );
    return strayOf(row);
  });
}

/** `POST /stray-reports/{id}/clear`: the responsible household, a guard or the manager marks it cleared. */
export async function clearStray(ctx: AppContext, principal: Principal, id: string): Promise<StrayReport> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await strayReportById(uow.trx, uow.compoundId, id);
    if (row === undefined) throw new DomainError('NOT_FOUND', `strayId: no stray report "${id}"`, { field: 'strayId' });
    if (principal.role === 'resident') {
      const renovation = row.renovation_id === null ? null : await renovationRow(uow, principal, row.renovation_id);
      if (renovation === null) {
        throw new DomainError('FORBIDDEN', `strayId: report "${id}" is the property company's to clear`, {
          field: 'strayId',
        });
      }
    }
    if (row.status === 'cleared') {
      throw new DomainError('STRAY_CLEARED', `strayId: report "${id}" was cleared already`, { field: 'strayId' });
    }
    const next = { status: 'cleared' as const, cleared_at: ctx.now(), cleared_by: principal.userId };
    await updateStrayReport(uow.trx, uow.compoundId, id, next);
    await record(ctx, uow, principal.userId, 'stray.cleared', id, {});
    return strayOf({ ...row, ...next });
  });
}

/** `GET /stray-reports`: open ones first; a resident sees those held against his household's renovations. */
export async function listStrays(ctx: AppContext, principal: Principal): Promise<StrayReport[]> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const rows = await strayReportsOf(
      uow.trx,
      uow.compoundId,
      principal.role === 'resident' ? (principal.householdId ?? '') : undefined,
    );
    return rows.map(strayOf);
  });
}

/** A photo of a collection or a stray report, for anyone who may see the compound's waste records. */
export async function wastePhoto(
  ctx: AppContext,
  principal: Principal,
  photoId: string,
): Promise<{ contentType: string; data: Buffer }> {
  const row = await wastePhotoById(ctx.store.db, principal.compoundId, photoId);
  if (row === undefined) throw new DomainError('NOT_FOUND', `photoId: no photo "${photoId}"`, { field: 'photoId' });
  return { contentType: row.content_type, data: row.data };
}

export interface WasteCheckResult {
  collectionsScheduled: number;
  reminded: number;
  escalated: number;
}

/**
 * The periodic waste check: timetabled collections come due; stray reports not cleared are reminded
 * after `STRAY_REMIND_MS` and escalated to the managers after `STRAY_ESCALATE_MS`, when the
 * responsible renovation's deposit is charged `STRAY_DEDUCTION_FEN`. Each step is recorded once
 * (the report's timestamps), so running it again changes nothing.
 */
export async function checkWaste(ctx: AppContext, compoundId: string): Promise<WasteCheckResult> {
  return ctx.store.transaction(compoundId, async (uow) => {
    const now = ctx.now();
    const result: WasteCheckResult = { collectionsScheduled: 0, reminded: 0, escalated: 0 };
    const points = await wastePointsOf(uow.trx, compoundId);
    for (const point of points) {
      if (point.collect_every_hours === null) continue;
      const since = point.last_collected_at === null ? null : Number(point.last_collected_at);
      const due = since === null || now - since >= point.collect_every_hours * 3600_000;
      if (
        due &&
        (await bagsAt(uow.trx, uow.compoundId, point.id)) > 0 &&
        (await scheduleCollection(ctx, uow, 'system', point, 'timetable')) !== null
      ) {
        result.collectionsScheduled++;
      }
    }
    const open = await openStrayReports(uow.trx, compoundId);
    for (const report of open) {
      const age = now - Number(report.reported_at);
      if (age >= STRAY_ESCALATE_MS && report.escalated_at === null) {
        const deducted = report.renovation_id === null ? 0 : STRAY_DEDUCTION_FEN;
        await updateStrayReport(uow.trx, compoundId, report.id, { escalated_at: now, deducted_fen: deducted });
        if (report.renovation_id !== null) await deductFromDeposit(uow.trx, compoundId, report.renovation_id, deducted);
        await record(ctx, uow, 'system', 'stray.escalated', report.id, {
          renovationId: report.renovation_id,
          deductedFen: deducted,
        });
        await notify(
          uow,
          {
            userIds: [...(await usersWithRole(uow, 'manager')), ...(await strayOwners(uow, report.renovation_id))],
            kind: 'stray.escalated',
            title: `乱堆垃圾逾期未清：${report.building}${report.unit}`,
            body: deducted > 0 ? `${report.place}；从装修押金扣除 ¥${formatYuan(deducted)}` : report.place,
            ref: report.id,
          },
          ctx,
        );
        result.escalated++;
      } else if (age >= STRAY_REMIND_MS && report.reminded_at === null && report.escalated_at === null) {
        await updateStrayReport(uow.trx, compoundId, report.id, { reminded_at: now });
        await record(ctx, uow, 'system', 'stray.reminded', report.id, {});
        await notify(
          uow,
          {
            userIds: await strayOwners(uow, report.renovation_id),
            kind: 'stray.reminded',
            title: `请尽快清理：${report.building}${report.unit}`,
            body: report.place,
            ref: report.id,
          },
          ctx,
        );
        result.reminded++;
      }
    }
    return result;
  });
}
