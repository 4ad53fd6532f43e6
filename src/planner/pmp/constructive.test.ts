import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPmpSolution } from '../../../test/pmp-checker.js';
import { bestConstructive } from './constructive.js';
import { parsePmpGroup } from './instance.js';
import { bayOf, stackCaps } from './layout.js';

const fixtureDir = new URL('../../../test/fixtures/pmp/', import.meta.url);

describe('bestConstructive', () => {
  for (const file of readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = parsePmpGroup(JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as unknown);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
    it(`returns only legal sorting sequences on ${file}`, () => {
      for (const inst of parsed.group.instances) {
        const bay = bayOf(inst);
        const path = bestConstructive(bay);
        if (path === undefined) continue;
        const S = bay.stackCount;
        const moves = path.map((m) => [Math.floor(m / S), m % S]);
        expect(checkPmpSolution(inst.stacks, stackCaps(inst), moves).ok).toBe(true);
      }
    });
  }

  it('sorts a loose layout it can always handle', () => {
    const layout = { stacks: [[1, 2, 3], [4, 5, 6], []], maxHeight: 4 };
    const path = bestConstructive(bayOf(layout));
    expect(path).toBeDefined();
    const moves = (path ?? []).map((m) => [Math.floor(m / 3), m % 3]);
    expect(checkPmpSolution(layout.stacks, [4, 4, 4], moves).ok).toBe(true);
  });
});
