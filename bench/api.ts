/**
 * @module `npm run bench:api [-- --seconds N --clients N --port N --district N --only a,b]`: the API
 * under load, measured from outside. Starts the built server (`bin/parkbutler.js serve`) on loopback
 * and drives a realistic mix from client loops in this process: residents ask where their car is; a
 * car away is checked in and parked (check-in, task complete); a car on site leaves, its resident
 * declaring "now" first when it is blocked and the guards moving the blockers (key checkout, task
 * complete, key return), and now and then sets a standing departure; a few live feeds stay
 * subscribed. Three configurations: SQLite, PostgreSQL, and three servers on one PostgreSQL with the
 * requests round-robin over them. One compound's appends are serialised (its hash chain), so two
 * more run a district: `--district N` compounds (default 3; 1 skips them), the demo and copies of it
 * added with `parkbutler compound add`, each client working in one, on one and on three servers;
 * there each client sends all its requests to one server (a load balancer's session affinity), so a
 * compound's clients share a server. `--only a,b` runs just the configurations named (as in the JSON
 * line). PostgreSQL runs when `DATABASE_URL` is set (each configuration in a database of its own,
 * dropped afterwards). Prints throughput and latency percentiles of the acknowledged (2xx)
 * mutations, the refusals by route and code, the servers' RSS after the run, and as its last line
 * one JSON object `{"sqlite":{…},"postgres":{…},"postgres3":{…},"districtPostgres":{…},
 * "districtPostgres3":{…}}`.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, dropDatabase } from './pg-database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'parkbutler.js');
/** The bench's first port (loopback only); `--port` moves it so two benches on one machine do not collide. */
const PORT_BASE = 3200;

interface DemoScenario {
  compound: { id: string; name: string };
  vehicles: { id: string; plate: string; householdId: string }[];
  users: { id: string; role: string; phone: string; password: string; householdId?: string }[];
}

interface Figures {
  mutationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface RunResult extends Figures {
  mutations: number;
  refused: number;
  serverErrors: number;
  reads: number;
  readP99Ms: number;
  rssMb: number[];
  /** Refused mutations by route, status and error code, most first: what the mix asks that the server declines. */
  refusals: [string, number][];
  /** The servers' CPU time (user and system) under the load per acknowledged mutation, reads included: steadier on a busy machine. */
  cpuMsPerMutation: number;
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: a positive number`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const full: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env };
  if (!('DATABASE_URL' in env)) delete full.DATABASE_URL;
  // BENCH_SERVER_ARGS: node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
  const nodeArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], {
    cwd: ROOT,
    env: full,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('serving on')) {
        // Keep draining the pipes so the server never blocks on a full one.
        output = '';
        resolve(child);
      }
      if (output.length > 100_000) output = output.slice(-10_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

/** CPU time (user + system) a process has used, in ms; Linux clock ticks are 10 ms. */
function cpuMs(pid: number | undefined): number {
  try {
    // After the parenthesised command name come fields 3 (state) on: utime is field 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function rssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function request(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: unknown; ms: number; route: string }> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? null : (JSON.parse(text) as unknown),
    ms: performance.now() - started,
    // The route without its ids, to group refusals by.
    route: `${method} ${path.replace(/\/(?:[0-9a-f]{8}-[0-9a-f-]{27}|(?:K-)?v\d+)(?=\/|$)/g, '/:id')}`,
  };
}

async function signIn(url: string, user: { phone: string; password: string }): Promise<string> {
  const r = await request(url, 'POST', '/api/auth/login', null, {
    phone: user.phone,
    password: user.password,
    kind: 'token',
  });
  if (r.status !== 200) throw new Error(`sign-in ${user.phone}: ${r.status}`);
  return (r.json as { token: string }).token;
}

/** Holds a live feed open until aborted. */
async function subscribe(url: string, token: string, abort: AbortSignal): Promise<void> {
  const response = await fetch(`${url}/api/notifications/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort,
  });
  void (async () => {
    try {
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    } catch {
      // aborted
    }
  })();
}

/** A compound the mix runs on: its scenario, and its people signed in. */
interface Signed {
  demo: DemoScenario;
  guardTokens: string[];
  residentTokens: Map<string, string>;
  tokenOf: Map<string, string>;
}

/** Signs in a compound's manager, four guards (put on duty) and residents; subscribes each resident's live feed on one server. */
async function signInCompound(
  demo: DemoScenario,
  urls: string[],
  next: () => string,
  abort: AbortSignal,
): Promise<Signed> {
  const manager = demo.users.find((u) => u.role === 'manager')!;
  const guards = demo.users.filter((u) => u.role === 'guard').slice(0, 4);
  const residents = demo.users.filter((u) => u.role === 'resident');
  const managerToken = await signIn(urls[0]!, manager);
  const guardTokens: string[] = [];
  for (const g of guards) {
    const r = await request(next(), 'POST', '/api/shifts/duty', managerToken, { onDuty: true, guardId: g.id });
    if (r.status !== 200) throw new Error(`duty: ${r.status} ${JSON.stringify(r.json)}`);
    guardTokens.push(await signIn(next(), g));
  }
  const residentTokens = new Map<string, string>();
  for (const r of residents) residentTokens.set(r.householdId ?? '', await signIn(next(), r));
  // Each resident's phone holds one live feed, on one of the servers.
  for (const [i, token] of [...residentTokens.values()].entries())
    await subscribe(urls[i % urls.length]!, token, abort);
  return { demo, guardTokens, residentTokens, tokenOf: new Map(guards.map((g, i) => [g.id, guardTokens[i]!])) };
}

/**
 * Drives the mix against `urls` (round-robin) for `seconds` with `clients` loops; client `c` works
 * in compound `c mod |compounds|`.
 */
async function drive(
  urls: string[],
  compounds: DemoScenario[],
  seconds: number,
  clients: number,
  sticky: boolean,
  onStart: () => void,
): Promise<RunResult> {
  let turn = 0;
  const next = (): string => urls[turn++ % urls.length]!;
  const abort = new AbortController();
  const signed: Signed[] = [];
  for (const demo of compounds) signed.push(await signInCompound(demo, urls, next, abort.signal));

  const mutationMs: number[] = [];
  const readMs: number[] = [];
  let refused = 0;
  let serverErrors = 0;
  const refusals = new Map<string, number>();
  const count = (
    r: { status: number; ms: number; json: unknown; route: string },
    kind: 'mutation' | 'read',
  ): boolean => {
    if (r.status >= 500) serverErrors++;
    if (r.status !== 200) {
      if (kind === 'mutation') refused++;
      const code = (r.json as { error?: { code?: unknown } } | null)?.error?.code;
      const key = `${r.route} ${r.status} ${typeof code === 'string' ? code : ''}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
      return false;
    }
    (kind === 'mutation' ? mutationMs : readMs).push(r.ms);
    return true;
  };
  onStart();
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  // Each car as its household and the guards would handle it: one away is checked in and parked;
  // one on site leaves, its resident saying "now" first when cars stand in its way (the guard whose
  // task it is moves them); every fourth visit the resident also sets a weekday routine.
  const loop = async (client: number): Promise<void> => {
    // Sticky: a client's requests all go to one server, as a load balancer's session affinity sends them.
    const to = sticky ? (): string => urls[client % urls.length]! : next;
    const { demo, guardTokens, residentTokens, tokenOf } = signed[client % signed.length]!;
    // The compound's clients share its cars.
    const mates = Math.ceil((clients - (client % signed.length)) / signed.length);
    const mate = Math.floor(client / signed.length);
    const guard = guardTokens[mate % guardTokens.length]!;
    const cars = demo.vehicles.filter((_, i) => i % mates === mate);
    for (let round = 0; performance.now() < until; round++) {
      const car = cars[round % cars.length]!;
      const owner = residentTokens.get(car.householdId) ?? guard;
      const view = await request(to(), 'GET', `/api/vehicles/${car.id}`, owner);
      if (!count(view, 'read')) continue;
      const { location, blockedBy } = view.json as { location: { kind: string }; blockedBy: unknown[] };
      if (location.kind === 'away') {
        const checkIn = await request(to(), 'POST', `/api/compounds/${demo.compound.id}/check-ins`, guard, {
          plate: car.plate,
        });
        if (count(checkIn, 'mutation')) {
          const task = (checkIn.json as { task: { id: string } | null }).task;
          if (task !== null)
            count(await request(to(), 'POST', `/api/tasks/${task.id}/complete`, guard, {}), 'mutation');
        }
        continue;
      }
      if (round % 4 === 0)
        count(
          await request(to(), 'POST', `/api/vehicles/${car.id}/departures`, owner, {
            kind: 'standing',
            time: '07:30',
            weekdays: [1, 2, 3, 4, 5],
          }),
          'mutation',
        );
      if (location.kind === 'parked' && blockedBy.length > 0) {
        const now = await request(to(), 'POST', `/api/vehicles/${car.id}/departures`, owner, { kind: 'now' });
        if (count(now, 'mutation'))
          for (const task of (now.json as { tasks: { id: string; vehicleId: string; guardId: string | null }[] })
            .tasks) {
            // The guard takes the blocker's key from the cabinet, moves the car and hangs the key back.
            const mover = tokenOf.get(task.guardId ?? '') ?? guard;
            const key = `K-${task.vehicleId}`;
            if (
              !count(await request(to(), 'POST', `/api/keys/${key}/checkout`, mover, { taskId: task.id }), 'mutation')
            )
              continue;
            count(await request(to(), 'POST', `/api/tasks/${task.id}/complete`, mover, {}), 'mutation');
            count(await request(to(), 'POST', `/api/keys/${key}/return`, mover, {}), 'mutation');
          }
      }
      count(await request(to(), 'POST', `/api/vehicles/${car.id}/depart`, guard, {}), 'mutation');
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  const elapsed = (performance.now() - started) / 1000;
  abort.abort();
  mutationMs.sort((a, b) => a - b);
  readMs.sort((a, b) => a - b);
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    mutationsPerSecond: Math.round(mutationMs.length / elapsed),
    p50Ms: round1(percentile(mutationMs, 50)),
    p99Ms: round1(percentile(mutationMs, 99)),
    mutations: mutationMs.length,
    refused,
    serverErrors,
    reads: readMs.length,
    readP99Ms: round1(percentile(readMs, 99)),
    rssMb: [],
    refusals: [...refusals].sort((a, b) => b[1] - a[1]),
    cpuMsPerMutation: 0,
  };
}

/**
 * The demo's `k`-th copy (k ≥ 1) as another compound of a district: its own id, and phones of its own
 * (a phone signs in to one account in a deployment).
 */
function demoCopy(demo: DemoScenario, k: number): DemoScenario {
  const copy = structuredClone(demo);
  copy.compound.id = `${demo.compound.id}-${k + 1}`;
  copy.compound.name = `${demo.compound.name} ${k + 1}`;
  for (const u of copy.users) u.phone = `13${8 - k}${u.phone.slice(3)}`;
  return copy;
}

/** Adds `scenario` to the database of `env` as an operator would: from a file, with `parkbutler compound add`. */
function compoundAdd(scenario: DemoScenario, env: Record<string, string>): void {
  const dir = mkdtempSync(join(tmpdir(), 'parkbutler-district-'));
  try {
    const file = join(dir, `${scenario.compound.id}.json`);
    writeFileSync(file, JSON.stringify(scenario));
    const r = spawnSync(process.execPath, [BIN, 'compound', 'add', file], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) throw new Error(`compound add ${scenario.compound.id}: ${r.stderr.toString()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runConfig(
  name: string,
  servers: number,
  env: Record<string, string>,
  port: number,
  demo: DemoScenario,
  compoundCount: number,
  seconds: number,
  clients: number,
): Promise<RunResult> {
  // The first server loads the demo; the district's other compounds are added beside it, and the
  // other servers start on the loaded database.
  const children: ChildProcess[] = [await startServer(port, env)];
  const compounds = [demo];
  try {
    for (let k = 1; k < compoundCount; k++) {
      const copy = demoCopy(demo, k);
      compoundAdd(copy, env);
      compounds.push(copy);
    }
    for (let i = 1; i < servers; i++) children.push(await startServer(port + i, env));
    const urls = children.map((_, i) => `http://127.0.0.1:${port + i}`);
    // From the start of the load, after the sign-ins (each a deliberately slow scrypt).
    let cpuBefore = 0;
    const result = await drive(urls, compounds, seconds, clients, compoundCount > 1, () => {
      cpuBefore = children.reduce((sum, c) => sum + cpuMs(c.pid), 0);
    });
    result.rssMb = children.map((c) => rssMb(c.pid));
    const cpu = children.reduce((sum, c) => sum + cpuMs(c.pid), 0) - cpuBefore;
    result.cpuMsPerMutation = Math.round((cpu / Math.max(1, result.mutations)) * 100) / 100;
    process.stdout.write(
      `${name.padEnd(17)} ${String(result.mutationsPerSecond).padStart(5)} mutations/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  ` +
        `(${result.mutations} acknowledged, ${result.refused} refused, ${result.serverErrors} 5xx; ${result.reads} reads, p99 ${result.readP99Ms} ms; RSS ${result.rssMb.join('/')} MB; ` +
        `server CPU ${result.cpuMsPerMutation} ms/mutation)\n` +
        result.refusals.map(([what, n]) => `          refused ${n}× ${what}\n`).join(''),
    );
    return result;
  } finally {
    for (const c of children) await stop(c);
  }
}

export async function benchApi(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 20);
  const clients = option(args, 'clients', 8);
  const portBase = option(args, 'port', PORT_BASE);
  const demo = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'jinfang.json'), 'utf8')) as DemoScenario;
  const logLevel = process.env.LOG_LEVEL ?? 'info';
  const district = option(args, 'district', 3);
  // --only a,b: just these configurations (the names of the JSON line).
  const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : null;
  const wanted = (name: string): boolean => only === null || only.includes(name);
  process.stdout.write(
    `bench api: ${clients} clients, ${seconds} s per configuration, server log level ${logLevel}, loopback; ` +
      `the district runs: ${district} compounds (copies of the demo), each client in one of them and sticky to one server\n`,
  );
  const out: Record<string, Figures | null> = { sqlite: null, postgres: null, postgres3: null };
  const pick = (r: RunResult): Figures => ({
    mutationsPerSecond: r.mutationsPerSecond,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
  });

  if (wanted('sqlite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'parkbutler-bench-'));
    try {
      out.sqlite = pick(
        await runConfig(
          'sqlite',
          1,
          { PARKBUTLER_DATA: dataDir, LOG_LEVEL: logLevel },
          portBase,
          demo,
          1,
          seconds,
          clients,
        ),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    process.stdout.write('postgres: skipped (set DATABASE_URL)\n');
  } else {
    for (const [name, servers, compounds, port] of [
      ['postgres', 1, 1, portBase + 10],
      ['postgres3', 3, 1, portBase + 20],
      ['districtPostgres', 1, district, portBase + 30],
      ['districtPostgres3', 3, district, portBase + 40],
    ] as const) {
      if ((compounds < 2 && name.startsWith('district')) || !wanted(name)) continue;
      const url = await createDatabase(adminUrl, 'pbbench');
      try {
        out[name] = pick(
          await runConfig(
            name,
            servers,
            { DATABASE_URL: url, LOG_LEVEL: logLevel },
            port,
            demo,
            compounds,
            seconds,
            clients,
          ),
        );
      } finally {
        await dropDatabase(adminUrl, url);
      }
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
