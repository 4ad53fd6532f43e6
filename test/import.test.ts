import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IMPORT_CHUNK_ROWS, importHouseholds, type ImportReport } from '../src/app/import.js';
import type { UserId } from '../src/core/brand.js';
import type { PayloadOf } from '../src/core/events.js';
import { EMPTY_COMPOUND, EMPTY_MANAGER_PHONE, residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
const RESIDENT = '13800000101';

let world: ResidentsWorld;
let demoCsv: string;

beforeAll(async () => {
  world = await residentsWorld();
  const res = await world.app.inject({
    method: 'GET',
    url: '/api/imports/households.csv',
    headers: { authorization: await world.login(MANAGER) },
  });
  expect(res.statusCode).toBe(200);
  demoCsv = res.body;
}, 30_000);

afterAll(() => world.close());

async function post(phone: string, csv: string, dryRun?: boolean, as: 'csv' | 'json' = 'csv') {
  const url = `/api/imports/households${dryRun === undefined ? '' : `?dryRun=${dryRun}`}`;
  const authorization = await world.login(phone);
  return as === 'csv'
    ? world.app.inject({ method: 'POST', url, headers: { authorization, 'content-type': 'text/csv' }, payload: csv })
    : world.app.inject({ method: 'POST', url, headers: { authorization }, payload: { csv } });
}

describe('export of the demo compound', () => {
  it('has one row per household car and one per household without a car, with the documented header', () => {
    expect(demoCsv.startsWith('\uFEFFbuilding,unit,room,plate,size,ev,keyConsent\r\n')).toBe(true);
    const rows = demoCsv.trimEnd().split('\r\n').slice(1);
    const withCar = rows.filter((r) => r.split(',')[3] !== '');
    // 250 demo cars, one of them a visitor's (no household).
    expect(withCar).toHaveLength(249);
    const households = new Set(rows.map((r) => r.split(',').slice(0, 3).join(',')));
    expect(households.size).toBe(672);
  });

  it('is refused to a resident', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/imports/households.csv',
      headers: { authorization: await world.login(RESIDENT) },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('import of the demo households and cars into an empty compound', () => {
  it('reports every row ok in a dry run (the default) and writes nothing', async () => {
    const before = await world.fingerprint(EMPTY_COMPOUND);
    const res = await post(EMPTY_MANAGER_PHONE, demoCsv);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report).toMatchObject({ dryRun: true, applied: false, valid: true, importId: null });
    expect(report.counts).toMatchObject({ bad: 0, newHouseholds: 672, vehicles: 249 });
    expect(report.rows.every((r) => r.status === 'ok' && r.household === 'new')).toBe(true);
    expect(report.rows[0]?.row).toBe(2);
    expect(await world.fingerprint(EMPTY_COMPOUND)).toEqual(before);
  });

  it('applies it: the compound then exports the same file, the ledger replays to the state and verifies', async () => {
    const res = await post(EMPTY_MANAGER_PHONE, demoCsv, false);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report).toMatchObject({ dryRun: false, applied: true, valid: true });
    expect(report.importId).not.toBeNull();

    const exported = await world.app.inject({
      method: 'GET',
      url: '/api/imports/households.csv',
      headers: { authorization: await world.login(EMPTY_MANAGER_PHONE) },
    });
    expect(exported.body).toBe(demoCsv);

    const state = await world.ctx.store.state(EMPTY_COMPOUND);
    expect(state.households.size).toBe(672);
    expect(state.vehicles.size).toBe(249);
    const demo = await world.ctx.store.state('jinfang');
    const consenting = (s: typeof state) =>
      [...s.vehicles.values()].filter((v) => v.householdId !== null && v.consent !== null).length;
    expect(consenting(state)).toBe(consenting(demo));

    const replay = await world.ctx.store.replay(EMPTY_COMPOUND);
    expect(replay.equal).toBe(true);
    expect((await world.ctx.store.verify(EMPTY_COMPOUND)).ok).toBe(true);
    // One import.applied record per chunk of rows, each about its own rows, all with the import's id.
    const records = (await world.ctx.store.events(EMPTY_COMPOUND))
      .filter((e) => e.type === 'record')
      .map((e) => e.payload as PayloadOf<'record'>);
    const chunks = Math.ceil(report.counts.rows / IMPORT_CHUNK_ROWS);
    expect(chunks).toBeGreaterThan(1);
    expect(records.map((r) => [r.kind, r.refId, r.detail.chunk, r.detail.chunks])).toEqual(
      Array.from({ length: chunks }, (_, i) => ['import.applied', report.importId, i + 1, chunks]),
    );
    const total = (k: string) => records.reduce((n, r) => n + Number(r.detail[k]), 0);
    expect([total('households'), total('vehicles')]).toEqual([672, 249]);
    // No plate or address in any payload.
    const ledgerText = JSON.stringify(await world.ctx.store.events(EMPTY_COMPOUND));
    expect(ledgerText).not.toMatch(/沪|号|单元/);
  });

  it('refuses the same file again: every plate is already registered', async () => {
    const res = await post(EMPTY_MANAGER_PHONE, demoCsv, true);
    const report = res.json<ImportReport>();
    expect(report.valid).toBe(false);
    expect(report.counts.bad).toBe(249);
    expect(
      report.rows.filter((r) => r.status === 'ok').every((r) => r.household === 'existing' && r.plate === null),
    ).toBe(true);
  });
});

const BAD_FILE = [
  'building,unit,room,plate,size,ev,keyConsent',
  '1号,1单元,101,沪A10001,standard,false,true', // 2 ok (new car in an existing household)
  '1号,1单元,101,沪A1234,standard,false,false', // 3 bad plate
  '2号,1单元,,沪A10002,,,', // 4 missing room
  '2号,1单元,302,沪A10001,small,no,no', // 5 duplicate of row 2
  '2号,1单元,302,沪E21171,small,no,no', // 6 already registered (demo v001)
  '2号,1单元,302,沪A10003,huge,no,no', // 7 bad size
  '2栋,1单元,302,沪A10004,small,no,no', // 8 unknown unit: 栋 is not the compound's pattern
  '2号,1单元,302,沪A10005,small,maybe,no', // 9 bad flag
  '', // blank line: no row
  '15号,2单元,501,,,,', // 11 ok: a new household (a new building of the same pattern) without a car
].join('\n');

describe('a file with bad rows', () => {
  it('is reported row by row, with the column and the rule, in a dry run', async () => {
    const res = await post(MANAGER, BAD_FILE, true, 'json');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ImportReport>();
    expect(report.valid).toBe(false);
    const summary = report.rows.map((r) => [r.row, r.status, ...r.issues.map((i) => `${i.column}:${i.code}`)]);
    expect(summary).toEqual([
      [2, 'ok'],
      [3, 'error', 'plate:BAD_PLATE'],
      [4, 'error', 'room:MISSING_FIELD'],
      [5, 'error', 'plate:DUPLICATE_PLATE'],
      [6, 'error', 'plate:DUPLICATE_PLATE'],
      [7, 'error', 'size:BAD_SIZE'],
      [8, 'error', 'building:UNKNOWN_UNIT'],
      [9, 'error', 'ev:BAD_FLAG'],
      [11, 'ok'],
    ]);
    expect(report.rows[3]?.issues[0]?.message).toContain('row 2');
    expect(report.rows[1]?.issues[0]?.rule).toMatch(/province character/);
    expect(report.rows[0]?.household).toBe('existing');
    expect(report.rows[8]?.household).toBe('new');
  });

  it('imports nothing when applied, and says which rows are bad', async () => {
    const before = await world.fingerprint('jinfang');
    const res = await post(MANAGER, BAD_FILE, false);
    expect(res.statusCode).toBe(400);
    const error = res.json<{ error: { code: string; message: string; field: string } }>().error;
    expect(error.code).toBe('IMPORT_INVALID');
    expect(error.field).toBe('csv.row[3].plate');
    for (const row of [3, 4, 5, 6, 7, 8, 9]) expect(error.message).toContain(`row ${row} `);
    expect(await world.fingerprint('jinfang')).toEqual(before);
  });
});

describe('the request', () => {
  it('accepts a UTF-8 BOM and CRLF, and quoted fields', async () => {
    const csv = '\uFEFF楼号,单元,室号,车牌\r\n"15号","2单元","601","沪B 12345"\r\n';
    const report = (await post(MANAGER, csv)).json<ImportReport>();
    expect(report.rows).toEqual([{ row: 2, status: 'ok', household: 'new', plate: '沪B12345', issues: [] }]);
  });

  it('accepts text/csv with a charset parameter', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/imports/households',
      headers: { authorization: await world.login(MANAGER), 'content-type': 'text/csv; charset=utf-8' },
      payload: 'building,unit,room\n15号,1单元,101\n',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ImportReport>().valid).toBe(true);
  });

  it('refuses a file that is not UTF-8 (GBK from Excel) without importing', async () => {
    const gbk = Buffer.from([0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x67, 0x0a, 0xc2, 0xa5, 0xba, 0xc5]); // "building\n" + GBK 楼号
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/imports/households?dryRun=false',
      headers: { authorization: await world.login(MANAGER), 'content-type': 'text/csv' },
      payload: Buffer.concat([gbk, Buffer.from([0xff])]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'BAD_CSV', field: 'csv' } });
  });

  it.each([
    ['an unknown column', 'building,unit,room,plates\n1号,1单元,101,沪A10009\n', /plates/],
    ['a missing required column', 'building,unit,plate\n1号,1单元,沪A10009\n', /room/],
    ['an empty file', '', /empty/],
    ['an unclosed quote', 'building,unit,room\n"1号,1单元,101\n', /never closed/],
  ])('refuses %s with BAD_CSV', async (_what, csv, message) => {
    const before = await world.fingerprint('jinfang');
    const res = await post(MANAGER, csv, false);
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('BAD_CSV');
    expect(body.error.message).toMatch(message);
    expect(await world.fingerprint('jinfang')).toEqual(before);
  });

  it('refuses a body over 2 MiB with 413', async () => {
    const res = await post(MANAGER, `building,unit,room\n${'1号,1单元,101\n'.repeat(150_000)}`, true);
    expect(res.statusCode).toBe(413);
  });

  it('refuses a JSON body without csv with the field named', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/imports/households',
      headers: { authorization: await world.login(MANAGER) },
      payload: { file: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('is for managers only: 401 unsigned, 403 for a resident or a guard', async () => {
    expect(
      (await world.app.inject({ method: 'POST', url: '/api/imports/households', payload: { csv: '' } })).statusCode,
    ).toBe(401);
    expect((await post(RESIDENT, BAD_FILE)).statusCode).toBe(403);
    expect((await post('13800000011', BAD_FILE)).statusCode).toBe(403);
  });

  it('is documented in the OpenAPI document with its columns', async () => {
    const doc = (await world.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/imports/households'].post;
    expect(op.description).toContain('keyConsent');
    expect(Object.keys(op.requestBody.content)).toEqual(expect.arrayContaining(['text/csv', 'application/json']));
    expect(doc.paths['/api/imports/households.csv'].get).toBeDefined();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
  });
});

describe('a large import', () => {
  it('lets the server answer other requests between its chunks', async () => {
    // 600 rows applied 10 a transaction: a health request sent over TCP once the first chunk is
    // being written is answered before the import ends (without the yields between chunks, the
    // event loop would turn only after the last one, since SQLite's driver answers synchronously).
    const rows = Array.from(
      { length: 600 },
      (_, i) => `30号,${1 + (i % 4)}单元,${1000 + i},沪K${String(i).padStart(5, '0')},,,`,
    );
    const csv = ['building,unit,room,plate,size,ev,keyConsent', ...rows].join('\n');
    const manager = (await world.ctx.store.db
      .selectFrom('users')
      .select(['id', 'compound_id', 'role', 'name'])
      .where('phone', '=', EMPTY_MANAGER_PHONE)
      .executeTakeFirstOrThrow()) as { id: string; compound_id: string; name: string };
    const principal = {
      compoundId: manager.compound_id,
      userId: manager.id as UserId,
      role: 'manager' as const,
      name: manager.name,
      householdId: null,
      partnerLotId: null,
    };
    const address = await world.app.listen({ host: '127.0.0.1', port: 3301 });
    const store = world.ctx.store;
    const transaction = store.transaction.bind(store);
    let firstChunk!: () => void;
    let chunks = 0;
    const writing = new Promise<void>((resolve) => (firstChunk = resolve));
    const spy = vi.spyOn(store, 'transaction').mockImplementation((compoundId, work) => {
      chunks++;
      firstChunk();
      return transaction(compoundId, work);
    });
    const order: string[] = [];
    const importing = importHouseholds(world.ctx, principal, csv, { dryRun: false, chunkRows: 10 }).then((r) => {
      order.push('import done');
      return r;
    });
    await writing;
    order.push('health sent');
    const health = await fetch(`${address}/api/health`);
    order.push(`health ${health.status}`);
    const report = await importing;
    spy.mockRestore();
    expect(order).toEqual(['health sent', 'health 200', 'import done']);
    expect(chunks).toBe(60);
    expect(report.counts).toMatchObject({ rows: 600, vehicles: 600 });
    expect((await store.verify(EMPTY_COMPOUND)).ok).toBe(true);
  });
});
