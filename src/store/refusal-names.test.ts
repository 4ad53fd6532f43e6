import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs } from '../core/brand.js';
import type { NewEvent } from '../core/events.js';
import { maskPlate } from '../core/refusal-names.js';

const at = (s: number) => (T0 + s * 1000) as EpochMs;

describe('maskPlate', () => {
  it('keeps the province, letter and last two characters of another household’s plate', () => {
    expect(maskPlate('沪A12345')).toBe('沪A·***45');
    expect(maskPlate('沪AD12345')).toBe('沪A·***45');
    expect(maskPlate(null)).toBe('***');
  });
});

for (const backend of BACKENDS) {
  describe(`refusals name plates and places on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('says which plate blocks which car, where, never the internal ids', async () => {
      const store = await backend.open();
      await store.createCompound('c1', '测试小区', T0);
      let s = 100;
      const append = (body: Omit<NewEvent, 'at' | 'actor'>) =>
        store.transaction('c1', (uow) => uow.append({ ...body, at: at(s++), actor: id.guard(1) } as NewEvent));
      await store.transaction('c1', async (uow) => {
        for (const event of setupEvents(2)) await uow.append(event);
      });
      await store.root
        .insertInto('vehicle_plates')
        .values([
          { compound_id: 'c1', vehicle_id: 'v1', plate: '沪A12345' },
          { compound_id: 'c1', vehicle_id: 'v2', plate: '沪B67890' },
        ])
        .execute();
      for (const n of [1, 2]) await append({ type: 'car.checked-in', payload: { vehicleId: id.vehicle(n) } });
      // Lane A opens at index 0: v1 at the back, v2 in front of it.
      await append({
        type: 'car.parked',
        payload: { vehicleId: id.vehicle(1), positionId: id.position('A-1'), taskId: null },
      });
      await append({
        type: 'car.parked',
        payload: { vehicleId: id.vehicle(2), positionId: id.position('A-0'), taskId: null },
      });
      const refused = append({ type: 'car.departed', payload: { vehicleId: id.vehicle(1), by: 'resident' } } as never);
      await expect(refused).rejects.toMatchObject({
        code: 'LANE_BLOCKED',
        field: 'vehicleId',
        details: { plate: '沪A12345', blockers: ['沪B·***90'], place: '1号楼前串列 第2位' },
      });
      const message = await refused.catch((e: Error) => e.message);
      expect(message).toBe('vehicleId: 沪A12345 at 1号楼前串列 第2位 is blocked by 沪B·***90');
      expect(message).not.toMatch(/\bv[12]\b|A-1/);
      await store.close();
    });
  });
}
