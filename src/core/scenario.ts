/**
 * @module The scenario format: one compound as data — its layout, households, cars, demo users,
 * guard roster, partner lots, resident behaviour and guard task durations. The demo loads a scenario
 * into an empty database; the simulator runs one. `parseScenario` checks the shape first (every
 * error with its JSON path), then the meaning (layout rules, plates, references, unique ids).
 *
 * `scenarios/scenario.schema.json` is generated from `ScenarioSchema` and a test keeps it equal to
 * the schema. After changing the schema, regenerate it with `npx vitest run src/core/scenario -u`.
 */
import { z } from 'zod';
import { WEEKDAYS } from './calendar.js';
import type { CompoundId, HouseholdId, IsoDate, PartnerLotId, ShiftId, UserId, VehicleId } from './brand.js';
import { DomainError, isDomainError, type ErrorCode } from './errors.js';
import { validateLayout, type LayoutInput } from './layout.js';
import { parsePlate } from './plate.js';

// ---------------------------------------------------------------------------------------------
// Primitives

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** Mainland mobile numbers; the demo uses fake ones such as 13800000001. */
const PHONE = /^1[3-9]\d{9}$/;

/**
 * A string checked by its schema and typed as one of our brands. zod's own `.brand()` makes a
 * different type from core/brand.ts, so the checked schema is cast once here.
 */
function branded<T extends string>(schema: z.ZodType<string, string>): z.ZodType<T, string> {
  return schema as unknown as z.ZodType<T, string>;
}

function id<T extends string>(description: string): z.ZodType<T, string> {
  return branded<T>(
    z
      .string()
      .max(64)
      .regex(ID, 'an id is ASCII letters, digits, "-" and "_", starting with a letter or a digit')
      .describe(description),
  );
}

function layoutId(description: string): z.ZodString {
  return z
    .string()
    .max(64)
    .regex(ID, 'an id is ASCII letters, digits, "-" and "_", starting with a letter or a digit')
    .describe(description);
}

function text(description: string): z.ZodString {
  return z.string().min(1, 'must not be empty').describe(description);
}

function timeOfDay(description: string): z.ZodString {
  return z.string().regex(HHMM, 'a time of day is "HH:MM", 00:00 to 23:59, Asia/Shanghai').describe(description);
}

function isoDate(description: string): z.ZodType<IsoDate, string> {
  return branded<IsoDate>(z.iso.date({ error: 'a date is "YYYY-MM-DD"' }).describe(description));
}

function probability(description: string): z.ZodNumber {
  return z.number().min(0).max(1).describe(description);
}

function minutes(description: string): z.ZodNumber {
  return z.number().positive().describe(`${description} (minutes)`);
}

const SIZES = ['small', 'standard', 'large'] as const;

// ---------------------------------------------------------------------------------------------
// Sections

const CompoundSchema = z
  .strictObject({
    id: branded<CompoundId>(
      z
        .string()
        .max(64)
        .regex(SLUG, 'a compound id is a slug: lower-case ASCII letters and digits joined by "-"')
        .describe('Slug that names the compound in URLs and the database, e.g. jinfang'),
    ),
    name: text('Name shown to people, e.g. 金纺小区'),
    city: text('City, e.g. 上海市'),
    district: text('District, e.g. 静安区'),
    subdistrict: text('Subdistrict (街道), e.g. 共和新路街道').optional(),
    neighbourhood: text('Residents’ committee area (居民区), e.g. 沪北居民区').optional(),
    timezone: z
      .literal('Asia/Shanghai')
      .describe('Time zone of every time of day in the scenario; always Asia/Shanghai'),
  })
  .describe('The compound (小区) the scenario describes');

const ClosureSchema = z
  .strictObject({
    from: isoDate('First day of the closure, inclusive'),
    to: isoDate('Last day of the closure, inclusive'),
    reason: text('Why the position is closed, e.g. 3号楼加装电梯施工'),
  })
  .describe('A dated closure of a position; no car is parked there on those days');

const PositionSchema = z
  .strictObject({
    id: layoutId('Position id, unique in the compound, e.g. L01-0'),
    index: z
      .number()
      .int()
      .min(0)
      .describe('Place in the lane: 0 at the open end; indexes run 0, 1, 2, … without a gap'),
    kind: z
      .enum(['bay', 'aisle', 'tandem'])
      .optional()
      .describe(
        'bay: a marked parking space; aisle: a place in a driving aisle in front of others, used only by the guards; tandem: an unmarked place in a row of cars nose to tail. Default: bay for a lane of one, tandem otherwise',
      ),
    chargerKw: z
      .number()
      .positive()
      .nullable()
      .optional()
      .describe('Charger power in kW, or null (the default) when the position has no charger'),
    maxSize: z.enum(SIZES).optional().describe('Largest car that fits (small < standard < large); default large'),
    area: text('Overrides the lane’s area for this position, e.g. the aisle end that reaches a road').optional(),
    closures: z.array(ClosureSchema).optional().describe('Dated closures, e.g. for construction; default none'),
  })
  .describe('One car’s place in a lane');

const LaneSchema = z
  .strictObject({
    id: layoutId('Lane id, unique in the compound, e.g. L01'),
    name: text('Name shown on the lot map, e.g. 3号楼南侧 1').optional(),
    access: z
      .enum(['one-end', 'through'])
      .optional()
      .describe(
        'one-end: reached only at position 0; through: reached at position 0 and at the last one. Default one-end',
      ),
    area: text('Where the lane is, e.g. 3号楼南侧; a lane in an area listed in fireLanes is refused').optional(),
    positions: z.array(PositionSchema).describe('The lane’s positions, at least one'),
  })
  .describe(
    'An ordered run of positions reached from one open end or from both ends; a marked bay alone is a lane of one',
  );

const LayoutSchema = z
  .strictObject({
    lanes: z.array(LaneSchema).describe('Every lane of the compound'),
    fireLanes: z
      .array(text('Area name of a fire lane, e.g. 主干道消防通道'))
      .optional()
      .describe('Areas that are fire lanes (消防通道): no position may stand in them'),
  })
  .describe('The lot: exactly the LayoutInput of core/layout.ts, checked by validateLayout');

/**
 * Compile-time proof that the layout section and core/layout.ts `LayoutInput` accept the same objects.
 * @public
 */
export type LayoutSectionIsLayoutInput = AssertTrue<Same<z.output<typeof LayoutSchema>, LayoutInput>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;

const HouseholdSchema = z
  .strictObject({
    id: id<HouseholdId>('Household id, e.g. b12-u2-301'),
    building: text('Building (楼号), e.g. 12号'),
    unit: text('Stairway unit (单元), e.g. 2单元'),
    room: text('Flat (室), e.g. 301'),
  })
  .describe('A household (户): one flat');

const HabitsSchema = z
  .strictObject({
    departure: timeOfDay('Typical weekday departure, e.g. 07:40'),
    arrival: timeOfDay('Typical weekday arrival home, e.g. 18:30'),
    stayHomeRate: probability('Probability that the car does not leave on a given weekday'),
    declaresDeparture: probability(
      'Probability that the resident declares the next morning’s departure time in the app',
    ),
  })
  .describe('How the car is used; the simulator draws each day from these');

const VehicleSchema = z
  .strictObject({
    id: id<VehicleId>('Vehicle id, e.g. v001'),
    plate: text(
      'Chinese plate: a province character, a letter and 5 characters (沪A12345), 6 for new-energy plates (沪AD12345); stored in canonical form',
    ),
    householdId: id<HouseholdId>('Owning household')
      .nullable()
      .describe('Owning household, or null for a car of no household (e.g. the property company’s van)'),
    size: z.enum(SIZES).describe('Size class: small, standard or large (SUV, MPV)'),
    ev: z.boolean().describe('Plug-in car (battery or plug-in hybrid) that needs a charger'),
    batteryKwh: z
      .number()
      .positive()
      .optional()
      .describe('Usable battery capacity in kWh; required for an EV, absent otherwise'),
    keyConsent: z
      .boolean()
      .describe(
        'The household consented to key custody and handed the guards a spare key; without it the car is never moved by guards',
      ),
    habits: HabitsSchema,
  })
  .describe('A car');

const UserSchema = z
  .strictObject({
    id: id<UserId>('User id, e.g. mgr1, g01, r001'),
    role: z
      .enum(['manager', 'guard', 'resident', 'partner', 'committee'])
      .describe(
        'manager: property manager; guard: 保安/泊车员; resident; partner: staff of a partner lot; committee: read-only 居委/党总支',
      ),
    name: text('Name shown to people (Chinese)'),
    phone: z
      .string()
      .regex(PHONE, 'a phone number is a mainland mobile number: 11 digits starting with 1')
      .describe('Login phone number; demo scenarios use fake numbers such as 13800000001'),
    password: z
      .string()
      .min(6, 'a password has at least 6 characters')
      .describe(
        'DEMO ONLY: plain-text password for the demo login; real deployments never put passwords in a scenario',
      ),
    householdId: id<HouseholdId>('The resident’s household; required for a resident').optional(),
    partnerLotId: id<PartnerLotId>('The partner lot a partner user works for; required for a partner').optional(),
  })
  .describe('A demo login');

const ShiftSchema = z
  .strictObject({
    id: id<ShiftId>('Shift id, e.g. day'),
    name: text('Name shown to people, e.g. 白班'),
    start: timeOfDay('Start of the shift'),
    end: timeOfDay('End of the shift; earlier than start when the shift runs past midnight'),
  })
  .describe('A shift of the day');

const RosterSchema = z
  .strictObject({
    guardsPerShift: z.number().int().positive().describe('Guards on duty in each shift'),
    shifts: z.array(ShiftSchema).min(1).describe('The shifts of every day'),
    rotation: z
      .strictObject({
        startDate: isoDate('The day on which the first day of the pattern falls'),
        pattern: z
          .array(
            z
              .strictObject({
                shifts: z
                  .array(
                    z.strictObject({
                      shiftId: id<ShiftId>('The shift'),
                      guardIds: z.array(id<UserId>('A guard')).min(1).describe('The guards on duty in that shift'),
                    }),
                  )
                  .describe('Every shift of that day, each once, with its guards'),
              })
              .describe('One day of the cycle'),
          )
          .min(1)
          .describe('The cycle of days, repeated from startDate'),
      })
      .describe('Who works which shift, as a repeating cycle of days'),
  })
  .describe('The guards’ roster');

const PartnerLotSchema = z
  .strictObject({
    id: id<PartnerLotId>('Partner lot id, e.g. hutai-bus-station'),
    name: text('Name shown to people'),
    organisation: text('The partner unit that offers the spaces'),
    spaces: z.number().int().positive().describe('Spaces offered to residents'),
    chargerSpaces: z.number().int().min(0).describe('How many of those spaces have a charger'),
    chargerKw: z.number().positive().nullable().describe('Charger power in kW, or null without chargers'),
    windows: z
      .array(
        z
          .strictObject({
            days: z.array(z.enum(WEEKDAYS)).min(1).describe('Days on which the window opens'),
            from: timeOfDay('Opening time on those days'),
            to: timeOfDay('Closing time; earlier than from when the window ends the next morning'),
          })
          .describe('A time window in which residents may park'),
      )
      .min(1)
      .describe('When residents may park there'),
    walkMinutes: minutes('Walk between the partner lot and the compound gate'),
    leaveBy: timeOfDay('Hard time by which every resident’s car must have left; a car still there is an overstay'),
    contacts: z
      .array(
        z.strictObject({
          name: text('Contact person or desk'),
          role: text('What they do, e.g. 值班站务'),
          phone: z
            .string()
            .regex(PHONE, 'a phone number is a mainland mobile number: 11 digits starting with 1')
            .describe('Phone (fake in the demo)'),
        }),
      )
      .describe('Who to call at the partner'),
  })
  .describe('Off-peak shared parking (错峰共享停车) offered by a partner unit');

const BehaviourSchema = z
  .strictObject({
    arrivals: z
      .array(
        z.strictObject({
          from: timeOfDay('Start of the interval'),
          to: timeOfDay('End of the interval'),
          share: probability('Share of the evening’s arrivals in the interval'),
        }),
      )
      .min(1)
      .describe('Weekday evening arrivals by time of day; the shares add up to 1'),
    departureNoiseMinutes: z
      .number()
      .min(0)
      .describe('Standard deviation of a day’s departure around the car’s habitual time, in minutes'),
    declaringShare: probability(
      'Compound-wide share of departures declared in advance (the vehicles’ own habits take precedence)',
    ),
    stayHomeRate: probability(
      'Compound-wide probability that a car stays in on a weekday (the vehicles’ own habits take precedence)',
    ),
    nightEmergencyRate: z
      .number()
      .min(0)
      .describe('Expected unplanned night retrievals per night (someone needs the car between 23:00 and 06:00)'),
    weekendFactor: z.number().min(0).describe('Weekend departures and arrivals as a fraction of a weekday’s'),
    partnerLotShare: probability('Share of cars that go to the partner lot on an evening when it is open (EVs first)'),
    awayOvernightRate: probability(
      'Probability that a car that leaves on a weekday does not come back that night (a trip, night work, parked elsewhere); default 0',
    ).optional(),
    weekendAwayOvernightRate: probability(
      'The same for a night that starts on a Saturday or a Sunday (weekend trips); default awayOvernightRate',
    ).optional(),
  })
  .describe('Resident behaviour for the simulator');

const TaskDurationsSchema = z
  .strictObject({
    walkToCabinet: minutes('Guard walks from the gate or a car to the key cabinet'),
    walkToCar: minutes('Guard walks from the key cabinet to a car'),
    drive: minutes('Guard drives a car from one place in the compound to another'),
    park: minutes('Guard manoeuvres a car into or out of a position'),
  })
  .describe('How long a guard’s task steps take');

/** The scenario file format; `scenarios/scenario.schema.json` is generated from it. */
export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of scenario.schema.json, for editors'),
    formatVersion: z.literal(1).describe('Version of this format'),
    compound: CompoundSchema,
    layout: LayoutSchema,
    households: z.array(HouseholdSchema).describe('Every household'),
    vehicles: z.array(VehicleSchema).describe('Every car registered in the compound'),
    users: z.array(UserSchema).describe('Demo logins: managers, guards, residents, partner staff, committee'),
    roster: RosterSchema,
    partnerLots: z.array(PartnerLotSchema).describe('Partner lots for off-peak shared parking'),
    behaviour: BehaviourSchema,
    taskDurations: TaskDurationsSchema,
    assumptions: z
      .array(text('One assumption'))
      .min(1)
      .describe('Every number that does not come from the source, stated plainly'),
  })
  .meta({
    title: 'parkbutler scenario',
    description: 'One compound for the parkbutler (泊车管家) demo and simulator. Times are Asia/Shanghai.',
  });

/** A scenario after `parseScenario`: shape and meaning checked, plates in canonical form. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioPartnerLot = Scenario['partnerLots'][number];

/** The JSON Schema (draft 2020-12) of the scenario format, for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface Problem {
  code: ErrorCode;
  field: string;
  message: string;
}

/** `["vehicles", 3, "plate"]` → `vehicles[3].plate`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

function refuse(problems: readonly Problem[]): never {
  const [first] = problems;
  if (first === undefined) throw new Error('refuse() needs at least one problem');
  const message =
    problems.length === 1
      ? first.message
      : `the scenario has ${problems.length} problems:\n${problems.map((p) => p.message).join('\n')}`;
  throw new DomainError(first.code, message, { field: first.field });
}

/**
 * Parses a scenario, refusing it with a `DomainError` that lists every problem as `path: rule`
 * and names the first one's path in `field`. Shape errors come all at once with code
 * `VALIDATION`; then the meaning is checked and the error takes the code of the first problem
 * (`FIRE_LANE`, `BAD_PLATE`, `NOT_FOUND`, `DUPLICATE_ID`, …). Plates come back in canonical form.
 */
export function parseScenario(json: unknown): Scenario {
  const result = ScenarioSchema.safeParse(json);
  if (!result.success) {
    refuse(
      result.error.issues.map((issue) => {
        const field = formatPath(issue.path);
        return { code: 'VALIDATION', field, message: `${field}: ${issue.message}` };
      }),
    );
  }
  const scenario = result.data;
  const { problems, plates } = checkMeaning(scenario);
  if (problems.length > 0) refuse(problems);
  return { ...scenario, vehicles: scenario.vehicles.map((v, i) => ({ ...v, plate: plates[i] ?? v.plate })) };
}

function checkMeaning(s: Scenario): { problems: Problem[]; plates: string[] } {
  const problems: Problem[] = [];
  const problem = (code: ErrorCode, field: string, rule: string): void => {
    problems.push({ code, field, message: `${field}: ${rule}` });
  };

  /** Reports every repeat of a key; returns the set of keys. */
  function unique<T>(
    items: readonly T[],
    key: (item: T) => string,
    at: (i: number) => string,
    what: string,
    code: ErrorCode = 'DUPLICATE_ID',
  ): Set<string> {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else problem(code, at(i), `${what} "${k}" is used twice (first at ${at(first)})`);
    });
    return new Set(seen.keys());
  }

  // Layout: fire lanes, gaps, duplicates, closures (validateLayout stops at its first problem).
  try {
    validateLayout(s.layout);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    problems.push({ code: error.code, field: `layout.${error.field ?? ''}`, message: `layout.${error.message}` });
  }

  // Households and vehicles.
  const households = unique(
    s.households,
    (h) => h.id,
    (i) => `households[${i}].id`,
    'household id',
  );
  unique(
    s.vehicles,
    (v) => v.id,
    (i) => `vehicles[${i}].id`,
    'vehicle id',
  );
  const plates = s.vehicles.map((v, i) => {
    try {
      return parsePlate(v.plate, `vehicles[${i}].plate`).plate as string;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      problems.push({ code: error.code, field: error.field ?? `vehicles[${i}].plate`, message: error.message });
      return v.plate;
    }
  });
  unique(
    plates.map((plate, i) => ({ plate, i })),
    (p) => p.plate,
    (i) => `vehicles[${i}].plate`,
    'plate',
    'DUPLICATE_PLATE',
  );
  s.vehicles.forEach((v, i) => {
    if (v.householdId !== null && !households.has(v.householdId)) {
      problem('NOT_FOUND', `vehicles[${i}].householdId`, `no household "${v.householdId}" in households`);
    }
    if (v.ev && v.batteryKwh === undefined)
      problem('VALIDATION', `vehicles[${i}].batteryKwh`, 'an EV states its battery capacity');
    if (!v.ev && v.batteryKwh !== undefined)
      problem('VALIDATION', `vehicles[${i}].batteryKwh`, 'only an EV has a battery capacity');
  });

  // Partner lots.
  const lots = unique(
    s.partnerLots,
    (p) => p.id,
    (i) => `partnerLots[${i}].id`,
    'partner lot id',
  );
  s.partnerLots.forEach((lot, i) => {
    if (lot.chargerSpaces > lot.spaces) {
      problem(
        'VALIDATION',
        `partnerLots[${i}].chargerSpaces`,
        `${lot.chargerSpaces} charger spaces but only ${lot.spaces} spaces`,
      );
    }
    if (lot.chargerSpaces > 0 && lot.chargerKw === null) {
      problem('VALIDATION', `partnerLots[${i}].chargerKw`, 'a lot with charger spaces states the charger power');
    }
    lot.windows.forEach((w, k) => {
      if (w.from === w.to)
        problem('VALIDATION', `partnerLots[${i}].windows[${k}]`, 'a window opens and closes at different times');
    });
  });

  // Users.
  unique(
    s.users,
    (u) => u.id,
    (i) => `users[${i}].id`,
    'user id',
  );
  unique(
    s.users,
    (u) => u.phone,
    (i) => `users[${i}].phone`,
    'phone number',
  );
  const roles = new Map(s.users.map((u) => [u.id as string, u.role]));
  s.users.forEach((u, i) => {
    if (u.role === 'resident' && u.householdId === undefined)
      problem('VALIDATION', `users[${i}].householdId`, 'a resident belongs to a household');
    if (u.householdId !== undefined && !households.has(u.householdId)) {
      problem('NOT_FOUND', `users[${i}].householdId`, `no household "${u.householdId}" in households`);
    }
    if (u.role === 'partner' && u.partnerLotId === undefined)
      problem('VALIDATION', `users[${i}].partnerLotId`, 'a partner user works for a partner lot');
    if (u.role !== 'partner' && u.partnerLotId !== undefined)
      problem('VALIDATION', `users[${i}].partnerLotId`, 'only a partner user has a partner lot');
    if (u.partnerLotId !== undefined && !lots.has(u.partnerLotId)) {
      problem('NOT_FOUND', `users[${i}].partnerLotId`, `no partner lot "${u.partnerLotId}" in partnerLots`);
    }
  });

  // Roster.
  const { roster } = s;
  const shifts = unique(
    roster.shifts,
    (sh) => sh.id,
    (i) => `roster.shifts[${i}].id`,
    'shift id',
  );
  roster.shifts.forEach((sh, i) => {
    if (sh.start === sh.end) problem('VALIDATION', `roster.shifts[${i}]`, 'a shift starts and ends at different times');
  });
  roster.rotation.pattern.forEach((day, d) => {
    const at = `roster.rotation.pattern[${d}].shifts`;
    const covered = new Set<string>();
    const onDuty = new Set<string>();
    day.shifts.forEach((a, k) => {
      if (!shifts.has(a.shiftId))
        problem('NOT_FOUND', `${at}[${k}].shiftId`, `no shift "${a.shiftId}" in roster.shifts`);
      else if (covered.has(a.shiftId))
        problem('VALIDATION', `${at}[${k}].shiftId`, `shift "${a.shiftId}" appears twice on one day`);
      covered.add(a.shiftId);
      if (a.guardIds.length !== roster.guardsPerShift) {
        problem(
          'VALIDATION',
          `${at}[${k}].guardIds`,
          `${a.guardIds.length} guards, but a shift has ${roster.guardsPerShift}`,
        );
      }
      a.guardIds.forEach((g, j) => {
        const field = `${at}[${k}].guardIds[${j}]`;
        const role = roles.get(g);
        if (role === undefined) problem('NOT_FOUND', field, `no user "${g}" in users`);
        else if (role !== 'guard') problem('VALIDATION', field, `user "${g}" is a ${role}, not a guard`);
        if (onDuty.has(g)) problem('VALIDATION', field, `guard "${g}" works one shift a day`);
        onDuty.add(g);
      });
    });
    for (const sh of roster.shifts) {
      if (!covered.has(sh.id)) problem('VALIDATION', at, `shift "${sh.id}" has no guards on this day`);
    }
  });

  // Behaviour.
  const total = s.behaviour.arrivals.reduce((sum, a) => sum + a.share, 0);
  if (Math.abs(total - 1) > 1e-6) problem('VALIDATION', 'behaviour.arrivals', `the shares add up to ${total}, not 1`);
  s.behaviour.arrivals.forEach((a, k) => {
    if (a.from === a.to)
      problem('VALIDATION', `behaviour.arrivals[${k}]`, 'an interval starts and ends at different times');
  });

  return { problems, plates };
}
