import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { BRP_FIXTURE_DIR, checkBrpSolution, loadBrpFixtures } from './brp-checker.js';

let out = '';
let err = '';

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const run = (...args: string[]): Promise<number> => main(['node', 'parkbutler', ...args]);

function writeTemp(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'brp-cli-')), name);
  writeFileSync(file, content);
  return file;
}

interface JsonResult {
  name: string;
  moves: [number, number][];
  provedOptimal: boolean;
  lowerBound: number;
  ms: number;
}

describe('parkbutler brp solve', () => {
  for (const variant of ['restricted', 'unrestricted'] as const) {
    it(`prints one JSON object whose ${variant} moves replay legally`, async () => {
      const group = loadBrpFixtures().find((g) => g.group === 'cvs-5-5')!;
      const code = await run(
        'brp',
        'solve',
        join(BRP_FIXTURE_DIR, 'cvs-5-5.json'),
        '--variant',
        variant,
        '--json',
        '--time-limit-ms',
        '200',
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      const parsed = JSON.parse(out) as { results: JsonResult[] };
      expect(Object.keys(parsed)).toEqual(['results']);
      expect(parsed.results.map((r) => r.name)).toEqual(group.instances.map((i) => i.name));
      parsed.results.forEach((r, i) => {
        expect(Object.keys(r).sort()).toEqual(['lowerBound', 'moves', 'ms', 'name', 'provedOptimal']);
        const instance = group.instances[i]!;
        expect(checkBrpSolution(instance.stacks, group.maxHeight, variant, r.moves).ok).toBe(true);
        expect(r.moves.length).toBeGreaterThanOrEqual(instance.optimal?.[variant] ?? 0);
        expect(r.lowerBound).toBeLessThanOrEqual(r.moves.length);
      });
    });
  }

  it('proves optimality in exact mode on a small group', async () => {
    const code = await run('brp', 'solve', join(BRP_FIXTURE_DIR, 'cvs-3-3.json'), '--mode', 'exact', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { results: JsonResult[] };
    expect(parsed.results.every((r) => r.provedOptimal && r.lowerBound === r.moves.length)).toBe(true);
  });

  it('accepts a single-instance object', async () => {
    const file = writeTemp('lot.json', JSON.stringify({ name: 'gate-3', stacks: [[1, 2], []], maxHeight: 2 }));
    expect(await run('brp', 'solve', file, '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      results: [{ name: 'gate-3', moves: [[0, 1]], provedOptimal: true, lowerBound: 1 }],
    });
  });

  it('prints a per-group table with the gap to the recorded optimum', async () => {
    expect(
      await run('brp', 'solve', join(BRP_FIXTURE_DIR, 'cvs-3-3.json'), join(BRP_FIXTURE_DIR, 'cvs-4-4.json')),
    ).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[1]).toMatch(/^group\s+instances\s+mean moves\s+mean gap to optimal\.restricted\s+proved optimal/);
    expect(lines.some((l) => /^cvs-3-3\s+2\s+\S+\s+0\.00% \(2\)\s+2\b/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('cvs-4-4'))).toBe(true);
  });

  it.each([
    ['{"maxHeight": 3, "instances": [', 'is not valid JSON'],
    [
      JSON.stringify({
        maxHeight: 2,
        distinctPriorities: true,
        instances: [{ name: 'x1', stacks: [[1, 2, 3]] }],
      }),
      'instance "x1": stack 0 holds 3 blocks, over maxHeight 2',
    ],
    [
      JSON.stringify({
        maxHeight: 3,
        distinctPriorities: true,
        instances: [{ name: 'x2', stacks: [[1, 1]] }],
      }),
      'instance "x2": priority 1 appears in stack 0 and stack 0',
    ],
    [
      JSON.stringify({
        maxHeight: 3,
        distinctPriorities: true,
        instances: [{ name: 'x3', stacks: [[1, 3]] }],
      }),
      'instance "x3": priority 2 is missing',
    ],
    [
      JSON.stringify({
        maxHeight: 3,
        instances: [{ name: 'x4', stacks: [[1, 1.5]] }],
      }),
      'instance "x4": stack 0 holds 1.5; a priority must be a positive integer',
    ],
  ])('refuses illegal input with a clear message and exit code 1 (%#)', async (content, message) => {
    const file = writeTemp('bad.json', content);
    expect(await run('brp', 'solve', file, '--json')).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('parkbutler: ');
    expect(err).toContain(message);
  });

  it('refuses a time limit that is not a positive integer as a usage error', async () => {
    expect(await run('brp', 'solve', join(BRP_FIXTURE_DIR, 'cvs-3-3.json'), '--time-limit-ms', '2.5')).toBe(2);
    expect(err).toContain('--time-limit-ms must be a positive integer, got "2.5"');
  });

  it('states the exit codes in --help', async () => {
    expect(await run('--help')).toBe(0);
    expect(out).toContain('Exit codes: 0 success, 1 the work failed');
    expect(out).toContain('2 usage error');
  });

  it('refuses an unknown variant as a usage error', async () => {
    expect(await run('brp', 'solve', join(BRP_FIXTURE_DIR, 'cvs-3-3.json'), '--variant', 'sideways')).toBe(2);
  });
});
