import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SMALL_LAYOUT, T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, PositionId } from '../core/brand.js';
import { snapshot } from '../core/compound-state.js';
import type { CompoundState } from '../core/compound-state.js';
import type { NewEvent } from '../core/events.js';
import { mulberry32 } from '../core/random.js';
import { canonicalJson } from './ledger.js';
import { loadState } from './state.repository.js';
import type { Store } from './store.js';
import { openStore } from './store.js';

/** Two stores (two servers' worth of caches) on one database, and how to drop that database. */
interface Pair {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

async function sqlitePair(): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'api-state-cache-'));
  const a = await openStore({ dataDir: dir });
  const b = await openStore({ dataDir: dir });
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresPair(url: string): Promise<Pair> {
  const schema = `api_cache_${randomBytes(5).toString('hex')}`;
  const admin = async (query: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const a = await openStore({ databaseUrl: url, pgSchema: schema });
  const b = await openStore({ databaseUrl: url, pgSchema: schema });
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

const BACKENDS: { name: string; pair: () => Promise<Pair> }[] = [
  { name: 'sqlite', pair: sqlitePair },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres', pair: () => postgresPair(process.env.DATABASE_URL!) }] : []),
];

const picture = (state: CompoundState): string => canonicalJson(snapshot(state));

/** The state read afresh from the tables, outside any cache. */
async function fresh(store: Store, compoundId: string): Promise<string> {
  return picture(await loadState(store.root, compoundId));
}

const POSITIONS = SMALL_LAYOUT.lanes.flatMap((l) => l.positions.map((p) => p.id));
/** The layout with one position fewer, so `layout.set` is refused while a car stands there. */
const SHORTER_LAYOUT = { ...SMALL_LAYOUT, lanes: SMALL_LAYOUT.lanes.slice(0, 2) };

/** A random event over the small compound; many are refused by `applyEvent`, which the test wants too. */
function randomEvent(rand: () => number, at: number): NewEvent {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const n = 1 + Math.floor(rand() * 6);
  const vehicleId = id.vehicle(n);
  const keyTag = id.key(n);
  const guardId = id.guard(1 + Math.floor(rand() * 2));
  const other = id.guard(1 + Math.floor(rand() * 2));
  const positionId = pick(POSITIONS) as PositionId;
  const bodies: Omit<NewEvent, 'at' | 'actor'>[] = [
    { type: 'car.checked-in', payload: { vehicleId } },
    { type: 'car.parked', payload: { vehicleId, positionId, taskId: null } },
    { type: 'car.parked', payload: { vehicleId, positionId, taskId: null } },
    { type: 'car.departed', payload: { vehicleId, by: 'resident' } },
    { type: 'key.checked-out', payload: { keyTag, guardId, taskId: null } },
    { type: 'key.returned', payload: { keyTag, guardId } },
    { type: 'key.handed-over', payload: { keyTag, fromGuardId: guardId, toGuardId: other } },
    { type: 'key.released', payload: { keyTag } },
    { type: 'key.received', payload: { keyTag, vehicleId } },
    { type: 'key.lost', payload: { keyTag } },
    { type: 'key.found', payload: { keyTag } },
    { type: 'guard.on-duty', payload: { guardId } },
    { type: 'guard.off-duty', payload: { guardId } },
    { type: 'consent.given', payload: { vehicleId, textVersion: pick(['v1', 'v2']) } },
    { type: 'consent.withdrawn', payload: { vehicleId } },
    { type: 'vehicle.updated', payload: { vehicleId, size: pick(['standard', 'small', 'large']), ev: rand() < 0.5 } },
    { type: 'household.added', payload: { householdId: id.household(n) } },
    { type: 'vehicle.registered', payload: { vehicleId, householdId: id.household(n), size: 'standard', ev: false } },
    { type: 'vehicle.removed', payload: { vehicleId } },
    { type: 'layout.set', payload: { layout: pick([SMALL_LAYOUT, SHORTER_LAYOUT]) } },
  ] as Omit<NewEvent, 'at' | 'actor'>[];
  return { ...pick(bodies), at: at as EpochMs, actor: guardId } as NewEvent;
}

for (const backend of BACKENDS) {
  describe(`the state cache on ${backend.name}`, () => {
    const pairs: Pair[] = [];
    afterAll(async () => {
      for (const p of pairs.splice(0)) await p.close();
    });

    it('equals a fresh load after random operations through two stores on one database', async () => {
      const pair = await backend.pair();
      pairs.push(pair);
      const { a, b } = pair;
      await a.createCompound('c1', '测试小区', T0);
      await a.transaction('c1', async (uow) => {
        for (const event of setupEvents(3)) await uow.append(event);
      });
      const rand = mulberry32(14);
      let at = T0 + 3_600_000;
      let applied = 0;
      for (let op = 0; op < 300; op++) {
        const store = rand() < 0.5 ? a : b;
        const events = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomEvent(rand, (at += 1000)));
        const mode = rand();
        const work = async (): Promise<void> => {
          await store.transaction('c1', async (uow) => {
            // Now and then, the transaction's state (kept or brought forward) against the tables it holds locked.
            if (op % 7 === 0) expect(picture(await uow.state())).toBe(picture(await loadState(uow.trx, 'c1')));
            for (const event of events) {
              try {
                await uow.append(event);
                applied++;
              } catch (error) {
                // A refused event leaves the state as it was; the transaction goes on, or gives up.
                if (rand() < 0.3) throw error;
              }
            }
            if (mode < 0.1) throw new Error('the phone lost its connection');
          });
        };
        try {
          if (mode > 0.8) {
            // A request's own transaction: the mutation in a savepoint, committed or rolled back with the request.
            const request = await store.beginRequest();
            try {
              await request.run(work);
              if (mode > 0.9) await request.commit();
              else await request.rollback();
            } catch (error) {
              await request.rollback();
              throw error;
            }
          } else {
            await work();
          }
        } catch {
          // refused or abandoned: nothing of it stays, which the comparison below checks
        }
        for (const s of [a, b]) expect(picture(await s.state('c1')), `op ${op}`).toBe(await fresh(s, 'c1'));
      }
      const replay = await a.replay('c1');
      expect(replay.equal).toBe(true);
      expect(applied).toBeGreaterThan(50);
      // The cache was used, both as kept and brought forward from the other store's appends.
      for (const s of [a, b]) {
        expect(s.states.counts.hits).toBeGreaterThan(50);
        expect(s.states.counts.caughtUp).toBeGreaterThan(20);
      }
    });

    it('does not take a deleted compound’s state for the one created again under its id', async () => {
      const pair = await backend.pair();
      pairs.push(pair);
      const { a, b } = pair;
      await a.createCompound('c1', '旧小区', T0);
      await a.transaction('c1', async (uow) => {
        for (const event of setupEvents(3)) await uow.append(event);
      });
      await a.transaction('c1', (uow) =>
        uow.append({
          type: 'car.checked-in',
          payload: { vehicleId: id.vehicle(1) },
          at: T0 + 99_000,
          actor: 'system',
        } as NewEvent),
      );
      expect((await b.state('c1')).vehicles.size).toBe(3);
      await a.deleteCompound('c1');
      await a.createCompound('c1', '新小区', T0);
      // Another chain under the same id, longer than b's kept one, whose later events would apply to it.
      const again: NewEvent[] = [
        ...setupEvents(3),
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(2) }, at: T0 + 99_000, actor: 'system' },
        { type: 'guard.on-duty', payload: { guardId: id.guard(2) }, at: T0 + 99_500, actor: 'system' },
        {
          type: 'consent.given',
          payload: { vehicleId: id.vehicle(3), textVersion: 'v2' },
          at: T0 + 99_600,
          actor: 'system',
        },
      ] as NewEvent[];
      await a.transaction('c1', async (uow) => {
        for (const event of again) await uow.append(event);
      });
      for (const s of [a, b]) expect(picture(await s.state('c1'))).toBe(await fresh(s, 'c1'));
      expect((await b.state('c1')).name).toBe('新小区');
    });
  });
}
