/**
 * @module Loads a scenario (the 金纺 demo compound first) into the store: the compound, its layout,
 * households, cars with their plates, consents and spare keys, the demo logins, and the guards on
 * duty now. Everything is one transaction with its ledger events: a failed load leaves nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs, HouseholdId, KeyTag, UserId, VehicleId } from '../core/brand.js';
import { minutesOf } from '../core/calendar.js';
import { DomainError } from '../core/errors.js';
import type { NewEvent } from '../core/events.js';
import { validateLayout } from '../core/layout.js';
import type { Scenario } from '../core/scenario.js';
import { parseScenario } from '../core/scenario.js';
import { shanghaiDate, shanghaiMinuteOfDay } from '../core/time.js';
import type { AppContext } from './context.js';
import { packageRoot } from './package-root.js';
import { savePartnerLot } from './partner-lots.js';
import { hashPassword } from './passwords.js';
import type { RosterEntry } from './shifts.js';
import { saveRoster } from './shifts.js';
import { insertUser } from '../store/account.repository.js';
import { insertHouseholdAddress } from '../store/household.repository.js';
import { insertShiftDefinition } from '../store/shift.repository.js';
import type { UnitOfWork } from '../store/store.js';
import { insertPlate } from '../store/vehicle-plate.repository.js';

export const DEMO_SCENARIO = 'jinfang.json';
/** The version of the key-custody consent text the demo's households agreed to. */
export const DEMO_CONSENT_VERSION = 'demo-2026-01';

export async function readScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DomainError('NOT_FOUND', `scenario: cannot read ${path}`, { field: 'scenario', cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DomainError('VALIDATION', `scenario: ${path} is not valid JSON (${(error as Error).message})`, {
      field: 'scenario',
      cause: error,
    });
  }
  return parseScenario(json);
}

export function demoScenarioPath(): string {
  return join(packageRoot(), 'scenarios', DEMO_SCENARIO);
}

/** The spare-key tag the demo gives a car. */
export function demoKeyTag(vehicleId: string): KeyTag {
  return `K-${vehicleId}` as KeyTag;
}

/** The guards on duty at `at` according to the scenario's roster. */
export function guardsOnDutyAt(scenario: Scenario, at: number): string[] {
  const { rotation, shifts } = scenario.roster;
  const minute = shanghaiMinuteOfDay(at);
  const today = shanghaiDate(at);
  for (const shift of shifts) {
    const start = minutesOf(shift.start);
    const end = minutesOf(shift.end);
    const overnight = end <= start;
    const inShift = overnight ? minute >= start || minute < end : minute >= start && minute < end;
    if (!inShift) continue;
    // A night shift after midnight belongs to the day it started.
    const day = overnight && minute < end ? shanghaiDate(at - 24 * 3600_000) : today;
    const days = Math.round((Date.parse(day) - Date.parse(rotation.startDate)) / (24 * 3600_000));
    const cycle = rotation.pattern.length;
    const entry = rotation.pattern[((days % cycle) + cycle) % cycle];
    return entry?.shifts.find((s) => s.shiftId === shift.id)?.guardIds ?? [];
  }
  return [];
}

/** The scenario's shifts, and its rotation written out from a week ago to 60 days ahead. */
async function saveShifts(uow: UnitOfWork, scenario: Scenario, at: number): Promise<void> {
  for (const shift of scenario.roster.shifts) {
    await insertShiftDefinition(uow.trx, {
      compound_id: uow.compoundId,
      id: shift.id,
      name: shift.name,
      start: shift.start,
      end: shift.end,
    });
  }
  const { startDate, pattern } = scenario.roster.rotation;
  const first = Date.parse(shanghaiDate(at)) - 7 * 86_400_000;
  const entries: RosterEntry[] = [];
  for (let d = 0; d < 67; d++) {
    const day = new Date(first + d * 86_400_000).toISOString().slice(0, 10);
    const offset = Math.round((Date.parse(day) - Date.parse(startDate)) / 86_400_000);
    const entry = pattern[((offset % pattern.length) + pattern.length) % pattern.length];
    for (const s of entry?.shifts ?? []) entries.push({ day, shiftId: s.shiftId, guardIds: s.guardIds });
  }
  await saveRoster(uow, entries);
}

export interface LoadResult {
  compoundId: string;
  events: number;
  households: number;
  vehicles: number;
  users: number;
}

/** Loads a scenario as a new compound. Refuses a compound id that exists. */
export async function loadScenario(ctx: AppContext, scenario: Scenario): Promise<LoadResult> {
  const compoundId = scenario.compound.id;
  const at = ctx.now();
  const layout = validateLayout(scenario.layout);
  const passwordHashes = await Promise.all(scenario.users.map((u) => hashPassword(u.password)));
  await ctx.store.createCompound(compoundId, scenario.compound.name, at);
  return ctx.store.transaction(compoundId, async (uow) => {
    let events = 1;
    const append = async (body: Omit<NewEvent, 'at' | 'actor'>): Promise<void> => {
      await uow.append({ ...body, at: at as EpochMs, actor: 'system' } as NewEvent);
      events++;
    };
    await append({ type: 'layout.set', payload: { layout } });
    for (const h of scenario.households) {
      await append({ type: 'household.added', payload: { householdId: h.id as HouseholdId } });
      await insertHouseholdAddress(uow.trx, {
        compound_id: compoundId,
        household_id: h.id,
        building: h.building,
        unit: h.unit,
        room: h.room,
      });
    }
    for (const v of scenario.vehicles) {
      const vehicleId = v.id as VehicleId;
      await insertPlate(uow.trx, { compound_id: compoundId, vehicle_id: v.id, plate: v.plate });
      await append({
        type: 'vehicle.registered',
        payload: { vehicleId, householdId: v.householdId as HouseholdId | null, size: v.size, ev: v.ev },
      });
      if (v.keyConsent) {
        await append({ type: 'consent.given', payload: { vehicleId, textVersion: DEMO_CONSENT_VERSION } });
        await append({ type: 'key.received', payload: { keyTag: demoKeyTag(v.id), vehicleId } });
      }
    }
    for (const lot of scenario.partnerLots) await savePartnerLot(uow, lot, at);
    for (const [i, u] of scenario.users.entries()) {
      await insertUser(uow.trx, {
        compound_id: compoundId,
        id: u.id,
        role: u.role,
        name: u.name,
        phone: u.phone,
        password_hash: passwordHashes[i] ?? null,
        household_id: u.householdId ?? null,
        partner_lot_id: u.partnerLotId ?? null,
      });
    }
    await saveShifts(uow, scenario, at);
    for (const guardId of guardsOnDutyAt(scenario, at)) {
      await append({ type: 'guard.on-duty', payload: { guardId: guardId as UserId } });
    }
    return {
      compoundId,
      events,
      households: scenario.households.length,
      vehicles: scenario.vehicles.length,
      users: scenario.users.length,
    };
  });
}

/** Drops every row of a compound (the demo's reset). PostgreSQL deployments with real data never call this. */
export async function deleteCompound(ctx: AppContext, compoundId: string): Promise<void> {
  await ctx.store.deleteCompound(compoundId);
}
