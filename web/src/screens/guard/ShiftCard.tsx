/** The guard's shift, duty and partner at the top of the screen, with unread key alarms. */
import { Alert, Tag } from 'antd';
import { PlainCard } from '../../components/PlainCard';
import { useI18n } from '../../i18n';
import type { Me, Reply, Shifts } from '../../types';
import { currentShift } from './words';

/** A notification of the guard's feed (key alarms reach guards this way; the alarm list is the manager's). */
type Notice = Reply<'/api/notifications'>['notifications'][number];

export function ShiftCard({ me, shifts, notices }: { me: Me; shifts: Shifts | null; notices: Notice[] }) {
  const { t } = useI18n();
  const onDuty = shifts?.onDuty.includes(me.userId) ?? true;
  const partner = (shifts?.onDuty.filter((g) => g !== me.userId) ?? []).map((g) => shifts?.guardNames[g] ?? g);
  const shift = shifts === null ? undefined : currentShift(shifts);
  const alarms = notices.filter((n) => n.kind === 'key.alarm' && n.readAt === null);
  return (
    <>
      <PlainCard className="pb-shift">
        <div>
          <strong>{t('当前班次')}</strong> {shift ? `${shift.name} ${shift.start}–${shift.end}` : '—'}{' '}
          <Tag color={onDuty ? 'green' : 'default'}>{onDuty ? t('在岗') : t('未在岗')}</Tag>
        </div>
        <div>
          {t('搭档')}: {partner.length > 0 ? partner.join('、') : '—'}
        </div>
      </PlainCard>
      {!onDuty && <Alert type="warning" showIcon title={t('你现在不在岗')} />}
      {alarms.map((a) => (
        <Alert key={a.id} type="error" showIcon title={`${t('报警')}: ${a.title}`} description={a.body} />
      ))}
    </>
  );
}
