/**
 * @module Condition records at hand-over (车况记录). When the guard takes a car at check-in, and
 * again when it is delivered back, they photograph it from the four corners at least and note any
 * damage; the resident sees the record and acknowledges it in the app. A delivery record links the
 * check-in record before it; one that notes damage opens a damage incident naming both. Photos are
 * re-encoded (no metadata) and stored with their SHA-256, which goes into the ledger, so a photo
 * swapped later no longer matches.
 */
import type { VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { ConditionStage, PhotoView } from '../core/statuses.js';
import type { ConditionRecordRow } from '../store/condition-record.repository.js';
import {
  acknowledgeRecord,
  conditionPhotoData,
  conditionRecordById,
  conditionRecordsOf,
  insertConditionPhoto,
  insertConditionRecord,
  latestCheckInRecord,
  photosOfRecords,
} from '../store/condition-record.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import type { EncodedPhoto } from './condition-photo.js';
import { reencodePhoto } from './condition-photo.js';
import { openIncident } from './incidents.js';
import { notify, residentsOf } from './notifications.js';
import { record } from './tasks.js';

export const CONDITION_STAGES: readonly ConditionStage[] = ['check-in', 'delivery'];
export const PHOTO_VIEWS = [
  'front-left',
  'front-right',
  'rear-left',
  'rear-right',
  'detail',
] as const satisfies readonly PhotoView[];
/** Every record has a photo from each of these. */
export const CORNERS: readonly PhotoView[] = ['front-left', 'front-right', 'rear-left', 'rear-right'];

export interface ConditionInput {
  vehicleId: string;
  stage: ConditionStage;
  notes: string;
  /** The guard saw damage that was not on the check-in record (delivery), or damage at check-in. */
  damage: boolean;
  photos: { view: PhotoView; data: Buffer }[];
}

export interface ConditionRecord {
  id: string;
  vehicleId: string;
  stage: ConditionStage;
  notes: string;
  damage: boolean;
  checkInRecordId: string | null;
  incidentId: string | null;
  recordedBy: string;
  createdAt: number;
  acknowledgedAt: number | null;
  photos: { id: string; view: PhotoView; sha256: string; bytes: number }[];
}

function view(row: ConditionRecordRow, photos: ConditionRecord['photos']): ConditionRecord {
  return {
    id: row.id,
    vehicleId: row.vehicle_id,
    stage: row.stage,
    notes: row.notes,
    damage: row.damage === 1,
    checkInRecordId: row.check_in_record_id,
    incidentId: row.incident_id,
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    photos,
  };
}

/** A guard records a car's condition with its photos, in one transaction. */
export async function recordCondition(
  ctx: AppContext,
  actor: Principal,
  input: ConditionInput,
): Promise<ConditionRecord> {
  const missing = CORNERS.filter((c) => !input.photos.some((p) => p.view === c));
  if (missing.length > 0)
    throw new DomainError(
      'VALIDATION',
      `body.photos: a photo from each corner is required; missing ${missing.join(', ')}`,
      {
        field: 'body.photos',
      },
    );
  if (input.notes.length > 500)
    throw new DomainError('VALIDATION', 'body.notes: at most 500 characters', { field: 'body.notes' });
  const photos: (EncodedPhoto & { view: PhotoView })[] = [];
  for (const [i, p] of input.photos.entries())
    photos.push({ view: p.view, ...(await reencodePhoto(p.data, `body.photos[${i}].data`)) });
  const result = await ctx.store.transaction(actor.compoundId, async (uow) => {
    const v = (await uow.state()).vehicles.get(input.vehicleId as VehicleId);
    if (v === undefined)
      throw new DomainError('NOT_FOUND', `body.vehicleId: no vehicle "${input.vehicleId}"`, {
        field: 'body.vehicleId',
      });
    const now = ctx.now();
    const before =
      input.stage === 'delivery' ? await latestCheckInRecord(uow.trx, uow.compoundId, input.vehicleId) : undefined;
    const row: ConditionRecordRow = {
      compound_id: uow.compoundId,
      id: ctx.newId(),
      vehicle_id: input.vehicleId,
      stage: input.stage,
      notes: input.notes,
      damage: input.damage ? 1 : 0,
      check_in_record_id: before ?? null,
      incident_id: null,
      recorded_by: actor.userId,
      created_at: now,
      acknowledged_by: null,
      acknowledged_at: null,
    };
    if (input.damage && input.stage === 'delivery') {
      const incident = await openIncident(uow, ctx, actor.userId, {
        kind: 'damage',
        vehicleId: input.vehicleId as VehicleId,
        title: '交车时发现车损',
        description: `交车车况记录 ${row.id}${before === undefined ? '' : `，入场车况记录 ${before}`}：${input.notes}`,
      });
      row.incident_id = incident.id;
    }
    await insertConditionRecord(uow.trx, row);
    const stored: ConditionRecord['photos'] = [];
    for (const p of photos) {
      const id = ctx.newId();
      await insertConditionPhoto(uow.trx, {
        compound_id: uow.compoundId,
        id,
        record_id: row.id,
        view: p.view,
        content_type: p.contentType,
        bytes: p.bytes,
        sha256: p.sha256,
        data: p.data,
        created_at: now,
      });
      stored.push({ id, view: p.view, sha256: p.sha256, bytes: p.bytes });
    }
    await record(
      ctx,
      uow,
      actor.userId,
      'condition.recorded',
      row.id,
      {
        stage: row.stage,
        damage: input.damage,
        checkInRecordId: row.check_in_record_id,
        incidentId: row.incident_id,
        photos: stored.length,
      },
      row.vehicle_id,
    );
    for (const p of stored)
      await record(
        ctx,
        uow,
        actor.userId,
        'condition.photo',
        p.id,
        { recordId: row.id, view: p.view, sha256: p.sha256 },
        row.vehicle_id,
      );
    await notify(
      uow,
      {
        userIds: await residentsOf(uow, v.householdId),
        kind: 'condition.recorded',
        title: input.stage === 'check-in' ? '入场车况待确认' : '交车车况待确认',
        body: `保安已拍摄 ${stored.length} 张车况照片${input.damage ? '并记录了损伤' : ''}，请在应用中查看并确认。`,
        ref: row.id,
      },
      ctx,
    );
    return view(row, stored);
  });
  return result;
}

async function visibleRecord(ctx: AppContext, actor: Principal, recordId: string): Promise<ConditionRecordRow> {
  const row = await conditionRecordById(ctx.store.db, actor.compoundId, recordId);
  const state = actor.role === 'resident' ? await ctx.store.state(actor.compoundId) : null;
  const own =
    state === null ||
    (actor.householdId !== null && state.vehicles.get(row?.vehicle_id as VehicleId)?.householdId === actor.householdId);
  if (row === undefined || !own)
    throw new DomainError('NOT_FOUND', `recordId: no condition record "${recordId}"`, { field: 'recordId' });
  return row;
}

/** A car's condition records, newest first; a resident sees only their household's cars. */
export async function conditionRecords(
  ctx: AppContext,
  actor: Principal,
  vehicleId: string,
): Promise<ConditionRecord[]> {
  const v = (await ctx.store.state(actor.compoundId)).vehicles.get(vehicleId as VehicleId);
  if (
    v === undefined ||
    (actor.role === 'resident' && (actor.householdId === null || v.householdId !== actor.householdId))
  )
    throw new DomainError('NOT_FOUND', `vehicleId: no vehicle "${vehicleId}"`, { field: 'vehicleId' });
  const rows = await conditionRecordsOf(ctx.store.db, actor.compoundId, vehicleId);
  if (rows.length === 0) return [];
  const photos = await photosOfRecords(
    ctx.store.db,
    actor.compoundId,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    view(
      r,
      photos
        .filter((p) => p.record_id === r.id)
        .map((p) => ({ id: p.id, view: p.view, sha256: p.sha256, bytes: p.bytes })),
    ),
  );
}

/** The resident acknowledges a record of their car (once). */
export async function acknowledgeCondition(ctx: AppContext, actor: Principal, recordId: string): Promise<number> {
  const row = await visibleRecord(ctx, actor, recordId);
  if (row.acknowledged_at !== null) return row.acknowledged_at;
  return ctx.store.transaction(actor.compoundId, async (uow) => {
    const at = ctx.now();
    await acknowledgeRecord(uow.trx, uow.compoundId, recordId, actor.userId, at);
    await record(ctx, uow, actor.userId, 'condition.acknowledged', recordId, { stage: row.stage }, row.vehicle_id);
    return at;
  });
}

/** One photo's bytes, for those who may see its record. */
export async function conditionPhoto(
  ctx: AppContext,
  actor: Principal,
  recordId: string,
  photoId: string,
): Promise<{ contentType: string; data: Buffer }> {
  await visibleRecord(ctx, actor, recordId);
  const row = await conditionPhotoData(ctx.store.db, actor.compoundId, recordId, photoId);
  if (row === undefined) throw new DomainError('NOT_FOUND', `photoId: no photo "${photoId}"`, { field: 'photoId' });
  return { contentType: row.content_type, data: Buffer.from(row.data) };
}
