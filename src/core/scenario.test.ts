import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { validateLayout } from './layout.js';
import { parseScenario, scenarioJsonSchema, type Scenario } from './scenario.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JINFANG_TEXT = readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8');
const jinfangJson = (): Record<string, unknown> & Scenario =>
  JSON.parse(JINFANG_TEXT) as Record<string, unknown> & Scenario;

/** The DomainError `parseScenario` throws for `json`. */
function refusal(json: unknown): DomainError {
  try {
    parseScenario(json);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('scenarios/jinfang.json', () => {
  const scenario = parseScenario(jinfangJson());
  const positions = scenario.layout.lanes.flatMap((lane) => lane.positions);

  it('has about 670 households, 250 cars and 120 marked bays, as in the source', () => {
    expect(scenario.households.length).toBeGreaterThanOrEqual(640);
    expect(scenario.households.length).toBeLessThanOrEqual(700);
    expect(scenario.vehicles).toHaveLength(250);
    expect(positions.filter((p) => p.kind === 'bay')).toHaveLength(120);
  });

  it('has about 15% EVs, each with a new-energy plate and a battery', () => {
    const evs = scenario.vehicles.filter((v) => v.ev);
    expect(evs.length / scenario.vehicles.length).toBeGreaterThan(0.13);
    expect(evs.length / scenario.vehicles.length).toBeLessThan(0.17);
    for (const v of evs) {
      expect(v.plate).toMatch(/^沪[A-Z][DF]/);
      expect(v.batteryKwh).toBeGreaterThan(0);
    }
  });

  it('has room for the cars that stay in at night, a few chargers and fire lanes kept clear', () => {
    expect(positions.length).toBeGreaterThanOrEqual(240);
    expect(positions.length).toBeLessThanOrEqual(260);
    expect(positions.filter((p) => p.kind === 'aisle').length).toBeGreaterThan(0);
    expect(positions.filter((p) => p.kind === 'tandem').length).toBeGreaterThan(0);
    expect(scenario.layout.lanes.some((l) => l.access === 'through')).toBe(true);
    const chargers = positions.filter((p) => p.chargerKw !== null && p.chargerKw !== undefined);
    expect(chargers.length).toBeGreaterThanOrEqual(4);
    expect(chargers.length).toBeLessThanOrEqual(10);
    expect(scenario.layout.fireLanes?.length).toBeGreaterThanOrEqual(1);
    const layout = validateLayout(scenario.layout);
    expect(layout.lanes.flatMap((l) => l.positions)).toHaveLength(positions.length);
  });

  it('has 10 guards, two a shift, each working one shift a day', () => {
    const guards = scenario.users.filter((u) => u.role === 'guard');
    expect(guards).toHaveLength(10);
    expect(scenario.roster.guardsPerShift).toBe(2);
    const rostered = new Set(scenario.roster.rotation.pattern.flatMap((day) => day.shifts.flatMap((s) => s.guardIds)));
    expect(rostered).toEqual(new Set(guards.map((g) => g.id)));
  });

  it('has the bus station as its one partner lot: 30 spaces, 10 with chargers, 5 minutes away', () => {
    expect(scenario.partnerLots).toHaveLength(1);
    const [lot] = scenario.partnerLots;
    expect(lot).toMatchObject({ spaces: 30, chargerSpaces: 10, walkMinutes: 5, leaveBy: '07:00' });
    expect(lot?.windows).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '19:00', to: '07:00' }]);
  });

  it('has demo logins for every role', () => {
    const roles = new Set(scenario.users.map((u) => u.role));
    expect(roles).toEqual(new Set(['manager', 'guard', 'resident', 'partner', 'committee']));
  });

  it('is what scripts/gen-jinfang.mjs generates', () => {
    const generated = execFileSync(process.execPath, ['scripts/gen-jinfang.mjs', '--stdout'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(generated).toBe(JINFANG_TEXT);
  });
});

describe('parseScenario', () => {
  it('reports every shape error at once with its JSON path', () => {
    const json = jinfangJson();
    const household = json.households[12] as unknown as Record<string, unknown>;
    household.room = 301;
    (json.vehicles[3] as unknown as Record<string, unknown>).size = 'huge';
    (json.compound as unknown as Record<string, unknown>).timezone = 'Asia/Tokyo';
    const error = refusal(json);
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe('compound.timezone');
    expect(error.message).toMatch(/^compound\.timezone: /m);
    expect(error.message).toMatch(/^households\[12\]\.room: .*expected string/m);
    expect(error.message).toMatch(/^vehicles\[3\]\.size: /m);
  });

  it('refuses an unknown field, naming where it is', () => {
    const json = jinfangJson();
    (json.taskDurations as unknown as Record<string, unknown>).coffeeBreak = 15;
    const error = refusal(json);
    expect(error.field).toBe('taskDurations');
    expect(error.message).toContain('coffeeBreak');
  });

  it('refuses a bad plate at vehicles[i].plate', () => {
    const json = jinfangJson();
    json.vehicles[7]!.plate = '沪A1234';
    const error = refusal(json);
    expect(error.code).toBe('BAD_PLATE');
    expect(error.field).toBe('vehicles[7].plate');
  });

  it('refuses a plate registered twice, however it is spelled', () => {
    const json = jinfangJson();
    const plate = json.vehicles[0]!.plate;
    json.vehicles[9]!.plate = `${plate.slice(0, 2)}·${plate.slice(2).toLowerCase()}`;
    const error = refusal(json);
    expect(error.code).toBe('DUPLICATE_PLATE');
    expect(error.field).toBe('vehicles[9].plate');
  });

  it('returns plates in canonical form', () => {
    const json = jinfangJson();
    const plate = json.vehicles[0]!.plate;
    json.vehicles[0]!.plate = ` ${plate.slice(0, 2)}-${plate.slice(2).toLowerCase()} `;
    expect(parseScenario(json).vehicles[0]?.plate).toBe(plate);
  });

  it('refuses a position on a fire lane with FIRE_LANE', () => {
    const json = jinfangJson();
    const lane = json.layout.lanes[20]!;
    lane.positions[0]!.area = json.layout.fireLanes![0]!;
    const error = refusal(json);
    expect(error.code).toBe('FIRE_LANE');
    expect(error.field).toBe('layout.lanes[20].positions[0]');
  });

  it('refuses a car of an unknown household', () => {
    const json = jinfangJson();
    json.vehicles[4]!.householdId = 'b99-u1-101' as Scenario['households'][number]['id'];
    const error = refusal(json);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.field).toBe('vehicles[4].householdId');
  });

  it('refuses duplicate ids and lists every meaning problem, coded by the first', () => {
    const json = jinfangJson();
    json.households[5]!.id = json.households[4]!.id;
    json.vehicles[2]!.ev = true;
    const error = refusal(json);
    expect(error.code).toBe('DUPLICATE_ID');
    expect(error.field).toBe('households[5].id');
    expect(error.message).toMatch(/^vehicles\[2\]\.batteryKwh: an EV states its battery capacity$/m);
  });

  it('refuses a roster that puts a resident on duty', () => {
    const json = jinfangJson();
    json.roster.rotation.pattern[1]!.shifts[0]!.guardIds[1] = 'r001' as Scenario['users'][number]['id'];
    const error = refusal(json);
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe('roster.rotation.pattern[1].shifts[0].guardIds[1]');
  });

  it('refuses a closure that ends before it starts', () => {
    const json = jinfangJson();
    const closed = json.layout.lanes.flatMap((l) => l.positions).find((p) => (p.closures ?? []).length > 0)!;
    closed.closures![0]!.to = '2020-01-01' as NonNullable<typeof closed.closures>[number]['to'];
    expect(refusal(json).code).toBe('BAD_CLOSURE');
  });

  it('refuses something that is not a scenario at all', () => {
    const error = refusal('jinfang');
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe('(root)');
  });
});

describe('scenarios/scenario.schema.json', () => {
  it('is the JSON Schema generated from ScenarioSchema (regenerate: npx vitest run src/core/scenario -u)', async () => {
    await expect(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`).toMatchFileSnapshot(
      '../../scenarios/scenario.schema.json',
    );
  });
});
