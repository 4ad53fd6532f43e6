/**
 * The browser tests' shared support: Debian's Chromium through playwright-core, the built web app,
 * a page that records every console error, failed request and unexpected 4xx/5xx, a signed-in API
 * client for the test itself, screenshots to test-results/, and axe-core on the page as it is.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHOTS = join(ROOT, 'test-results');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };
export const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install chromium (see .ci/run)`);
if (!haveChromium) console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds web/dist unless it is newer than every source of it. */
export async function ensureWebBuild(): Promise<void> {
  const index = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(
    newest(join(ROOT, 'web/src')),
    newest(join(ROOT, 'web/public')),
    statSync(join(ROOT, 'web/index.html')).mtimeMs,
    ...['web/vite.config.ts', 'web/first-screen-styles.ts', 'web/theme.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test; the app under test is the production build, as `npm run build` makes it.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'web/vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = env;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A signed-in API call from the test itself (node fetch with a bearer token per phone number). */
export type Api = <T>(phone: string, method: string, path: string, body?: unknown) => Promise<T>;

export function apiClient(baseUrl: () => string): Api {
  const tokens = new Map<string, string>();
  return async <T>(phone: string, method: string, path: string, body?: unknown): Promise<T> => {
    let token = tokens.get(phone);
    if (token === undefined) {
      const login = await fetch(`${baseUrl()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, password: 'demo1234', kind: 'token' }),
      });
      token = ((await login.json()) as { token: string }).token;
      tokens.set(phone, token);
    }
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    // JSON replies parsed; others (an SVG label, a page) as their text.
    return (res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text) as T;
  };
}

export interface Problems {
  list: string[];
  /** While the test takes the browser offline on purpose, its disconnected requests are expected. */
  offline: boolean;
  /** Responses the test expects to fail (e.g. the fire-lane refusal), as "METHOD path-prefix status". */
  expected: string[];
  /** A response the test cuts on purpose (the server applied the request, the phone never heard back). */
  cut: string | null;
}

/**
 * A new browser context (zh-CN, Shanghai time) and page at `url`, recording what goes wrong in it.
 * `axe: false` leaves axe-core out: a page that only measures speed does not parse its 650 KB on
 * every navigation (seconds on a phone with a slowed CPU).
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  options: BrowserContextOptions = {},
  { axe = true }: { axe?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    ...options,
  });
  // axe-core as an init script: the app's CSP refuses the inline script tag a test would add.
  if (axe) await context.addInitScript({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  // Every Content-Security-Policy violation of every page is recorded, so a test can assert none.
  await context.addInitScript(() => {
    const w = globalThis as unknown as {
      __cspViolations: string[];
      addEventListener(type: string, listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    };
    w.__cspViolations = [];
    w.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // A stuck step names its locator instead of running into the test's timeout.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems: Problems = { list: [], expected: [], offline: false, cut: null };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx as a console error; the test allows only the refusals it expects.
    if (m.text().startsWith('Failed to load resource') && problems.expected.length > 0) return;
    if (problems.offline && m.text().includes('ERR_INTERNET_DISCONNECTED')) return;
    if (m.text().includes('ERR_CONNECTION_RESET') && problems.cut !== null) return;
    problems.list.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.list.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (problems.offline && r.failure()?.errorText === 'net::ERR_INTERNET_DISCONNECTED') return;
    if (
      problems.cut !== null &&
      r.url().endsWith(problems.cut) &&
      r.failure()?.errorText === 'net::ERR_CONNECTION_RESET'
    )
      return;
    problems.list.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const path = new URL(r.url()).pathname;
    const line = `${r.request().method()} ${path} ${r.status()}`;
    if (
      !problems.expected.some(
        (e) => line.startsWith(e.split(' ').slice(0, 2).join(' ')) && line.endsWith(e.split(' ')[2]!),
      )
    ) {
      problems.list.push(`response: ${line}`);
    }
  });
  await page.goto(url);
  return { context, page, problems };
}

export async function signIn(
  page: Page,
  phone: string,
  phoneLabel = '手机号',
  passwordLabel = '密码',
  submit = /登\s*录/,
  signOut = /退\s*出/,
): Promise<void> {
  await page.getByLabel(phoneLabel).fill(phone);
  await page.getByLabel(passwordLabel).fill('demo1234');
  await page.getByRole('button', { name: submit }).click();
  await page.getByRole('button', { name: signOut }).waitFor();
}

/** The CSP violations the page reported since it loaded. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // antd's transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core (loaded into every page by `openPage`) on the page as it is now: no serious or critical violations. */
export async function axe(page: Page, name: string): Promise<void> {
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as {
      axe: {
        run: (o?: unknown) => Promise<{
          violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    const r = await w.axe.run();
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `axe on ${name}`).toEqual([]);
}
