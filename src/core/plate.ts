/**
 * @module Chinese licence plates. A plate is a province character, the issuing authority's letter
 * and 5 characters (沪A12345), or 6 for new-energy vehicles (沪AD12345, 沪A12345D).
 */
import type { Brand } from './brand.js';
import { DomainError } from './errors.js';

/** A plate in canonical form: upper case, no separators. */
export type Plate = Brand<string, 'Plate'>;

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Serial characters: digits and letters except I and O, which plates never use. */
const SERIAL = '[A-HJ-NP-Z0-9]';
const ORDINARY = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z]${SERIAL}{4}[A-HJ-NP-Z0-9挂学警]$`);
/** Small new-energy cars: D (battery) or F (hybrid) then 5 more; large ones: 5 digits then D or F. */
const NEW_ENERGY = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z](?:[DF]${SERIAL}\\d{4}|\\d{5}[DF])$`);

export interface ParsedPlate {
  plate: Plate;
  newEnergy: boolean;
}

/** Canonical form of user input: trims, upper-cases, drops spaces, dots and dashes (沪A·12345). */
export function normalizePlate(input: string): string {
  return input.replace(/[\s·.\-•]/g, '').toUpperCase();
}

/** Parses a plate or returns null. */
export function tryParsePlate(input: string): ParsedPlate | null {
  const canonical = normalizePlate(input);
  if (NEW_ENERGY.test(canonical)) return { plate: canonical as Plate, newEnergy: true };
  if (ORDINARY.test(canonical)) return { plate: canonical as Plate, newEnergy: false };
  return null;
}

/** Parses a plate or throws `BAD_PLATE` naming the field. */
export function parsePlate(input: string, field = 'plate'): ParsedPlate {
  const parsed = tryParsePlate(input);
  if (parsed === null) {
    throw new DomainError(
      'BAD_PLATE',
      `${field}: "${input}" is not a Chinese plate (a province character, a letter and 5 characters, 6 for new-energy plates, e.g. 沪A12345 or 沪AD12345)`,
      { field },
    );
  }
  return parsed;
}
