/**
 * @module Incidents: damage claims, lost keys, shift hand-over mismatches and complaints. Each has
 * an owner (the user handling it), a status (`open` → `investigating` → `resolved` | `rejected`,
 * and back to `open` when reopened) and a resolution the resident reads. Every change is one
 * transaction with a `record` event (`incident.opened` | `incident.updated` | `incident.resolved`,
 * refId = the incident id; ids only, the free text stays out of the ledger) and a notification to
 * the residents whose car it concerns. Photos are re-encoded (`app/photos`: no EXIF, no GPS), stored
 * in the database (`incident_photos`) within quotas per incident and per household, and each stored
 * photo's SHA-256 goes into the ledger, so a photo swapped later no longer matches.
 *
 * Other use cases open incidents inside their own transactions with `openIncident` (the shift
 * hand-over does so for a mismatch).
 */
import type { IncidentKind, IncidentStatus } from '../core/statuses.js';
import type { EpochMs, KeyTag, UserId, VehicleId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { Actor, LedgerEvent, RecordDetail, RecordKind } from '../core/events.js';
import type { IncidentRow } from '../store/incident.repository.js';
import {
  eventsBetweenOrAbout,
  householdVehicleIds,
  incidentById,
  incidentPhotoData,
  incidentPhotosOf,
  incidentStatus,
  incidentsOf,
  insertIncident,
  insertIncidentPhoto,
  keyCheckoutsBetween,
  photoUsage,
  touchIncident,
  updateIncidentRow,
} from '../store/incident.repository.js';
import { plateOfVehicle, platesOf } from '../store/vehicle-plate.repository.js';
import type { UnitOfWork } from '../store/store.js';
import { roleOf } from '../store/account.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import { notify, residentsOf, usersWithRole } from './notifications.js';
import { cleanPhoto, type PhotoType } from './photos.js';

const KIND_LABEL: Record<IncidentKind, string> = {
  damage: '车辆损伤',
  'lost-key': '钥匙遗失',
  'handover-mismatch': '交接不符',
  complaint: '投诉',
};
const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: '待处理',
  investigating: '处理中',
  resolved: '已解决',
  rejected: '已驳回',
};
/** A resident may report these about their own car; the staff report the rest. */
const RESIDENT_KINDS: readonly IncidentKind[] = ['damage', 'complaint'];

export function isClosed(status: IncidentStatus): boolean {
  return status === 'resolved' || status === 'rejected';
}

export interface Incident {
  id: string;
  kind: IncidentKind;
  vehicleId: string | null;
  plate: string | null;
  keyTag: string | null;
  openedBy: string;
  owner: string | null;
  status: IncidentStatus;
  title: string;
  description: string;
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface IncidentPhotoInfo {
  id: string;
  contentType: string;
  bytes: number;
  sha256: string;
  uploadedBy: string;
  createdAt: number;
}

export interface OpenIncidentInput {
  kind: IncidentKind;
  vehicleId?: VehicleId | null;
  keyTag?: KeyTag | null;
  title: string;
  description: string;
  /** The user who handles it; by default the manager who opens it, else the compound's first manager. */
  owner?: UserId | null;
}

/** What opening an incident needs of the context: the time, new ids, and the store whose dispatcher its notices wake. */
type IncidentContext = Pick<AppContext, 'now' | 'newId' | 'store'>;

function notFound(field: string, message: string): DomainError {
  return new DomainError('NOT_FOUND', `${field}: ${message}`, { field });
}

/** A car's plate, or null (no car, or its plate erased). */
export async function plateOf(
  uow: Pick<UnitOfWork, 'trx' | 'compoundId'>,
  vehicleId: string | null,
): Promise<string | null> {
  if (vehicleId === null) return null;
  return (await plateOfVehicle(uow.trx, uow.compoundId, vehicleId)) ?? null;
}

async function requireStaff(uow: UnitOfWork, userId: string, field: string): Promise<void> {
  const role = await roleOf(uow.trx, uow.compoundId, userId);
  if (role !== 'manager' && role !== 'guard') {
    throw notFound(field, `no manager or guard "${userId}" in this compound to own the incident`);
  }
}

async function appendRecord(
  uow: UnitOfWork,
  at: number,
  actor: Actor,
  kind: RecordKind,
  incident: Incident,
  detail: RecordDetail,
): Promise<LedgerEvent> {
  return uow.append({
    type: 'record',
    payload: {
      kind,
      refId: incident.id,
      ...(incident.vehicleId === null ? {} : { vehicleId: incident.vehicleId as VehicleId }),
      ...(incident.keyTag === null ? {} : { keyTag: incident.keyTag as KeyTag }),
      detail: { incidentKind: incident.kind, status: incident.status, owner: incident.owner, ...detail },
    },
    at: at as EpochMs,
    actor,
  });
}

/** Tells the residents whose car the incident concerns (not the one who made the change). */
async function tellResidents(
  uow: UnitOfWork,
  clock: IncidentContext,
  actor: Actor,
  incident: Incident,
  kind: RecordKind,
  title: string,
  body: string,
): Promise<void> {
  if (incident.vehicleId === null) return;
  const vehicle = (await uow.state()).vehicles.get(incident.vehicleId as VehicleId);
  const residents = (await residentsOf(uow, vehicle?.householdId ?? null)).filter((id) => id !== actor);
  await notify(uow, { userIds: residents, kind, title, body, ref: incident.id }, clock);
}

/** Opens an incident inside the caller's transaction: its row, its `incident.opened` record, its notifications. */
export async function openIncident(
  uow: UnitOfWork,
  clock: IncidentContext,
  actor: Actor,
  input: OpenIncidentInput,
): Promise<Incident> {
  const state = await uow.state();
  let vehicleId = input.vehicleId ?? null;
  const keyTag = input.keyTag ?? null;
  if (input.title.trim() === '')
    throw new DomainError('VALIDATION', 'title: an incident has a title', { field: 'title' });
  if (keyTag !== null) {
    const key = state.keys.get(keyTag);
    if (key === undefined) throw notFound('keyTag', `no key "${keyTag}" in this compound`);
    if (vehicleId !== null && key.vehicleId !== vehicleId) {
      throw new DomainError(
        'KEY_NOT_OF_VEHICLE',
        `keyTag: key "${keyTag}" belongs to vehicle "${key.vehicleId}", not "${vehicleId}"`,
        { field: 'keyTag' },
      );
    }
    vehicleId = key.vehicleId;
  }
  if (vehicleId !== null && !state.vehicles.has(vehicleId))
    throw notFound('vehicleId', `no vehicle "${vehicleId}" in this compound`);
  const managers = await usersWithRole(uow, 'manager');
  let owner: string | null = input.owner ?? null;
  if (owner !== null) await requireStaff(uow, owner, 'owner');
  else owner = actor !== 'system' && managers.includes(actor) ? actor : (managers[0] ?? null);

  const at = clock.now();
  const incident: Incident = {
    id: clock.newId(),
    kind: input.kind,
    vehicleId,
    plate: await plateOf(uow, vehicleId),
    keyTag,
    openedBy: actor,
    owner,
    status: 'open',
    title: input.title.trim(),
    description: input.description.trim(),
    resolution: null,
    createdAt: at,
    updatedAt: at,
  };
  await insertIncident(uow.trx, toRow(uow.compoundId, incident));
  await appendRecord(uow, at, actor, 'incident.opened', incident, {});

  const label = KIND_LABEL[incident.kind];
  const car = incident.plate === null ? '' : `（${incident.plate}）`;
  const staff = [...managers, ...(owner === null ? [] : [owner])].filter((id) => id !== actor);
  await notify(
    uow,
    {
      userIds: staff,
      kind: 'incident.opened',
      title: `新事件：${label}`,
      body: `${incident.title}${car}`,
      ref: incident.id,
    },
    clock,
  );
  await tellResidents(
    uow,
    clock,
    actor,
    incident,
    'incident.opened',
    `您的车辆${car}有一条${label}记录`,
    `${incident.title}。物业会跟进处理，结果会在此通知您。`,
  );
  return incident;
}

/**
 * The shift hand-over's mismatch hook (`confirmHandover(…, onMismatch)`): a count that differs from
 * the ledger becomes a `handover-mismatch` incident in the hand-over's own transaction.
 */
export function handoverMismatchIncident(clock: IncidentContext) {
  return async (
    uow: UnitOfWork,
    handover: { id: string; mismatch: string | null },
    actor: Principal,
  ): Promise<void> => {
    await openIncident(uow, clock, actor.userId, {
      kind: 'handover-mismatch',
      title: '交接班清点不符',
      description: `交接 ${handover.id}：${handover.mismatch ?? ''}`,
    });
  };
}

function toRow(compoundId: string, i: Incident): IncidentRow {
  return {
    compound_id: compoundId,
    id: i.id,
    kind: i.kind,
    vehicle_id: i.vehicleId,
    key_tag: i.keyTag,
    opened_by: i.openedBy,
    owner: i.owner,
    status: i.status,
    title: i.title,
    description: i.description,
    resolution: i.resolution,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

function fromRow(row: IncidentRow, plate: string | null): Incident {
  return {
    id: row.id,
    kind: row.kind,
    vehicleId: row.vehicle_id,
    plate,
    keyTag: row.key_tag,
    openedBy: row.opened_by,
    owner: row.owner,
    status: row.status,
    title: row.title,
    description: row.description,
    resolution: row.resolution,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A guard acts only while on duty (as in every operation). */
async function requireOnDutyIfGuard(uow: UnitOfWork, principal: Principal): Promise<void> {
  if (principal.role === 'guard' && !(await uow.state()).onDuty.has(principal.userId)) {
    throw new DomainError('NOT_ON_DUTY', `guardId: you (${principal.userId}) are not on duty; go on duty first`, {
      field: 'guardId',
    });
  }
}

export interface ReportInput {
  kind: IncidentKind;
  vehicleId?: string | null;
  keyTag?: string | null;
  title: string;
  description: string;
  owner?: string | null;
}

/** `POST /incidents`: a resident reports damage or a complaint about their own car; staff report anything. */
export async function reportIncident(ctx: AppContext, principal: Principal, input: ReportInput): Promise<Incident> {
  if (principal.role === 'resident') {
    if (!RESIDENT_KINDS.includes(input.kind)) {
      throw new DomainError(
        'VALIDATION',
        `kind: a resident reports ${RESIDENT_KINDS.join(' or ')}; lost keys and hand-overs are reported by the guards`,
        { field: 'kind' },
      );
    }
    if (input.vehicleId == null)
      throw new DomainError('VALIDATION', 'vehicleId: a resident reports about one of their own cars', {
        field: 'vehicleId',
      });
    if (input.keyTag != null)
      throw new DomainError('VALIDATION', 'keyTag: a resident names their car, not a key tag', { field: 'keyTag' });
  }
  if (input.owner != null && principal.role !== 'manager') {
    throw new DomainError('VALIDATION', 'owner: only a manager assigns an owner', { field: 'owner' });
  }
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    await requireOnDutyIfGuard(uow, principal);
    if (principal.role === 'resident') {
      const vehicle = (await uow.state()).vehicles.get(input.vehicleId as VehicleId);
      if (vehicle === undefined || vehicle.householdId === null || vehicle.householdId !== principal.householdId) {
        throw notFound('vehicleId', `no vehicle "${input.vehicleId}" of yours`);
      }
    }
    return openIncident(uow, ctx, principal.userId, {
      kind: input.kind,
      vehicleId: (input.vehicleId ?? null) as VehicleId | null,
      keyTag: (input.keyTag ?? null) as KeyTag | null,
      title: input.title,
      description: input.description,
      owner: (input.owner ?? null) as UserId | null,
    });
  });
}

/** `POST /keys/{tag}/lost`: the key is recorded lost and a lost-key incident opened, in one transaction. */
export async function reportLostKey(
  ctx: AppContext,
  principal: Principal,
  keyTag: KeyTag,
  description: string,
): Promise<{ event: LedgerEvent; incident: Incident }> {
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    await requireOnDutyIfGuard(uow, principal);
    if (!(await uow.state()).keys.has(keyTag)) throw notFound('tag', `no key "${keyTag}" in this compound`);
    const event = await uow.append({ type: 'key.lost', payload: { keyTag }, at: ctx.now(), actor: principal.userId });
    const incident = await openIncident(uow, ctx, principal.userId, {
      kind: 'lost-key',
      keyTag,
      title: `钥匙 ${keyTag} 遗失`,
      description,
    });
    return { event, incident };
  });
}

/** The vehicle ids of a resident's household (their incidents are those about these cars). */
async function householdVehicles(ctx: AppContext, principal: Principal): Promise<string[]> {
  if (principal.householdId === null) return [];
  return householdVehicleIds(ctx.store.db, principal.compoundId, principal.householdId);
}

/** Managers see every incident; a guard those they opened or own; a resident those about their cars. */
function visibleTo(
  principal: Principal,
  row: Pick<IncidentRow, 'opened_by' | 'owner' | 'vehicle_id'>,
  ownCars: readonly string[],
): boolean {
  switch (principal.role) {
    case 'manager':
      return true;
    case 'guard':
      return row.opened_by === principal.userId || row.owner === principal.userId;
    case 'resident':
      return row.vehicle_id !== null && ownCars.includes(row.vehicle_id);
    case 'partner':
    case 'committee':
      return false;
  }
}

async function platesByVehicle(ctx: AppContext, compoundId: string): Promise<Map<string, string>> {
  const rows = await platesOf(ctx.store.db, compoundId);
  return new Map(rows.map((r) => [r.vehicle_id, r.plate]));
}

export interface IncidentFilter {
  status?: IncidentStatus;
  kind?: IncidentKind;
}

export async function listIncidents(
  ctx: AppContext,
  principal: Principal,
  filter: IncidentFilter = {},
): Promise<Incident[]> {
  const ownCars = principal.role === 'resident' ? await householdVehicles(ctx, principal) : [];
  if (principal.role === 'resident' && ownCars.length === 0) return [];
  const rows = await incidentsOf(ctx.store.db, principal.compoundId, {
    status: filter.status,
    kind: filter.kind,
    openedOrOwnedBy: principal.role === 'guard' ? principal.userId : undefined,
    vehicleIds: principal.role === 'resident' ? ownCars : undefined,
  });
  const plates = await platesByVehicle(ctx, principal.compoundId);
  return rows
    .filter((r) => visibleTo(principal, r, ownCars))
    .map((r) => fromRow(r, r.vehicle_id === null ? null : (plates.get(r.vehicle_id) ?? null)));
}

async function visibleIncident(ctx: AppContext, principal: Principal, incidentId: string): Promise<Incident> {
  const row = await incidentById(ctx.store.db, principal.compoundId, incidentId);
  const ownCars = principal.role === 'resident' ? await householdVehicles(ctx, principal) : [];
  // One you may not see is answered as absent, so ids cannot be probed.
  if (row === undefined || !visibleTo(principal, row, ownCars))
    throw notFound('id', `no incident "${incidentId}" that you may see`);
  const plate =
    row.vehicle_id === null ? null : ((await platesByVehicle(ctx, principal.compoundId)).get(row.vehicle_id) ?? null);
  return fromRow(row, plate);
}

const AROUND_MS = 2 * 3600_000;
const KEY_STORY_MAX_MS = 24 * 3600_000;

/**
 * The ledger around an incident: the events of its car and key within ±2 h of its opening, from
 * the key's last checkout when that was earlier (a lost key, a hand-over mismatch: at most 24 h
 * back), and the incident's own records.
 */
async function eventsAround(ctx: AppContext, compoundId: string, incident: Incident): Promise<LedgerEvent[]> {
  const state = await ctx.store.state(compoundId);
  const tags = new Set<string>(incident.keyTag === null ? [] : [incident.keyTag]);
  for (const k of state.keys.values())
    if (incident.vehicleId !== null && k.vehicleId === incident.vehicleId) tags.add(k.tag);
  let from = incident.createdAt - AROUND_MS;
  const to = incident.createdAt + AROUND_MS;
  if (incident.kind === 'lost-key' || incident.kind === 'handover-mismatch') {
    for (const tag of tags) {
      const checkouts = await keyCheckoutsBetween(
        ctx.store.db,
        compoundId,
        tag,
        incident.createdAt - KEY_STORY_MAX_MS,
        incident.createdAt,
      );
      const last = checkouts.find((e) => (e.payload as { keyTag?: string }).keyTag === tag);
      if (last !== undefined) from = Math.min(from, last.at);
    }
  }
  const events = await eventsBetweenOrAbout(ctx.store.db, compoundId, from, to, incident.id);
  return events.filter((e) => {
    const p = e.payload as { vehicleId?: string; keyTag?: string; refId?: string };
    if (e.type === 'record' && p.refId === incident.id) return true;
    if (e.at < from || e.at > to) return false;
    return (
      (incident.vehicleId !== null && p.vehicleId === incident.vehicleId) ||
      (p.keyTag !== undefined && tags.has(p.keyTag))
    );
  });
}

export interface IncidentDetail {
  incident: Incident;
  photos: IncidentPhotoInfo[];
  events: LedgerEvent[];
}

export async function incidentDetail(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<IncidentDetail> {
  const incident = await visibleIncident(ctx, principal, incidentId);
  const photos = await incidentPhotosOf(ctx.store.db, principal.compoundId, incidentId);
  return {
    incident,
    photos: photos.map((p) => ({
      id: p.id,
      contentType: p.content_type,
      bytes: p.bytes,
      sha256: p.sha256,
      uploadedBy: p.uploaded_by,
      createdAt: p.created_at,
    })),
    events: await eventsAround(ctx, principal.compoundId, incident),
  };
}

export interface IncidentPatch {
  owner?: string;
  status?: IncidentStatus;
  resolution?: string;
}

/** `PATCH /incidents/{id}` (manager): owner, status, resolution. Resolving or rejecting needs a resolution. */
export async function updateIncident(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  patch: IncidentPatch,
): Promise<Incident> {
  if (patch.owner === undefined && patch.status === undefined && patch.resolution === undefined) {
    throw new DomainError('VALIDATION', 'body: give at least one of owner, status, resolution', { field: 'body' });
  }
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const row = await incidentById(uow.trx, uow.compoundId, incidentId);
    if (row === undefined) throw notFound('id', `no incident "${incidentId}" in this compound`);
    const before = fromRow(row, await plateOf(uow, row.vehicle_id));
    if (patch.owner !== undefined) await requireStaff(uow, patch.owner, 'owner');
    const resolution = patch.resolution === undefined ? before.resolution : patch.resolution.trim();
    const status = patch.status ?? before.status;
    if (isClosed(status) && (resolution === null || resolution === '')) {
      throw new DomainError(
        'RESOLUTION_REQUIRED',
        `resolution: an incident is ${status} with a resolution the resident can read`,
        { field: 'resolution' },
      );
    }
    const after: Incident = {
      ...before,
      owner: patch.owner ?? before.owner,
      status,
      resolution: resolution === '' ? null : resolution,
      updatedAt: ctx.now(),
    };
    const changed = (['owner', 'status', 'resolution'] as const).filter((f) => after[f] !== before[f]);
    if (changed.length === 0) return before;
    await updateIncidentRow(uow.trx, uow.compoundId, incidentId, {
      owner: after.owner,
      status: after.status,
      resolution: after.resolution,
      updated_at: after.updatedAt,
    });
    const kind: RecordKind =
      isClosed(after.status) && after.status !== before.status ? 'incident.resolved' : 'incident.updated';
    await appendRecord(uow, after.updatedAt, principal.userId, kind, after, {
      changed: changed.join(','),
      previousStatus: before.status,
    });

    const label = KIND_LABEL[after.kind];
    const body =
      `${after.title}：${STATUS_LABEL[after.status]}` +
      (after.resolution === null ? '。' : `。处理结果：${after.resolution}`);
    await tellResidents(uow, ctx, principal.userId, after, kind, `您的${label}事件${STATUS_LABEL[after.status]}`, body);
    if (changed.includes('owner') && after.owner !== null && after.owner !== principal.userId) {
      await notify(
        uow,
        {
          userIds: [after.owner],
          kind: 'incident.updated',
          title: `您负责的新事件：${label}`,
          body: after.title,
          ref: after.id,
        },
        ctx,
      );
    }
    return after;
  });
}

/** At most this many photos, and this many stored bytes, per incident. */
export const INCIDENT_PHOTO_QUOTA = { photos: 10, bytes: 20 * 1024 * 1024 } as const;
/** At most this many photos, and stored bytes, uploaded by the residents of one household in all. */
export const HOUSEHOLD_PHOTO_QUOTA = { photos: 50, bytes: 60 * 1024 * 1024 } as const;

function overQuota(
  used: { photos: number; bytes: number },
  quota: { photos: number; bytes: number },
  adding: number,
  whose: string,
): DomainError | null {
  if (used.photos + 1 > quota.photos)
    return new DomainError('PHOTO_QUOTA', `data: ${whose} has ${used.photos} photos; at most ${quota.photos}`, {
      field: 'data',
    });
  if (used.bytes + adding > quota.bytes)
    return new DomainError(
      'PHOTO_QUOTA',
      `data: ${whose} has ${used.bytes} bytes of photos; this one (${adding}) would pass the ${quota.bytes} allowed`,
      { field: 'data' },
    );
  return null;
}

/** `POST /incidents/{id}/photos`: anyone who may see the incident adds a photo while it is not closed. */
export async function addIncidentPhoto(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  contentType: PhotoType,
  base64: string,
): Promise<IncidentPhotoInfo> {
  const incident = await visibleIncident(ctx, principal, incidentId);
  const clean = await cleanPhoto(contentType, base64);
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    await requireOnDutyIfGuard(uow, principal);
    const status = (await incidentStatus(uow.trx, uow.compoundId, incidentId)) ?? incident.status;
    if (isClosed(status))
      throw new DomainError(
        'INCIDENT_CLOSED',
        `id: incident "${incidentId}" is ${status}; reopen it before adding photos`,
        { field: 'id' },
      );
    const refused =
      overQuota(
        await photoUsage(uow.trx, uow.compoundId, { incidentId }),
        INCIDENT_PHOTO_QUOTA,
        clean.bytes,
        `incident "${incidentId}"`,
      ) ??
      (principal.role === 'resident' && principal.householdId !== null
        ? overQuota(
            await photoUsage(uow.trx, uow.compoundId, { householdId: principal.householdId }),
            HOUSEHOLD_PHOTO_QUOTA,
            clean.bytes,
            'your household',
          )
        : null);
    if (refused !== null) throw refused;
    const photo: IncidentPhotoInfo = {
      id: ctx.newId(),
      contentType: clean.contentType,
      bytes: clean.bytes,
      sha256: clean.sha256,
      uploadedBy: principal.userId,
      createdAt: ctx.now(),
    };
    await insertIncidentPhoto(uow.trx, {
      compound_id: uow.compoundId,
      id: photo.id,
      incident_id: incidentId,
      content_type: photo.contentType,
      bytes: photo.bytes,
      sha256: photo.sha256,
      data: clean.data,
      uploaded_by: photo.uploadedBy,
      created_at: photo.createdAt,
    });
    await touchIncident(uow.trx, uow.compoundId, incidentId, photo.createdAt);
    await appendRecord(
      uow,
      photo.createdAt,
      principal.userId,
      'incident.updated',
      { ...incident, status },
      {
        changed: 'photos',
        photoId: photo.id,
        photoSha256: photo.sha256,
      },
    );
    await tellResidents(
      uow,
      ctx,
      principal.userId,
      incident,
      'incident.updated',
      `您的${KIND_LABEL[incident.kind]}事件有新照片`,
      incident.title,
    );
    return photo;
  });
}

/** One photo's bytes, for whoever may see its incident. */
export async function incidentPhoto(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  photoId: string,
): Promise<{ contentType: string; data: Buffer }> {
  await visibleIncident(ctx, principal, incidentId);
  const row = await incidentPhotoData(ctx.store.db, principal.compoundId, incidentId, photoId);
  if (row === undefined) throw notFound('photoId', `no photo "${photoId}" of incident "${incidentId}"`);
  return { contentType: row.content_type, data: Buffer.from(row.data) };
}
