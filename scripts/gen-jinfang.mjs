/**
 * Generates `scenarios/jinfang.json`, the demo compound: a stand-in for 金纺小区 (Jinfang compound,
 * 共和新路街道, 静安区, Shanghai, built in the 1990s). The source (shared/source-article-zh.txt) gives
 * about 670 households, 120 marked spaces, 250 cars, 10 guards two a shift, and the 沪太路 bus
 * station's shared spaces with chargers 5 minutes' walk away; every other number is an assumption
 * listed in the file's `assumptions`.
 *
 * Deterministic: a seeded PRNG (mulberry32), no clock. Run from the repository root:
 *   node scripts/gen-jinfang.mjs            (writes scenarios/jinfang.json)
 *   node scripts/gen-jinfang.mjs --stdout   (prints it; the tests compare it with the committed file)
 * and check it with `npx vitest run src/core/scenario`.
 */
import { writeFileSync } from 'node:fs';
import { argv, stdout } from 'node:process';
import { URL } from 'node:url';

const OUT = new URL('../scenarios/jinfang.json', import.meta.url);

/** mulberry32: a small 32-bit PRNG, good enough for demo data and fully reproducible. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(19960101);
const pick = (items) => items[Math.floor(rand() * items.length)];
const round = (x, digits) => Number(x.toFixed(digits));
/** Approximately normal (sum of three uniforms), mean 0, standard deviation 1. */
const normal = () => (rand() + rand() + rand() - 1.5) * 2;
function shuffle(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const hhmm = (minutes) => {
  const m = (((Math.round(minutes / 5) * 5) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const minutesOf = (time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------
// Households: 14 six-storey buildings, 3–5 stairway units each, two flats a floor.

const UNITS_PER_BUILDING = [4, 4, 4, 4, 5, 5, 4, 4, 3, 3, 4, 4, 4, 4];
const FLOORS = 6;
const FLATS_PER_FLOOR = 2;

const households = [];
UNITS_PER_BUILDING.forEach((units, b) => {
  for (let u = 1; u <= units; u++) {
    for (let floor = 1; floor <= FLOORS; floor++) {
      for (let flat = 1; flat <= FLATS_PER_FLOOR; flat++) {
        const room = `${floor}0${flat}`;
        households.push({ id: `b${b + 1}-u${u}-${room}`, building: `${b + 1}号`, unit: `${u}单元`, room });
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Layout. Buildings 1–7 stand west of the main road (主干道, a fire lane), 8–14 east of it, south
// to north; the gate is at the south end. The north ring road is the second fire lane.

const FIRE_MAIN = '主干道消防通道';
const FIRE_NORTH = '北侧环路消防通道';
const CLOSURE_3 = { from: '2026-09-15', to: '2027-03-31', reason: '3号楼加装电梯施工占用道路' };
const CLOSURE_9 = { from: '2027-04-01', to: '2027-10-31', reason: '9号楼加装电梯施工占用道路' };

const lanes = [];
function addLane({ name, area, access = 'one-end', kinds, sizes = [], chargers = [], closures = [] }) {
  const id = `L${String(lanes.length + 1).padStart(2, '0')}`;
  const positions = kinds.map((kind, index) => {
    const position = {
      id: `${id}-${index}`,
      index,
      kind,
      chargerKw: chargers.includes(index) ? 7 : null,
      maxSize: sizes[index] ?? 'large',
    };
    if (closures.length > 0) position.closures = closures.map((c) => ({ ...c }));
    return position;
  });
  lanes.push({ id, name, access, area, positions });
}

// A. Single marked bays set back along the main road; nothing may stand in front (fire lane).
//    Four on the east side, next to the power room (配电房), have 7 kW chargers.
for (const [side, count] of [
  ['西', 8],
  ['东', 8],
]) {
  for (let k = 1; k <= count; k++) {
    addLane({
      name: `主干道${side}侧 ${k}号位`,
      area: `主干道${side}侧`,
      kinds: ['bay'],
      chargers: side === '东' && k <= 4 ? [0] : [],
    });
  }
}
// B. In front of each building: marked bays across the house road with an aisle place in front
//    (the guards double-park there), four of depth 2 and one deep bay of depth 3.
for (let b = 1; b <= 14; b++) {
  for (let k = 1; k <= 5; k++) {
    const deep = k === 5;
    const closures = (b === 3 && k <= 2 ? [CLOSURE_3] : []).concat(b === 9 && k === 1 ? [CLOSURE_9] : []);
    addLane({
      name: `${b}号楼南侧 ${k}`,
      area: `${b}号楼南侧`,
      kinds: deep ? ['aisle', 'bay', 'bay'] : ['aisle', 'bay'],
      sizes: ['standard'],
      closures,
    });
  }
}
// C. Two through rows of marked bays along the boundary walls, open at both ends; the north row
//    has chargers at both ends.
addLane({ name: '北围墙停车带', area: '北围墙', access: 'through', kinds: Array(5).fill('bay'), chargers: [0, 4] });
addLane({ name: '西围墙停车带', area: '西围墙', access: 'through', kinds: Array(5).fill('bay') });
// D. A dead-end road in the west with marked bays nose to tail, reached from its open end only.
addLane({ name: '西侧尽端路 甲', area: '西侧尽端路', kinds: Array(5).fill('bay') });
addLane({
  name: '西侧尽端路 乙',
  area: '西侧尽端路',
  kinds: Array(5).fill('bay'),
  sizes: ['large', 'large', 'large', 'large', 'standard'],
});
// E. Unmarked tandem rows the guards use: along the outer gables of the buildings and two corners.
for (let b = 1; b <= 14; b++) {
  const depth = [1, 4, 7, 8, 11, 14].includes(b) ? 4 : 3;
  const gable = b <= 7 ? '西山墙' : '东山墙';
  addLane({
    name: `${b}号楼${gable}`,
    area: `${b}号楼${gable}`,
    kinds: Array(depth).fill('tandem'),
    sizes: depth === 4 ? ['large', 'large', 'large', 'standard'] : [],
  });
}
for (const [area, k] of [
  ['东南角空地', 1],
  ['东南角空地', 2],
  ['自行车棚北侧', 1],
  ['自行车棚北侧', 2],
]) {
  addLane({
    name: `${area} ${k}`,
    area,
    kinds: Array(3).fill('tandem'),
    sizes: area === '自行车棚北侧' ? ['large', 'large', 'small'] : [],
  });
}
const layout = { lanes, fireLanes: [FIRE_MAIN, FIRE_NORTH] };

// ---------------------------------------------------------------------------------------------
// Vehicles: 249 household cars (25 households with two) and the property company's van.

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
const plates = new Set();
function uniquePlate(make) {
  for (;;) {
    const plate = make();
    if (!plates.has(plate)) {
      plates.add(plate);
      return plate;
    }
  }
}
const digits = (n) => Array.from({ length: n }, () => pick(DIGITS)).join('');
/** Ordinary blue plate: 沪 and an office letter, then 5 serial characters (never D/F first). */
function ordinaryPlate() {
  const prefix =
    rand() < 0.92
      ? `沪${pick('AAAABBBCDEFGHJKLMN')}`
      : pick(['苏E', '苏B', '苏F', '浙A', '浙B', '浙F', '皖A', '鲁B', '豫A', '赣A']);
  const shape = rand();
  const letter = () => pick(LETTERS.replace(/[DF]/g, ''));
  if (shape < 0.4) return `${prefix}${pick('123456789')}${digits(4)}`;
  if (shape < 0.75) return `${prefix}${letter()}${digits(4)}`;
  if (shape < 0.9) return `${prefix}${letter()}${pick(LETTERS)}${digits(3)}`;
  return `${prefix}${digits(4)}${pick(LETTERS)}`;
}
/** Green new-energy plate for small cars: D (battery) or F (plug-in hybrid) and 5 more. */
function newEnergyPlate(kind) {
  const office = pick('AAAAABB');
  const second = rand() < 0.15 ? pick(LETTERS) : pick(DIGITS);
  return `沪${office}${kind}${second}${digits(4)}`;
}

const withCars = shuffle(households).slice(0, 224);
const twoCars = new Set(withCars.slice(0, 25).map((h) => h.id));
const owners = households.filter((h) => withCars.includes(h)).flatMap((h) => (twoCars.has(h.id) ? [h, h] : [h]));

const order = shuffle(owners.map((_, i) => i));
const bev = new Set(order.slice(0, 28));
const phev = new Set(order.slice(28, 38));
const noConsent = new Set(order.slice(38, 58));

function habitsFor(profile) {
  switch (profile) {
    case 'commuter':
      return {
        departure: hhmm(clamp(470 + normal() * 30, 405, 555)),
        arrival: hhmm(clamp(1125 + normal() * 55, 1010, 1290)),
        stayHomeRate: round(0.03 + rand() * 0.09, 2),
        declaresDeparture: round(0.4 + rand() * 0.55, 2),
      };
    case 'retired':
      return {
        departure: hhmm(clamp(565 + normal() * 35, 500, 650)),
        arrival: hhmm(clamp(870 + normal() * 60, 660, 1020)),
        stayHomeRate: round(0.4 + rand() * 0.3, 2),
        declaresDeparture: round(0.2 + rand() * 0.4, 2),
      };
    case 'late':
      return {
        departure: hhmm(clamp(690 + normal() * 45, 600, 780)),
        arrival: hhmm(clamp(1350 + normal() * 30, 1290, 1415)),
        stayHomeRate: round(0.05 + rand() * 0.1, 2),
        declaresDeparture: round(0.3 + rand() * 0.5, 2),
      };
    default:
      throw new Error(`unknown profile ${profile}`);
  }
}

const profiles = { commuter: 0, retired: 0, late: 0 };
const vehicles = owners.map((h, i) => {
  const ev = bev.has(i) || phev.has(i);
  let size;
  let batteryKwh;
  if (bev.has(i)) {
    size = rand() < 0.25 ? 'small' : rand() < 0.8 ? 'standard' : 'large';
    batteryKwh = size === 'small' ? pick([13.9, 17.3, 26.5]) : pick([44.9, 50.1, 55.4, 60.5, 64, 71.8, 78.4]);
  } else if (phev.has(i)) {
    size = rand() < 0.6 ? 'standard' : 'large';
    batteryKwh = pick([8.3, 18.3, 21.5, 26.6]);
  } else {
    const s = rand();
    size = s < 0.15 ? 'small' : s < 0.8 ? 'standard' : 'large';
  }
  const p = rand();
  const profile = p < 0.7 ? 'commuter' : p < 0.9 ? 'retired' : 'late';
  profiles[profile] += 1;
  const vehicle = {
    id: `v${String(i + 1).padStart(3, '0')}`,
    plate: uniquePlate(() => (bev.has(i) ? newEnergyPlate('D') : phev.has(i) ? newEnergyPlate('F') : ordinaryPlate())),
    householdId: h.id,
    size,
    ev,
  };
  if (ev) vehicle.batteryKwh = batteryKwh;
  vehicle.keyConsent = !noConsent.has(i);
  vehicle.habits = habitsFor(profile);
  return vehicle;
});
vehicles.push({
  id: 'v250',
  plate: uniquePlate(() => `沪B${pick(LETTERS.replace(/[DF]/g, ''))}${digits(4)}`),
  householdId: null,
  size: 'large',
  ev: false,
  keyConsent: true,
  habits: { departure: '08:00', arrival: '17:00', stayHomeRate: 0.2, declaresDeparture: 1 },
});

// ---------------------------------------------------------------------------------------------
// Demo users (fake names and numbers) and the roster.

const PASSWORD = 'demo1234';
const GUARD_NAMES = ['张伟', '王强', '李军', '刘洋', '陈刚', '杨磊', '赵勇', '黄海', '吴斌', '徐涛'];
const guards = GUARD_NAMES.map((name, k) => ({
  id: `g${String(k + 1).padStart(2, '0')}`,
  role: 'guard',
  name,
  phone: `138000000${String(11 + k)}`,
  password: PASSWORD,
}));

/** Demo residents: each from a different household, chosen to show one case each. */
const twoCarHousehold = [...twoCars].sort()[0];
const used = new Set([twoCarHousehold]);
const carWhere = (test) => {
  const vehicle = vehicles.find((v) => v.householdId !== null && !used.has(v.householdId) && test(v));
  used.add(vehicle.householdId);
  return vehicle;
};
const residents = [
  { name: '陶卫东', vehicle: carWhere((v) => !v.ev && v.keyConsent && v.habits.stayHomeRate < 0.2) },
  { name: '黄志刚', vehicle: carWhere((v) => v.ev && v.plate[2] === 'D' && v.keyConsent) },
  { name: '孙丽华', vehicle: vehicles.find((v) => v.householdId === twoCarHousehold) },
  { name: '钱美玲', vehicle: carWhere((v) => !v.keyConsent) },
  { name: '周德明', vehicle: carWhere((v) => v.habits.stayHomeRate >= 0.4 && v.keyConsent) },
].map((r, k) => ({
  id: `r${String(k + 1).padStart(3, '0')}`,
  role: 'resident',
  name: r.name,
  phone: `13800000${String(101 + k)}`,
  password: PASSWORD,
  householdId: r.vehicle.householdId,
}));

const users = [
  { id: 'mgr1', role: 'manager', name: '周建华', phone: '13800000001', password: PASSWORD },
  ...guards,
  ...residents,
  {
    id: 'p01',
    role: 'partner',
    name: '沈海燕',
    phone: '13800000201',
    password: PASSWORD,
    partnerLotId: 'hutai-bus-station',
  },
  { id: 'c01', role: 'committee', name: '钱志明', phone: '13800000301', password: PASSWORD },
];

const pairs = [0, 1, 2, 3, 4].map((k) => [guards[2 * k].id, guards[2 * k + 1].id]);
const roster = {
  guardsPerShift: 2,
  shifts: [
    { id: 'day', name: '白班', start: '07:00', end: '19:00' },
    { id: 'night', name: '夜班', start: '19:00', end: '07:00' },
  ],
  rotation: {
    startDate: '2026-11-02',
    // Pair k works the day shift on day k and the night shift on day k+1, then rests three days.
    pattern: pairs.map((_, d) => ({
      shifts: [
        { shiftId: 'day', guardIds: pairs[d] },
        { shiftId: 'night', guardIds: pairs[(d + 4) % 5] },
      ],
    })),
  },
};

const partnerLots = [
  {
    id: 'hutai-bus-station',
    name: '沪太路长途汽车站共享停车位',
    organisation: '沪太路长途汽车站',
    spaces: 30,
    chargerSpaces: 10,
    chargerKw: 7,
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '19:00', to: '07:00' }],
    walkMinutes: 5,
    leaveBy: '07:00',
    contacts: [
      { name: '沈海燕', role: '共享停车联络人', phone: '13800000201' },
      { name: '站务值班室', role: '夜间值班', phone: '13800000202' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Behaviour, derived from the vehicles' habits where it can be.

const BUCKETS = [
  ['10:00', '16:00'],
  ['16:00', '17:30'],
  ['17:30', '18:30'],
  ['18:30', '19:30'],
  ['19:30', '21:00'],
  ['21:00', '00:00'],
];
const inBucket = (time, [from, to]) => {
  const m = minutesOf(time);
  const end = to === '00:00' ? 1440 : minutesOf(to);
  return m >= minutesOf(from) && m < end;
};
const counts = BUCKETS.map((bucket) => vehicles.filter((v) => inBucket(v.habits.arrival, bucket)).length);
const counted = counts.reduce((a, b) => a + b, 0);
if (counted !== vehicles.length) throw new Error(`arrival buckets cover ${counted} of ${vehicles.length} cars`);
const shares = counts.map((c) => round(c / counted, 3));
shares[shares.length - 1] = round(1 - shares.slice(0, -1).reduce((a, b) => a + b, 0), 3);
const mean = (f) => round(vehicles.reduce((sum, v) => sum + f(v), 0) / vehicles.length, 2);

const behaviour = {
  arrivals: BUCKETS.map(([from, to], k) => ({ from, to, share: shares[k] })),
  departureNoiseMinutes: 10,
  declaringShare: mean((v) => v.habits.declaresDeparture),
  stayHomeRate: mean((v) => v.habits.stayHomeRate),
  nightEmergencyRate: 0.2,
  weekendFactor: 0.6,
  partnerLotShare: 0.1,
  awayOvernightRate: 0.02,
  weekendAwayOvernightRate: 0.06,
};

const taskDurations = { walkToCabinet: 1, walkToCar: 2, drive: 1.5, park: 1 };

// ---------------------------------------------------------------------------------------------
// Assumptions, with the figures computed from what was generated.

const positions = lanes.flatMap((l) => l.positions);
const countKind = (kind) => positions.filter((p) => p.kind === kind).length;
const evs = vehicles.filter((v) => v.ev).length;
const outOfTown = vehicles.filter((v) => !v.plate.startsWith('沪')).length;
const sizeCount = (size) => vehicles.filter((v) => v.size === size).length;
const bevs = vehicles.filter((v) => v.ev && v.plate[2] === 'D');
const phevs = vehicles.filter((v) => v.ev && v.plate[2] === 'F');
const kwhRange = (cars) =>
  `${Math.min(...cars.map((v) => v.batteryKwh))}–${Math.max(...cars.map((v) => v.batteryKwh))}`;
const closedNow = positions.filter((p) =>
  (p.closures ?? []).some((c) => c.from <= '2026-11-27' && '2026-11-27' <= c.to),
).length;

const assumptions = [
  `Households: ${households.length} (source: 670多户) in 14 six-storey buildings (1号–14号) with 3–5 stairway units each and two flats a floor (rooms 101–602); the building plan is invented.`,
  `Positions: ${positions.length} in ${lanes.length} lanes — ${countKind('bay')} marked bays (source: 120), ${countKind('aisle')} aisle places in front of bays (used only by the guards) and ${countKind('tandem')} unmarked tandem places. That is about one position per car (250, source), ${closedNow} of them closed now; it is enough only because on a weekday night about 25 cars stand at the partner lot and a few are away, so about 215–235 cars stand in the compound, and at weekends (partner lot closed) it is nearly full.`,
  'Geometry (invented): buildings 1–7 west and 8–14 east of the main road; 16 single bays along the main road with nothing in front (it is a fire lane); in front of each building four bays with one aisle place and one deep bay (two bays) with one aisle place; two through rows of 5 bays along the north and west walls; two dead-end rows of 5 marked bays; 18 tandem rows of 3–4 along the outer gables and two corners.',
  `Fire lanes: ${FIRE_MAIN} and ${FIRE_NORTH}; no position stands in them.`,
  'Aisle places take cars up to standard size (a large car in the aisle would narrow the road); a few deepest tandem places take only standard or small cars; everything else takes large cars.',
  `Chargers in the compound: ${positions.filter((p) => p.chargerKw !== null).length} positions with 7 kW AC chargers (4 bays by the power room on the main road, 2 at the ends of the north wall row).`,
  `Elevator retrofit (source: 加梯 takes part of the road): ${CLOSURE_3.reason} closes 4 positions from ${CLOSURE_3.from} to ${CLOSURE_3.to}; ${CLOSURE_9.reason} will close 2 positions from ${CLOSURE_9.from} to ${CLOSURE_9.to}. ${closedNow} positions are closed on 2026-11-27.`,
  `Cars: 250 (source). ${evs} EVs (${round((100 * evs) / vehicles.length, 1)}%): ${bevs.length} battery cars with 沪AD/沪BD plates (${kwhRange(bevs)} kWh) and ${phevs.length} plug-in hybrids with 沪AF/沪BF plates (${kwhRange(phevs)} kWh).`,
  '224 households have a car, 25 of them two; one car (v250, the property company’s van) belongs to no household.',
  `${outOfTown} cars have plates from outside Shanghai (苏/浙/皖/鲁/豫/赣, drawn with probability 8% for a blue plate).`,
  `Sizes: ${sizeCount('small')} small, ${sizeCount('standard')} standard, ${sizeCount('large')} large (SUV, MPV) cars.`,
  '20 cars (8%) have no key-custody consent: the guards never move them, so they never stand in front of another car.',
  `Habits: ${profiles.commuter} commuters' cars (leave about 07:50 ± 30 min, home about 18:45 ± 55 min, stay in 3–12% of weekdays), ${profiles.retired} of retired or occasional drivers (leave about 09:25, back about 14:30, stay in 40–70% of weekdays), ${profiles.late} of late workers (leave about 11:30, home about 22:30), and the van (08:00–17:00); times rounded to 5 minutes.`,
  'Each resident declares the next departure with probability 0.2–0.95 depending on profile; behaviour.declaringShare and behaviour.stayHomeRate are the means over the cars, behaviour.arrivals is the histogram of the cars’ arrival times.',
  'Roster (source: 10 guards, two a shift, rotating daily): day shift 白班 07:00–19:00 and night shift 夜班 19:00–07:00; five fixed pairs (g01+g02, g03+g04, …); a pair works the day shift, the next day’s night shift, then rests three days (白-夜-休-休-休); the cycle starts on Monday 2026-11-02.',
  'Partner lot (source: 沪太路长途汽车站, pilot spaces with chargers, 5 minutes’ walk, full of buses in the morning, empty at night): 30 spaces, 10 with 7 kW chargers, open Monday to Friday 19:00 to 07:00 the next morning, every car gone by 07:00.',
  'Departure noise: standard deviation 10 minutes around a car’s habitual time; 0.2 unplanned night retrievals per night; weekend traffic 60% of a weekday’s; 10% of cars use the partner lot on an open evening (EVs first); a car that leaves stays away overnight with probability 0.02 on a weekday and 0.06 on a Saturday or Sunday night (trips, night work: the few that are away above).',
  'Guard task durations: 1 min to walk to the key cabinet, 2 min to walk to a car, 1.5 min to drive it within the compound, 1 min to park or pull out.',
  'Demo users: one manager, 10 guards, 5 residents, one partner staff member and one committee member; names and phone numbers (138000000xx) are invented; every password is demo1234 (demo only).',
];

// ---------------------------------------------------------------------------------------------
// Opaque household ids. The generator works with address keys (b1-u1-201) above; what it writes
// are random ids from a stream of their own (so every other draw stays as it was), because a
// household id travels in ledger payloads and URLs and must not spell the address (PIPL: the
// ledger keeps ids only, so a household's address can be erased from its own table).

const idRand = mulberry32(20261207);
const opaqueId = new Map();
for (const h of households) {
  let id;
  do
    id = `h-${Math.floor(idRand() * 0x1000000)
      .toString(16)
      .padStart(6, '0')}`;
  while ([...opaqueId.values()].includes(id));
  opaqueId.set(h.id, id);
}
for (const h of households) h.id = opaqueId.get(h.id);
for (const v of vehicles) if (v.householdId !== null) v.householdId = opaqueId.get(v.householdId);
for (const u of users) if (u.householdId != null) u.householdId = opaqueId.get(u.householdId);

const scenario = {
  $schema: './scenario.schema.json',
  formatVersion: 1,
  compound: {
    id: 'jinfang',
    name: '金纺小区',
    city: '上海市',
    district: '静安区',
    subdistrict: '共和新路街道',
    neighbourhood: '沪北居民区',
    timezone: 'Asia/Shanghai',
  },
  layout,
  households,
  vehicles,
  users,
  roster,
  partnerLots,
  behaviour,
  taskDurations,
  assumptions,
};

/** JSON with every small object or array on one line, so the file reads as one record a line. */
function format(value, indent = '') {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || flat.length + indent.length <= 240) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

const json = `${format(scenario)}\n`;
if (argv.includes('--stdout')) {
  stdout.write(json);
} else {
  writeFileSync(OUT, json);
  stdout.write(
    `wrote ${OUT.pathname}: ${households.length} households, ${vehicles.length} cars (${evs} EVs), ${positions.length} positions ` +
      `(${countKind('bay')} bays, ${countKind('aisle')} aisle, ${countKind('tandem')} tandem) in ${lanes.length} lanes\n`,
  );
}
