/**
 * Acceptance 4 of the foundation: the server is killed with SIGKILL in the middle of a stream of
 * mutations; afterwards no acknowledged mutation is lost, nothing is half-written (the replay of
 * the ledger equals the stored state) and the chain verifies.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import { runCli, startServer } from './support/processes.js';

interface Scenario {
  vehicles: { id: string; plate: string }[];
  users: { id: string; role: string; phone: string; password: string }[];
}

const scenario = JSON.parse(readFileSync(new URL('../scenarios/jinfang.json', import.meta.url), 'utf8')) as Scenario;
const dataDir = mkdtempSync(join(tmpdir(), 'parkbutler-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function call(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

async function signIn(url: string, role: string, index = 0): Promise<{ token: string; userId: string }> {
  const user = scenario.users.filter((u) => u.role === role)[index]!;
  const r = await call(url, 'POST', '/api/auth/login', null, {
    phone: user.phone,
    password: user.password,
    kind: 'token',
  });
  expect(r.status).toBe(200);
  return { token: (r.json as { token: string }).token, userId: user.id };
}

describe('a server killed in the middle of a stream of mutations', () => {
  it('loses no acknowledged mutation and leaves a consistent, verifying ledger', async () => {
    const server = await startServer({ PARKBUTLER_DATA: dataDir });
    const manager = await signIn(server.url, 'manager');
    const guard = await signIn(server.url, 'guard', 0);
    await call(server.url, 'POST', '/api/shifts/duty', manager.token, { onDuty: true, guardId: guard.userId });

    const acknowledged: {
      seq: number;
      hash: string;
      vehicleId: string;
      kind: 'check-in' | 'park';
      positionId?: string;
    }[] = [];
    let killed = false;
    const stream = (async () => {
      for (const vehicle of scenario.vehicles) {
        try {
          const a = await call(server.url, 'POST', '/api/compounds/jinfang/check-ins', guard.token, {
            plate: vehicle.plate,
          });
          if (a.status !== 200) continue;
          const ack = a.json as { event: { seq: number; hash: string }; task: { id: string; to: string } | null };
          acknowledged.push({ ...ack.event, vehicleId: vehicle.id, kind: 'check-in' });
          if (ack.task === null) continue;
          const b = await call(server.url, 'POST', `/api/tasks/${ack.task.id}/complete`, guard.token, {});
          if (b.status === 200)
            acknowledged.push({
              ...(b.json as { event: { seq: number; hash: string } }).event,
              vehicleId: vehicle.id,
              kind: 'park',
              positionId: ack.task.to,
            });
        } catch {
          if (killed) return; // the connection died with the server
          throw new Error('request failed before the kill');
        }
      }
    })();
    // Kill once a good number of mutations went through, while the stream is still sending.
    let streamDone = false;
    void stream.finally(() => (streamDone = true));
    while (acknowledged.length < 60 && !streamDone) await new Promise((r) => setTimeout(r, 5));
    expect(acknowledged.length, server.output()).toBeGreaterThanOrEqual(60);
    killed = true;
    const exited = new Promise((r) => server.child.once('exit', (_code, signal) => r(signal)));
    server.child.kill('SIGKILL');
    await stream;
    expect(await exited).toBe('SIGKILL');

    const store = await openStore({ dataDir });
    try {
      const events = await store.events('jinfang');
      const bySeq = new Map(events.map((e) => [e.seq, e]));
      for (const ack of acknowledged) {
        expect(bySeq.get(ack.seq)?.hash, `acknowledged event #${ack.seq}`).toBe(ack.hash);
      }
      const state = await store.state('jinfang');
      for (const ack of acknowledged.filter((a) => a.kind === 'park')) {
        const location = state.vehicles.get(ack.vehicleId as never)?.location;
        expect(location).toEqual({ kind: 'parked', positionId: ack.positionId });
      }
      expect(await store.verify('jinfang')).toMatchObject({ ok: true });
      expect((await store.replay('jinfang')).equal).toBe(true);
    } finally {
      await store.close();
    }

    // The CLI says the same, and the server starts again on the same data.
    const verify = runCli(['ledger', 'verify'], { PARKBUTLER_DATA: dataDir });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/jinfang: ok/);
    const replay = runCli(['ledger', 'replay'], { PARKBUTLER_DATA: dataDir });
    expect(replay.status, replay.stderr).toBe(0);
    const again = await startServer({ PARKBUTLER_DATA: dataDir });
    expect((await call(again.url, 'GET', '/api/health', null)).status).toBe(200);
    const stopped = new Promise((r) => again.child.once('exit', r));
    again.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  }, 120_000);
});
