import { describe, expect, it } from 'vitest';
import { parseBrpInstances } from './instance.js';

const group = (instances: unknown[], extra: Record<string, unknown> = {}) => ({
  group: '3-3',
  maxHeight: 4,
  distinctPriorities: true,
  instances,
  ...extra,
});

describe('parseBrpInstances', () => {
  it('accepts a group file and keeps recorded optima', () => {
    const parsed = parseBrpInstances(
      group(
        [
          {
            name: 'a',
            stacks: [[3, 1], [2]],
            optimal: { restricted: 1, unrestricted: null },
          },
        ],
        {
          reference: { solvedRestricted: 1, solvedUnrestricted: 0 },
        },
      ),
      'file',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.group.instances[0]).toEqual({
      name: 'a',
      stacks: [[3, 1], [2]],
      optimal: { restricted: 1 },
    });
    expect(parsed.group.referenceSolved).toEqual({
      restricted: 1,
      unrestricted: 0,
    });
  });

  it('accepts a single instance object and names it after the file', () => {
    const parsed = parseBrpInstances({ stacks: [[1], [2]], maxHeight: 2 }, 'lot7');
    expect(parsed.ok && parsed.group.instances.map((i) => i.name)).toEqual(['lot7']);
  });

  it.each([
    [group([{ name: 'a', stacks: [[1, 2, 3, 4, 5]] }]), 'instance "a": stack 0 holds 5 blocks, over maxHeight 4'],
    [group([{ name: 'a', stacks: [[1, 2], [2]] }]), 'instance "a": priority 2 appears in stack 0 and stack 1'],
    [group([{ name: 'a', stacks: [[1, 3]] }]), 'instance "a": priority 2 is missing'],
    [
      group([{ name: 'a', stacks: [[1, 2.5]] }]),
      'instance "a": stack 0 holds 2.5; a priority must be a positive integer',
    ],
    [
      group([{ name: 'a', stacks: [[1, '2']] }]),
      'instance "a": stack 0 holds "2"; a priority must be a positive integer',
    ],
    [group([{ name: 'a', stacks: [] }]), 'instance "a": stacks must be a non-empty array'],
    [group([]), 'file: no instances'],
    [{ instances: [] }, 'file: maxHeight must be a positive integer'],
    [[1, 2], 'file: expected a JSON object'],
  ])('refuses invalid input with a message naming the rule (%#)', (data, message) => {
    const parsed = parseBrpInstances(data, 'file');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('allows repeated priorities when distinctPriorities is false', () => {
    const parsed = parseBrpInstances(
      group([{ name: 'a', stacks: [[5, 5], [9]] }], {
        distinctPriorities: false,
      }),
      'file',
    );
    expect(parsed.ok).toBe(true);
  });
});
