/**
 * @module The property manager's desktop console: the live board, the layout editor, residents and
 * cars with the CSV import, the roster, keys, reports and the ledger check. The committee sees the
 * reports and the ledger check only.
 */
import { Alert, Button, Card, Col, Input, Row, Statistic, Table, Tabs, Tag } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { perform } from '../actions';
import { get } from '../api';
import { CarDetail } from '../components/CarDetail';
import { LotMap, MapLegend } from '../components/LotMap';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { dateTime, hhmm } from '../time';
import type { KeyItem, Me, Task, VehicleItem } from '../types';
import { useData } from '../useData';
import { LayoutEditor } from './LayoutEditor';
import { ImportPanel } from './ImportPanel';
import Messages from './Messages';
import { lazyPart } from '../lazy';

const ReportsPanel = lazyPart(() => import('./ReportsPanel'));
const ShiftSummary = lazyPart(() => import('./ShiftSummary'));
const ManagerRenovation = lazyPart(() => import('./Renovation').then((m) => ({ default: m.ManagerRenovation })));
const WasteFigures = lazyPart(() => import('./Renovation').then((m) => ({ default: m.WasteFigures })));

const KIND: Record<Task['kind'], string> = { park: '停车', move: '移车', deliver: '送到门口' };

export default function ManagerConsole({ me }: { me: Me }) {
  const { t } = useI18n();
  const manager = me.role === 'manager';
  const reports = (
    <Suspense fallback={null}>
      <ReportsPanel me={me} />
    </Suspense>
  );
  const items = manager
    ? [
        { key: 'board', label: t('实时看板'), children: <LiveBoard me={me} /> },
        { key: 'layout', label: t('车场布局'), children: <LayoutEditor me={me} /> },
        { key: 'residents', label: t('住户与车辆'), children: <Residents /> },
        { key: 'roster', label: t('排班'), children: <Roster /> },
        { key: 'keys', label: t('钥匙'), children: <Keys /> },
        { key: 'reports', label: t('报表'), children: reports },
        {
          key: 'shifts',
          label: t('班次汇总'),
          children: (
            <Suspense fallback={null}>
              <ShiftSummary />
            </Suspense>
          ),
        },
        {
          key: 'renovation',
          label: t('装修与垃圾'),
          children: (
            <Suspense fallback={null}>
              <ManagerRenovation />
            </Suspense>
          ),
        },
        { key: 'ledger', label: t('账本校验'), children: <Ledger /> },
        { key: 'messages', label: t('消息'), children: <Messages /> },
      ]
    : [
        { key: 'reports', label: t('报表'), children: reports },
        {
          key: 'renovation',
          label: t('装修与垃圾'),
          children: (
            <Suspense fallback={null}>
              <WasteFigures />
            </Suspense>
          ),
        },
        { key: 'ledger', label: t('账本校验'), children: <Ledger /> },
      ];
  return (
    <div className="pb-desktop">
      <Tabs items={items} destroyOnHidden />
    </div>
  );
}

function LiveBoard({ me }: { me: Me }) {
  const { t } = useI18n();
  const lot = useData<'/api/compounds/{compoundId}/lot'>(`/api/compounds/${me.compoundId}/lot`, 10_000);
  const tasks = useData<'/api/tasks'>('/api/tasks', 10_000);
  const shifts = useData<'/api/shifts'>('/api/shifts', 30_000);
  const alarms = useData<'/api/alarms'>('/api/alarms', 30_000);
  const vehicles = useData<'/api/vehicles'>('/api/vehicles', 30_000);
  const [selected, setSelected] = useState<string | null>(null);
  const plates = useMemo(() => new Map((vehicles.data ?? []).map((v) => [v.id, v.plate ?? v.id])), [vehicles.data]);
  const open = tasks.data?.tasks ?? [];
  return (
    <>
      <Row gutter={16} className="pb-stats">
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('在场车辆')}
              value={lot.data?.counts.onSite ?? '—'}
              suffix={lot.data ? `/ ${lot.data.counts.open}` : undefined}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('待办任务')} value={open.length} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('在岗保安')} value={shifts.data?.onDuty.join('、') ?? '—'} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('未处理报警')}
              value={alarms.data?.alarms.length ?? 0}
              styles={{ content: { color: (alarms.data?.alarms.length ?? 0) > 0 ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={15}>
          {lot.data !== null && (
            <>
              <LotMap
                lot={lot.data}
                columns={6}
                leaving={new Set(open.filter((x) => x.kind !== 'park').map((x) => x.vehicleId))}
                selectedVehicleId={selected}
                onSelectPosition={(p) => setSelected(p.vehicle?.id ?? null)}
              />
              <MapLegend />
            </>
          )}
        </Col>
        <Col span={9}>
          {selected !== null && <CarDetail vehicleId={selected} />}
          <h2 className="pb-h2">{t('待办任务')}</h2>
          <Table<Task>
            size="small"
            rowKey="id"
            dataSource={open}
            pagination={{ pageSize: 12 }}
            onRow={(r) => ({ onClick: () => setSelected(r.vehicleId) })}
            columns={[
              { title: t('车辆'), dataIndex: 'vehicleId', render: (v: string) => plates.get(v) ?? v },
              { title: t('类型'), dataIndex: 'kind', render: (k: Task['kind']) => t(KIND[k]) },
              { title: t('起点'), dataIndex: 'from', render: (v: string | null) => v ?? t('大门') },
              { title: t('终点'), dataIndex: 'to', render: (v: string | null) => v ?? t('大门') },
              { title: t('保安'), dataIndex: 'guardId' },
              { title: t('到期'), dataIndex: 'dueAt', render: (v: number) => hhmm(v) },
              {
                title: t('状态'),
                dataIndex: 'status',
                render: (s: string) => (
                  <Tag color={s === 'started' ? 'blue' : 'default'}>{s === 'started' ? t('进行中') : t('排队')}</Tag>
                ),
              },
            ]}
          />
          <h2 className="pb-h2">{t('报警')}</h2>
          {(alarms.data?.alarms ?? []).length === 0 ? (
            <p>{t('没有报警')}</p>
          ) : (
            alarms.data!.alarms.map((a) => (
              <Alert
                key={a.keyTag}
                type="error"
                title={`${t('钥匙 {tag} 已取出 {m} 分钟', { tag: a.keyTag, m: a.minutes })} · ${a.guardName ?? a.guardId} · ${a.plate ?? ''}`}
              />
            ))
          )}
        </Col>
      </Row>
    </>
  );
}

function Residents() {
  const { t } = useI18n();
  const vehicles = useData<'/api/vehicles'>('/api/vehicles', 0);
  const [q, setQ] = useState('');
  const rows = (vehicles.data ?? []).filter(
    (v) => q === '' || (v.plate ?? '').includes(q.toUpperCase()) || (v.householdId ?? '').includes(q),
  );
  return (
    <Row gutter={24}>
      <Col span={12}>
        <Input.Search
          aria-label={t('车牌号')}
          placeholder={t('车牌号')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ marginBottom: 12 }}
          allowClear
        />
        <Table<VehicleItem>
          size="small"
          rowKey="id"
          dataSource={rows}
          columns={[
            { title: t('车牌号'), dataIndex: 'plate' },
            { title: t('住户'), dataIndex: 'householdId' },
            {
              title: t('位置'),
              dataIndex: 'location',
              render: (l: VehicleItem['location']) =>
                l.kind === 'parked'
                  ? l.positionId
                  : l.kind === 'away'
                    ? t('不在小区')
                    : l.kind === 'at-gate'
                      ? t('在门口')
                      : t('在合作停车场'),
            },
            { title: 'EV', dataIndex: 'ev', render: (e: boolean) => (e ? '⚡' : '') },
          ]}
        />
      </Col>
      <Col span={12}>
        <ImportPanel onApplied={vehicles.reload} />
      </Col>
    </Row>
  );
}

function Roster() {
  const { t } = useI18n();
  const shifts = useData<'/api/shifts'>('/api/shifts', 30_000);
  const [error, setError] = useState<string | null>(null);
  if (shifts.data === null) return null;
  const s = shifts.data;
  const guards = [...new Set(s.roster.flatMap((r) => r.guardIds))].sort();
  const name = (id: string) => s.shifts.find((x) => x.id === id)?.name ?? id;
  const duty = async (guardId: string, onDuty: boolean) => {
    setError(null);
    try {
      await perform(
        'POST',
        '/api/shifts/duty',
        { onDuty, guardId },
        `${onDuty ? t('设为在岗') : t('设为离岗')} ${guardId}`,
      );
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      shifts.reload();
    }
  };
  return (
    <Row gutter={24}>
      <Col span={12}>
        <Table
          size="small"
          rowKey={(r) => `${r.day}-${r.shiftId}`}
          dataSource={s.roster}
          pagination={false}
          columns={[
            { title: t('日期'), dataIndex: 'day' },
            { title: t('班次'), dataIndex: 'shiftId', render: (id: string) => name(id) },
            {
              title: t('保安'),
              dataIndex: 'guardIds',
              render: (g: string[]) => g.map((id) => s.guardNames[id] ?? id).join('、'),
            },
          ]}
        />
      </Col>
      <Col span={12}>
        <h2 className="pb-h2">{t('在岗保安')}</h2>
        {error !== null && <Alert type="error" title={error} />}
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={guards.map((id) => ({ id, on: s.onDuty.includes(id) }))}
          columns={[
            { title: t('保安'), dataIndex: 'id', render: (id: string) => s.guardNames[id] ?? id },
            {
              title: t('状态'),
              dataIndex: 'on',
              render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('在岗') : t('未在岗')}</Tag>,
            },
            {
              title: '',
              key: 'act',
              render: (_: unknown, r: { id: string; on: boolean }) => (
                <Button size="small" onClick={() => void duty(r.id, !r.on)}>
                  {r.on ? t('设为离岗') : t('设为在岗')}
                </Button>
              ),
            },
          ]}
        />
      </Col>
    </Row>
  );
}

function Keys() {
  const { t } = useI18n();
  const keys = useData<'/api/keys'>('/api/keys', 15_000);
  const alarms = useData<'/api/alarms'>('/api/alarms', 30_000);
  const overdue = new Set((alarms.data?.alarms ?? []).map((a) => a.keyTag));
  const [onlyOut, setOnlyOut] = useState(false);
  const rows = (keys.data?.keys ?? []).filter(
    (k) => !onlyOut || k.custody.kind === 'with-guard' || k.custody.kind === 'lost',
  );
  const custody = (k: KeyItem) => {
    switch (k.custody.kind) {
      case 'in-cabinet':
        return t('柜中');
      case 'with-guard':
        return `${t('在保安手中')} ${k.custody.guardId} · ${dateTime(k.custody.since)}`;
      case 'lost':
        return t('遗失');
      case 'with-resident':
        return t('在居民手中');
    }
  };
  return (
    <>
      <p>
        {t('柜中')} {keys.data?.counts.inCabinet ?? '—'} · {t('在保安手中')} {keys.data?.counts.out ?? '—'} ·{' '}
        {t('遗失')} {keys.data?.counts.lost ?? '—'}{' '}
        <Button size="small" onClick={() => setOnlyOut((x) => !x)} aria-pressed={onlyOut}>
          {t('谁持有')}
        </Button>
      </p>
      <Table<KeyItem>
        size="small"
        rowKey="tag"
        dataSource={rows}
        columns={[
          { title: t('钥匙'), dataIndex: 'tag' },
          { title: t('车牌号'), dataIndex: 'plate' },
          { title: t('谁持有'), key: 'custody', render: (_: unknown, k) => custody(k) },
          {
            title: t('超时'),
            key: 'overdue',
            render: (_: unknown, k) => (overdue.has(k.tag) ? <Tag color="red">{t('超时')}</Tag> : null),
          },
        ]}
      />
    </>
  );
}

function Ledger() {
  const { t } = useI18n();
  const [result, setResult] = useState<{
    ok: boolean;
    events: number;
    headHash: string | null;
    message: string;
    replayMatches: boolean;
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      setResult(await get('/api/ledger/verify'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <Button type="primary" onClick={() => void verify()} loading={busy}>
        {t('校验账本')}
      </Button>
      {result !== null && (
        <Alert
          style={{ marginTop: 16 }}
          type={result.ok && result.replayMatches ? 'success' : 'error'}
          showIcon
          role="status"
          title={result.ok ? t('校验通过') : t('校验失败')}
          description={
            <>
              <div>
                {t('事件数')}: {result.events} · {result.replayMatches ? t('回放一致') : t('回放不一致')}
              </div>
              <div>{result.message}</div>
              {result.headHash !== null && <code className="pb-hash">{result.headHash}</code>}
            </>
          }
        />
      )}
    </Card>
  );
}
