import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { parsePlate, tryParsePlate } from './plate.js';

describe('Chinese plates', () => {
  it.each([
    ['沪A12345', false],
    ['沪B2C3D4', false],
    ['京N8888学', false],
    ['沪AD12345', true],
    ['沪AFA1234', true],
    ['粤B12345D', true],
  ])('accepts %s (new-energy: %s)', (input, newEnergy) => {
    expect(tryParsePlate(input)).toEqual({ plate: input, newEnergy });
  });

  it('normalises case, spaces and the separator dot', () => {
    expect(tryParsePlate(' 沪a·123 45 ')?.plate).toBe('沪A12345');
  });

  it.each(['', 'A12345', '沪12345', '沪A1234', '沪A123456', '沪AI2345', 'XXA12345', '沪AD1234X', '沪A12345678'])(
    'refuses %j',
    (input) => {
      expect(tryParsePlate(input)).toBeNull();
    },
  );

  it('throws BAD_PLATE naming the field', () => {
    const error = (() => {
      try {
        return parsePlate('ABC', 'vehicles[3].plate');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_PLATE', field: 'vehicles[3].plate' });
    expect((error as Error).message).toContain('vehicles[3].plate');
  });
});
