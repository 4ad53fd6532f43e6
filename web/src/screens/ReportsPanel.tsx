/**
 * @module Reports with ECharts, from what the API offers today: occupancy by area, keys by custody,
 * open tasks by kind. Nightly history (cars served, relocations, waits) needs a statistics route
 * that does not exist yet; the page says so instead of inventing numbers.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { Alert, Col, Row } from 'antd';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n';
import type { KeyItem, Lot, Me, Task } from '../types';
import { useData } from '../useData';

echarts.use([BarChart, PieChart, GridComponent, TitleComponent, TooltipComponent, SVGRenderer]);

function Chart({ option, label }: { option: echarts.EChartsCoreOption; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current === null) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, ...option });
    return () => chart.dispose();
  }, [option]);
  return <div ref={ref} className="pb-chart" role="img" aria-label={label} />;
}

export default function ReportsPanel({ me }: { me: Me }) {
  const { t } = useI18n();
  const manager = me.role === 'manager';
  const lot = useData<Lot>(`/api/compounds/${me.compoundId}/lot`, 0);
  const keys = useData<{ keys: KeyItem[] }>(manager ? '/api/keys' : null, 0);
  const tasks = useData<{ tasks: Task[] }>(manager ? '/api/tasks' : null, 0);

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
  const custodyName: Record<string, string> = { 'in-cabinet': t('柜中'), 'with-guard': t('在保安手中'), lost: t('遗失'), 'with-resident': t('在居民手中') };
  const kindName: Record<string, string> = { park: t('停车'), move: t('移车'), deliver: t('送到门口') };

  return (
    <>
      <Alert type="info" showIcon title={t('历史报表（每晚服务车辆、移车、等待）需要服务端提供统计接口，目前尚无。')} style={{ marginBottom: 16 }} />
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
                  { type: 'bar', name: t('有车'), stack: 'a', data: areas.map((a) => byArea.get(a)!.used), itemStyle: { color: '#1f4e79' } },
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
                    series: [{ type: 'pie', radius: '65%', data: count(keys.data.keys, (k) => custodyName[k.custody.kind] ?? k.custody.kind) }],
                  }}
                />
              )}
            </Col>
            <Col span={12}>
              <h2 className="pb-h2">{t('任务类型')}</h2>
              {tasks.data !== null && (
                <Chart
                  label={t('任务类型')}
                  option={{ tooltip: {}, series: [{ type: 'pie', radius: '65%', data: count(tasks.data.tasks, (x) => kindName[x.kind] ?? x.kind) }] }}
                />
              )}
            </Col>
          </>
        )}
      </Row>
    </>
  );
}
