/**
 * @module A seeded generator of compounds the simulator has never seen: layouts of the shapes old
 * compounds have (marked bays, through rows open at both ends, dead-end tandem lanes of 2–4 whose
 * back places may take standard cars at most, aisle places in front of bays, places for small cars
 * only, chargers anywhere), closures that start and end mid-run, 0–3 partner lots with weekday,
 * daily or weekend windows, 1–3 guards a shift, 0–40% EVs, 0–20% cars without key consent, and
 * residents who commute, work nights or are retired. A pure function of seed and family: the same
 * arguments give the same scenario on every machine, and every scenario passes `parseScenario`.
 */
import type { Scenario } from '../core/scenario.js';
import { parseScenario } from '../core/scenario.js';
import { minutesOf } from '../core/calendar.js';
import { addDays } from '../core/time.js';
import type { Rng } from './random.js';
import { mean } from './kpi.js';
import { normal, substream, uniform } from './random.js';

/**
 * A family of compound shapes: `tandem` (mostly dead-end tandem lanes), `through` (mostly through
 * rows), `aisle` (mostly aisle places in front of bays), `mixed` (all of them), and `tight` (a
 * mixed layout with about as many cars as places, partner lots and closures included).
 */
export type CompoundFamily = 'tandem' | 'through' | 'aisle' | 'mixed' | 'tight';
export const COMPOUND_FAMILIES: readonly CompoundFamily[] = ['tandem', 'through', 'aisle', 'mixed', 'tight'];

export interface GenerateOptions {
  seed: number;
  /** Default: chosen from the seed. */
  family?: CompoundFamily;
}

/** The first day of a generated run falls on one of the seven days after this Monday. */
const FIRST_MONDAY = '2026-11-02';
/** Closures start and end within this many days of the first simulated day. */
const CLOSURE_HORIZON_DAYS = 40;
/** Share of lanes of each kind in a family's layout: bay, tandem, through, aisle. */
const LANE_MIX: Record<CompoundFamily, [number, number, number, number]> = {
  tandem: [0.25, 0.6, 0.05, 0.1],
  through: [0.3, 0.1, 0.45, 0.15],
  aisle: [0.3, 0.1, 0.05, 0.55],
  mixed: [0.3, 0.3, 0.15, 0.25],
  tight: [0.3, 0.3, 0.15, 0.25],
};
/** Cars one guard on shift can park and fetch in the evening and morning peaks (an assumption). */
const CARS_PER_GUARD = 70;
const GUARD_PHONE_BASE = 13_800_001_000;
const PARTNER_PHONE_BASE = 13_800_002_000;
const FIRE_LANES = ['主干道消防通道', '北侧环路消防通道'];
const AREAS = ['南侧', '北侧', '东山墙', '西山墙', '围墙边', '尽端路', '中心花园边', '自行车棚旁'];
const SERIAL = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const BATTERY_KWH = [17.3, 26.5, 44.9, 50.1, 60.5, 71.8];
const HYBRID_KWH = [8.3, 18.3, 21.5];

type Kind = 'bay' | 'aisle' | 'tandem';
type Size = 'small' | 'standard' | 'large';
type Profile = 'commuter' | 'night-shift' | 'retired' | 'late';
type Raw = Record<string, unknown>;

interface Draw {
  rng: Rng;
  /** A float in [from, to). */
  real(from: number, to: number): number;
  /** An integer in [from, to]. */
  int(from: number, to: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

function draw(rng: Rng): Draw {
  const int = (from: number, to: number): number => from + Math.floor(rng.next() * (to - from + 1));
  return {
    rng,
    real: (from, to) => uniform(rng, from, to),
    int,
    chance: (p) => rng.next() < p,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
  };
}

const hhmm = (minutes: number): string => {
  const m = (((Math.round(minutes / 5) * 5) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The family a seed stands for when none is given. */
export function familyOfSeed(seed: number): CompoundFamily {
  return COMPOUND_FAMILIES[seed % COMPOUND_FAMILIES.length] as CompoundFamily;
}

/** A generated compound, checked by `parseScenario`. */
export function generateScenario(options: GenerateOptions): Scenario {
  const { seed } = options;
  const family = options.family ?? familyOfSeed(seed);
  const d = draw(substream(seed, 0x67656e, COMPOUND_FAMILIES.indexOf(family)));
  const startDate = addDays(FIRST_MONDAY, d.int(0, 6));
  const tight = family === 'tight';

  // Layout.
  const targetPositions = d.int(50, 200);
  const mix = LANE_MIX[family];
  const chargerShare = d.real(0, 0.08);
  const smallShare = d.real(0, 0.08);
  const lanes: Raw[] = [];
  const positionsOf = (lane: Raw): Raw[] => lane.positions as Raw[];
  let count = 0;
  while (count < targetPositions) {
    const id = `L${String(lanes.length + 1).padStart(3, '0')}`;
    const r = d.rng.next();
    let kinds: Kind[];
    let access: 'one-end' | 'through' = 'one-end';
    const sizes: (Size | undefined)[] = [];
    if (r < mix[0]) kinds = ['bay'];
    else if (r < mix[0] + mix[1]) {
      const depth = d.int(2, 4);
      kinds = Array<Kind>(depth).fill('tandem');
      if (d.chance(0.5)) sizes[depth - 1] = 'standard';
    } else if (r < mix[0] + mix[1] + mix[2]) {
      kinds = Array<Kind>(d.int(4, 10)).fill(d.chance(0.5) ? 'bay' : 'tandem');
      access = 'through';
    } else {
      kinds = d.chance(0.7) ? ['aisle', 'bay'] : ['aisle', 'bay', 'bay'];
      if (d.chance(0.4)) sizes[0] = 'standard';
    }
    const area = `${d.int(1, 16)}号楼${d.pick(AREAS)}`;
    const positions = kinds.map((kind, index): Raw => {
      const p: Raw = { id: `${id}-${index}`, index, kind };
      if (d.chance(chargerShare)) p.chargerKw = d.pick([7, 7, 11]);
      const size = d.chance(smallShare) ? 'small' : sizes[index];
      if (size !== undefined) p.maxSize = size;
      return p;
    });
    lanes.push({ id, name: `${area} ${lanes.length + 1}`, access, area, positions });
    count += positions.length;
  }

  // Closures: whole lanes or the aisle places of an area, from a day to a later one, most within
  // the run; the first of a tight compound starts in its first ten days.
  const closureCount = tight ? d.int(1, 3) : d.int(0, 3);
  for (let k = 0; k < closureCount; k++) {
    const from = k === 0 && tight ? d.int(1, 10) : d.int(-5, CLOSURE_HORIZON_DAYS - 10);
    const to = from + d.int(2, 30);
    const closure = {
      from: addDays(startDate, from),
      to: addDays(startDate, to),
      reason: `${d.int(1, 16)}号楼加装电梯施工占用道路`,
    };
    const size = d.int(2, Math.max(2, Math.round(count * 0.08)));
    const first = d.int(0, lanes.length - 1);
    let closed = 0;
    for (let i = 0; closed < size && i < lanes.length; i++) {
      const lane = lanes[(first + i) % lanes.length] as Raw;
      for (const p of positionsOf(lane)) {
        if (closed >= size) break;
        const list = (p.closures as Raw[] | undefined) ?? [];
        if (list.length > 0) continue;
        p.closures = [closure];
        closed++;
      }
    }
  }

  // Partner lots.
  const partnerCount = tight ? d.int(1, 3) : d.int(0, 3);
  const partnerLots: Raw[] = [];
  let partnerSpaces = 0;
  for (let i = 0; i < partnerCount; i++) {
    const kind = d.pick(['weekday', 'daily', 'weekend'] as const);
    const window =
      kind === 'weekday'
        ? { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '19:00', to: '07:00' }
        : kind === 'daily'
          ? { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '21:30', to: '08:30' }
          : { days: ['sat', 'sun'], from: '18:00', to: '09:00' };
    const spaces = d.int(5, 30);
    const chargerSpaces = d.chance(0.5) ? d.int(1, Math.min(spaces, 10)) : 0;
    partnerSpaces = Math.max(partnerSpaces, spaces);
    partnerLots.push({
      id: `partner-${i + 1}`,
      name: `共享停车场 ${i + 1}`,
      organisation: d.pick(['长途汽车站', '超市', '小学', '办公楼']),
      spaces,
      chargerSpaces,
      chargerKw: chargerSpaces > 0 ? 7 : null,
      windows: [window],
      walkMinutes: d.int(3, 10),
      leaveBy: window.to,
      contacts: [{ name: '值班室', role: '夜间值班', phone: String(PARTNER_PHONE_BASE + i) }],
    });
  }

  // Cars: fewer than the places in a loose compound; about as many as places and partner spaces
  // in a tight one.
  const carCount = tight
    ? Math.round((count + partnerSpaces) * d.real(0.92, 1.05))
    : Math.round(count * d.real(0.6, 0.92));
  const evShare = d.real(0, 0.4);
  const keylessShare = d.real(0, 0.2);
  const nightShiftShare = d.real(0, 0.15);
  const retiredShare = d.real(0.05, 0.3);
  const lateShare = d.real(0, 0.1);
  const profileOf = (): Profile => {
    const r = d.rng.next();
    if (r < nightShiftShare) return 'night-shift';
    if (r < nightShiftShare + retiredShare) return 'retired';
    if (r < nightShiftShare + retiredShare + lateShare) return 'late';
    return 'commuter';
  };

  const householdCount = Math.round(carCount * d.real(2.2, 3));
  const households: Raw[] = [];
  for (let b = 1; households.length < householdCount; b++) {
    for (let u = 1; u <= 4 && households.length < householdCount; u++) {
      for (let room = 0; room < 12 && households.length < householdCount; room++) {
        const flat = `${Math.floor(room / 2) + 1}0${(room % 2) + 1}`;
        households.push({ id: `b${b}-u${u}-${flat}`, building: `${b}号`, unit: `${u}单元`, room: flat });
      }
    }
  }

  const plates = new Set<string>();
  const serial = (n: number, alphabet: string): string =>
    Array.from({ length: n }, () => alphabet[d.int(0, alphabet.length - 1)]).join('');
  const plate = (kind: 'ordinary' | 'D' | 'F'): string => {
    for (;;) {
      const p =
        kind === 'ordinary'
          ? `沪${d.pick(['A', 'B', 'C', 'E', 'G', 'H', 'J', 'K'])}${serial(5, SERIAL)}`
          : `沪A${kind}${serial(5, DIGITS)}`;
      if (!plates.has(p)) {
        plates.add(p);
        return p;
      }
    }
  };
  const vehicles: Raw[] = [];
  for (let i = 0; i < carCount; i++) {
    const ev = d.chance(evShare);
    const hybrid = ev && d.chance(0.3);
    const s = d.rng.next();
    const size: Size = s < 0.15 ? 'small' : s < 0.8 ? 'standard' : 'large';
    const household = households[d.int(0, households.length - 1)] as Raw;
    const vehicle: Raw = {
      id: `v${String(i + 1).padStart(3, '0')}`,
      plate: plate(!ev ? 'ordinary' : hybrid ? 'F' : 'D'),
      householdId: household.id,
      size,
      ev,
    };
    if (ev) vehicle.batteryKwh = d.pick(hybrid ? HYBRID_KWH : BATTERY_KWH);
    vehicle.keyConsent = !d.chance(keylessShare);
    vehicle.habits = habitsFor(profileOf(), d);
    vehicles.push(vehicle);
  }

  // Guards and the roster: one guard a shift for about every CARS_PER_GUARD cars (1 to 3); four
  // teams, each works a day shift, the next day's night shift, then rests two days.
  const guardsPerShift = clamp(Math.round(carCount / CARS_PER_GUARD + d.real(-0.4, 0.4)), 1, 3);
  const TEAMS = 4;
  const guards: Raw[] = Array.from({ length: TEAMS * guardsPerShift }, (_, k) => ({
    id: `g${String(k + 1).padStart(2, '0')}`,
    role: 'guard',
    name: `保安${k + 1}`,
    phone: String(GUARD_PHONE_BASE + k),
    password: 'demo1234',
  }));
  const team = (t: number): string[] =>
    guards.slice(t * guardsPerShift, (t + 1) * guardsPerShift).map((g) => g.id as string);
  const roster = {
    guardsPerShift,
    shifts: [
      { id: 'day', name: '白班', start: '07:00', end: '19:00' },
      { id: 'night', name: '夜班', start: '19:00', end: '07:00' },
    ],
    rotation: {
      startDate,
      pattern: Array.from({ length: TEAMS }, (_, t) => ({
        shifts: [
          { shiftId: 'day', guardIds: team(t) },
          { shiftId: 'night', guardIds: team((t + TEAMS - 1) % TEAMS) },
        ],
      })),
    },
  };
  const users: Raw[] = [
    { id: 'mgr1', role: 'manager', name: '经理', phone: '13800000001', password: 'demo1234' },
    ...guards,
    ...partnerLots.map((lot, i) => ({
      id: `p${String(i + 1).padStart(2, '0')}`,
      role: 'partner',
      name: `联络人${i + 1}`,
      phone: String(PARTNER_PHONE_BASE + 100 + i),
      password: 'demo1234',
      partnerLotId: lot.id,
    })),
  ];

  const weekdayAway = d.real(0, 0.04);
  const behaviour = {
    arrivals: arrivalShares(vehicles.map((v) => (v.habits as Raw).arrival as string)),
    departureNoiseMinutes: d.int(5, 15),
    declaringShare: round2(mean(vehicles.map((v) => (v.habits as Raw).declaresDeparture as number))),
    stayHomeRate: round2(mean(vehicles.map((v) => (v.habits as Raw).stayHomeRate as number))),
    nightEmergencyRate: round2(d.real(0, 0.5)),
    weekendFactor: round2(d.real(0.4, 0.8)),
    partnerLotShare: partnerLots.length === 0 ? 0 : round2(d.real(0.04, 0.15)),
    awayOvernightRate: round2(weekdayAway),
    weekendAwayOvernightRate: round2(weekdayAway + d.real(0, 0.08)),
  };

  const raw = {
    formatVersion: 1,
    compound: {
      id: `gen-${family}-${seed}`,
      name: `生成小区 ${family} ${seed}`,
      city: '上海市',
      district: '静安区',
      timezone: 'Asia/Shanghai',
    },
    layout: { lanes, fireLanes: FIRE_LANES },
    households,
    vehicles,
    users,
    roster,
    partnerLots,
    behaviour,
    taskDurations: { walkToCabinet: 1, walkToCar: round2(d.real(1.5, 2.5)), drive: round2(d.real(1, 2)), park: 1 },
    assumptions: [
      `Generated by \`parkbutler scenario generate --seed ${seed} --family ${family}\`: every number is drawn from the seed; none comes from a real compound.`,
    ],
  };
  return parseScenario(raw);
}

function habitsFor(profile: Profile, d: Draw): Raw {
  const n = (): number => normal(d.rng);
  switch (profile) {
    case 'commuter':
      return {
        departure: hhmm(clamp(470 + n() * 30, 405, 555)),
        arrival: hhmm(clamp(1125 + n() * 55, 1010, 1290)),
        stayHomeRate: round2(d.real(0.03, 0.12)),
        declaresDeparture: round2(d.real(0.4, 0.95)),
      };
    case 'night-shift':
      // Leaves about 21:00 and comes back about 07:00 the next morning (arrival before departure).
      return {
        departure: hhmm(clamp(1260 + n() * 20, 1200, 1320)),
        arrival: hhmm(clamp(420 + n() * 20, 360, 480)),
        stayHomeRate: round2(d.real(0.1, 0.3)),
        declaresDeparture: round2(d.real(0.3, 0.9)),
      };
    case 'retired':
      return {
        departure: hhmm(clamp(565 + n() * 35, 500, 650)),
        arrival: hhmm(clamp(870 + n() * 60, 660, 1020)),
        stayHomeRate: round2(d.real(0.4, 0.7)),
        declaresDeparture: round2(d.real(0.2, 0.6)),
      };
    case 'late':
      return {
        departure: hhmm(clamp(690 + n() * 45, 600, 780)),
        arrival: hhmm(clamp(1350 + n() * 30, 1290, 1415)),
        stayHomeRate: round2(d.real(0.05, 0.15)),
        declaresDeparture: round2(d.real(0.3, 0.8)),
      };
  }
}

/** The arrival histogram the format asks for, from the cars' habits; the shares add up to 1. */
function arrivalShares(arrivals: readonly string[]): { from: string; to: string; share: number }[] {
  const bounds = ['00:00', '10:00', '16:00', '17:30', '18:30', '19:30', '21:00', '24:00'];
  const counts = bounds.slice(0, -1).map((from, i) => {
    const lo = minutesOf(from);
    const hi = minutesOf(bounds[i + 1] as string);
    return arrivals.filter((a) => minutesOf(a) >= lo && minutesOf(a) < hi).length;
  });
  const total = Math.max(1, arrivals.length);
  // Shares in thousandths; the rounding's remainder goes to the largest bucket.
  const thousandths = counts.map((c) => Math.round((c / total) * 1000));
  const largest = thousandths.indexOf(Math.max(...thousandths));
  thousandths[largest] = (thousandths[largest] as number) + 1000 - thousandths.reduce((a, b) => a + b, 0);
  const shares = thousandths.map((t) => t / 1000);
  return bounds.slice(0, -1).map((from, i) => ({
    from,
    to: i === bounds.length - 2 ? '00:00' : (bounds[i + 1] as string),
    share: shares[i] as number,
  }));
}
