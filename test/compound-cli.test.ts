/** `parkbutler compound add|list` as a district operator runs them: from a scenario file, on a real database file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScenario } from '../src/sim/generate.js';
import { runCli } from './support/processes.js';

const root = mkdtempSync(join(tmpdir(), 'parkbutler-compound-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parkbutler compound', () => {
  it('adds a compound from a file and lists it; a second add of the same file is refused', () => {
    const file = join(root, 'tandem-3.json');
    writeFileSync(file, JSON.stringify(generateScenario({ seed: 3, family: 'tandem' })));
    const data = join(root, 'data');
    const added = runCli(['compound', 'add', file], { PARKBUTLER_DATA: data });
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added 生成小区 tandem 3 \(gen-tandem-3\): \d+ households, \d+ cars, \d+ accounts/);
    const again = runCli(['compound', 'add', file], { PARKBUTLER_DATA: data });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('compound.id: compound "gen-tandem-3" exists');
    const list = runCli(['compound', 'list'], { PARKBUTLER_DATA: data });
    expect(list.stdout).toMatch(/gen-tandem-3\t生成小区 tandem 3\t\d+ households\t\d+ cars \(0 parked\)/);
  }, 120_000);
});
