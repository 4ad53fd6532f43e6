/**
 * @module Renovation and construction waste in the app: the resident registers the flat's work,
 * declares bags and reports stray waste (phone); the manager approves, takes the deposit, watches the
 * waste points and stray reports and closes renovations (desktop); the hauler confirms pickups with a
 * photo (phone); the committee reads the monthly figures. Chinese first.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Row,
  Select,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { send } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { dateTime } from '../time';
import type { Me, Reply } from '../types';
import { useData } from '../useData';
import { yuan } from '../money';

type Renovation = Reply<'/api/renovations'>['renovations'][number];
type WastePoint = Reply<'/api/waste-points'>['points'][number];
type Collection = Reply<'/api/waste-collections'>['collections'][number];
type StrayReport = Reply<'/api/stray-reports'>['reports'][number];
type WasteMonth = Reply<'/api/reports/waste'>['months'][number];

const KINDS: Record<string, string> = {
  walls: '墙面',
  floors: '地面',
  plumbing: '水管',
  electrics: '电路',
  windows: '门窗',
  kitchen: '厨房',
  bathroom: '卫生间',
};
const STATUS: Record<Renovation['status'], [string, string]> = {
  pending: ['待审批', 'blue'],
  approved: ['已批准', 'green'],
  refused: ['未批准', 'red'],
  closed: ['已结束', 'default'],
};
const REASON: Record<Collection['reason'], string> = { full: '堆放点已满', timetable: '定期清运', manual: '物业安排' };

/** A photo from the phone's camera (or a file), as the API takes it: JPEG or PNG in base64. */
function PhotoInput({
  onChange,
  label,
}: {
  onChange: (p: { contentType: string; data: string } | null) => void;
  label: string;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState(false);
  return (
    // The browser's own file button speaks the phone's language, not the app's: a label of ours instead.
    <label className={`pb-photo-input${chosen ? ' chosen' : ''}`}>
      <span>{chosen ? `✓ ${t('已选照片，点此重拍')}` : t('拍照或选择照片')}</span>
      <input
        type="file"
        accept="image/jpeg,image/png"
        capture="environment"
        aria-label={label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          setChosen(file !== undefined);
          if (file === undefined) return onChange(null);
          const reader = new FileReader();
          reader.onload = () => {
            const url = String(reader.result);
            onChange({
              contentType: file.type === 'image/png' ? 'image/png' : 'image/jpeg',
              data: url.slice(url.indexOf(',') + 1),
            });
          };
          reader.readAsDataURL(file);
        }}
      />
    </label>
  );
}

function useAction(): {
  run: (work: () => Promise<unknown>, done?: () => void) => void;
  error: string | null;
  busy: boolean;
} {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    error,
    busy,
    run: (work, done) => {
      setBusy(true);
      setError(null);
      work().then(
        () => {
          setBusy(false);
          done?.();
        },
        (e: unknown) => {
          setBusy(false);
          setError(describeError(e, t));
        },
      );
    },
  };
}

function RenovationTag({ r }: { r: Renovation }) {
  const { t } = useI18n();
  return <Tag color={STATUS[r.status][1]}>{t(STATUS[r.status][0])}</Tag>;
}

/** The resident's section: my renovations, registering one, declaring bags, reporting stray waste. */
export function ResidentRenovation() {
  const { t } = useI18n();
  const mine = useData<'/api/renovations'>('/api/renovations', 60_000);
  const points = useData<'/api/waste-points'>('/api/waste-points', 60_000);
  const [registering, setRegistering] = useState(false);
  const list = mine.data?.renovations ?? [];
  const approved = list.filter((r) => r.status === 'approved');
  return (
    <section className="pb-renovation" aria-labelledby="pb-renovation-h">
      <h2 className="pb-h2" id="pb-renovation-h">
        {t('装修登记')}
      </h2>
      {list.map((r) => (
        <Card
          key={r.id}
          size="small"
          className="pb-car"
          title={`${r.building}${r.unit}${r.room}`}
          extra={<RenovationTag r={r} />}
        >
          <p>
            {r.startsOn} – {r.endsOn} · {r.hoursFrom}–{r.hoursTo} · {r.kinds.map((k) => t(KINDS[k] ?? k)).join('、')}
          </p>
          {r.refusal !== null && <Alert type="warning" title={r.refusal} />}
          <p>
            {t('押金')} {yuan(r.depositFen)} ·{' '}
            {t(r.depositStatus === 'due' ? '待交' : r.depositStatus === 'received' ? '已交' : '已退')}
            {r.deductedFen > 0 && ` · ${t('扣除')} ${yuan(r.deductedFen)}`}
          </p>
        </Card>
      ))}
      {registering ? (
        <RegisterForm
          onDone={() => {
            setRegistering(false);
            mine.reload();
          }}
        />
      ) : (
        <Button onClick={() => setRegistering(true)}>{t('登记装修')}</Button>
      )}
      {approved.length > 0 && points.data !== null && (
        <DeclareForm renovations={approved} points={points.data.points} onDone={points.reload} />
      )}
      <StrayForm />
    </section>
  );
}

function RegisterForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  return (
    <Card size="small" title={t('登记装修')}>
      <Form
        layout="vertical"
        initialValues={{ hoursFrom: '08:30', hoursTo: '17:30', workers: 2, kinds: [] }}
        onFinish={(v: {
          contractorName: string;
          contractorPhone: string;
          workers: number;
          kinds: string[];
          hoursFrom: string;
          hoursTo: string;
        }) =>
          action.run(
            () =>
              send('POST', '/api/renovations', {
                ...v,
                startsOn: range?.[0]?.format('YYYY-MM-DD') ?? '',
                endsOn: range?.[1]?.format('YYYY-MM-DD') ?? '',
              }),
            onDone,
          )
        }
      >
        <Form.Item label={t('施工日期')} required>
          <DatePicker.RangePicker aria-label={t('施工日期')} onChange={(v) => setRange(v)} />
        </Form.Item>
        <Form.Item name="kinds" label={t('施工项目')}>
          <Checkbox.Group options={Object.entries(KINDS).map(([value, label]) => ({ value, label: t(label) }))} />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="hoursFrom" label={t('每日开工')}>
              <Input aria-label={t('每日开工')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="hoursTo" label={t('每日收工')}>
              <Input aria-label={t('每日收工')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="contractorName" label={t('施工负责人')}>
          <Input aria-label={t('施工负责人')} />
        </Form.Item>
        <Form.Item name="contractorPhone" label={t('负责人手机号')}>
          <Input aria-label={t('负责人手机号')} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="workers" label={t('工人数')}>
          <InputNumber min={1} max={50} aria-label={t('工人数')} />
        </Form.Item>
        <p className="pb-note">{t('承重墙、燃气管道、外墙开洞不得改动；施工时间 08:00–18:00。')}</p>
        {action.error !== null && <Alert type="error" title={action.error} />}
        <Button type="primary" htmlType="submit" loading={action.busy}>
          {t('提交登记')}
        </Button>
      </Form>
    </Card>
  );
}

function DeclareForm({
  renovations,
  points,
  onDone,
}: {
  renovations: Renovation[];
  points: WastePoint[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  return (
    <Card size="small" title={t('申报装修垃圾')}>
      <Form
        layout="vertical"
        initialValues={{ renovationId: renovations[0]?.id, bags: 5, kind: 'construction' }}
        onFinish={(v: { renovationId: string; pointId: string; bags: number; kind: string }) =>
          action.run(
            () => send('POST', '/api/waste-declarations', v),
            () => {
              setDone(t('已申报 {n} 袋', { n: v.bags }));
              onDone();
            },
          )
        }
      >
        <Form.Item name="pointId" label={t('堆放点')} rules={[{ required: true, message: t('请选择堆放点') }]}>
          <Select
            aria-label={t('堆放点')}
            options={points.map((p) => ({ value: p.id, label: `${p.name}（${p.bags}/${p.capacityBags}）` }))}
          />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="bags" label={t('袋数')}>
              <InputNumber min={1} max={200} aria-label={t('袋数')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('种类')}>
              <Select
                aria-label={t('种类')}
                options={[
                  { value: 'construction', label: t('建筑垃圾') },
                  { value: 'bulky', label: t('大件垃圾') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="renovationId" hidden>
          <Input />
        </Form.Item>
        {action.error !== null && <Alert type="error" title={action.error} />}
        {done !== null && <Alert type="success" title={done} />}
        <Button type="primary" htmlType="submit" loading={action.busy}>
          {t('申报')}
        </Button>
      </Form>
    </Card>
  );
}

/** Report waste outside a point (residents and guards). */
export function StrayForm() {
  const { t } = useI18n();
  const action = useAction();
  const [photo, setPhoto] = useState<{ contentType: string; data: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Card size="small" title={t('举报乱堆垃圾')}>
      <Form
        layout="vertical"
        onFinish={(v: { building: string; unit: string; place: string }) =>
          action.run(
            () => send<Reply<'/api/stray-reports', 'post'>>('POST', '/api/stray-reports', { ...v, photo }),
            () => setDone(t('已上报，谢谢')),
          )
        }
      >
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="building" label={t('楼号')} rules={[{ required: true, message: t('必填') }]}>
              <Input placeholder="1号" aria-label={t('楼号')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="unit" label={t('单元')} rules={[{ required: true, message: t('必填') }]}>
              <Input placeholder="1单元" aria-label={t('单元')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="place" label={t('具体位置')} rules={[{ required: true, message: t('必填') }]}>
          <Input aria-label={t('具体位置')} />
        </Form.Item>
        <Form.Item label={t('照片')} required>
          <PhotoInput label={t('照片')} onChange={setPhoto} />
        </Form.Item>
        {action.error !== null && <Alert type="error" title={action.error} />}
        {done !== null && <Alert type="success" title={done} />}
        <Button htmlType="submit" loading={action.busy} disabled={photo === null}>
          {t('上报')}
        </Button>
      </Form>
    </Card>
  );
}

/** The manager's tab: the approval queue, the points, stray reports, renovations under way. */
export function ManagerRenovation() {
  const { t } = useI18n();
  const renovations = useData<'/api/renovations'>('/api/renovations', 30_000);
  const points = useData<'/api/waste-points'>('/api/waste-points', 30_000);
  const strays = useData<'/api/stray-reports'>('/api/stray-reports', 30_000);
  const action = useAction();
  const [refusing, setRefusing] = useState<Record<string, string>>({});
  const all = renovations.data?.renovations ?? [];
  const pending = all.filter((r) => r.status === 'pending');
  const act = (url: string, body: object) => action.run(() => send('POST', url, body), renovations.reload);
  const flat = (r: Renovation) => `${r.building}${r.unit}${r.room}`;
  return (
    <div className="pb-renovation-manager">
      {action.error !== null && <Alert type="error" title={action.error} />}
      <h2 className="pb-h2">{t('待审批')}</h2>
      {pending.length === 0 ? (
        <Empty description={t('没有待审批的装修')} />
      ) : (
        pending.map((r) => (
          <Card key={r.id} size="small" title={flat(r)} className="pb-approval" data-renovation={r.id}>
            <p>
              {r.startsOn} – {r.endsOn} · {r.hoursFrom}–{r.hoursTo} · {r.kinds.map((k) => t(KINDS[k] ?? k)).join('、')}{' '}
              · {r.contractorName} {r.contractorPhone} · {t('{n} 名工人', { n: r.workers })}
            </p>
            <Button type="primary" onClick={() => act(`/api/renovations/${r.id}/decision`, { approve: true })}>
              {t('批准')}
            </Button>{' '}
            <Input
              style={{ width: 240 }}
              placeholder={t('不批准的理由')}
              aria-label={t('不批准的理由')}
              value={refusing[r.id] ?? ''}
              onChange={(e) => setRefusing({ ...refusing, [r.id]: e.target.value })}
            />{' '}
            <Button
              danger
              onClick={() => act(`/api/renovations/${r.id}/decision`, { approve: false, reason: refusing[r.id] ?? '' })}
            >
              {t('不批准')}
            </Button>
          </Card>
        ))
      )}
      <h2 className="pb-h2">{t('垃圾堆放点')}</h2>
      <Row gutter={12} className="pb-points">
        {(points.data?.points ?? []).map((p) => (
          <Col span={8} key={p.id}>
            <Card
              size="small"
              title={p.name}
              extra={p.collectionScheduled ? <Tag color="blue">{t('待清运')}</Tag> : null}
            >
              <Progress
                percent={Math.round((p.bags / p.capacityBags) * 100)}
                status={p.bags >= p.capacityBags * 0.8 ? 'exception' : 'normal'}
                aria-label={`${p.name} ${p.bags}/${p.capacityBags}`}
              />
              <p>
                {t('{n} 袋 / 容量 {c} 袋', { n: p.bags, c: p.capacityBags })} · {p.building ?? t('全小区')}
              </p>
            </Card>
          </Col>
        ))}
      </Row>
      <h2 className="pb-h2">{t('乱堆垃圾')}</h2>
      <Table<StrayReport>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={strays.data?.reports ?? []}
        columns={[
          { title: t('位置'), key: 'where', render: (_: unknown, s) => `${s.building}${s.unit} · ${s.place}` },
          { title: t('上报时间'), dataIndex: 'reportedAt', render: (at: number) => dateTime(at) },
          {
            title: t('责任方'),
            dataIndex: 'responsible',
            render: (x: string) => t(x === 'renovation' ? '装修户' : '物业'),
          },
          {
            title: t('状态'),
            key: 'status',
            render: (_: unknown, s) =>
              s.status === 'cleared' ? (
                <Tag>{t('已清理')}</Tag>
              ) : (
                <>
                  <Tag color={s.escalatedAt !== null ? 'red' : 'blue'}>
                    {t(s.escalatedAt !== null ? '逾期' : '待清理')}
                  </Tag>
                  <Button
                    size="small"
                    onClick={() =>
                      action.run(() => send('POST', `/api/stray-reports/${s.id}/clear`, {}), strays.reload)
                    }
                  >
                    {t('已清理')}
                  </Button>
                </>
              ),
          },
        ]}
      />
      <h2 className="pb-h2">{t('装修中')}</h2>
      <Table<Renovation>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={all.filter((r) => r.status === 'approved')}
        columns={[
          { title: t('房号'), key: 'flat', render: (_: unknown, r) => flat(r) },
          { title: t('日期'), key: 'dates', render: (_: unknown, r) => `${r.startsOn} – ${r.endsOn}` },
          {
            title: t('押金'),
            key: 'deposit',
            render: (_: unknown, r) =>
              r.depositStatus === 'due' ? (
                <Button size="small" onClick={() => act(`/api/renovations/${r.id}/deposit`, {})}>
                  {t('收到押金')} {yuan(r.depositFen)}
                </Button>
              ) : (
                `${yuan(r.depositFen)}${r.deductedFen > 0 ? `（${t('扣除')} ${yuan(r.deductedFen)}）` : ''}`
              ),
          },
          {
            title: '',
            key: 'close',
            render: (_: unknown, r) => (
              <Button size="small" onClick={() => act(`/api/renovations/${r.id}/close`, {})}>
                {t('结束并退押金')}
              </Button>
            ),
          },
        ]}
      />
      <WasteFigures />
    </div>
  );
}

/** The committee's (and manager's) monthly figures, aggregates only. */
export function WasteFigures() {
  const { t } = useI18n();
  const figures = useData<'/api/reports/waste'>('/api/reports/waste?months=6', 300_000);
  const months = figures.data?.months ?? [];
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 30, top: 30 },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: t('申报袋数'), data: months.map((m) => m.points.reduce((s, p) => s + p.declaredBags, 0)) },
        {
          type: 'bar',
          name: t('清运袋数'),
          data: months.map((m) => m.points.reduce((s, p) => s + p.collectedBags, 0)),
        },
        { type: 'bar', name: t('乱堆垃圾'), data: months.map((m) => m.strayReported) },
      ],
    }),
    [months, t],
  );
  return (
    <section className="pb-waste-figures">
      <h2 className="pb-h2">{t('装修与垃圾（按月）')}</h2>
      <Chart option={option} label={t('装修与垃圾（按月）')} />
      <Table<WasteMonth>
        size="small"
        rowKey="month"
        pagination={false}
        dataSource={months}
        columns={[
          { title: t('月份'), dataIndex: 'month' },
          { title: t('装修中'), dataIndex: 'renovationsActive' },
          { title: t('已结束'), dataIndex: 'renovationsDone' },
          { title: t('乱堆上报'), dataIndex: 'strayReported' },
          { title: t('已清理'), dataIndex: 'strayCleared' },
          {
            title: t('平均清理用时（小时）'),
            dataIndex: 'strayMeanHoursToClear',
            render: (h: number | null) => (h === null ? '—' : h),
          },
        ]}
      />
    </section>
  );
}

/** The hauler's phone: collections to make, each confirmed with a photo. */
export function HaulerScreen({ me }: { me: Me }) {
  const { t } = useI18n();
  const collections = useData<'/api/waste-collections'>('/api/waste-collections', 30_000);
  const action = useAction();
  const [photos, setPhotos] = useState<Record<string, { contentType: string; data: string } | null>>({});
  const open = (collections.data?.collections ?? []).filter((c) => c.status === 'scheduled');
  const done = (collections.data?.collections ?? []).filter((c) => c.status === 'done');
  return (
    <div className="pb-phone">
      <h1 className="pb-h1">
        {t('清运任务')} · {me.name}
      </h1>
      {action.error !== null && <Alert type="error" title={action.error} />}
      {open.length === 0 && <Empty description={t('没有待清运的堆放点')} />}
      {open.map((c) => (
        <Card
          key={c.id}
          size="small"
          className="pb-car"
          data-collection={c.id}
          title={c.pointName}
          extra={<Tag color="blue">{t(REASON[c.reason])}</Tag>}
        >
          <p>{t('安排于 {t}', { t: dateTime(c.scheduledAt) })}</p>
          <PhotoInput label={t('清运照片')} onChange={(p) => setPhotos({ ...photos, [c.id]: p })} />
          <Button
            type="primary"
            block
            style={{ marginTop: 8 }}
            disabled={!photos[c.id]}
            loading={action.busy}
            onClick={() =>
              action.run(
                () => send('POST', `/api/waste-collections/${c.id}/confirm`, { photo: photos[c.id] }),
                collections.reload,
              )
            }
          >
            {t('确认已清运')}
          </Button>
        </Card>
      ))}
      {done.length > 0 && (
        <>
          <h2 className="pb-h2">{t('已完成')}</h2>
          <ul>
            {done.slice(0, 10).map((c) => (
              <li key={c.id}>
                {c.pointName} · {c.doneAt === null ? '' : dateTime(c.doneAt)} · {t('{n} 袋', { n: c.bags ?? 0 })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
