/** Adding a compound to a deployment: side by side with others, all or nothing. */
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.js';
import type { EpochMs } from '../src/core/brand.js';
import { generateScenario } from '../src/sim/generate.js';
import { addCompound } from '../src/app/compounds.js';
import type { AppContext } from '../src/app/context.js';

afterAll(async () => {
  for (const backend of BACKENDS) await backend.cleanup();
});

/** A generated compound whose accounts have phones of their own `range`. */
function compound(seed: number, range: string): ReturnType<typeof generateScenario> {
  const scenario = generateScenario({ seed, family: 'tandem' });
  scenario.users.forEach((u, i) => (u.phone = `139${range}${String(i).padStart(5, '0')}`));
  return scenario;
}

describe.each(BACKENDS)('addCompound ($name)', (backend) => {
  it('adds compounds side by side, and refuses an id or a phone in use before writing anything', async () => {
    const store = await backend.open();
    let n = 0;
    const ctx: AppContext = { store, now: () => Date.UTC(2026, 11, 1) as EpochMs, newId: () => `id-${++n}` };
    const a = await addCompound(ctx, compound(1, '111'));
    const b = await addCompound(ctx, compound(2, '222'));
    expect(await store.compoundIds()).toEqual(['gen-tandem-1', 'gen-tandem-2']);
    for (const r of [a, b]) {
      expect((await store.state(r.compoundId)).vehicles.size).toBe(r.vehicles);
      expect((await store.verify(r.compoundId)).ok).toBe(true);
    }

    await expect(addCompound(ctx, compound(1, '333'))).rejects.toMatchObject({
      code: 'COMPOUND_EXISTS',
      field: 'compound.id',
    });
    const clash = compound(3, '333');
    clash.users[3]!.phone = '13911100002';
    await expect(addCompound(ctx, clash)).rejects.toMatchObject({ code: 'PHONE_TAKEN', field: 'users[3].phone' });
    expect(await store.compoundIds()).toEqual(['gen-tandem-1', 'gen-tandem-2']);
    const strays = await store.db.selectFrom('users').select('id').where('compound_id', '=', 'gen-tandem-3').execute();
    expect(strays).toEqual([]);
    await store.close();
  });
});
