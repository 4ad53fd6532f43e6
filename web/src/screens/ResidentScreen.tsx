/**
 * @module The resident's phone screen: each of the household's cars — where it stands, drawn in its
 * lane with the cars in front (others' plates masked), who moves them and when, the one ETA, and a
 * "车已就绪" notice once it is free (polled, so it changes while the screen is open) — a departure
 * (tomorrow at, standing weekdays, now), the car's and key's history, and key-custody consent.
 */
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Form, Radio, Select, Tag, Timeline } from 'antd';
import { Suspense, useState } from 'react';
import { perform } from '../actions';
import { api, unwrap } from '../api';
import { LotMap } from '../components/LotMap';
import { PartnerBooking } from '../components/PartnerBooking';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { dateTime, hhmm, tomorrowAt } from '../time';
import type { Lot, Me, Reply, VehicleDetail, VehicleItem } from '../types';
import { useApi, useData } from '../useData';
import { lazyPart } from '../lazy';

const ResidentRenovation = lazyPart(() => import('./Renovation').then((m) => ({ default: m.ResidentRenovation })));
const ConditionAck = lazyPart(() => import('./ConditionAck'));
const ChannelChoice = lazyPart(() => import('./Messages').then((m) => ({ default: m.ChannelChoice })));

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const TIMES = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`,
);

export default function ResidentScreen({ me }: { me: Me }) {
  const { t } = useI18n();
  const cars = useData<'/api/vehicles'>('/api/vehicles', 30_000);
  const lot = useData<'/api/compounds/{compoundId}/lot'>(`/api/compounds/${me.compoundId}/lot`, 30_000);
  if (cars.data === null) return null;
  return (
    <div className="pb-phone">
      <h1 className="pb-h1">{t('我的车')}</h1>
      {cars.data.length === 0 && <Empty description={t('没有登记的车辆')} />}
      {cars.data.map((c) => (
        <CarCard key={c.id} car={c} lot={lot.data} />
      ))}
      <Suspense fallback={null}>
        <ResidentRenovation />
        <ChannelChoice />
      </Suspense>
    </div>
  );
}

function CarCard({ car, lot }: { car: VehicleItem; lot: Lot | null }) {
  const { t } = useI18n();
  const vehicleId = car.id;
  // Polled every 15 s: the morning view follows the guards' moves without a reload.
  const detail = useApi(
    `vehicle ${vehicleId}`,
    () => unwrap(api.GET('/api/vehicles/{vehicleId}', { params: { path: { vehicleId } } })),
    15_000,
  );
  const [showHistory, setShowHistory] = useState(false);
  const d = detail.data;
  const loc = d?.location ?? car.location;
  const where =
    loc.kind === 'parked'
      ? (() => {
          const lane = lot?.lanes.find((l) => l.positions.some((p) => p.id === loc.positionId));
          return `${t('车位 {id}', { id: loc.positionId })}${lane ? `（${lane.name}）` : ''}`;
        })()
      : loc.kind === 'at-gate'
        ? t('在门口')
        : loc.kind === 'at-partner'
          ? t('在合作停车场')
          : t('不在小区');
  return (
    <Card
      className="pb-car"
      data-vehicle={car.id}
      title={<span className="pb-plate">{car.plate ?? car.id}</span>}
      size="small"
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('位置')}>
          <strong className="pb-where">{where}</strong>
        </Descriptions.Item>
        {loc.kind === 'parked' && d !== null && (
          <Descriptions.Item label={t('状态')}>
            {d.blockedBy.length === 0 ? (
              <Tag color="green">{t('未被挡')}</Tag>
            ) : (
              <Tag color="red">{t('被 {n} 辆车挡住', { n: d.blockedBy.length })}</Tag>
            )}
          </Descriptions.Item>
        )}
        {d?.readyAt != null && <Descriptions.Item label={t('预计可开走')}>{dateTime(d.readyAt)}</Descriptions.Item>}
        <Descriptions.Item label={t('下次离开')}>
          {d?.nextDeparture != null ? dateTime(d.nextDeparture) : t('未设置')}
        </Descriptions.Item>
        <Descriptions.Item label={t('钥匙托管同意')}>
          {d?.consent != null ? t('已同意') : t('未同意')}
        </Descriptions.Item>
      </Descriptions>
      {loc.kind === 'parked' && d !== null && <Morning car={d} onChange={detail.reload} />}
      {loc.kind === 'parked' && lot !== null && (
        <LotMap lot={lot} columns={1} selectedVehicleId={car.id} onlyAreaOfSelected />
      )}
      {loc.kind === 'parked' && <DepartureForm vehicleId={car.id} onSaved={detail.reload} />}
      <PartnerBooking vehicleId={car.id} />
      <Consent car={d} onChange={detail.reload} />
      <Suspense fallback={null}>
        <ConditionAck vehicleId={car.id} />
      </Suspense>
      <Button type="link" onClick={() => setShowHistory((s) => !s)} aria-expanded={showHistory}>
        {t('记录')}
      </Button>
      {showHistory && <History vehicleId={car.id} />}
    </Card>
  );
}

/**
 * The morning: the car's lane from the open end, the cars in front and who moves each when, the ETA;
 * "车已就绪" once nothing is in the way, and "我要开走" to drive off (a refusal names the plates in the way).
 */
function Morning({ car, onChange }: { car: VehicleDetail; onChange: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lane = car.lane;
  const ready = car.blockedBy.length === 0;
  const driveOff = async () => {
    setBusy(true);
    setError(null);
    try {
      await perform('POST', `/api/vehicles/${car.id}/depart`, undefined, t('我要开走'));
      onChange();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="pb-morning" aria-label={t('我的车道')}>
      {ready ? (
        <Alert type="success" showIcon title={t('车已就绪')} description={t('前面没有车挡着，可以直接开走')} />
      ) : (
        <Alert
          type="warning"
          showIcon
          title={t('被 {n} 辆车挡住', { n: car.blockedBy.length })}
          description={car.readyAt !== null ? t('预计 {t} 可开走', { t: hhmm(car.readyAt) }) : t('还没有安排移车')}
        />
      )}
      {lane !== null && (
        <ol className="pb-lane" aria-label={lane.name}>
          <li className="pb-lane-end">{t('车道出口')}</li>
          {lane.positions.map((p) => (
            <li
              key={p.index}
              className={`pb-slot${p.mine ? ' pb-slot-mine' : ''}${p.blocking ? ' pb-slot-blocking' : ''}`}
            >
              <span className="pb-slot-plate">
                {p.mine ? `${p.plate ?? ''} · ${t('我的车')}` : (p.plate ?? t('空'))}
              </span>
              {p.move !== null && (
                <span className="pb-slot-move">
                  {t('{who} {t} 移走', { who: p.move.guardName ?? t('保安'), t: hhmm(p.move.dueAt) })}
                </span>
              )}
              {p.blocking && p.move === null && <span className="pb-slot-move">{t('待安排')}</span>}
            </li>
          ))}
        </ol>
      )}
      <Button onClick={() => void driveOff()} loading={busy} block>
        {t('我要开走')}
      </Button>
      {error !== null && <Alert type="error" showIcon title={error} className="pb-morning-error" />}
    </section>
  );
}

type Kind = 'once' | 'standing' | 'now';

function DepartureForm({ vehicleId, onSaved }: { vehicleId: string; onSaved: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('once');
  const [time, setTime] = useState('07:30');
  const [weekdays, setWeekdays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    const body =
      kind === 'once' ? { kind, at: tomorrowAt(time) } : kind === 'standing' ? { kind, time, weekdays } : { kind };
    try {
      const r = await perform<Reply<'/api/vehicles/{vehicleId}/departures', 'post'>>(
        'POST',
        `/api/vehicles/${vehicleId}/departures`,
        body,
        t('设置离开时间'),
      );
      setResult(t('已设置，预计 {t} 可开走', { t: kind === 'now' ? hhmm(r.readyAt) : dateTime(r.readyAt) }));
      onSaved();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="vertical" className="pb-departure" onFinish={() => void save()}>
      <fieldset>
        <legend>{t('设置离开时间')}</legend>
        <Radio.Group
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          optionType="button"
          options={[
            { value: 'once', label: t('明天') },
            { value: 'standing', label: t('每周固定') },
            { value: 'now', label: t('现在要车') },
          ]}
          aria-label={t('设置离开时间')}
        />
        {kind !== 'now' && (
          <Form.Item label={t('时间')} htmlFor={`pb-time-${vehicleId}`} style={{ marginTop: 12 }}>
            <Select
              id={`pb-time-${vehicleId}`}
              value={time}
              onChange={setTime}
              options={TIMES.map((v) => ({ value: v, label: v }))}
              aria-label={t('时间')}
            />
          </Form.Item>
        )}
        {kind === 'standing' && (
          <Form.Item label={t('星期')}>
            <Checkbox.Group
              value={weekdays}
              onChange={(v) => setWeekdays(v)}
              options={WEEKDAYS.map((w, i) => ({ value: i + 1, label: t(w) }))}
            />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" size="large" block loading={busy} style={{ marginTop: 8 }}>
          {kind === 'now' ? t('现在要车') : t('保存')}
        </Button>
      </fieldset>
      {result !== null && <Alert type="success" showIcon title={result} role="status" />}
      {error !== null && <Alert type="error" showIcon title={error} />}
    </Form>
  );
}

function Consent({ car, onChange }: { car: VehicleDetail | null; onChange: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const text = useData<'/api/consent'>('/api/consent', 0);
  if (car === null) return null;
  const given = car.consent !== null;
  const toggle = async () => {
    setError(null);
    try {
      if (given) await perform('DELETE', `/api/vehicles/${car.id}/consent`, undefined, t('撤回同意'));
      else
        await perform(
          'POST',
          `/api/vehicles/${car.id}/consent`,
          { textVersion: text.data?.version ?? '1' },
          t('同意托管备用钥匙'),
        );
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      onChange();
    }
  };
  return (
    <div className="pb-consent">
      {!given && text.data !== null && <p>{text.data.title}</p>}
      <Button onClick={() => void toggle()} danger={given}>
        {given ? t('撤回同意') : t('同意托管备用钥匙')}
      </Button>
      {error !== null && <Alert type="error" title={error} />}
    </div>
  );
}

const EVENT_ZH: Record<string, string> = {
  'car.checked-in': '到达门口',
  'car.parked': '停入车位',
  'car.moved': '移车',
  'car.departed': '离开小区',
  'key.received': '钥匙入柜',
  'key.handed-over': '钥匙交接',
  'key.lost': '钥匙遗失',
  'key.found': '钥匙找回',
  'car.sent-to-partner': '去合作停车场',
  'car.returned-from-partner': '从合作停车场回来',
  record: '记录',
  'task.created': '生成任务',
  'task.started': '开始任务',
  'task.completed': '完成任务',
  'task.failed': '任务失败',
  'departure.declared': '设置离开时间',
  'departure.cancelled': '取消离开时间',
  'handover.opened': '交接班',
  'key.checked-out': '钥匙取出',
  'key.returned': '钥匙归还',
  'key.released': '钥匙还给居民',
  'consent.given': '同意托管',
  'consent.withdrawn': '撤回同意',
  'vehicle.registered': '登记车辆',
};

function History({ vehicleId }: { vehicleId: string }) {
  const { t } = useI18n();
  const h = useData<'/api/vehicles/{vehicleId}/history'>(`/api/vehicles/${vehicleId}/history`, 0);
  if (h.data === null) return null;
  const events = h.data.events.slice(-30).reverse();
  return (
    <Timeline
      items={events.map((e) => {
        const p = e.payload as {
          from?: string | null;
          to?: string | null;
          positionId?: string;
          reason?: string;
          keyTag?: string;
          kind?: string;
        };
        const move = p.to !== undefined || p.positionId !== undefined ? ` → ${p.to ?? p.positionId ?? ''}` : '';
        return {
          key: e.seq,
          content: `${dateTime(e.at)} ${e.type === 'record' && p.kind ? t(EVENT_ZH[p.kind] ?? p.kind) : t(EVENT_ZH[e.type] ?? e.type)}${p.from ? ` ${p.from}` : ''}${move}${p.keyTag ? ` ${p.keyTag}` : ''} · ${e.actor}${p.reason ? ` · ${p.reason}` : ''}`,
        };
      })}
    />
  );
}
