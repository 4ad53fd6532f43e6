/**
 * @module CSV as spreadsheets write it (RFC 4180): comma-separated, fields quoted with `"` when they
 * hold a comma, a quote or a line break, quotes doubled inside, CRLF or LF line ends, an optional
 * UTF-8 byte-order mark (Excel writes one). Small enough to keep instead of a dependency.
 */
import { DomainError } from '../core/errors.js';

const BOM = '\uFEFF';

/** Decodes an uploaded file as UTF-8, refusing other encodings (a GBK file from Excel, say) instead of importing mojibake. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new DomainError(
      'BAD_CSV',
      'csv: the file is not UTF-8 (a spreadsheet saved as GBK/ANSI? save it as "CSV UTF-8")',
      { field: 'csv', cause: error },
    );
  }
}

/**
 * Splits CSV text into records of fields. Every record is kept, blank lines too (as `['']`), so a
 * record's 1-based index is the row number a spreadsheet shows. A trailing line break ends the
 * last record rather than starting an empty one.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = (): void => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (i < input.length) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) {
    throw new DomainError('BAD_CSV', `csv: a quoted field opened on row ${records.length + 1} is never closed`, {
      field: 'csv',
    });
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/** One CSV field: quoted when it must be, so the file reads back as written. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Records as CSV text with CRLF line ends (what spreadsheets expect), each line ended. */
export function toCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}
