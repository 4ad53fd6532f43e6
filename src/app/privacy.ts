/**
 * @module A person's rights under PIPL (个人信息保护法) arts. 45 and 47: to get a copy of their
 * personal data, and to have it erased.
 *
 * - **Export** (any signed-in user): everything the property company holds about the user and, for
 *   a resident, their household — account, address, cars with plates, spare keys, consents,
 *   declared departures, partner bookings, visitors, incidents (photo metadata), notifications, the
 *   gate cameras' reads of its cars' plates, and the ledger events about the household and its
 *   cars — as one JSON document.
 * - **Erasure** (a resident, for themselves; one transaction): the account's name and phone are
 *   replaced, its password, sessions, invitations, idempotency replies and notifications deleted.
 *   When the last resident of a household is erased, the household's personal data goes too:
 *   its address, its cars' plates (also as the gate cameras read them, and where a near read proposed
 *   them), the photos and texts of incidents about its cars. Refused with
 *   `ERASURE_BLOCKED` while the guards hold one of the household's cars or keys or it has an open
 *   partner booking: the company must hand them back first, and must know whose they are until it
 *   has. Why self-service and not a manager's decision: art. 47 makes deletion the handler's duty
 *   on request once the purpose is gone, and no record here must outlive it (fees are not kept).
 *
 * The ledger is untouched but for one `record` `privacy.erased` (ids only): its payloads hold
 * opaque ids, never names, phones, plates or addresses, so the chain stays valid, `ledger verify`
 * and `ledger replay` still pass, and what remains (car and household ids, times) no longer
 * points to a person.
 */
import type { EpochMs, UserId } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { LedgerEvent } from '../core/events.js';
import { addressOf, deleteAddressOf } from '../store/household.repository.js';
import {
  accountForExport,
  anonymiseUser,
  blankGateReads,
  blankIncidentsAbout,
  blankNotifications,
  bookingsOf,
  channelChoiceOf,
  deleteNotificationsOf,
  deletePhotosAbout,
  deletePhotosUploadedBy,
  deleteUserRecords,
  departuresOf,
  gateReadsOf,
  gateReadsProposing,
  incidentIdsAbout,
  incidentPhotosOf,
  incidentsOf,
  notificationsOf,
  openBookingOf,
  otherMembersOf,
  setGateReadProposals,
  visitsHostedBy,
} from '../store/privacy.repository.js';
import type { UnitOfWork } from '../store/store.js';
import { deletePlatesOf, platesOf } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';

type Row = Record<string, unknown>;

/** The name an erased account keeps, so the history reads "an erased user" instead of nothing. */
export const ERASED_NAME = '已注销用户';
const ERASED_TEXT = '（已删除）';

/** snake_case row → camelCase object; binary columns are left out (photo bytes are not exported). */
function camel(row: object): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) continue;
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

export interface PersonalDataExport {
  exportedAt: number;
  compoundId: string;
  user: Row;
  household: Row | null;
  vehicles: Row[];
  keys: Row[];
  departures: Row[];
  bookings: Row[];
  visitors: Row[];
  incidents: Row[];
  incidentPhotos: Row[];
  notifications: Row[];
  gateReads: Row[];
  /** The channels and quiet hours the user chose, or null. */
  channels: Row | null;
  ledger: LedgerEvent[];
}

/** `GET /me/export`: the signed-in user's personal data, and their household's. */
export async function exportPersonalData(ctx: AppContext, principal: Principal): Promise<PersonalDataExport> {
  const db = ctx.store.db;
  const c = principal.compoundId;
  const user = await accountForExport(db, c, principal.userId);
  const householdId = principal.householdId;
  const state = await ctx.store.state(c);
  const cars = householdId === null ? [] : [...state.vehicles.values()].filter((v) => v.householdId === householdId);
  const carIds = cars.map((v) => v.id as string);
  const keys = [...state.keys.values()].filter((k) => carIds.includes(k.vehicleId));
  const tags = new Set(keys.map((k) => k.tag as string));
  const none = [''];
  const ids = carIds.length === 0 ? none : carIds;
  const [address, plates, departures, bookings, visitors, incidents, notifications] = await Promise.all([
    householdId === null ? undefined : addressOf(db, c, householdId),
    platesOf(db, c, ids),
    departuresOf(db, c, ids),
    bookingsOf(db, c, ids, householdId ?? none[0]!),
    visitsHostedBy(db, c, householdId ?? none[0]!),
    incidentsOf(db, c, ids, principal.userId),
    notificationsOf(db, c, principal.userId),
  ]);
  const incidentIds = incidents.length === 0 ? none : incidents.map((i) => i.id);
  const photos = await incidentPhotosOf(db, c, incidentIds, principal.userId);
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  const ownPlates = plates.length === 0 ? none : plates.map((p) => p.plate);
  const gateReads = await gateReadsOf(db, c, ids, ownPlates);
  const channels = await channelChoiceOf(db, c, principal.userId);
  const ledger = (await ctx.store.events(c)).filter((e) => {
    const p = e.payload as { vehicleId?: string; keyTag?: string; householdId?: string; refId?: string };
    return (
      (p.vehicleId !== undefined && carIds.includes(p.vehicleId)) ||
      (p.keyTag !== undefined && tags.has(p.keyTag)) ||
      (householdId !== null && p.householdId === householdId) ||
      e.actor === principal.userId
    );
  });
  return {
    exportedAt: ctx.now(),
    compoundId: c,
    user: camel(user),
    household: householdId === null ? null : { id: householdId, ...(address ?? {}) },
    vehicles: cars.map((v) => ({
      id: v.id,
      plate: plateOf.get(v.id) ?? null,
      size: v.size,
      ev: v.ev,
      consent: v.consent,
      keyTag: v.keyTag,
      location: v.location,
    })),
    keys: keys.map((k) => ({ tag: k.tag, vehicleId: k.vehicleId, custody: k.custody })),
    departures: departures.map(camel),
    bookings: bookings.map(camel),
    visitors: visitors.map(camel),
    incidents: incidents.map(camel),
    incidentPhotos: photos.map(camel),
    notifications: notifications.map(camel),
    gateReads: gateReads.map(camel),
    channels: channels === undefined ? null : camel(channels),
    ledger,
  };
}

export interface ErasureResult {
  userId: string;
  /** Whether the household's data went too (the user was its last resident). */
  household: boolean;
  vehicles: number;
  photos: number;
  event: LedgerEvent;
}

function blocked(message: string): DomainError {
  return new DomainError('ERASURE_BLOCKED', `householdId: ${message}`, { field: 'householdId' });
}

/** The household's cars and keys are back with the resident, and it has no open partner booking. */
async function requireNothingHeld(uow: UnitOfWork, carIds: readonly string[]): Promise<void> {
  const state = await uow.state();
  for (const id of carIds) {
    const car = state.vehicles.get(id as never);
    if (car !== undefined && car.location.kind !== 'away')
      throw blocked(`car ${id} is ${car.location.kind}; collect it before the household's data is erased`);
  }
  for (const key of state.keys.values()) {
    if (carIds.includes(key.vehicleId) && (key.custody.kind === 'in-cabinet' || key.custody.kind === 'with-guard'))
      throw blocked(`the guards hold spare key ${key.tag}; take it back before the household's data is erased`);
  }
  if (carIds.length === 0) return;
  const open = await openBookingOf(uow.trx, uow.compoundId, carIds);
  if (open !== undefined) throw blocked(`booking ${open} is open; cancel it before the household's data is erased`);
}

/**
 * The gate cameras' reads of the cars keep their time and outcome but lose the plate; a near read of
 * another car that proposed one of the plates loses that proposal.
 */
async function eraseGateReads(uow: UnitOfWork, carIds: readonly string[], plates: readonly string[]): Promise<void> {
  const c = uow.compoundId;
  const own = plates.length === 0 ? [''] : plates;
  await blankGateReads(uow.trx, c, carIds, own, ERASED_TEXT);
  if (plates.length === 0) return;
  for (const r of await gateReadsProposing(uow.trx, c, plates)) {
    const kept = (JSON.parse(r.proposals ?? '[]') as { plate: string }[]).filter((p) => !plates.includes(p.plate));
    await setGateReadProposals(uow.trx, c, r.id, kept.length === 0 ? null : JSON.stringify(kept));
  }
}

/** `POST /me/erasure`: erases the signed-in resident's personal data (and the household's, if the last). */
export async function erasePersonalData(ctx: AppContext, principal: Principal): Promise<ErasureResult> {
  if (principal.role !== 'resident')
    throw new DomainError('FORBIDDEN', 'role: staff and partner accounts are closed by the manager', {
      field: 'role',
    });
  return ctx.store.transaction(principal.compoundId, async (uow) => {
    const c = uow.compoundId;
    const me = principal.userId;
    const householdId = principal.householdId;
    const others = householdId === null ? [] : await otherMembersOf(uow.trx, c, householdId, me, ERASED_NAME);
    const wholeHousehold = householdId !== null && others.length === 0;
    const state = await uow.state();
    const carIds = wholeHousehold
      ? [...state.vehicles.values()].filter((v) => v.householdId === householdId).map((v) => v.id as string)
      : [];
    if (wholeHousehold) await requireNothingHeld(uow, carIds);

    await deleteUserRecords(uow.trx, c, me);
    await deleteNotificationsOf(uow.trx, c, me);

    // Others' notifications that name this person, their cars or incidents about them keep only their kind.
    const plates = wholeHousehold && carIds.length > 0 ? (await platesOf(uow.trx, c, carIds)).map((p) => p.plate) : [];
    const myName = principal.name;
    const aboutCars = carIds.length === 0 ? [] : await incidentIdsAbout(uow.trx, c, carIds);
    const words = [...plates, ...(myName.length < 2 ? [] : [myName])];
    const refs = [...carIds, ...aboutCars];
    if (words.length > 0 || refs.length > 0) await blankNotifications(uow.trx, c, { refs, words }, ERASED_TEXT);

    await anonymiseUser(uow.trx, c, me, { name: ERASED_NAME, phone: `erased:${me}` });
    let photos = await deletePhotosUploadedBy(uow.trx, c, me);
    if (wholeHousehold && householdId !== null) {
      await deleteAddressOf(uow.trx, c, householdId);
      if (carIds.length > 0) {
        await deletePlatesOf(uow.trx, c, carIds);
        await eraseGateReads(uow, carIds, plates);
        photos += await deletePhotosAbout(uow.trx, c, carIds);
        await blankIncidentsAbout(uow.trx, c, carIds, ERASED_TEXT);
      }
    }
    const event = await uow.append({
      type: 'record',
      payload: {
        kind: 'privacy.erased',
        refId: me,
        detail: { household: wholeHousehold ? 1 : 0, vehicles: carIds.length, photos },
      },
      at: ctx.now() as EpochMs,
      actor: me as UserId,
    });
    return { userId: me, household: wholeHousehold, vehicles: carIds.length, photos, event };
  });
}
