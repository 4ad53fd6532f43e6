import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './index.js';

/**
 * The migrations that have landed on main, in the order live databases applied them. Append a name
 * here once its migration has landed; never edit or remove one. Kysely's migrator refuses to run on a
 * database whose applied list is not a prefix of the provider's, so a new migration numbered into a
 * gap (0009, 0011) or renamed would stop every live server at start.
 */
const LANDED = [
  '0001-create-ledger',
  '0002-create-custody-state',
  '0003-create-personal-data',
  '0004-create-users',
  '0005-create-sessions',
  '0006-create-tasks-and-departures',
  '0007-create-shifts',
  '0008-create-invitations',
  '0010-create-visitors',
  '0012-create-notifications',
  '0013-create-incidents',
  '0014-create-partner-lots',
  '0015-create-charging-requests',
];

const names = Object.keys(MIGRATIONS);

describe('the migration list', () => {
  it('keeps every landed migration, under its name, in its order', () => {
    expect(names.slice(0, LANDED.length)).toEqual(LANDED);
  });

  it('adds new migrations only after the last landed one, in sorted order', () => {
    const last = LANDED[LANDED.length - 1] as string;
    for (const name of names.slice(LANDED.length)) expect(name > last, `${name} sorts after ${last}`).toBe(true);
    expect(names).toEqual([...names].sort());
  });

  it('names each migration NNNN-verb-noun, with a number of its own', () => {
    for (const name of names) expect(name).toMatch(/^\d{4}-[a-z]+(-[a-z0-9]+)+$/);
    expect(new Set(names.map((n) => n.slice(0, 4))).size).toBe(names.length);
  });

  it('lists every migration file of the folder, and no other', () => {
    const folder = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(folder)
      .filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(names);
  });
});
