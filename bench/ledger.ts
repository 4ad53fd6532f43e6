/**
 * @module `npm run bench ledger [-- --events N]`: a compound's ledger at N events (default 100,000)
 * made up by `ledgerHistory` in a SQLite file, then the reads that grow with it, timed: `ledger
 * verify` from the first event and from its checkpoint, and the nights report (its first request,
 * which folds what precedes the window, and a later one) beside the whole-ledger read it replaced,
 * whose figures it must equal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compoundFigures, dayProfiles, nightlyFigures } from '../src/app/reports.js';
import { nightDayOf } from '../src/app/night.js';
import type { EpochMs } from '../src/core/brand.js';
import { mulberry32 } from '../src/core/random.js';
import { openStore } from '../src/store/store.js';
import { ledgerHistory } from './ledger-history.js';

const DAY = 86_400_000;

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name}: a positive whole number`);
  return value;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  process.stdout.write(`${label.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(7)} ms\n`);
  return result;
}

export async function benchLedger(args: string[]): Promise<void> {
  const total = option(args, 'events', 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'parkbutler-ledger-bench-'));
  const store = await openStore({ dataDir: dir });
  try {
    const start = Date.parse('2026-01-01T04:00:00Z');
    await store.createCompound('c1', 'bench', start);
    const history = ledgerHistory({ cars: 400, perDay: 2000, start, events: total - 1, rand: mulberry32(14) });
    let last = start;
    await timed(`append ${total} events (1,000 a transaction)`, async () => {
      let batch = [];
      for (const event of history) {
        batch.push(event);
        last = event.at;
        if (batch.length === 1000) {
          const events = batch;
          await store.transaction('c1', async (uow) => {
            for (const e of events) await uow.append(e);
          });
          batch = [];
        }
      }
      const rest = batch;
      if (rest.length > 0)
        await store.transaction('c1', async (uow) => {
          for (const e of rest) await uow.append(e);
        });
    });
    const full = await timed('ledger verify (from the first event)', () => store.verify('c1'));
    if (!full.ok) throw new Error(`verify: ${JSON.stringify(full)}`);
    await timed('ledger verify --from-checkpoint (first)', () => store.verify('c1', { fromCheckpoint: true }));
    await timed('ledger verify --from-checkpoint (again)', () => store.verify('c1', { fromCheckpoint: true }));
    let clock = last + 3_600_000;
    const ctx = { store, now: () => clock as EpochMs, newId: () => 'x' };
    const nights = 30;
    const whole = await timed(`report, ${nights} nights, whole ledger (before)`, async () => {
      const events = await store.events('c1');
      const since = Date.parse(nightDayOf(clock)) - nights * DAY;
      return {
        nights: nightlyFigures(
          events.filter((e) => e.at >= since - DAY),
          clock,
          nights,
        ),
        profiles: dayProfiles(events, clock, nights),
      };
    });
    const first = await timed(`report, ${nights} nights, window (first request)`, () =>
      compoundFigures(ctx, 'c1', nights),
    );
    if (JSON.stringify(first) !== JSON.stringify(whole)) throw new Error('report: the window differs from the whole');
    await timed(`report, ${nights} nights, window (next request)`, () => compoundFigures(ctx, 'c1', nights));
    clock += DAY;
    await timed(`report, ${nights} nights, window (a day later)`, () => compoundFigures(ctx, 'c1', nights));
    await timed('report, 7 nights, window', () => compoundFigures(ctx, 'c1', 7));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
