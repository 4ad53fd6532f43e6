import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { parseScenario } from '../src/core/scenario.js';

/** What the command wrote to stdout and stderr. */
const written = { out: '', err: '' };

beforeEach(() => {
  written.out = '';
  written.err = '';
  for (const [stream, key] of [
    [process.stdout, 'out'],
    [process.stderr, 'err'],
  ] as const) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written[key] += String(chunk);
      return true;
    });
  }
});

afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]): Promise<number> => main(['node', 'parkbutler', ...args]);

describe('parkbutler scenario generate', () => {
  it('writes a valid scenario of the family asked for, the same for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 'a.json');
    expect(await run('scenario', 'generate', '--seed', '3', '--family', 'through', '--out', file)).toBe(0);
    const scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
    expect(scenario.compound.id).toBe('gen-through-3');
    expect(scenario.layout.lanes.some((l) => l.access === 'through')).toBe(true);
    expect(written.out).toContain(file);
    written.out = '';
    expect(await run('scenario', 'generate', '--seed', '3', '--family', 'through')).toBe(0);
    expect(written.out).toBe(readFileSync(file, 'utf8'));
  });

  it('refuses an unknown family and a seed that is no whole number', async () => {
    expect(await run('scenario', 'generate', '--seed', '3', '--family', 'round')).toBe(2);
    expect(written.err).toContain('unknown family "round"');
    expect(await run('scenario', 'generate', '--seed', '-1')).toBe(2);
    expect(written.err).toContain('the seed is a whole number');
  });
});
