/**
 * @module Loads the renovation and waste section of a demo compound (`scenarios/*-renovation.json`):
 * the hauler's account, the waste points and some renovations under way — approved with their
 * deposit and bags declared, or waiting for the manager — dated around the load time. Flats are
 * named by their address, so the section holds no household id. One transaction with its ledger
 * records: a failed load leaves nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { DEFAULT_DEPOSIT_FEN, WORK_KINDS } from '../core/renovation.js';
import { shanghaiDate } from '../core/time.js';
import { insertUser } from '../store/account.repository.js';
import { householdAt } from '../store/household.repository.js';
import type { AppContext } from './context.js';
import { packageRoot } from './package-root.js';
import { hashPassword } from './passwords.js';
import { insertRenovation } from './renovations.js';
import { addDeclaration, pointRow, saveWastePoint, scheduleCollection } from './waste.js';
import { pointNeedsCollection } from '../core/renovation.js';
import { record } from './tasks.js';

const flat = z.object({ building: z.string(), unit: z.string(), room: z.string() });

export const RenovationSectionSchema = z.object({
  compoundId: z.string(),
  haulers: z.array(z.object({ id: z.string(), name: z.string(), phone: z.string(), password: z.string() })),
  points: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      building: z.string().nullable(),
      capacityBags: z.number().int().min(1),
      haulerId: z.string(),
      collectEveryHours: z.number().int().min(1).nullable(),
    }),
  ),
  renovations: z.array(
    z.object({
      flat,
      contractorName: z.string(),
      contractorPhone: z.string(),
      workers: z.number().int().min(1),
      startsInDays: z.number().int(),
      days: z.number().int().min(1),
      kinds: z.array(z.enum(WORK_KINDS)).min(1),
      hoursFrom: z.string(),
      hoursTo: z.string(),
      approved: z.boolean(),
      depositReceived: z.boolean(),
      bags: z.array(
        z.object({ pointId: z.string(), bags: z.number().int().min(1), kind: z.enum(['construction', 'bulky']) }),
      ),
    }),
  ),
});
export type RenovationSection = z.infer<typeof RenovationSectionSchema>;

/** The demo compound's section, beside its scenario. */
export function demoRenovationPath(): string {
  return join(packageRoot(), 'scenarios', 'jinfang-renovation.json');
}

export async function readRenovationSection(path: string): Promise<RenovationSection> {
  const parsed = RenovationSectionSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('VALIDATION', `${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, {
      field: 'section',
    });
  }
  return parsed.data;
}

const DAY_MS = 86_400_000;

/** Loads a section into its compound (which must exist). */
export async function loadRenovationSection(ctx: AppContext, section: RenovationSection): Promise<void> {
  const hashes = await Promise.all(section.haulers.map((h) => hashPassword(h.password)));
  await ctx.store.transaction(section.compoundId, async (uow) => {
    const now = ctx.now();
    for (const [i, h] of section.haulers.entries()) {
      await insertUser(uow.trx, {
        compound_id: uow.compoundId,
        id: h.id,
        role: 'partner',
        name: h.name,
        phone: h.phone,
        password_hash: hashes[i] ?? null,
        household_id: null,
        partner_lot_id: null,
      });
    }
    for (const p of section.points) await saveWastePoint(ctx, uow, 'system', p);
    for (const r of section.renovations) {
      const householdId = await householdAt(uow.trx, uow.compoundId, r.flat);
      if (householdId === undefined) {
        throw new DomainError('NOT_FOUND', `section: no flat ${r.flat.building}${r.flat.unit}${r.flat.room}`, {
          field: 'renovations.flat',
        });
      }
      const id = ctx.newId();
      const starts = now + r.startsInDays * DAY_MS;
      await insertRenovation(ctx, uow, 'system', {
        compound_id: uow.compoundId,
        id,
        household_id: householdId,
        contractor_name: r.contractorName,
        contractor_phone: r.contractorPhone,
        workers: r.workers,
        starts_on: shanghaiDate(starts),
        ends_on: shanghaiDate(starts + (r.days - 1) * DAY_MS),
        kinds: r.kinds.join(','),
        hours_from: r.hoursFrom,
        hours_to: r.hoursTo,
        status: r.approved ? 'approved' : 'pending',
        refusal: null,
        deposit_fen: DEFAULT_DEPOSIT_FEN,
        deposit_status: r.depositReceived ? 'received' : 'due',
        deducted_fen: 0,
        created_by: 'system',
        created_at: now,
        decided_by: r.approved ? 'system' : null,
        decided_at: r.approved ? now : null,
        closed_at: null,
      });
      if (r.approved) await record(ctx, uow, 'system', 'renovation.approved', id, {});
      if (r.depositReceived) {
        await record(ctx, uow, 'system', 'renovation.deposit', id, {
          status: 'received',
          amountFen: DEFAULT_DEPOSIT_FEN,
        });
      }
      for (const b of r.bags) {
        const point = await pointRow(uow, b.pointId, 'renovations.bags.pointId');
        await addDeclaration(ctx, uow, 'system', { renovationId: id, point, bags: b.bags, kind: b.kind });
      }
    }
    for (const p of section.points) {
      const point = await pointRow(uow, p.id, 'points.id');
      const bags = section.renovations.flatMap((r) => r.bags).filter((b) => b.pointId === p.id);
      const total = bags.reduce((sum, b) => sum + b.bags, 0);
      if (pointNeedsCollection(total, p.capacityBags)) await scheduleCollection(ctx, uow, 'system', point, 'full');
    }
  });
}
