/**
 * Issue 16, the guard's phone (parts 1, 2 and 7), in a real headless Chromium against the real server:
 * with the network gone a reload still shows the app and the last-known tasks; actions taken offline
 * wait in the guard's queue and are sent once when the network is back, a task meanwhile given to
 * another guard is shown as a conflict; signing out deletes the queue; a photo of a key's printed
 * label checks the right key out and a wrong key is refused on the spot; every guard screen passes
 * axe; a slow-phone run prints how long the first screen takes to be usable (printed, never asserted:
 * speed is measured, not tested). Screenshots go to test-results/.
 *
 * Needs the built web app (web/dist): `npm run build` first; a missing or stale build is rebuilt here.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  axe,
  cspViolations,
  ensureWebBuild,
  haveChromium,
  launchChromium,
  openPage,
  PHONE,
  shot,
  signIn,
  SHOTS,
} from '../support/browser.js';
import { startServer } from '../support/processes.js';

const MANAGER = '13800000001';
const GUARD = '13800000011';

interface KeyItem {
  tag: string;
  vehicleId: string;
  plate: string | null;
  custody: { kind: string; guardId?: string; taskId?: string | null };
}
/** The page's localStorage, as seen from page.evaluate (the tests are type-checked without the DOM library). */
interface PageStorage {
  getItem(key: string): string | null;
}
interface TaskItem {
  id: string;
  status: string;
  guardId: string | null;
}

describe.skipIf(!haveChromium)('the guard’s phone: offline, scanning key tags, a slow network', () => {
  let server: { child: ChildProcess; url: string; output: () => string };
  let browser: Browser;
  let dataDir = '';
  const contexts: BrowserContext[] = [];
  const api = apiClient(() => server.url);

  /** Cars checked in for g01 whose spare keys wait in the cabinet: their tasks need a key checkout. */
  const cars: { vehicleId: string; plate: string; tag: string; taskId: string }[] = [];

  async function checkInWithKey(): Promise<(typeof cars)[number]> {
    const keys = await api<{ keys: KeyItem[] }>(MANAGER, 'GET', '/api/keys');
    const vehicles = await api<{ id: string; location: { kind: string } }[]>(MANAGER, 'GET', '/api/vehicles');
    const away = new Set(vehicles.filter((v) => v.location.kind === 'away').map((v) => v.id));
    const used = new Set(cars.map((c) => c.vehicleId));
    const key = keys.keys.find(
      (k) => k.custody.kind === 'in-cabinet' && k.plate !== null && away.has(k.vehicleId) && !used.has(k.vehicleId),
    );
    expect(key, 'a car away with its key in the cabinet').toBeDefined();
    const r = await api<{ task: TaskItem | null }>(GUARD, 'POST', '/api/compounds/jinfang/check-ins', {
      plate: key!.plate,
    });
    expect(r.task).not.toBeNull();
    // Whoever the planner gave it to, this test's guard does it.
    if (r.task!.guardId !== 'g01') await api(MANAGER, 'POST', `/api/tasks/${r.task!.id}/reassign`, { guardId: 'g01' });
    const car = { vehicleId: key!.vehicleId, plate: key!.plate!, tag: key!.tag, taskId: r.task!.id };
    cars.push(car);
    return car;
  }

  /** The ledger's event kinds for a car, oldest first (a task's events are records of their own kind). */
  async function history(vehicleId: string): Promise<string[]> {
    const events = (
      await api<{ events: { type: string; payload: Record<string, unknown> }[] }>(
        MANAGER,
        'GET',
        `/api/vehicles/${vehicleId}/history`,
      )
    ).events;
    return events.map((e) => (e.type === 'record' ? String(e.payload.kind) : e.type));
  }

  async function custody(tag: string): Promise<KeyItem['custody'] | undefined> {
    return (await api<{ keys: KeyItem[] }>(MANAGER, 'GET', '/api/keys')).keys.find((k) => k.tag === tag)?.custody;
  }

  /** The printed label of a key tag, as the phone's camera would photograph it (PNG, white around). */
  async function labelPhoto(tag: string): Promise<Buffer> {
    const svg = await api<string>(GUARD, 'GET', `/api/keys/${encodeURIComponent(tag)}/label.svg`);
    return sharp(Buffer.from(svg), { density: 400 })
      .flatten({ background: '#ffffff' })
      .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' })
      .png()
      .toBuffer();
  }

  const syncLine = (page: Page) => page.locator('.pb-sync-line');
  const taskCard = (page: Page, taskId: string) => page.locator(`.pb-task[data-task="${taskId}"]`);

  /** Until the service worker controls the page (it claims it once installed, without a reload). */
  async function serviceWorkerInControl(page: Page): Promise<void> {
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker
          .controller !== null,
      null,
      { timeout: 90_000 },
    );
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    dataDir = mkdtempSync(join(tmpdir(), 'pb-e2e-phone-'));
    server = await startServer({ PARKBUTLER_DATA: dataDir });
    browser = await launchChromium();
    await api(MANAGER, 'POST', '/api/shifts/duty', { onDuty: true, guardId: 'g01' });
    await api(MANAGER, 'POST', '/api/shifts/duty', { onDuty: true, guardId: 'g02' });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    server?.child.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('offline: a reload shows the last-known tasks, queued actions are sent once on reconnect, a conflict is said, sign-out deletes the queue', async () => {
    const a = await checkInWithKey();
    const b = await checkInWithKey();
    const { context, page, problems } = await openPage(browser, server.url, PHONE);
    contexts.push(context);
    await signIn(page, GUARD);
    await taskCard(page, a.taskId).waitFor();
    await taskCard(page, b.taskId).waitFor();
    await expect.poll(() => syncLine(page).textContent()).toContain('在线');
    await serviceWorkerInControl(page);

    // The network goes: the reload comes from the service worker, the tasks from what the phone remembered.
    problems.offline = true;
    await context.setOffline(true);
    await page.reload();
    await taskCard(page, a.taskId).waitFor();
    expect(await taskCard(page, a.taskId).textContent()).toContain(a.plate);
    await expect.poll(() => syncLine(page).textContent()).toMatch(/离线.*数据截至 \d\d:\d\d/);
    await shot(page, 'guard-offline-reload-phone');
    await axe(page, 'guard offline');

    // Meanwhile the manager gives task b to the other guard on duty; the phone, offline, cannot know.
    // (Before the guard's taps, not after: Chromium under Playwright sometimes delivers a request of a
    // controlled page after telling the page it failed offline; seen in CI and under faketime: the
    // server got the first offline start ~150 ms after the page saw ERR_INTERNET_DISCONNECTED. So
    // whichever attempt reaches the server, it comes after the reassignment, as on a real phone.)
    await api(MANAGER, 'POST', `/api/tasks/${b.taskId}/reassign`, { guardId: 'g02' });
    problems.expected.push(`POST /api/tasks/${b.taskId}/start 409`);

    // Two actions offline: both wait, shown as they will be once sent; a reload keeps them.
    await taskCard(page, a.taskId)
      .getByRole('button', { name: /开\s*始/ })
      .click();
    await taskCard(page, b.taskId)
      .getByRole('button', { name: /开\s*始/ })
      .click();
    await expect.poll(() => syncLine(page).textContent()).toContain('2 条待同步');
    expect(await taskCard(page, a.taskId).getAttribute('data-status')).toBe('started');
    await page.reload();
    await expect.poll(() => syncLine(page).textContent()).toContain('2 条待同步');
    await shot(page, 'guard-offline-queued-phone');
    await axe(page, 'guard offline queue');

    await context.setOffline(false);
    await expect.poll(() => page.locator('.pb-sync').textContent(), { timeout: 30_000 }).toContain('冲突');
    await expect.poll(() => syncLine(page).textContent(), { timeout: 30_000 }).not.toContain('待同步');
    const conflict = (await page.locator('.pb-sync-failed').textContent()) ?? '';
    expect(conflict).toContain('另一位保安');
    // In the guard's words, never the task's or the guards' internal ids.
    expect(conflict).not.toContain(b.taskId);
    expect(conflict).not.toMatch(/\bg0\d\b/);
    // Back online, the screen reads anew: task a as the server now has it.
    await expect.poll(() => syncLine(page).textContent(), { timeout: 30_000 }).not.toContain('离线');
    await expect.poll(() => taskCard(page, a.taskId).getAttribute('data-status')).toBe('started');
    await shot(page, 'guard-sync-conflict-phone');
    await axe(page, 'guard conflict');
    problems.offline = false;

    // Sent once: one start of task a on the ledger, none of b by this guard.
    const startsOfA = (await history(a.vehicleId)).filter((e) => e === 'task.started');
    expect(startsOfA).toHaveLength(1);
    const startsOfB = (await history(b.vehicleId)).filter((e) => e === 'task.started');
    expect(startsOfB).toHaveLength(0);
    const open = await api<{ tasks: TaskItem[] }>(MANAGER, 'GET', '/api/tasks');
    expect(open.tasks.find((t) => t.id === a.taskId)?.status).toBe('started');
    expect(open.tasks.find((t) => t.id === b.taskId)?.guardId).toBe('g02');

    // Offline again, the key of a taken by hand: queued. Signing out deletes the queue with it.
    problems.offline = true;
    await page.reload();
    await taskCard(page, a.taskId).getByRole('button', { name: '钥匙已取' }).waitFor();
    await context.setOffline(true);
    await taskCard(page, a.taskId).getByRole('button', { name: '钥匙已取' }).click();
    await expect.poll(() => syncLine(page).textContent()).toContain('1 条待同步');
    const queued = await page.evaluate(() =>
      (globalThis as unknown as { localStorage: PageStorage }).localStorage.getItem('pb_actions:g01'),
    );
    expect(queued).toContain(`/api/keys/${a.tag}/checkout`);
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    const left = await page.evaluate(() =>
      Object.keys((globalThis as unknown as { localStorage: PageStorage }).localStorage).filter((k) =>
        /^pb_(actions|cache|me)/.test(k),
      ),
    );
    expect(left).toEqual([]);
    await context.setOffline(false);
    problems.offline = false;
    // The same phone signs in again: nothing of the old queue is sent.
    await signIn(page, GUARD);
    await taskCard(page, a.taskId).waitFor();
    await page.waitForTimeout(2000);
    expect(await custody(a.tag)).toMatchObject({ kind: 'in-cabinet' });
    expect((await history(a.vehicleId)).filter((e) => e === 'key.checked-out')).toHaveLength(0);
    expect(await cspViolations(page)).toEqual([]);
    expect(problems.list).toEqual([]);
  }, 240_000);

  it('a photo of the key tag checks the right key out; a wrong key is refused on the spot; a key is returned by scanning', async () => {
    const a = cars[0]!;
    const wrong = cars[1]!;
    const { context, page, problems } = await openPage(browser, server.url, PHONE);
    contexts.push(context);
    await signIn(page, GUARD);
    const card = taskCard(page, a.taskId);
    await card.waitFor();
    await card.getByRole('button', { name: '扫码取钥匙' }).click();
    const dialog = page.getByRole('dialog');
    const photo = dialog.locator('input[type="file"]');
    await photo.setInputFiles({ name: 'wrong-key.png', mimeType: 'image/png', buffer: await labelPhoto(wrong.tag) });
    const refused = dialog.locator('.pb-scan-refused');
    await refused.waitFor();
    const said = (await refused.textContent()) ?? '';
    expect(said).toContain(wrong.tag);
    expect(said).toContain(a.plate);
    expect(said).toContain(a.tag);
    await shot(page, 'guard-scan-wrong-key-phone');
    await axe(page, 'guard key scanner');
    expect(await custody(wrong.tag)).toMatchObject({ kind: 'in-cabinet' });

    await photo.setInputFiles({ name: 'right-key.png', mimeType: 'image/png', buffer: await labelPhoto(a.tag) });
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => custody(a.tag), { timeout: 15_000 })
      .toMatchObject({
        kind: 'with-guard',
        guardId: 'g01',
        taskId: a.taskId,
      });
    await card.locator('.ant-btn-primary', { hasText: /^\s*完\s*成\s*$/ }).waitFor();
    await shot(page, 'guard-key-scanned-phone');

    // Returned by scanning: a key not held is refused, the held one goes back to the cabinet.
    await page.getByRole('tab', { name: '钥匙' }).click();
    await page.getByRole('button', { name: '扫码归还' }).click();
    await photo.setInputFiles({ name: 'not-mine.png', mimeType: 'image/png', buffer: await labelPhoto(wrong.tag) });
    await expect.poll(() => dialog.locator('.pb-scan-refused').textContent()).toContain('不在你手中');
    await photo.setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: await labelPhoto(a.tag) });
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => custody(a.tag), { timeout: 15_000 }).toMatchObject({ kind: 'in-cabinet' });

    // The decoder's .wasm came from this origin, under the CSP.
    expect(await cspViolations(page)).toEqual([]);
    expect(problems.list).toEqual([]);
  }, 180_000);

  it('every guard screen passes axe and is screenshotted', async () => {
    const { context, page, problems } = await openPage(browser, server.url, PHONE);
    contexts.push(context);
    await signIn(page, GUARD);
    await page.locator('.pb-task').first().waitFor();
    await shot(page, 'guard-phone-tasks');
    await axe(page, 'guard tasks');
    await page.getByRole('tab', { name: '门口登记' }).click();
    for (const [tab, name] of [
      ['手动登记', 'guard-phone-gate-typed'],
      ['车牌识别', 'guard-phone-gate-camera'],
      ['车况', 'guard-phone-gate-condition'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await shot(page, name);
      await axe(page, name);
    }
    for (const [tab, name] of [
      ['车场地图', 'guard-phone-map'],
      ['钥匙', 'guard-phone-keys'],
      ['交接班', 'guard-phone-handover'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await shot(page, name);
      await axe(page, name);
    }
    expect(problems.list).toEqual([]);
  }, 180_000);

  it('on a slow phone (slow 4G, CPU 4× slower): prints how long the first screen takes to be usable', async () => {
    // Signed in on a fast network first; the measured loads then start from a phone that knows its session.
    const fast = await openPage(browser, server.url, PHONE);
    contexts.push(fast.context);
    await signIn(fast.page, GUARD);
    const storageState = await fast.context.storageState();

    const phone = { width: 360, height: 800 };
    // No axe-core here: parsing it on each load under the slowed CPU took ~1-2 s of the measured time.
    const { context, page, problems } = await openPage(
      browser,
      'about:blank',
      phone,
      { storageState, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
      { axe: false },
    );
    contexts.push(context);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1_000_000) / 8,
      uploadThroughput: (750 * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    await cdp.send('Performance.enable');
    /**
     * The renderer's main-thread CPU time (ThreadTime: what the page's own work costs, less swayed by a busy
     * machine than the wall clock) and the wall time its scripts, style recalculation and layout took.
     */
    const work = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const ms = (name: string) => 1000 * (metrics.find((m) => m.name === name)?.value ?? 0);
      return {
        cpu: ms('ThreadTime'),
        script: ms('ScriptDuration'),
        style: ms('RecalcStyleDuration'),
        layout: ms('LayoutDuration'),
      };
    };
    /** What the page's main thread spent since its document began (Chromium counts each document from zero). */
    const spent = (w: Awaited<ReturnType<typeof work>>) =>
      `main-thread CPU ${Math.round(w.cpu)} ms (script ${Math.round(w.script)}, style ${Math.round(w.style)}, ` +
      `layout ${Math.round(w.layout)} ms wall)`;

    /** From navigation to the first task's main button (or the empty list) shown and enabled. */
    const usable = async (): Promise<number> => {
      const start = Date.now();
      await page.goto(server.url);
      await page
        .locator('.pb-task .ant-btn-primary:not([disabled]), .pb-phone .ant-empty')
        .first()
        .waitFor({ timeout: 120_000 });
      return Date.now() - start;
    };
    const cold = await usable();
    const coldWork = await work();
    await shot(page, 'guard-slow-phone-first-screen');
    await serviceWorkerInControl(page);
    const warm = await usable();
    const warmWork = await work();
    console.log(
      `slow phone (360×800, slow 4G 1.6 Mbps down / 750 kbps up / 150 ms RTT, CPU 4× slower): ` +
        `the guard's first screen is usable after ${cold} ms cold (no cache) and ${warm} ms with the service worker; ` +
        `cold ${spent(coldWork)}; warm ${spent(warmWork)}`,
    );
    expect(problems.list).toEqual([]);
  }, 300_000);
});
