/**
 * @module The guard's phone screen, for one hand at the gate: the shift, the next tasks with one big
 * action each (开始 → 钥匙已取 → 完成, or 无法完成 with a reason), check-in by plate with suggestions,
 * the lot map, the keys the guard holds, the hand-over count, and key alarms.
 */
import { Alert, AutoComplete, Button, Card, Empty, Form, Input, InputNumber, Modal, Select, Tabs, Tag } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { perform } from '../actions';
import { CarDetail } from '../components/CarDetail';
import { LotMap, MapLegend } from '../components/LotMap';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { dateTime, hhmm } from '../time';
import type { Handover, KeyItem, Lot, Me, Shifts, Task, VehicleItem } from '../types';
import { useData } from '../useData';

const GateDecisions = lazy(() => import('./GateDecisions'));
const ConditionCapture = lazy(() => import('./ConditionCapture'));

interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string;
  readAt: number | null;
}

const KIND: Record<Task['kind'], string> = {
  park: '停车',
  move: '移车',
  deliver: '送到门口',
};

/** Why a task exists, as the server names it (MoveReason, arrival, delivery). */
const REASON: Record<string, string> = {
  arrival: '到达停车',
  delivery: '送车',
  relocation: '让路移车',
  'pre-staging': '提前挪位',
  'night-resort': '夜间整理',
  charging: '充电轮换',
  override: '改停',
  correction: '更正',
};

function currentShift(s: Shifts, now = new Date()): Shifts['shifts'][number] | undefined {
  const hm = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(now);
  return s.shifts.find((x) => (x.start <= x.end ? x.start <= hm && hm < x.end : hm >= x.start || hm < x.end));
}

export default function GuardScreen({ me }: { me: Me }) {
  const { t } = useI18n();
  const tasks = useData<{ tasks: Task[] }>('/api/tasks?mine=true', 10_000);
  const shifts = useData<Shifts>('/api/shifts', 30_000);
  const keys = useData<{
    keys: KeyItem[];
    counts: { inCabinet: number; out: number; lost: number };
  }>('/api/keys', 15_000);
  const lot = useData<Lot>(`/api/compounds/${me.compoundId}/lot`, 15_000);
  const vehicles = useData<VehicleItem[]>('/api/vehicles', 30_000);
  // Key alarms reach guards through their notification feed (the alarm list is the manager's).
  const feed = useData<{ notifications: Notice[] }>('/api/notifications', 30_000);
  const alarms = (feed.data?.notifications ?? []).filter((n) => n.kind === 'key.alarm' && n.readAt === null);
  const [tab, setTab] = useState('tasks');

  const plates = useMemo(() => new Map((vehicles.data ?? []).map((v) => [v.id, v.plate ?? v.id])), [vehicles.data]);
  const keyOf = useMemo(() => new Map((keys.data?.keys ?? []).map((k) => [k.vehicleId, k])), [keys.data]);
  const onDuty = shifts.data?.onDuty.includes(me.userId) ?? true;
  const partner = shifts.data?.onDuty.filter((g) => g !== me.userId) ?? [];
  const shift = shifts.data === null ? undefined : currentShift(shifts.data);
  const refresh = () => {
    tasks.reload();
    keys.reload();
    lot.reload();
    vehicles.reload();
    feed.reload();
    shifts.reload();
  };
  const firstCar = tasks.data?.tasks[0]?.vehicleId ?? null;
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <div className="pb-phone">
      <Card size="small" className="pb-shift">
        <div>
          <strong>{t('当前班次')}</strong> {shift ? `${shift.name} ${shift.start}–${shift.end}` : '—'}{' '}
          <Tag color={onDuty ? 'green' : 'default'}>{onDuty ? t('在岗') : t('未在岗')}</Tag>
        </div>
        <div>
          {t('搭档')}: {partner.length > 0 ? partner.join('、') : '—'}
        </div>
      </Card>
      {!onDuty && <Alert type="warning" showIcon title={t('你现在不在岗')} />}
      {alarms.map((a) => (
        <Alert key={a.id} type="error" showIcon title={`${t('报警')}: ${a.title}`} description={a.body} />
      ))}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        centered
        items={[
          {
            key: 'tasks',
            label: `${t('任务')} (${tasks.data?.tasks.length ?? 0})`,
            children: (
              <TaskQueue
                tasks={tasks.data?.tasks ?? []}
                plates={plates}
                keyOf={keyOf}
                me={me}
                lot={lot.data}
                onChange={refresh}
              />
            ),
          },
          {
            key: 'gate',
            label: t('门口登记'),
            children: (
              // The gate's three ways in, as tabs of their own so the guard's tab bar fits a phone.
              <Tabs
                size="small"
                items={[
                  {
                    key: 'typed',
                    label: t('手动登记'),
                    children: <CheckIn me={me} vehicles={vehicles.data ?? []} onChecked={refresh} />,
                  },
                  {
                    key: 'camera',
                    label: t('车牌识别'),
                    children: (
                      <Suspense fallback={null}>
                        <GateDecisions onChange={refresh} />
                      </Suspense>
                    ),
                  },
                  {
                    key: 'condition',
                    label: t('车况'),
                    children: (
                      <Suspense fallback={null}>
                        <ConditionCapture vehicles={vehicles.data ?? []} />
                      </Suspense>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'map',
            label: t('车场地图'),
            children:
              lot.data === null ? null : (
                <>
                  <LotMap
                    lot={lot.data}
                    columns={2}
                    leaving={
                      new Set((tasks.data?.tasks ?? []).filter((x) => x.kind !== 'park').map((x) => x.vehicleId))
                    }
                    selectedVehicleId={selected ?? firstCar}
                    onSelectPosition={(p) => setSelected(p.vehicle?.id ?? null)}
                  />
                  <MapLegend />
                  {(selected ?? firstCar) !== null && <CarDetail vehicleId={(selected ?? firstCar)!} />}
                </>
              ),
          },
          {
            key: 'keys',
            label: t('钥匙'),
            children: <MyKeys me={me} keys={keys.data} onChange={refresh} />,
          },
          {
            key: 'handover',
            label: t('交接班'),
            children: <HandoverPanel me={me} shifts={shifts.data} onChange={refresh} />,
          },
        ]}
      />
    </div>
  );
}

function positionName(lot: Lot | null, id: string | null, gate: string): string {
  if (id === null) return gate;
  const lane = lot?.lanes.find((l) => l.positions.some((p) => p.id === id));
  return lane === undefined ? id : `${id}（${lane.name}）`;
}

function TaskQueue(props: {
  tasks: Task[];
  plates: Map<string, string>;
  keyOf: Map<string, KeyItem>;
  me: Me;
  lot: Lot | null;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failing, setFailing] = useState<Task | null>(null);
  const [reason, setReason] = useState('');
  const [overriding, setOverriding] = useState<Task | null>(null);
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  // Where the guard may park instead: open positions without a car today.
  const freePositions = (props.lot?.lanes ?? []).flatMap((l) =>
    l.positions
      .filter((p) => !p.occupied && !p.closedToday)
      .map((p) => ({ value: p.id, label: `${p.id}（${l.name}）` })),
  );

  const act = async (task: Task, label: string, fn: () => Promise<unknown>) => {
    setBusy(task.id);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(`${label}: ${describeError(e, t)}`);
    } finally {
      setBusy(null);
      props.onChange();
    }
  };

  const returnKeyIfHeld = async (task: Task) => {
    const key = props.keyOf.get(task.vehicleId);
    if (key?.custody.kind === 'with-guard' && key.custody.guardId === props.me.userId) {
      await perform('POST', `/api/keys/${encodeURIComponent(key.tag)}/return`, {}, `${t('归还')} ${key.tag}`);
    }
  };

  if (props.tasks.length === 0) return <Empty description={t('没有任务')} />;
  return (
    <>
      {error !== null && <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} />}
      <ol className="pb-tasks" aria-label={t('任务')}>
        {props.tasks.map((task) => {
          const plate = props.plates.get(task.vehicleId) ?? task.vehicleId;
          const key = props.keyOf.get(task.vehicleId);
          const keyWithMe = key?.custody.kind === 'with-guard' && key.custody.guardId === props.me.userId;
          const needsKey = key !== undefined && key.custody.kind === 'in-cabinet';
          const title = `${t(KIND[task.kind])} ${plate}`;
          let main: { label: string; run: () => Promise<unknown> };
          if (task.status === 'queued') {
            main = {
              label: t('开始'),
              run: () => perform('POST', `/api/tasks/${task.id}/start`, {}, `${t('开始')} ${title}`),
            };
          } else if (needsKey && !keyWithMe) {
            main = {
              label: t('钥匙已取'),
              run: () =>
                perform(
                  'POST',
                  `/api/keys/${encodeURIComponent(key.tag)}/checkout`,
                  { taskId: task.id },
                  `${t('钥匙已取')} ${key.tag}`,
                ),
            };
          } else {
            main = {
              label: t('完成'),
              run: async () => {
                await perform('POST', `/api/tasks/${task.id}/complete`, {}, `${t('完成')} ${title}`);
                await returnKeyIfHeld(task);
              },
            };
          }
          return (
            <li key={task.id}>
              <Card className="pb-task" size="small" data-task={task.id} data-status={task.status}>
                <div className="pb-task-title">{title}</div>
                <div className="pb-task-route">
                  {positionName(props.lot, task.from, t('大门'))} →{' '}
                  <strong>{positionName(props.lot, task.to, t('大门'))}</strong>
                </div>
                <div className="pb-task-meta">
                  {t(REASON[task.reason] ?? task.reason)} · {t('到期')} {hhmm(task.dueAt)} ·{' '}
                  {task.status === 'started' ? t('进行中') : t('排队')}
                  {key !== undefined && ` · ${t('钥匙')} ${key.tag}`}
                </div>
                <Button
                  type="primary"
                  size="large"
                  block
                  loading={busy === task.id}
                  onClick={() => void act(task, main.label, main.run)}
                >
                  {main.label}
                </Button>
                {task.status === 'started' && task.to !== null && (
                  <Button block className="pb-task-fail" onClick={() => setOverriding(task)}>
                    {t('停在别处')}
                  </Button>
                )}
                {task.status === 'started' && (
                  <Button danger block className="pb-task-fail" onClick={() => setFailing(task)}>
                    {t('无法完成')}
                  </Button>
                )}
              </Card>
            </li>
          );
        })}
      </ol>
      <Modal
        open={failing !== null}
        title={t('无法完成')}
        okText={t('提交')}
        cancelText={t('取消')}
        okButtonProps={{ disabled: reason.trim() === '', danger: true }}
        onCancel={() => setFailing(null)}
        onOk={() => {
          const task = failing!;
          setFailing(null);
          const r = reason.trim();
          setReason('');
          void act(task, t('无法完成'), async () => {
            await perform(
              'POST',
              `/api/tasks/${task.id}/fail`,
              { reason: r },
              `${t('无法完成')} ${props.plates.get(task.vehicleId) ?? ''}`,
            );
            await returnKeyIfHeld(task);
          });
        }}
      >
        <label htmlFor="pb-fail-reason">{t('请说明原因')}</label>
        <Input.TextArea
          id="pb-fail-reason"
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
          rows={3}
        />
      </Modal>
      <Modal
        open={overriding !== null}
        title={t('停在别处')}
        okText={t('完成')}
        cancelText={t('取消')}
        okButtonProps={{ disabled: elsewhere === null || overrideReason.trim() === '' }}
        onCancel={() => setOverriding(null)}
        onOk={() => {
          const task = overriding!;
          const body = { positionId: elsewhere, overrideReason: overrideReason.trim() };
          setOverriding(null);
          setElsewhere(null);
          setOverrideReason('');
          void act(task, t('停在别处'), async () => {
            await perform(
              'POST',
              `/api/tasks/${task.id}/complete`,
              body,
              `${t('停在别处')} ${props.plates.get(task.vehicleId) ?? ''} → ${body.positionId}`,
            );
            await returnKeyIfHeld(task);
          });
        }}
      >
        <label htmlFor="pb-elsewhere">{t('实际车位')}</label>
        <Select
          id="pb-elsewhere"
          showSearch
          value={elsewhere}
          onChange={setElsewhere}
          options={freePositions}
          optionFilterProp="label"
          style={{ width: '100%' }}
          aria-label={t('实际车位')}
        />
        <label htmlFor="pb-override-reason">{t('原因')}</label>
        <Input.TextArea
          id="pb-override-reason"
          value={overrideReason}
          maxLength={200}
          onChange={(e) => setOverrideReason(e.target.value)}
          rows={2}
        />
      </Modal>
    </>
  );
}

interface CheckInReply {
  vehicleId: string;
  proposal: {
    status: string;
    positionId: string | null;
    reason: string;
    alternatives: { positionId: string; blocks: string[] }[];
  };
  task: Task | null;
}

function CheckIn({ me, vehicles, onChecked }: { me: Me; vehicles: VehicleItem[]; onChecked: () => void }) {
  const { t } = useI18n();
  const [plate, setPlate] = useState('');
  const [reply, setReply] = useState<CheckInReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = plate.trim().toUpperCase();
  const options = useMemo(
    () =>
      vehicles
        .filter(
          (v) =>
            v.location.kind === 'away' &&
            v.plate !== null &&
            typed.length >= 1 &&
            v.plate.toUpperCase().includes(typed),
        )
        .slice(0, 8)
        .map((v) => ({ value: v.plate! })),
    [vehicles, typed],
  );
  const submit = async () => {
    setBusy(true);
    setError(null);
    setReply(null);
    try {
      const r = await perform<CheckInReply>(
        'POST',
        `/api/compounds/${me.compoundId}/check-ins`,
        { plate: typed },
        `${t('登记')} ${typed}`,
      );
      setReply(r);
      setPlate('');
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
      onChecked();
    }
  };
  return (
    <Form layout="vertical" onFinish={() => void submit()}>
      <Form.Item label={t('车牌号')} htmlFor="pb-plate">
        <AutoComplete id="pb-plate" value={plate} options={options} onChange={setPlate} style={{ width: '100%' }}>
          <Input size="large" placeholder={t('例如 沪A12345')} autoComplete="off" aria-label={t('车牌号')} />
        </AutoComplete>
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} disabled={typed === ''}>
        {t('登记')}
      </Button>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {reply !== null && (
        <Card size="small" style={{ marginTop: 12 }} className="pb-proposal">
          {reply.proposal.positionId === null ? (
            <Alert type="warning" title={t('没有空位')} description={reply.proposal.reason} />
          ) : (
            <>
              <div>
                {t('建议车位')}: <strong className="pb-big">{reply.proposal.positionId}</strong>
              </div>
              <div>
                {t('理由')}: {reply.proposal.reason}
              </div>
              {reply.task !== null && <Tag color="blue">{t('已生成停车任务')}</Tag>}
            </>
          )}
        </Card>
      )}
    </Form>
  );
}

function MyKeys({
  me,
  keys,
  onChange,
}: {
  me: Me;
  keys: {
    keys: KeyItem[];
    counts: { inCabinet: number; out: number; lost: number };
  } | null;
  onChange: () => void;
}) {
  const { t } = useI18n();
  if (keys === null) return null;
  const mine = keys.keys.filter((k) => k.custody.kind === 'with-guard' && k.custody.guardId === me.userId);
  return (
    <>
      <p>
        {t('柜中')} {keys.counts.inCabinet} · {t('在保安手中')} {keys.counts.out} · {t('遗失')} {keys.counts.lost}
      </p>
      {mine.length === 0 ? null : (
        <ul className="pb-keys" aria-label={t('钥匙')}>
          {mine.map((k) => (
            <li key={k.tag}>
              <span>
                {k.tag} · {k.plate ?? k.vehicleId}
                {k.custody.kind === 'with-guard' && ` · ${dateTime(k.custody.since)}`}
              </span>
              <Button
                onClick={() =>
                  void perform(
                    'POST',
                    `/api/keys/${encodeURIComponent(k.tag)}/return`,
                    {},
                    `${t('归还')} ${k.tag}`,
                  ).finally(onChange)
                }
              >
                {t('归还')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function HandoverPanel({ me, shifts, onChange }: { me: Me; shifts: Shifts | null; onChange: () => void }) {
  const { t } = useI18n();
  const [result, setResult] = useState<Handover | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = shifts?.openHandover ?? null;
  const incoming = open !== null && open.toGuardIds.includes(me.userId);
  const submit = async (v: { keysCounted: number; carsCounted: number }) => {
    setError(null);
    try {
      const path = incoming ? `/api/shifts/handover/${open.id}/confirm` : '/api/shifts/handover';
      setResult(await perform<Handover>('POST', path, v, incoming ? t('确认接班') : t('发起交接')));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      onChange();
    }
  };
  const shown = result ?? open;
  return (
    <Form layout="vertical" onFinish={(v: { keysCounted: number; carsCounted: number }) => void submit(v)}>
      <Form.Item label={t('清点钥匙数')} name="keysCounted" rules={[{ required: true }]}>
        <InputNumber min={0} size="large" style={{ width: '100%' }} inputMode="numeric" />
      </Form.Item>
      <Form.Item label={t('清点车辆数')} name="carsCounted" rules={[{ required: true }]}>
        <InputNumber min={0} size="large" style={{ width: '100%' }} inputMode="numeric" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block>
        {incoming ? t('确认接班') : t('发起交接')}
      </Button>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {shown !== null && (
        <Card size="small" style={{ marginTop: 12 }}>
          <div>
            {t('系统应有')}: {t('钥匙')} {shown.expected.keys} · {t('车辆')} {shown.expected.cars}
          </div>
          <div>
            {t('交出方清点')}: {t('钥匙')} {shown.outgoing.keys} · {t('车辆')} {shown.outgoing.cars}
          </div>
          {shown.mismatch !== null && <Alert type="warning" title={`${t('不一致')}: ${shown.mismatch}`} />}
        </Card>
      )}
    </Form>
  );
}
