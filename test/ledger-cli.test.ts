/** `parkbutler ledger verify|replay` on a real database file: a tampered chain is named and exits 1. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/processes.js';

const root = mkdtempSync(join(tmpdir(), 'parkbutler-ledger-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let template = '';
beforeAll(() => {
  template = join(root, 'template');
  const demo = runCli(['demo'], { PARKBUTLER_DATA: template });
  expect(demo.status, demo.stderr).toBe(0);
  expect(demo.stdout).toContain('Loaded 金纺小区');
}, 120_000);

/** A copy of the demo database, tampered with by `sql`. */
function tampered(name: string, ...sql: string[]): string {
  const dir = join(root, name);
  const backup = runCli(['backup', join(dir, 'parkbutler.sqlite')], { PARKBUTLER_DATA: template });
  expect(backup.status, backup.stderr).toBe(0);
  const db = new Database(join(dir, 'parkbutler.sqlite'));
  for (const statement of sql) db.exec(statement);
  db.close();
  return dir;
}

describe('parkbutler ledger verify', () => {
  it('passes on an untouched demo database', () => {
    const r = runCli(['ledger', 'verify'], { PARKBUTLER_DATA: tampered('clean') });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/jinfang: ok — \d+ events/);
  });

  it('names an edited payload', () => {
    const dir = tampered(
      'edited',
      `UPDATE ledger_events SET payload = replace(payload, 'v001', 'v002') WHERE seq = (SELECT min(seq) FROM ledger_events WHERE payload LIKE '%"v001"%')`,
    );
    const r = runCli(['ledger', 'verify', '--compound', 'jinfang'], { PARKBUTLER_DATA: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at event #\d+ — event #\d+ \(vehicle\.registered\) was edited/);
  });

  it('names a deleted event', () => {
    const r = runCli(['ledger', 'verify'], {
      PARKBUTLER_DATA: tampered('deleted', 'DELETE FROM ledger_events WHERE seq = 10'),
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('event #10 is missing');
  });

  it('names two swapped events', () => {
    const dir = tampered(
      'swapped',
      'UPDATE ledger_events SET seq = -1 WHERE seq = 20',
      'UPDATE ledger_events SET seq = 20 WHERE seq = 21',
      'UPDATE ledger_events SET seq = 21 WHERE seq = -1',
    );
    const r = runCli(['ledger', 'verify'], { PARKBUTLER_DATA: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at event #20 — event #20 .* does not follow event #19/);
  });

  it('refuses an unknown compound with a clear error', () => {
    const r = runCli(['ledger', 'verify', '--compound', 'nowhere'], { PARKBUTLER_DATA: tampered('unknown') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no compound "nowhere"');
  });
});

describe('parkbutler ledger replay', () => {
  it('finds the stored state equal to the replay, and names the difference after a state edit', () => {
    expect(runCli(['ledger', 'replay'], { PARKBUTLER_DATA: tampered('replay-clean') }).status).toBe(0);
    const r = runCli(['ledger', 'replay'], {
      PARKBUTLER_DATA: tampered(
        'replay-edited',
        "UPDATE vehicles SET location = 'at-gate', since = 1 WHERE id = 'v003'",
      ),
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('MISMATCH');
    expect(r.stdout).toContain('vehicles');
  });
});
