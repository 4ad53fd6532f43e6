import { describe, expect, it } from 'vitest';
import type { ErrorCode } from './errors.js';
import type { LayoutInput } from './layout.js';
import { blockingIndexes, validateLayout } from './layout.js';

function codeOf(input: LayoutInput): ErrorCode | undefined {
  try {
    validateLayout(input);
    return undefined;
  } catch (error) {
    return (error as { code?: ErrorCode }).code;
  }
}

const lane = (id: string, indexes: number[], extra: Partial<LayoutInput['lanes'][0]> = {}) => ({
  id,
  area: '1号楼',
  positions: indexes.map((index) => ({ id: `${id}-${index}`, index })),
  ...extra,
});

describe('the layout validator', () => {
  it('accepts lanes numbered from 0 and sorts positions by index', () => {
    const layout = validateLayout({ lanes: [lane('A', [2, 0, 1]), lane('B', [0])] });
    expect(layout.lanes[0]?.positions.map((p) => p.id)).toEqual(['A-0', 'A-1', 'A-2']);
    expect(layout.lanes[1]?.positions[0]?.kind).toBe('bay');
  });

  it('refuses a position on a fire lane with FIRE_LANE', () => {
    expect(codeOf({ fireLanes: ['主干道'], lanes: [lane('A', [0, 1], { area: '主干道' })] })).toBe('FIRE_LANE');
    expect(
      codeOf({
        fireLanes: ['主干道'],
        lanes: [
          {
            id: 'A',
            area: '1号楼',
            positions: [
              { id: 'A-0', index: 0 },
              { id: 'A-1', index: 1, area: '主干道' },
            ],
          },
        ],
      }),
    ).toBe('FIRE_LANE');
  });

  it('refuses a lane with a gap with LANE_GAP', () => {
    expect(codeOf({ lanes: [lane('A', [0, 2])] })).toBe('LANE_GAP');
    expect(codeOf({ lanes: [lane('A', [1, 2])] })).toBe('LANE_GAP');
  });

  it('refuses a duplicate position with DUPLICATE_POSITION', () => {
    expect(codeOf({ lanes: [lane('A', [0, 1]), { id: 'B', positions: [{ id: 'A-0', index: 0 }] }] })).toBe(
      'DUPLICATE_POSITION',
    );
    expect(
      codeOf({
        lanes: [
          {
            id: 'A',
            positions: [
              { id: 'x', index: 0 },
              { id: 'y', index: 0 },
            ],
          },
        ],
      }),
    ).toBe('DUPLICATE_POSITION');
  });

  it('refuses an empty lane, a duplicate lane and a closure that ends before it starts', () => {
    expect(codeOf({ lanes: [lane('A', [])] })).toBe('EMPTY_LANE');
    expect(codeOf({ lanes: [lane('A', [0]), { id: 'A', positions: [{ id: 'z', index: 0 }] }] })).toBe('DUPLICATE_LANE');
    expect(
      codeOf({
        lanes: [
          {
            id: 'A',
            positions: [
              {
                id: 'a',
                index: 0,
                closures: [{ from: '2026-12-02' as never, to: '2026-12-01' as never, reason: '施工' }],
              },
            ],
          },
        ],
      }),
    ).toBe('BAD_CLOSURE');
  });

  it('names the field of the error', () => {
    try {
      validateLayout({ lanes: [lane('A', [0]), lane('B', [0, 2])] });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ field: 'lanes[1].positions' });
    }
  });

  it('finds the blockers on the open side with fewer cars for a through lane', () => {
    const [oneEnd, through] = validateLayout({
      lanes: [lane('A', [0, 1, 2, 3]), lane('B', [0, 1, 2, 3], { access: 'through' })],
    }).lanes;
    const cars = new Set([0, 1, 3]);
    expect(blockingIndexes(oneEnd!, 2, (i) => cars.has(i))).toEqual([0, 1]);
    expect(blockingIndexes(through!, 2, (i) => cars.has(i))).toEqual([3]);
  });
});
