import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/processes.js';

const JINFANG = 'scenarios/jinfang.json';
const FIELDS = [
  'housedRate',
  'onTimeRate',
  'waitMeanMin',
  'waitP95Min',
  'waitMaxMin',
  'gateWaitP95Min',
  'gateWaitMaxMin',
  'relocationsPerDeparture',
  'relocationLowerBoundPerDeparture',
  'guardPeakUtilization',
  'evEnergyMetRate',
  'partnerNightsUsed',
  'violations',
];

describe('parkbutler simulate', () => {
  it('prints byte-identical --json for the same scenario and seed, in the documented shape', () => {
    const args = ['simulate', JINFANG, '--days', '1', '--compare', 'naive,greedy', '--seed', '11', '--json'];
    const first = runCli(args, {});
    const second = runCli(args, {});
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(first.stdout) as { policies: Record<string, Record<string, number>> };
    expect(Object.keys(parsed)).toEqual(['policies']);
    expect(Object.keys(parsed.policies)).toEqual(['naive', 'greedy']);
    for (const figures of Object.values(parsed.policies)) {
      expect(Object.keys(figures)).toEqual(FIELDS);
      for (const rate of ['housedRate', 'onTimeRate', 'guardPeakUtilization', 'evEnergyMetRate']) {
        expect(figures[rate]).toBeGreaterThanOrEqual(0);
        expect(figures[rate]).toBeLessThanOrEqual(1);
      }
    }
    const otherSeed = runCli(
      ['simulate', JINFANG, '--days', '1', '--compare', 'naive,greedy', '--seed', '12', '--json'],
      {},
    );
    expect(otherSeed.stdout).not.toBe(first.stdout);
  });

  it('refuses a malformed scenario, naming the JSON path of every error', () => {
    const scenario = JSON.parse(readFileSync(JINFANG, 'utf8')) as {
      vehicles: { plate: string }[];
      roster: { guardsPerShift: unknown };
      layout: { lanes: { positions: { index: unknown }[] }[] };
    };
    scenario.vehicles[3]!.plate = 'not a plate';
    scenario.roster.guardsPerShift = 'two';
    scenario.layout.lanes[0]!.positions[0]!.index = -1;
    const file = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'bad.json');
    writeFileSync(file, JSON.stringify(scenario));
    const r = runCli(['simulate', file, '--days', '1'], {});
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('roster.guardsPerShift');
    expect(r.stderr).toContain('layout.lanes[0].positions[0].index');
  });

  it('refuses a plate that is no Chinese plate with its path, once the shape is right', () => {
    const scenario = JSON.parse(readFileSync(JINFANG, 'utf8')) as { vehicles: { plate: string }[] };
    scenario.vehicles[3]!.plate = 'XX12';
    const file = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'bad-plate.json');
    writeFileSync(file, JSON.stringify(scenario));
    const r = runCli(['simulate', file, '--days', '1'], {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('vehicles[3].plate');
  });

  it('refuses --policy together with --compare, and an unknown policy', () => {
    const both = runCli(['simulate', JINFANG, '--policy', 'naive', '--compare', 'naive,greedy'], {});
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain('not both');
    const unknown = runCli(['simulate', JINFANG, '--policy', 'clever'], {});
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown policy "clever"');
  });

  it('prints a table and writes a report with five charts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'report.html');
    const r = runCli(['simulate', JINFANG, '--days', '1', '--policy', 'greedy', '--report', file], {});
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('relocationsPerDeparture');
    expect(r.stderr).toBe('');
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(5);
  });
});
