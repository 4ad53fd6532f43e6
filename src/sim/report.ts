/**
 * @module The simulator's HTML report: one self-contained file (no scripts, no network) with the
 * figures of each policy and five charts rendered server-side to SVG with ECharts: waits by hour,
 * relocations per night, guard load over the day, occupancy over the day, policy comparison.
 */
import * as echarts from 'echarts';
import type { SimResult } from './engine.js';

/** Single quotes only: ECharts puts the family into an SVG style attribute without escaping it. */
const FONTS = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const WIDTH = 960;
const HEIGHT = 360;
/** One colour per policy, in comparison order (colour-blind safe). */
const COLOURS = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function svgChart(option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({ animation: false, color: COLOURS, textStyle: { fontFamily: FONTS }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const halfHourLabels = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`,
);

function lineChart(
  title: string,
  xName: string,
  yName: string,
  categories: string[],
  series: { name: string; data: (number | null)[] }[],
  extra: Record<string, unknown> = {},
): string {
  return svgChart({
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 30 },
    grid: { top: 70, left: 60, right: 30, bottom: 50 },
    xAxis: { type: 'category', name: xName, nameLocation: 'middle', nameGap: 30, data: categories },
    yAxis: { type: 'value', name: yName },
    series: series.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.data,
      connectNulls: true,
      showSymbol: categories.length <= 31,
      ...extra,
    })),
  });
}

export interface ReportChart {
  id: string;
  title: string;
  svg: string;
}

/** The five charts, for the report and for tests. */
export function reportCharts(results: readonly SimResult[]): ReportChart[] {
  const first = results[0];
  if (first === undefined) throw new Error('a report needs at least one simulation result');
  const dates = first.nights.map((n) => n.date.slice(5));
  const charts: ReportChart[] = [];
  charts.push({
    id: 'waits-by-hour',
    title: '等待时间（按小时） Resident wait by hour of departure',
    svg: lineChart(
      'Mean wait by hour (min)',
      'hour of day',
      'minutes',
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      results.map((r) => ({ name: r.policy, data: r.profiles.waitByHour })),
    ),
  });
  charts.push({
    id: 'relocations-per-night',
    title: '每晚挪车次数 Relocations per night',
    svg: lineChart(
      'Relocations per night (on demand + pre-staging + re-sort)',
      'evening of',
      'moves',
      dates,
      results.map((r) => ({
        name: r.policy,
        data: r.nights.map((n) => n.relocations.onDemand + n.relocations.prestage + n.relocations.resort),
      })),
    ),
  });
  charts.push({
    id: 'guard-load',
    title: '保安工作负荷 Guard load over the day',
    svg: lineChart(
      `Guards busy (of ${first.guardsOnDuty} on duty), mean over the days`,
      'time of day',
      'guards busy',
      halfHourLabels,
      results.map((r) => ({ name: r.policy, data: r.profiles.guardLoadByHalfHour })),
    ),
  });
  charts.push({
    id: 'occupancy',
    title: '小区内车辆数 Occupancy over the day',
    svg: lineChart(
      `Cars in the compound (${first.positions} positions), mean over the days`,
      'time of day',
      'cars',
      halfHourLabels,
      results.map((r) => ({ name: r.policy, data: r.profiles.occupancyByHalfHour })),
    ),
  });
  const metrics: { name: string; value: (r: SimResult) => number }[] = [
    { name: 'housed %', value: (r) => 100 * r.overall.housedRate },
    { name: 'on time %', value: (r) => 100 * r.overall.onTimeRate },
    { name: 'relocations per 100 departures', value: (r) => 100 * r.overall.relocationsPerDeparture },
    { name: 'wait p95 (min)', value: (r) => r.overall.waitP95Min },
    { name: 'guard peak utilisation %', value: (r) => 100 * r.overall.guardPeakUtilization },
    { name: 'EV energy met %', value: (r) => 100 * r.overall.evEnergyMetRate },
  ];
  charts.push({
    id: 'policy-comparison',
    title: '策略对比 Policy comparison',
    svg: svgChart({
      title: { text: 'Policies compared', left: 'center', textStyle: { fontSize: 14 } },
      legend: { top: 30 },
      grid: { top: 70, left: 60, right: 30, bottom: 50 },
      xAxis: { type: 'category', data: metrics.map((m) => m.name), axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value' },
      series: results.map((r) => ({
        type: 'bar',
        name: r.policy,
        data: metrics.map((m) => Math.round(m.value(r) * 10) / 10),
        label: { show: true, position: 'top', fontSize: 10 },
      })),
    }),
  });
  return charts;
}

const FIELDS: [keyof SimResult['overall'], string][] = [
  ['housedRate', 'housed'],
  ['onTimeRate', 'declared departures on time'],
  ['waitMeanMin', 'wait mean (min)'],
  ['waitP95Min', 'wait p95 (min)'],
  ['waitMaxMin', 'wait max (min)'],
  ['gateWaitP95Min', 'gate wait p95 (min)'],
  ['gateWaitMaxMin', 'gate wait max (min)'],
  ['relocationsPerDeparture', 'relocations per departure'],
  ['relocationLowerBoundPerDeparture', 'nightly lower bound per departure'],
  ['guardPeakUtilization', 'guard peak-hour utilisation'],
  ['evEnergyMetRate', 'EV energy met'],
  ['partnerNightsUsed', 'partner-lot car-nights'],
  ['violations', 'violations (closed / fire lane / rules)'],
];

/** The whole report as one HTML document. */
export function renderReport(scenarioName: string, results: readonly SimResult[]): string {
  const first = results[0];
  if (first === undefined) throw new Error('a report needs at least one simulation result');
  const charts = reportCharts(results);
  const head = results.map((r) => `<th>${escapeHtml(r.policy)}</th>`).join('');
  const rows = FIELDS.map(
    ([key, label]) =>
      `<tr><th scope="row">${escapeHtml(label)}</th>${results.map((r) => `<td>${r.overall[key]}</td>`).join('')}</tr>`,
  ).join('\n');
  const sections = charts
    .map(
      (c) =>
        `<section><h2>${escapeHtml(c.title)}</h2><div class="chart" id="${c.id}" data-chart="${c.id}">${c.svg}</div></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(scenarioName)} — 泊车管家 simulation</title>
<style>
body { font-family: ${FONTS}; margin: 2rem auto; max-width: 1000px; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.7rem; text-align: right; }
th[scope=row] { text-align: left; font-weight: normal; }
.chart { width: ${WIDTH}px; height: ${HEIGHT}px; }
</style>
</head>
<body>
<h1>${escapeHtml(scenarioName)}: ${first.days} simulated days from ${escapeHtml(first.startDate)} (seed ${first.seed})</h1>
<p>Rates in 0..1, waits in minutes. Relocations per departure count guard moves of parked cars made on demand, before a departure (pre-staging) and in the night re-sort; charger swaps are listed per night but not counted.</p>
<table>
<thead><tr><th></th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${sections}
</body>
</html>
`;
}
