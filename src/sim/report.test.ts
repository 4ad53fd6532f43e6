import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { parseScenario } from '../core/scenario.js';
import { drawBehaviour } from './behaviour.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';
import { renderReport, reportCharts } from './report.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../../test-results/', import.meta.url));
const scenario = parseScenario(
  JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')),
);
const start = scenario.roster.rotation.startDate;
const behaviour = drawBehaviour(scenario, start, 1, 3);
const results = [POLICIES.naive!, POLICIES.greedy!].map((p) => simulate(scenario, p, { days: 1, seed: 3, behaviour }));
const CHART_IDS = ['waits-by-hour', 'relocations-per-night', 'guard-load', 'occupancy', 'policy-comparison'];

describe('simulation report', () => {
  it('renders the five charts server-side as SVG, one series per policy', () => {
    const charts = reportCharts(results);
    expect(charts.map((c) => c.id)).toEqual(CHART_IDS);
    for (const c of charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(c.svg).toContain('naive');
      expect(c.svg).toContain('greedy');
    }
  });

  it('escapes text it did not write itself', () => {
    expect(renderReport('<b>金纺</b>', results)).toContain('&#60;b&#62;金纺');
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'opens in Chromium with every chart drawn and no console error (screenshot in test-results/)',
    async () => {
      mkdirSync(OUT, { recursive: true });
      const file = `${OUT}simulate-report.html`;
      writeFileSync(file, renderReport(scenario.compound.name, results));
      const browser = await chromium.launch({
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
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(file).href);
        const drawn = await page.$$eval('.chart', (divs) =>
          divs.map((d) => {
            const svg = d.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            return {
              id: d.id,
              svg: svg !== null,
              paths: d.querySelectorAll('svg path').length,
              width: box?.width ?? 0,
              height: box?.height ?? 0,
            };
          }),
        );
        expect(drawn.map((c) => c.id)).toEqual(CHART_IDS);
        for (const chart of drawn) {
          expect(chart.svg, chart.id).toBe(true);
          expect(chart.paths, chart.id).toBeGreaterThan(3);
          expect(chart.width, chart.id).toBeGreaterThan(100);
          expect(chart.height, chart.id).toBeGreaterThan(100);
        }
        await page.screenshot({ path: `${OUT}simulate-report.png`, fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
  if (!existsSync(CHROMIUM))
    it.skip(`Chromium check skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`, () => undefined);
});
