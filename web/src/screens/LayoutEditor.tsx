/**
 * @module The layout editor: pick a lane on the map or from the list, change its name, area, access
 * and positions (charger, size, closure), save. The server validates the whole layout; a position on
 * a fire lane is refused and its reason is shown as the server gave it.
 */
import { Alert, AutoComplete, Button, Card, Col, Input, InputNumber, Row, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { perform } from '../actions';
import { LotMap, MapLegend } from '../components/LotMap';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import type { LotLane, Me } from '../types';
import { useData } from '../useData';

interface EditPosition {
  id: string;
  index: number;
  kind: string;
  chargerKw: number | null;
  maxSize: string;
  closureFrom: string;
  closureTo: string;
  closureReason: string;
}

interface EditLane {
  id: string;
  name: string;
  area: string;
  access: string;
  positions: EditPosition[];
}

function toEdit(lane: LotLane): EditLane {
  return {
    id: lane.id,
    name: lane.name,
    area: lane.area,
    access: lane.access,
    positions: lane.positions.map((p) => ({
      id: p.id,
      index: p.index,
      kind: p.kind,
      chargerKw: p.chargerKw,
      maxSize: p.maxSize,
      closureFrom: p.closures[0]?.from ?? '',
      closureTo: p.closures[0]?.to ?? '',
      closureReason: p.closures[0]?.reason ?? '',
    })),
  };
}

export function LayoutEditor({ me }: { me: Me }) {
  const { t } = useI18n();
  const lot = useData<'/api/compounds/{compoundId}/lot'>(`/api/compounds/${me.compoundId}/lot`, 0);
  const [laneId, setLaneId] = useState<string | null>(null);
  const [edit, setEdit] = useState<EditLane | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const lane = lot.data?.lanes.find((l) => l.id === laneId);
    if (lane !== undefined) setEdit(toEdit(lane));
  }, [laneId, lot.data]);

  if (lot.data === null) return null;
  const areas = [...new Set([...lot.data.lanes.map((l) => l.area), ...lot.data.fireLanes])];
  const setPos = (i: number, change: Partial<EditPosition>) =>
    setEdit((e) =>
      e === null ? e : { ...e, positions: e.positions.map((p, k) => (k === i ? { ...p, ...change } : p)) },
    );

  const save = async () => {
    if (edit === null) return;
    setBusy(true);
    setMessage(null);
    const body = {
      name: edit.name,
      area: edit.area,
      access: edit.access,
      positions: edit.positions.map((p) => ({
        id: p.id,
        index: p.index,
        kind: p.kind,
        chargerKw: p.chargerKw,
        maxSize: p.maxSize,
        closures:
          p.closureFrom !== '' && p.closureTo !== ''
            ? [{ from: p.closureFrom, to: p.closureTo, reason: p.closureReason || '—' }]
            : [],
      })),
    };
    try {
      await perform(
        'PUT',
        `/api/compounds/${me.compoundId}/lanes/${encodeURIComponent(edit.id)}`,
        body,
        `${t('保存车道')} ${edit.id}`,
      );
      setMessage({ type: 'success', text: t('已保存') });
      lot.reload();
    } catch (e) {
      setMessage({ type: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const newLane = () => {
    const n = lot.data!.lanes.length + 1;
    const id = `N${String(n).padStart(2, '0')}`;
    setLaneId(null);
    setEdit({
      id,
      name: t('新车道'),
      area: areas[0] ?? '',
      access: 'one-end',
      positions: [
        {
          id: `${id}-0`,
          index: 0,
          kind: 'bay',
          chargerKw: null,
          maxSize: 'large',
          closureFrom: '',
          closureTo: '',
          closureReason: '',
        },
      ],
    });
  };

  return (
    <Row gutter={16}>
      <Col span={12}>
        <LotMap
          lot={lot.data}
          columns={4}
          selectedPositionId={null}
          onSelectPosition={(_, lane) => setLaneId(lane.id)}
        />
        <MapLegend />
        <p>
          {t('消防通道')}: {lot.data.fireLanes.join('、')}
        </p>
      </Col>
      <Col span={12}>
        <Space style={{ marginBottom: 12 }}>
          <Select
            showSearch
            aria-label={t('选择车道')}
            placeholder={t('选择车道')}
            style={{ width: 280 }}
            value={laneId}
            onChange={setLaneId}
            optionFilterProp="label"
            options={lot.data.lanes.map((l) => ({ value: l.id, label: `${l.id} ${l.name}` }))}
          />
          <Button onClick={newLane}>{t('新车道')}</Button>
        </Space>
        {edit !== null && (
          <Card title={`${t('车道')} ${edit.id}`} size="small" className="pb-lane-editor">
            <Space orientation="vertical" style={{ width: '100%' }}>
              <label className="pb-field">
                <span>{t('名称')}</span>
                <Input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} />
              </label>
              <label className="pb-field">
                <span>{t('区域')}</span>
                <AutoComplete
                  value={edit.area}
                  options={areas.map((a) => ({ value: a }))}
                  onChange={(v: string) => setEdit({ ...edit, area: v })}
                  aria-label={t('区域')}
                />
              </label>
              <label className="pb-field">
                <span>{t('通行')}</span>
                <Select
                  value={edit.access}
                  aria-label={t('通行')}
                  onChange={(v: string) => setEdit({ ...edit, access: v })}
                  options={[
                    { value: 'one-end', label: t('单端') },
                    { value: 'through', label: t('两端') },
                  ]}
                />
              </label>
              <Table<EditPosition>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={edit.positions}
                columns={[
                  { title: t('车位'), dataIndex: 'id' },
                  {
                    title: t('充电功率 kW'),
                    key: 'kw',
                    render: (_: unknown, p, i) => (
                      <InputNumber
                        aria-label={`${p.id} ${t('充电功率 kW')}`}
                        min={0}
                        max={350}
                        value={p.chargerKw}
                        onChange={(v) => setPos(i, { chargerKw: v === null || v === 0 ? null : v })}
                        style={{ width: 80 }}
                      />
                    ),
                  },
                  {
                    title: t('最大车型'),
                    key: 'size',
                    render: (_: unknown, p, i) => (
                      <Select
                        aria-label={`${p.id} ${t('最大车型')}`}
                        value={p.maxSize}
                        style={{ width: 90 }}
                        onChange={(v: string) => setPos(i, { maxSize: v })}
                        options={[
                          { value: 'small', label: t('小型') },
                          { value: 'standard', label: t('标准') },
                          { value: 'large', label: t('大型') },
                        ]}
                      />
                    ),
                  },
                  {
                    title: t('停用'),
                    key: 'closure',
                    render: (_: unknown, p, i) => (
                      <Space orientation="vertical" size={2}>
                        <Input
                          type="date"
                          aria-label={`${p.id} ${t('停用起')}`}
                          value={p.closureFrom}
                          onChange={(e) => setPos(i, { closureFrom: e.target.value })}
                          size="small"
                        />
                        <Input
                          type="date"
                          aria-label={`${p.id} ${t('停用止')}`}
                          value={p.closureTo}
                          onChange={(e) => setPos(i, { closureTo: e.target.value })}
                          size="small"
                        />
                        <Input
                          aria-label={`${p.id} ${t('停用原因')}`}
                          placeholder={t('停用原因')}
                          value={p.closureReason}
                          onChange={(e) => setPos(i, { closureReason: e.target.value })}
                          size="small"
                        />
                      </Space>
                    ),
                  },
                ]}
              />
              <Space>
                <Button
                  onClick={() => {
                    const index = edit.positions.length;
                    setEdit({
                      ...edit,
                      positions: [
                        ...edit.positions,
                        {
                          id: `${edit.id}-${index}`,
                          index,
                          kind: 'tandem',
                          chargerKw: null,
                          maxSize: 'large',
                          closureFrom: '',
                          closureTo: '',
                          closureReason: '',
                        },
                      ],
                    });
                  }}
                >
                  {t('增加车位')}
                </Button>
                <Button
                  disabled={edit.positions.length <= 1}
                  onClick={() => setEdit({ ...edit, positions: edit.positions.slice(0, -1) })}
                >
                  {t('删除末位')}
                </Button>
                <Button type="primary" loading={busy} onClick={() => void save()}>
                  {t('保存车道')}
                </Button>
              </Space>
              {message !== null && (
                <Alert
                  type={message.type}
                  showIcon
                  title={message.text}
                  role={message.type === 'error' ? 'alert' : 'status'}
                  className="pb-layout-message"
                />
              )}
            </Space>
          </Card>
        )}
      </Col>
    </Row>
  );
}
