/**
 * @module The manager's shift summary, as valet operators get it: per shift of the last week and per
 * guard on it, the cars parked, delivered and moved; the retrieval times (a "now" request to the car
 * leaving); the keys still out at the hand-over; the incidents. Served by `GET /api/reports/shifts`.
 */
import { Table, Tag } from 'antd';
import { api, unwrap } from '../api';
import { useI18n } from '../i18n';
import { hhmm, today } from '../time';
import type { Reply } from '../types';
import { useApi } from '../useData';

type Summary = Reply<'/api/reports/shifts'>['shifts'][number];

const DAYS = 7;

export default function ShiftSummary() {
  const { t } = useI18n();
  const from = today(Date.now() - (DAYS - 1) * 86_400_000);
  const data = useApi(
    `shifts ${from}`,
    () => unwrap(api.GET('/api/reports/shifts', { params: { query: { from, days: DAYS } } })),
    60_000,
  );
  const minutes = (m: number | null) => (m === null ? '—' : t('{n} 分钟', { n: m }));
  return (
    <Table<Summary>
      className="pb-shift-summary"
      size="small"
      rowKey={(s) => `${s.day} ${s.shiftId}`}
      loading={data.data === null && data.error === null}
      dataSource={[...(data.data?.shifts ?? [])].reverse()}
      pagination={false}
      scroll={{ x: true }}
      columns={[
        { title: t('日期'), key: 'day', render: (_, s) => s.day.slice(5) },
        { title: t('班次'), key: 'shift', render: (_, s) => `${t(s.shiftName)} ${hhmm(s.start)}–${hhmm(s.end)}` },
        {
          title: t('保安'),
          key: 'guards',
          render: (_, s) =>
            s.guards.map((g) => (
              <div key={g.guardId}>
                {g.name ?? g.guardId}：
                {t('停车 {a} · 交车 {b} · 移车 {c}', { a: g.parked, b: g.delivered, c: g.moves })}
              </div>
            )),
        },
        { title: t('取车次数'), dataIndex: 'retrievals' },
        { title: t('平均取车时间'), key: 'mean', render: (_, s) => minutes(s.retrievalMeanMin) },
        { title: t('最长取车时间'), key: 'max', render: (_, s) => minutes(s.retrievalMaxMin) },
        {
          title: t('交接时未还钥匙'),
          key: 'keys',
          render: (_, s) =>
            s.keysOutAtHandover === null ? (
              <Tag>{t('进行中')}</Tag>
            ) : (
              <Tag color={s.keysOutAtHandover > 0 ? 'red' : 'green'}>{s.keysOutAtHandover}</Tag>
            ),
        },
        { title: t('事件'), dataIndex: 'incidents' },
      ]}
    />
  );
}
