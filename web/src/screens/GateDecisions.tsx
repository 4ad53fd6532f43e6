/**
 * @module The guard's camera decisions: reads the gate cameras hold for a guard — an unknown plate
 * (admit as a visitor until a time, or refuse), a near read (confirm one of the proposed plates, or
 * refuse), or a visitor without a host at the exit (take its 临停 fee in cash or by QR, or waive it
 * with a reason). Loaded only when the guard opens the tab.
 */
import { Button, Card, Empty, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { perform } from '../actions';
import { useI18n } from '../i18n';
import { yuan } from '../money';
import { hhmm } from '../time';
import type { Reply } from '../types';
import { useData } from '../useData';

type Reads = Reply<'/api/gate/decisions'>;
type PendingRead = Reads['reads'][number];

const HOURS = [1, 2, 4, 8, 24];

export default function GateDecisions({ onChange }: { onChange: () => void }) {
  const { t } = useI18n();
  const reads = useData<'/api/gate/decisions'>('/api/gate/decisions', 5_000);
  const [hours, setHours] = useState(2);
  const [waiveReason, setWaiveReason] = useState('');
  const decide = (read: PendingRead, body: object, label: string) => {
    void perform('POST', `/api/gate/reads/${read.id}/decision`, body, `${label} ${read.plate}`).then(() => {
      reads.reload();
      onChange();
    });
  };
  const list = reads.data?.reads ?? [];
  if (list.length === 0) return <Empty description={t('没有待处理的车牌')} />;
  return (
    <div className="gate-decisions">
      {list.map((r) => (
        <Card key={r.id} size="small" className="gate-read" data-read={r.id}>
          <div className="gate-read-head">
            <strong className="plate">{r.plate}</strong>
            <Tag color={r.outcome === 'proposed' ? 'orange' : r.outcome === 'fee-due' ? 'blue' : 'red'}>
              {r.outcome === 'proposed' ? t('疑似误识别') : r.outcome === 'fee-due' ? t('临停收费') : t('陌生车辆')}
            </Tag>
            <span>
              {r.gate} {hhmm(r.readAt)}
            </span>
          </div>
          {r.outcome === 'fee-due' ? (
            <div className="gate-read-actions">
              <strong className="gate-fee">
                {t('应收')} {yuan(r.feeFen ?? 0)}
              </strong>
              <Button
                type="primary"
                size="large"
                onClick={() => decide(r, { action: 'collect', method: 'qr' }, t('已扫码收款'))}
              >
                {t('已扫码收款')}
              </Button>
              <Button size="large" onClick={() => decide(r, { action: 'collect', method: 'cash' }, t('已收现金'))}>
                {t('已收现金')}
              </Button>
              <Input
                aria-label={t('免收原因')}
                placeholder={t('免收原因')}
                value={waiveReason}
                maxLength={200}
                onChange={(e) => setWaiveReason(e.target.value)}
              />
              <Button
                size="large"
                disabled={waiveReason.trim().length < 2}
                onClick={() => decide(r, { action: 'waive', reason: waiveReason.trim() }, t('免收'))}
              >
                {t('免收')}
              </Button>
            </div>
          ) : r.outcome === 'proposed' ? (
            <div className="gate-read-actions">
              {r.proposals.map((p) => (
                <Button
                  key={p.plate}
                  type="primary"
                  size="large"
                  onClick={() => decide(r, { action: 'confirm', plate: p.plate }, t('确认车牌'))}
                >
                  {t('确认为')} {p.plate}
                </Button>
              ))}
            </div>
          ) : (
            <div className="gate-read-actions">
              <Select
                aria-label={t('访客停留')}
                value={hours}
                onChange={setHours}
                options={HOURS.map((h) => ({ value: h, label: `${h} ${t('小时')}` }))}
              />
              <Button
                type="primary"
                size="large"
                onClick={() =>
                  decide(
                    r,
                    { action: 'admit', until: new Date(Date.now() + hours * 3600_000).toISOString() },
                    t('放行访客'),
                  )
                }
              >
                {t('放行访客')}
              </Button>
            </div>
          )}
          {r.outcome !== 'fee-due' && (
            <Button danger size="large" block onClick={() => decide(r, { action: 'refuse' }, t('拒绝'))}>
              {t('拒绝')}
            </Button>
          )}
        </Card>
      ))}
    </div>
  );
}
