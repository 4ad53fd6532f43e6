/**
 * The guard's phone at the gate, in a real headless Chromium against the real server: a camera
 * holds an unknown plate and a misread, the guard refuses one and confirms the other on the camera
 * tab, then photographs a car's four corners on the condition tab. Screenshots go to test-results/.
 * Needs the built web app (`npm run build`).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vzenithRead } from '../../src/cli/gate.command.js';
import { startServer } from '../support/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'test-results');
const SECRET = 'e2e-camera-secret-000000';
const haveChromium = existsSync(CHROMIUM) && existsSync(join(ROOT, 'web/dist/index.html'));

describe.skipIf(!haveChromium)('the gate on the guard’s phone', () => {
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let dataDir = '';
  const tokens = new Map<string, string>();

  async function api<T>(phone: string, method: string, path: string, body?: unknown): Promise<T> {
    if (!tokens.has(phone)) {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, password: 'demo1234', kind: 'token' }),
      });
      tokens.set(phone, ((await login.json()) as { token: string }).token);
    }
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(phone)}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async function push(plate: string): Promise<string> {
    const res = await fetch(`${server.url}/api/gate/jinfang/cameras/north-in/vzenith?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(vzenithRead(plate)),
    });
    return ((await res.json()) as { Response_AlarmInfoPlate: { info: string } }).Response_AlarmInfoPlate.info;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'pb-e2e-gate-'));
    server = await startServer({ PARKBUTLER_DATA: dataDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    await api('13800000001', 'POST', '/api/shifts/duty', { onDuty: true, guardId: 'g01' });
    await api('13800000001', 'PUT', '/api/gate/cameras/north-in', { gate: '北门', direction: 'in', secret: SECRET });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows camera decisions and takes condition photos', async () => {
    const cars = await api<{ id: string; plate: string }[]>('13800000001', 'GET', '/api/vehicles');
    const car = cars[0]!;
    // A misread of the car's last character when it is a digit with a look-alike letter, else the province.
    const misread = `苏${car.plate.slice(1)}`;
    expect(await push('沪D99999')).toBe('no');
    expect(await push(misread)).toBe('no');

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByLabel('手机号').fill('13800000011');
    await page.getByLabel('密码').fill('demo1234');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('button', { name: /退\s*出/ }).waitFor();

    await page.getByRole('tab', { name: '门口登记' }).click();
    await page.getByRole('tab', { name: '车牌识别' }).click();
    const unknown = page.locator('.gate-read').filter({ hasText: '沪D99999' });
    const proposed = page.locator('.gate-read').filter({ hasText: misread });
    await unknown.waitFor();
    await proposed.waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'guard-camera-decisions-phone.png'), fullPage: true });
    await unknown.getByRole('button', { name: /拒\s*绝/ }).click();
    await proposed.getByRole('button', { name: `确认为 ${car.plate}` }).click();
    await expect
      .poll(async () => (await api<{ reads: unknown[] }>('13800000011', 'GET', '/api/gate/decisions')).reads, {
        timeout: 15_000,
      })
      .toEqual([]);
    const reads = await api<{ reads: { plate: string; decision: string | null }[] }>(
      '13800000011',
      'GET',
      '/api/gate/reads',
    );
    expect(
      reads.reads
        .filter((r) => r.decision !== null)
        .map((r) => [r.plate, r.decision])
        .sort(),
    ).toEqual(
      [
        ['沪D99999', 'refused'],
        [misread, 'confirmed'],
      ].sort(),
    );

    await page.getByRole('tab', { name: '车况' }).click();
    const plateBox = page.getByRole('tabpanel', { name: '车况' }).getByRole('combobox', { name: '车牌' });
    await plateBox.fill(car.plate);
    await plateBox.press('Enter');
    const jpeg = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#557' } })
      .jpeg()
      .toBuffer();
    for (const corner of ['front-left', 'front-right', 'rear-left', 'rear-right'])
      await page
        .locator(`input[data-corner="${corner}"]`)
        .setInputFiles({ name: `${corner}.jpg`, mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByLabel('车况说明').fill('右后门旧划痕');
    await page.screenshot({ path: join(SHOTS, 'guard-condition-photos-phone.png'), fullPage: true });
    await page.getByRole('button', { name: '提交车况' }).click();
    await page.getByText('车况已记录，等待车主确认').waitFor();
    const records = await api<{ records: { photos: unknown[]; notes: string }[] }>(
      '13800000001',
      'GET',
      `/api/vehicles/${car.id}/condition-records`,
    );
    expect(records.records[0]).toMatchObject({ notes: '右后门旧划痕' });
    expect(records.records[0]?.photos).toHaveLength(4);
    expect(errors).toEqual([]);
    await context.close();

    // The car's resident (v001 is household 1号1单元201's, r003) sees the record and acknowledges it.
    expect(car.id).toBe('v001');
    const resident = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    resident.setDefaultTimeout(30_000);
    const rpage = await resident.newPage();
    rpage.on('pageerror', (e) => errors.push(e.message));
    await rpage.goto(server.url);
    await rpage.getByLabel('手机号').fill('13800000103');
    await rpage.getByLabel('密码').fill('demo1234');
    await rpage.getByRole('button', { name: /登\s*录/ }).click();
    const ack = rpage.getByRole('button', { name: '确认车况' });
    await ack.waitFor();
    await rpage.waitForTimeout(300);
    await rpage.screenshot({ path: join(SHOTS, 'resident-condition-ack-phone.png'), fullPage: true });
    await ack.click();
    await expect
      .poll(
        async () =>
          (
            await api<{ records: { acknowledgedAt: number | null }[] }>(
              '13800000103',
              'GET',
              '/api/vehicles/v001/condition-records',
            )
          ).records[0]?.acknowledgedAt ?? null,
        { timeout: 15_000 },
      )
      .not.toBeNull();
    expect(errors).toEqual([]);
    await resident.close();
  }, 120_000);
});
