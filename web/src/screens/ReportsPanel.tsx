/**
 * @module Reports with ECharts: per night (from the ledger, `/api/reports/nights`) the cars served,
 * relocations, waits of "now" requests and key exceptions; over the same nights by time of day (the
 * simulator report's day charts for the live compound) waits by hour, guard load and cars on site;
 * and now: occupancy by area, keys by custody, open tasks by kind.
 */
import { Col, Row } from 'antd';
import { useI18n } from '../i18n';
import { api, unwrap } from '../api';
import type { Me } from '../types';
import { useApi } from '../useData';
import { Chart, type ChartOption } from '../components/Chart';

/** A chart with one point per category along the bottom (nights, or times of day), the series given. */
function nightlyOption(days: string[], series: object[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 10, bottom: 30, top: 30 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value' },
    series,
  };
}

const hourLabels = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
const halfHourLabels = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`,
);

/** A chart over the time of day: one line, empty where the nights have nothing yet. */
function dayOption(times: string[], name: string, data: (number | null)[], color: string): ChartOption {
  return nightlyOption(times, [
    { type: 'line', name, data, connectNulls: true, showSymbol: times.length <= 24, itemStyle: { color } },
  ]);
}

export default function ReportsPanel({ me }: { me: Me }) {
  const { t } = useI18n();
  const manager = me.role === 'manager';
  const compoundId = me.compoundId;
  const lot = useApi(
    `lot ${compoundId}`,
    () => unwrap(api.GET('/api/compounds/{compoundId}/lot', { params: { path: { compoundId } } })),
    0,
  );
  const keys = useApi(manager ? 'keys' : null, () => unwrap(api.GET('/api/keys')), 0);
  const tasks = useApi(manager ? 'tasks' : null, () => unwrap(api.GET('/api/tasks')), 0);
  const nights = useApi(
    'nights',
    () => unwrap(api.GET('/api/reports/nights', { params: { query: { nights: 30 } } })),
    0,
  );
  const days = (nights.data?.nights ?? []).map((n) => n.night.slice(5));

  const byArea = new Map<string, { used: number; total: number }>();
  for (const lane of lot.data?.lanes ?? []) {
    const a = byArea.get(lane.area) ?? { used: 0, total: 0 };
    a.total += lane.positions.length;
    a.used += lane.positions.filter((p) => p.occupied).length;
    byArea.set(lane.area, a);
  }
  const areas = [...byArea.keys()];
  const count = <T,>(xs: T[], f: (x: T) => string) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(f(x), (m.get(f(x)) ?? 0) + 1);
    return [...m].map(([name, value]) => ({ name, value }));
  };
  const custodyName: Record<string, string> = {
    'in-cabinet': t('柜中'),
    'with-guard': t('在保安手中'),
    lost: t('遗失'),
    'with-resident': t('在居民手中'),
  };
  const kindName: Record<string, string> = { park: t('停车'), move: t('移车'), deliver: t('送到门口') };

  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <h2 className="pb-h2">{t('每晚服务车辆与移车')}</h2>
          {nights.data !== null && (
            <Chart
              label={t('每晚服务车辆与移车')}
              option={nightlyOption(days, [
                {
                  type: 'bar',
                  name: t('入场车辆'),
                  data: nights.data.nights.map((n) => n.checkIns),
                  itemStyle: { color: '#1f4e79' },
                },
                {
                  type: 'bar',
                  name: t('移车'),
                  data: nights.data.nights.map((n) => n.relocations),
                  itemStyle: { color: '#d46b08' },
                },
              ])}
            />
          )}
        </Col>
        <Col span={12}>
          <h2 className="pb-h2">{t('等待与钥匙异常')}</h2>
          {nights.data !== null && (
            <Chart
              label={t('等待与钥匙异常')}
              option={nightlyOption(days, [
                {
                  type: 'line',
                  name: t('最长等待（分钟）'),
                  data: nights.data.nights.map((n) => n.waitMaxMin ?? 0),
                  itemStyle: { color: '#cf1322' },
                },
                {
                  type: 'line',
                  name: t('门口最长等候（分钟）'),
                  data: nights.data.nights.map((n) => n.gateWaitMaxMin ?? 0),
                  itemStyle: { color: '#531dab' },
                },
                {
                  type: 'bar',
                  name: t('钥匙超时'),
                  data: nights.data.nights.map((n) => n.keyAlarms),
                  itemStyle: { color: '#faad14' },
                },
              ])}
            />
          )}
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={8}>
          <h2 className="pb-h2">{t('等待时间（按小时）')}</h2>
          {nights.data !== null && (
            <Chart
              label={t('等待时间（按小时）')}
              option={dayOption(hourLabels, t('平均等待（分钟）'), nights.data.profiles.waitByHour, '#cf1322')}
            />
          )}
        </Col>
        <Col span={8}>
          <h2 className="pb-h2">{t('保安工作负荷')}</h2>
          {nights.data !== null && (
            <Chart
              label={t('保安工作负荷')}
              option={dayOption(
                halfHourLabels,
                t('忙碌保安（人）'),
                nights.data.profiles.guardBusyMinByHalfHour.map((m) =>
                  m === null ? null : Math.round((m / 30) * 100) / 100,
                ),
                '#d46b08',
              )}
            />
          )}
        </Col>
        <Col span={8}>
          <h2 className="pb-h2">{t('小区内车辆数')}</h2>
          {nights.data !== null && (
            <Chart
              label={t('小区内车辆数')}
              option={dayOption(
                halfHourLabels,
                t('在场车辆（平均）'),
                nights.data.profiles.occupancyByHalfHour,
                '#1f4e79',
              )}
            />
          )}
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={24}>
          <h2 className="pb-h2">{t('各区域占用')}</h2>
          {lot.data !== null && (
            <Chart
              label={t('各区域占用')}
              option={{
                tooltip: {},
                grid: { left: 40, right: 10, bottom: 90, top: 10 },
                xAxis: { type: 'category', data: areas, axisLabel: { rotate: 60, fontSize: 10 } },
                yAxis: { type: 'value' },
                series: [
                  {
                    type: 'bar',
                    name: t('有车'),
                    stack: 'a',
                    data: areas.map((a) => byArea.get(a)!.used),
                    itemStyle: { color: '#1f4e79' },
                  },
                  {
                    type: 'bar',
                    name: t('空位'),
                    stack: 'a',
                    data: areas.map((a) => byArea.get(a)!.total - byArea.get(a)!.used),
                    itemStyle: { color: '#d9d9d9' },
                  },
                ],
              }}
            />
          )}
        </Col>
        {manager && (
          <>
            <Col span={12}>
              <h2 className="pb-h2">{t('钥匙状态')}</h2>
              {keys.data !== null && (
                <Chart
                  label={t('钥匙状态')}
                  option={{
                    tooltip: {},
                    series: [
                      {
                        type: 'pie',
                        radius: '65%',
                        data: count(keys.data.keys, (k) => custodyName[k.custody.kind] ?? k.custody.kind),
                      },
                    ],
                  }}
                />
              )}
            </Col>
            <Col span={12}>
              <h2 className="pb-h2">{t('任务类型')}</h2>
              {tasks.data !== null && (
                <Chart
                  label={t('任务类型')}
                  option={{
                    tooltip: {},
                    series: [
                      { type: 'pie', radius: '65%', data: count(tasks.data.tasks, (x) => kindName[x.kind] ?? x.kind) },
                    ],
                  }}
                />
              )}
            </Col>
          </>
        )}
      </Row>
    </>
  );
}
