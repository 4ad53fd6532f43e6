/**
 * @module The manager's CSV import of households and their cars, and the export of the same file.
 * A dry run reports every row (ok, or each problem with its column and rule); an import is applied
 * only when every row is valid, in chunks of one transaction each with its ledger events, else
 * nothing is written (see `importHouseholds`).
 *
 * Columns (header row; English names or the Chinese ones in `COLUMN_ALIASES`, any order):
 * `building`, `unit`, `room` (required), `plate`, `size`, `ev`, `keyConsent` (optional). One row per
 * car; a household without a car is a row without a plate; a household with two cars has two rows.
 */
import type { Kysely } from 'kysely';
import type { EpochMs, HouseholdId, VehicleId } from '../core/brand.js';
import type { ErrorCode } from '../core/errors.js';
import { DomainError, ERROR_CATALOG } from '../core/errors.js';
import type { EventBody, NewEvent } from '../core/events.js';
import type { VehicleSize } from '../core/layout.js';
import { tryParsePlate } from '../core/plate.js';
import { householdAddresses, householdAt, insertHouseholdAddress } from '../store/household.repository.js';
import type { Database } from '../store/schema.js';
import type { UnitOfWork } from '../store/store.js';
import { firstTakenPlate, insertPlate, platesOf } from '../store/vehicle-plate.repository.js';
import type { Principal } from './actor.js';
import { CURRENT_CONSENT_VERSION } from './consent.js';
import type { AppContext } from './context.js';
import { parseCsv, toCsv } from './csv.js';

export const IMPORT_COLUMNS = ['building', 'unit', 'room', 'plate', 'size', 'ev', 'keyConsent'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['building', 'unit', 'room'];

/** Header names accepted besides the English column names (compared without case and spaces). */
export const COLUMN_ALIASES: Readonly<Record<string, ImportColumn>> = {
  楼号: 'building',
  楼栋: 'building',
  单元: 'unit',
  单元号: 'unit',
  室号: 'room',
  房号: 'room',
  门牌号: 'room',
  车牌: 'plate',
  车牌号: 'plate',
  车型: 'size',
  新能源: 'ev',
  电动车: 'ev',
  钥匙托管: 'keyConsent',
  钥匙托管同意: 'keyConsent',
};

const SIZE_WORDS: Readonly<Record<string, VehicleSize>> = {
  small: 'small',
  小: 'small',
  小型: 'small',
  standard: 'standard',
  中: 'standard',
  中型: 'standard',
  标准: 'standard',
  large: 'large',
  大: 'large',
  大型: 'large',
};
const YES = new Set(['true', 'yes', 'y', '1', '是', '有', '同意']);
const NO = new Set(['', 'false', 'no', 'n', '0', '否', '无', '不同意']);
/** Longest building, unit or room accepted; longer is a column mix-up, not an address. */
const MAX_ADDRESS_PART = 32;

export interface RowIssue {
  column: ImportColumn | 'row';
  code: ErrorCode;
  /** The rule broken, from the error catalog. */
  rule: string;
  message: string;
}

export interface ImportRowReport {
  /** The row number a spreadsheet shows: the header is row 1. */
  row: number;
  status: 'ok' | 'error';
  /** Whether the row's household exists already or is added; null when the address is bad. */
  household: 'new' | 'existing' | null;
  plate: string | null;
  issues: RowIssue[];
}

export interface ImportReport {
  dryRun: boolean;
  /** True only when the import was written. */
  applied: boolean;
  /** True when every row is ok, so the file can be applied. */
  valid: boolean;
  counts: { rows: number; ok: number; bad: number; newHouseholds: number; vehicles: number; consents: number };
  rows: ImportRowReport[];
  /** The `refId` of the `import.applied` record, when applied. */
  importId: string | null;
}

/** A valid row, ready to apply. */
interface GoodRow {
  row: number;
  building: string;
  unit: string;
  room: string;
  addressKey: string;
  plate: string | null;
  size: VehicleSize;
  ev: boolean;
  keyConsent: boolean;
}

/** What the compound already holds that rows are checked against. */
export interface KnownData {
  /** address key → household id */
  households: Map<string, string>;
  /** Shapes (`#号`, `#单元`) of the existing buildings and units; empty when the compound has no households. */
  buildingShapes: Set<string>;
  unitShapes: Set<string>;
  plates: Set<string>;
}

const addressKey = (building: string, unit: string, room: string): string => JSON.stringify([building, unit, room]);

/**
 * The pattern of an address part, digits and Latin letters aside: `12号` and `3号` share `#号`,
 * `A座` and `B座` share `A座`; `3栋` or `三号` do not match `#号`.
 */
export function addressShape(part: string): string {
  return part.replace(/\d+/g, '#').replace(/[A-Za-z]+/g, 'A');
}

export async function loadKnown(db: Kysely<Database>, compoundId: string): Promise<KnownData> {
  const [addresses, plates] = await Promise.all([householdAddresses(db, compoundId), platesOf(db, compoundId)]);
  return {
    households: new Map(addresses.map((a) => [addressKey(a.building, a.unit, a.room), a.household_id])),
    buildingShapes: new Set(addresses.map((a) => addressShape(a.building))),
    unitShapes: new Set(addresses.map((a) => addressShape(a.unit))),
    plates: new Set(plates.map((p) => p.plate)),
  };
}

/** Tabs, line breaks and other control characters have no place in an address. */
function hasControlCharacter(value: string): boolean {
  return [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

function issue(column: ImportColumn | 'row', code: ErrorCode, message: string): RowIssue {
  return { column, code, rule: ERROR_CATALOG[code].rule, message };
}

/** Maps the header row to columns, or refuses the file naming the header problem. */
function readHeader(header: readonly string[]): ImportColumn[] {
  const columns: ImportColumn[] = [];
  for (const [i, raw] of header.entries()) {
    const name = raw.replace(/\s/g, '');
    const column = IMPORT_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase()) ?? COLUMN_ALIASES[name];
    if (column === undefined) {
      throw new DomainError(
        'BAD_CSV',
        `csv: header column ${i + 1} "${raw}" is not one of ${IMPORT_COLUMNS.join(', ')}`,
        { field: 'csv' },
      );
    }
    if (columns.includes(column))
      throw new DomainError('BAD_CSV', `csv: column "${column}" appears twice in the header`, { field: 'csv' });
    columns.push(column);
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new DomainError(
      'BAD_CSV',
      `csv: the header row lacks the required column(s) ${missing.join(', ')} (header: ${header.join(',')})`,
      {
        field: 'csv',
      },
    );
  }
  return columns;
}

function flag(value: string, column: 'ev' | 'keyConsent', issues: RowIssue[]): boolean {
  const v = value.toLowerCase();
  if (YES.has(v)) return true;
  if (!NO.has(v)) issues.push(issue(column, 'BAD_FLAG', `${column}: "${value}" is not yes or no`));
  return false;
}

/** Reads the header and returns a checker that takes the body rows in order, collecting their reports. */
function rowChecker(
  records: readonly (readonly string[])[],
  known: KnownData,
): {
  body: readonly (readonly string[])[];
  check: (record: readonly string[], i: number) => void;
  reports: ImportRowReport[];
  good: GoodRow[];
} {
  const [header, ...body] = records;
  if (header === undefined || header.every((f) => f.trim() === '')) {
    throw new DomainError('BAD_CSV', 'csv: the file is empty; the first row names the columns', { field: 'csv' });
  }
  const columns = readHeader(header);
  const reports: ImportRowReport[] = [];
  const good: GoodRow[] = [];
  const platesInFile = new Map<string, number>();
  const checkShapes = known.buildingShapes.size > 0;

  const check = (record: readonly string[], i: number): void => {
    const row = i + 2;
    if (record.every((f) => f.trim() === '')) return; // a blank line is no row
    const issues: RowIssue[] = [];
    const cell = (c: ImportColumn): string => {
      const at = columns.indexOf(c);
      return at < 0 ? '' : (record[at] ?? '').trim();
    };
    if (record.length > columns.length) {
      issues.push(
        issue('row', 'BAD_CSV', `row has ${record.length} fields, the header ${columns.length} (an unquoted comma?)`),
      );
    }

    let addressOk = true;
    for (const c of REQUIRED) {
      const value = cell(c);
      if (value === '') {
        issues.push(issue(c, 'MISSING_FIELD', `${c}: empty`));
        addressOk = false;
      } else if (value.length > MAX_ADDRESS_PART || /^[=+@-]/.test(value) || hasControlCharacter(value)) {
        issues.push(
          issue(
            c,
            'VALIDATION',
            `${c}: "${value}" is not an address part (at most ${MAX_ADDRESS_PART} characters, no formula or control characters)`,
          ),
        );
        addressOk = false;
      }
    }
    const [building, unit, room] = [cell('building'), cell('unit'), cell('room')];
    const key = addressKey(building, unit, room);
    const existing = known.households.has(key);
    if (addressOk && !existing && checkShapes) {
      if (!known.buildingShapes.has(addressShape(building))) {
        issues.push(
          issue(
            'building',
            'UNKNOWN_UNIT',
            `building: "${building}" does not follow the compound's buildings (${[...known.buildingShapes].join(', ')})`,
          ),
        );
        addressOk = false;
      }
      if (!known.unitShapes.has(addressShape(unit))) {
        issues.push(
          issue(
            'unit',
            'UNKNOWN_UNIT',
            `unit: "${unit}" does not follow the compound's units (${[...known.unitShapes].join(', ')})`,
          ),
        );
        addressOk = false;
      }
    }

    const plateInput = cell('plate');
    let plate: string | null = null;
    if (plateInput !== '') {
      const parsed = tryParsePlate(plateInput);
      if (parsed === null) {
        issues.push(
          issue('plate', 'BAD_PLATE', `plate: "${plateInput}" is not a Chinese plate (e.g. 沪A12345, 沪AD12345)`),
        );
      } else {
        plate = parsed.plate;
        const first = platesInFile.get(plate);
        if (first !== undefined)
          issues.push(issue('plate', 'DUPLICATE_PLATE', `plate: ${plate} is also on row ${first}`));
        else if (known.plates.has(plate))
          issues.push(issue('plate', 'DUPLICATE_PLATE', `plate: ${plate} is already registered in this compound`));
        else platesInFile.set(plate, row);
      }
    }

    const sizeInput = cell('size');
    const size = sizeInput === '' ? 'standard' : SIZE_WORDS[sizeInput.toLowerCase()];
    if (size === undefined)
      issues.push(issue('size', 'BAD_SIZE', `size: "${sizeInput}" is not small, standard or large`));
    const ev = flag(cell('ev'), 'ev', issues);
    const keyConsent = flag(cell('keyConsent'), 'keyConsent', issues);
    if (plateInput === '' && (sizeInput !== '' || ev || keyConsent)) {
      issues.push(
        issue('plate', 'MISSING_FIELD', 'plate: empty, but the row describes a car (size, ev or keyConsent)'),
      );
    }

    reports.push({
      row,
      status: issues.length === 0 ? 'ok' : 'error',
      household: addressOk ? (existing ? 'existing' : 'new') : null,
      plate,
      issues,
    });
    if (issues.length === 0)
      good.push({ row, building, unit, room, addressKey: key, plate, size: size ?? 'standard', ev, keyConsent });
  };
  return { body, check, reports, good };
}

/**
 * Checks every row of a parsed file against the rules and the compound's data. Pure: the same
 * records and known data give the same report.
 */
export function checkRows(
  records: readonly (readonly string[])[],
  known: KnownData,
): { reports: ImportRowReport[]; good: GoodRow[] } {
  const { body, check, reports, good } = rowChecker(records, known);
  body.forEach(check);
  return { reports, good };
}

/** Rows checked, or applied in one transaction, before the server turns to other requests. */
export const IMPORT_CHUNK_ROWS = 500;

/** Lets the event loop run whatever waits (other requests, timers) before the next chunk. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `checkRows`, yielding to other requests after every `IMPORT_CHUNK_ROWS` rows. */
async function checkRowsYielding(
  records: readonly (readonly string[])[],
  known: KnownData,
): Promise<{ reports: ImportRowReport[]; good: GoodRow[] }> {
  const { body, check, reports, good } = rowChecker(records, known);
  for (const [i, record] of body.entries()) {
    if (i > 0 && i % IMPORT_CHUNK_ROWS === 0) await yieldToEventLoop();
    check(record, i);
  }
  return { reports, good };
}

function countsOf(
  reports: readonly ImportRowReport[],
  good: readonly GoodRow[],
  known: KnownData,
): ImportReport['counts'] {
  const newHouseholds = new Set(good.filter((g) => !known.households.has(g.addressKey)).map((g) => g.addressKey));
  return {
    rows: reports.length,
    ok: good.length,
    bad: reports.length - good.length,
    newHouseholds: newHouseholds.size,
    vehicles: good.filter((g) => g.plate !== null).length,
    consents: good.filter((g) => g.plate !== null && g.keyConsent).length,
  };
}

/** Describes the bad rows for the error message of a refused import. */
function summarise(reports: readonly ImportRowReport[], limit = 20): string {
  const lines = reports.flatMap((r) => r.issues.map((i) => `row ${r.row} ${i.column}: ${i.code} (${i.message})`));
  const more = lines.length > limit ? `; and ${lines.length - limit} more` : '';
  return lines.slice(0, limit).join('; ') + more;
}

export interface ImportOptions {
  dryRun: boolean;
  /** Rows a chunk holds (default `IMPORT_CHUNK_ROWS`); tests use small chunks to see them. */
  chunkRows?: number;
}

/**
 * Checks a CSV file of households and cars and, unless it is a dry run, applies it: new households
 * (`household.added` + address), cars (`vehicle.registered` + plate, and `consent.given` of the
 * current consent text when `keyConsent` says yes). Refuses the whole file with `IMPORT_INVALID`
 * when any row is bad, writing nothing.
 *
 * A valid file is applied in chunks of `IMPORT_CHUNK_ROWS` rows, each chunk one transaction with
 * its ledger events and its own `record` `import.applied` (same `refId`, `detail.chunk` of
 * `detail.chunks`), and the event loop turns between chunks, so a 40 000-row file never holds the
 * database (one connection on SQLite) or the event loop for more than one chunk. Why chunks and
 * not one transaction: one transaction of the whole file stalls every other request for seconds
 * (issue 14), and a staging table would still need one long write to move the rows over. What
 * all-or-nothing still means: every row is checked before the first chunk is written, so a bad
 * file writes nothing. Each chunk checks its plates and addresses again in its transaction; if
 * another request registered one of its plates in the meantime, that chunk writes nothing and
 * the import stops with `IMPORT_PARTIAL`, naming the rows already applied (whole households and
 * cars, with their ledger events: the state stays consistent; the export shows what is in).
 */
export async function importHouseholds(
  ctx: AppContext,
  actor: Principal,
  csv: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const records = parseCsv(csv);
  await yieldToEventLoop();
  const known = await loadKnown(ctx.store.db, actor.compoundId);
  const { reports, good } = await checkRowsYielding(records, known);
  const counts = countsOf(reports, good, known);
  if (options.dryRun) {
    const valid = good.length === reports.length;
    return { dryRun: true, applied: false, valid, counts, rows: reports, importId: null };
  }
  if (good.length !== reports.length) {
    const first = reports.find((r) => r.status === 'error');
    throw new DomainError('IMPORT_INVALID', `nothing was imported: ${summarise(reports)}`, {
      field: first === undefined ? 'csv' : `csv.row[${first.row}].${first.issues[0]?.column ?? 'row'}`,
    });
  }
  if (good.length === 0) throw new DomainError('BAD_CSV', 'csv: the file has a header but no rows', { field: 'csv' });
  const importId = ctx.newId();
  const householdOf = new Map(known.households);
  const size = options.chunkRows ?? IMPORT_CHUNK_ROWS;
  const chunks = Math.ceil(good.length / size);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const rows = good.slice(chunk * size, (chunk + 1) * size);
    if (chunk > 0) await yieldToEventLoop();
    await ctx.store
      .transaction(actor.compoundId, (uow) =>
        applyChunk(ctx, uow, actor, rows, householdOf, { importId, chunk: chunk + 1, chunks }),
      )
      .catch((error: unknown) => {
        if (chunk === 0) throw error;
        const last = good[chunk * size - 1]?.row ?? 0;
        throw new DomainError(
          'IMPORT_PARTIAL',
          `csv.row[${rows[0]?.row ?? 0}]: rows 2–${last} were imported (import ${importId}), the rest was not: ${error instanceof Error ? error.message : String(error)}`,
          { field: `csv.row[${rows[0]?.row ?? 0}]`, cause: error },
        );
      });
  }
  return { dryRun: false, applied: true, valid: true, counts, rows: reports, importId };
}

/** Writes one chunk of valid rows with its ledger events, checking its plates and addresses again. */
async function applyChunk(
  ctx: AppContext,
  uow: UnitOfWork,
  actor: Principal,
  rows: readonly GoodRow[],
  householdOf: Map<string, string>,
  chunk: { importId: string; chunk: number; chunks: number },
): Promise<void> {
  const plates = rows.flatMap((g) => (g.plate === null ? [] : [g.plate]));
  const taken = plates.length === 0 ? undefined : await firstTakenPlate(uow.trx, actor.compoundId, plates);
  if (taken !== undefined) {
    const row = rows.find((g) => g.plate === taken)?.row ?? 0;
    throw new DomainError('DUPLICATE_PLATE', `csv.row[${row}].plate: ${taken} was registered meanwhile`, {
      field: `csv.row[${row}].plate`,
    });
  }
  const at = ctx.now() as EpochMs;
  const append = (body: EventBody) => uow.append({ ...body, at, actor: actor.userId } as NewEvent);
  const added = new Map<string, string>();
  let newHouseholds = 0;
  for (const g of rows) {
    if (householdOf.has(g.addressKey) || added.has(g.addressKey)) continue;
    const existing = await householdAt(uow.trx, actor.compoundId, g);
    if (existing !== undefined) {
      added.set(g.addressKey, existing);
      continue;
    }
    const householdId = ctx.newId() as HouseholdId;
    added.set(g.addressKey, householdId);
    newHouseholds++;
    await append({ type: 'household.added', payload: { householdId } });
    await insertHouseholdAddress(uow.trx, {
      compound_id: actor.compoundId,
      household_id: householdId,
      building: g.building,
      unit: g.unit,
      room: g.room,
    });
  }
  let vehicles = 0;
  let consents = 0;
  for (const g of rows) {
    if (g.plate === null) continue;
    const vehicleId = ctx.newId() as VehicleId;
    await insertPlate(uow.trx, { compound_id: actor.compoundId, vehicle_id: vehicleId, plate: g.plate });
    const householdId = (householdOf.get(g.addressKey) ?? added.get(g.addressKey)) as HouseholdId;
    await append({ type: 'vehicle.registered', payload: { vehicleId, householdId, size: g.size, ev: g.ev } });
    vehicles++;
    if (g.keyConsent) {
      await append({ type: 'consent.given', payload: { vehicleId, textVersion: CURRENT_CONSENT_VERSION } });
      consents++;
    }
  }
  await append({
    type: 'record',
    payload: {
      kind: 'import.applied',
      refId: chunk.importId,
      detail: {
        chunk: chunk.chunk,
        chunks: chunk.chunks,
        firstRow: rows[0]?.row ?? 0,
        lastRow: rows.at(-1)?.row ?? 0,
        households: newHouseholds,
        vehicles,
        consents,
        consentVersion: CURRENT_CONSENT_VERSION,
      },
    },
  });
  // Only now, inside the transaction's success path, are the chunk's households known to later chunks.
  for (const [key, id] of added) householdOf.set(key, id);
}

/** Compares address parts as people read them: 2号 before 10号. */
const byNumber = new Intl.Collator('zh-CN', { numeric: true }).compare;

/**
 * The compound's households and their cars as the import's CSV (with a BOM, so Excel opens it as
 * UTF-8): one row per car, one row without a plate per household without a car. Visitors' cars
 * belong to no household and are left out. Importing the file into an empty compound rebuilds
 * the households, the cars and which cars have key-custody consent.
 */
export async function exportHouseholds(ctx: AppContext, compoundId: string): Promise<string> {
  const [addresses, state, plates] = await Promise.all([
    householdAddresses(ctx.store.db, compoundId),
    ctx.store.state(compoundId),
    platesOf(ctx.store.db, compoundId),
  ]);
  const plateOf = new Map(plates.map((p) => [p.vehicle_id, p.plate]));
  const carsOf = new Map<string, string[][]>();
  for (const v of [...state.vehicles.values()].sort((a, b) =>
    byNumber(plateOf.get(a.id) ?? a.id, plateOf.get(b.id) ?? b.id),
  )) {
    if (v.householdId === null) continue;
    const list = carsOf.get(v.householdId) ?? [];
    list.push([plateOf.get(v.id) ?? '', v.size, v.ev ? 'true' : 'false', v.consent === null ? 'false' : 'true']);
    carsOf.set(v.householdId, list);
  }
  const sorted = addresses.sort(
    (a, b) => byNumber(a.building, b.building) || byNumber(a.unit, b.unit) || byNumber(a.room, b.room),
  );
  const rows: string[][] = [[...IMPORT_COLUMNS]];
  for (const a of sorted) {
    const address = [a.building, a.unit, a.room];
    const cars = carsOf.get(a.household_id) ?? [];
    if (cars.length === 0) rows.push([...address, '', '', '', '']);
    for (const car of cars) rows.push([...address, ...car]);
  }
  return `\uFEFF${toCsv(rows)}`;
}
