/**
 * @module The partner's desktop view (e.g. the 沪太路 bus station): its lot and windows, tonight's
 * window, the cars parked now with their leave-by time, overstays, and the bookings. Reads the
 * partner-lot API; a partner sees only its own lot.
 */
import { Alert, Card, Col, Descriptions, Empty, Row, Statistic, Table, Tag } from 'antd';
import { useI18n } from '../i18n';
import { dateTime, hhmm } from '../time';
import type { Me, Reply } from '../types';
import { useData } from '../useData';

/** A booking as the partner's lists show it; the cars parked now are bookings too. */
type Booking = Reply<'/api/partner-lots/{id}/cars'>['cars'][number];

const DAY: Record<string, string> = {
  mon: '周一',
  tue: '周二',
  wed: '周三',
  thu: '周四',
  fri: '周五',
  sat: '周六',
  sun: '周日',
};
const STATUS: Record<Booking['status'], [string, string]> = {
  booked: ['已预约', 'blue'],
  cancelled: ['已取消', 'default'],
  'checked-in': ['在场', 'green'],
  'checked-out': ['已离开', 'default'],
  overstay: ['超时未离开', 'red'],
};

export default function PartnerView({ me }: { me: Me }) {
  const { t } = useI18n();
  const lots = useData<'/api/partner-lots'>('/api/partner-lots', 60_000);
  const lot = lots.data?.lots.find((l) => l.id === me.partnerLotId) ?? lots.data?.lots[0] ?? null;
  const cars = useData<'/api/partner-lots/{id}/cars'>(lot === null ? null : `/api/partner-lots/${lot.id}/cars`, 15_000);
  const bookings = useData<'/api/bookings'>(lot === null ? null : `/api/bookings?lotId=${lot.id}`, 60_000);
  if (lots.data === null) return null;
  if (lot === null) return <Empty description={t('合作停车场')} />;
  const overstays = (cars.data?.cars ?? []).filter((c) => c.status === 'overstay');
  const plate = (b: Booking) => b.plate ?? b.vehicleId;
  const status = (s: Booking['status']) => <Tag color={STATUS[s][1]}>{t(STATUS[s][0])}</Tag>;
  return (
    <div className="pb-desktop pb-partner">
      <h1 className="pb-h1">
        {lot.name} · {lot.organisation}
      </h1>
      <Row gutter={16} className="pb-stats">
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('今晚')}
              value={lot.tonight.open ? `${hhmm(lot.tonight.startAt!)}–${hhmm(lot.tonight.leaveByAt!)}` : t('不开放')}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('已预约 / 车位')} value={`${lot.tonight.booked} / ${lot.spaces}`} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('在场车辆')}
              value={(cars.data?.cars ?? []).filter((c) => c.status === 'checked-in' || c.status === 'overstay').length}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('超时未离开')}
              value={overstays.length}
              styles={{ content: { color: overstays.length > 0 ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
      </Row>
      {overstays.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={`${t('超时未离开')}: ${overstays.map((c) => `${plate(c)}（${t('应于 {t} 前离开', { t: hhmm(c.leaveByAt) })}）`).join('、')}`}
        />
      )}
      <Row gutter={24}>
        <Col span={10}>
          <h2 className="pb-h2">{t('开放时段')}</h2>
          <Descriptions column={1} size="small" bordered>
            {lot.windows.map((w, i) => (
              <Descriptions.Item key={i} label={w.days.map((d) => t(DAY[d] ?? d)).join('、')}>
                {w.from}–{w.to}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('充电车位')}>
              {lot.chargerSpaces}
              {lot.chargerKw !== null ? ` × ${lot.chargerKw} kW` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('步行')}>{t('{n} 分钟', { n: lot.walkMinutes })}</Descriptions.Item>
            <Descriptions.Item label={t('最晚离开')}>{lot.leaveBy}</Descriptions.Item>
          </Descriptions>
          {lot.exceptions.length > 0 && (
            <>
              <h2 className="pb-h2">{t('例外日期')}</h2>
              <ul>
                {lot.exceptions.map((x) => (
                  <li key={x.night}>
                    {x.night} {x.from === null ? t('不开放') : `${x.from}–${x.to}`} · {x.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Col>
        <Col span={14}>
          <h2 className="pb-h2">{t('现在停放的车辆')}</h2>
          <Table<Booking>
            size="small"
            rowKey="id"
            dataSource={cars.data?.cars ?? []}
            pagination={false}
            columns={[
              { title: t('车牌号'), key: 'plate', render: (_: unknown, b) => plate(b) },
              { title: t('车位'), dataIndex: 'space', render: (s: number, b) => `${s}${b.charger ? ' ⚡' : ''}` },
              {
                title: t('到达'),
                dataIndex: 'checkedInAt',
                render: (v: number | null) => (v === null ? '—' : dateTime(v)),
              },
              { title: t('最晚离开'), dataIndex: 'leaveByAt', render: (v: number) => dateTime(v) },
              { title: t('状态'), dataIndex: 'status', render: status },
            ]}
          />
          <h2 className="pb-h2">{t('预约')}</h2>
          <Table<Booking>
            size="small"
            rowKey="id"
            dataSource={(bookings.data?.bookings ?? []).filter((b) => b.status === 'booked')}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t('日期'), dataIndex: 'night' },
              { title: t('车牌号'), key: 'plate', render: (_: unknown, b) => plate(b) },
              { title: t('车位'), dataIndex: 'space', render: (s: number, b) => `${s}${b.charger ? ' ⚡' : ''}` },
              { title: t('最晚离开'), dataIndex: 'leaveByAt', render: (v: number) => dateTime(v) },
              { title: t('状态'), dataIndex: 'status', render: status },
            ]}
          />
        </Col>
      </Row>
    </div>
  );
}
