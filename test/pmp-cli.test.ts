import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { checkPmpSolution } from './pmp-checker.js';

const fixtureDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'pmp');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'parkbutler', ...args]);
    return { code, out, err };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

function tempFile(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pmp-cli-'));
  const file = path.join(dir, 'group.json');
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

afterEach(() => {
  process.exitCode = undefined;
});

describe('parkbutler pmp solve', () => {
  for (const file of readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    it(`prints legal sorting moves for every instance of ${file} with --json`, async () => {
      const full = path.join(fixtureDir, file);
      const { code, out } = await run(['pmp', 'solve', full, '--json', '--time-limit-ms', '1000']);
      expect(code).toBe(0);
      const parsed = JSON.parse(out) as { results: JsonResult[] };
      const group = JSON.parse(readFileSync(full, 'utf8')) as {
        maxHeight: number;
        instances: { name: string; stacks: number[][]; optimal: number | null }[];
      };
      expect(parsed.results.map((r) => r.name)).toEqual(group.instances.map((i) => i.name));
      for (const [i, r] of parsed.results.entries()) {
        const inst = group.instances[i]!;
        expect(Object.keys(r).sort()).toEqual(['lowerBound', 'moves', 'ms', 'name', 'provedOptimal']);
        const caps = inst.stacks.map(() => group.maxHeight);
        expect(checkPmpSolution(inst.stacks, caps, r.moves)).toMatchObject({ ok: true });
        expect(r.lowerBound).toBeLessThanOrEqual(r.moves.length);
        if (r.provedOptimal) expect(r.moves.length).toBe(r.lowerBound);
      }
    });
  }

  it('proves small instances optimal in exact mode', async () => {
    const file = tempFile(JSON.stringify({ maxHeight: 3, instances: [{ name: 'tiny', stacks: [[1, 2], [3], []] }] }));
    const { code, out } = await run(['pmp', 'solve', file, '--mode', 'exact', '--json']);
    expect(code).toBe(0);
    const r = (JSON.parse(out) as { results: JsonResult[] }).results[0]!;
    expect(r.provedOptimal).toBe(true);
    expect(r.moves.length).toBe(1);
  });

  it('prints a per-group table without --json', async () => {
    const { code, out } = await run(['pmp', 'solve', path.join(fixtureDir, 'cv-3-3.json'), '--time-limit-ms', '200']);
    expect(code).toBe(0);
    expect(out).toMatch(/group\s+instances\s+solved\s+mean moves\s+mean gap %\s+optimal\s+mean ms\s+max ms/);
    expect(out).toMatch(/3-3\s+3\s+3/);
  });

  it('refuses a stack over its height, naming the instance and the rule', async () => {
    const file = tempFile(JSON.stringify({ maxHeight: 2, instances: [{ name: 'tall', stacks: [[1, 2, 3], []] }] }));
    const { code, err } = await run(['pmp', 'solve', file, '--json']);
    expect(code).toBe(1);
    expect(err).toMatch(/parkbutler: .*instance "tall": stack 0 holds 3 items, over its height limit 2/);
  });

  it('refuses non-integer values', async () => {
    const file = tempFile(JSON.stringify({ maxHeight: 3, instances: [{ name: 'frac', stacks: [[1.5], [2]] }] }));
    const { code, err } = await run(['pmp', 'solve', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/instance "frac": stack 0 holds 1\.5; values must be non-negative integers/);
  });

  it('refuses duplicate priorities when distinctPriorities is true', async () => {
    const file = tempFile(
      JSON.stringify({ maxHeight: 3, distinctPriorities: true, instances: [{ name: 'dup', stacks: [[1, 2], [2]] }] }),
    );
    const { code, err } = await run(['pmp', 'solve', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/instance "dup": distinctPriorities is true.*2 repeats/);
  });

  it('refuses missing priorities when distinctPriorities is true', async () => {
    const file = tempFile(
      JSON.stringify({ maxHeight: 3, distinctPriorities: true, instances: [{ name: 'gap', stacks: [[1, 4], [2]] }] }),
    );
    const { code, err } = await run(['pmp', 'solve', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/instance "gap": distinctPriorities is true.*3 is missing/);
  });

  it('refuses a file that is not JSON', async () => {
    const file = tempFile('{"maxHeight": 3, "instances": [');
    const { code, err } = await run(['pmp', 'solve', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/parkbutler: .*group\.json is not valid JSON/);
  });

  it('refuses an unknown mode as a usage error (exit code 2)', async () => {
    const { code, err } = await run(['pmp', 'solve', path.join(fixtureDir, 'cv-3-3.json'), '--mode', 'fast']);
    expect(code).toBe(2);
    expect(err).toMatch(/--mode must be "heuristic" or "exact"/);
  });

  it('refuses a time limit that is not a positive number as a usage error (exit code 2)', async () => {
    const { code, err } = await run(['pmp', 'solve', path.join(fixtureDir, 'cv-3-3.json'), '--time-limit-ms', '-5']);
    expect(code).toBe(2);
    expect(err).toMatch(/--time-limit-ms must be a positive number, not "-5"/);
  });
});
