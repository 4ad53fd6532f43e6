/**
 * A resident books a night at a partner lot (错峰共享停车, e.g. the bus station 5 minutes' walk away)
 * for one car. Loads the partner lots only when opened.
 */
import { Alert, Button, Card, Tag } from 'antd';
import { useState } from 'react';
import { perform } from '../actions';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import { dateTime, hhmm } from '../time';
import type { Reply } from '../types';
import { useData } from '../useData';

type Lot = Reply<'/api/partner-lots'>['lots'][number];

export function PartnerBooking({ vehicleId }: { vehicleId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="pb-partner-booking">
      <Button type="link" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {t('预约合作停车场')}
      </Button>
      {open && <Lots vehicleId={vehicleId} />}
    </div>
  );
}

function Lots({ vehicleId }: { vehicleId: string }) {
  const { t } = useI18n();
  const lots = useData<'/api/partner-lots'>('/api/partner-lots', 0);
  const bookings = useData<'/api/bookings'>('/api/bookings', 0);
  const [error, setError] = useState<string | null>(null);
  const mine = (bookings.data?.bookings ?? []).filter(
    (b) => b.vehicleId === vehicleId && (b.status === 'booked' || b.status === 'checked-in'),
  );
  const book = async (lot: Lot) => {
    setError(null);
    try {
      await perform(
        'POST',
        '/api/bookings',
        { lotId: lot.id, vehicleId, night: lot.tonight.night },
        `${t('预约今晚')} ${lot.name}`,
      );
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      bookings.reload();
      lots.reload();
    }
  };
  return (
    <Card size="small">
      <ul className="pb-keys" aria-label={t('合作停车场')}>
        {(lots.data?.lots ?? []).map((lot) => (
          <li key={lot.id}>
            <div>
              <strong>{lot.name}</strong>
              <div>
                {lot.tonight.open && lot.tonight.startAt !== null && lot.tonight.leaveByAt !== null
                  ? `${t('今晚')} ${hhmm(lot.tonight.startAt)}–${hhmm(lot.tonight.leaveByAt)}`
                  : `${t('今晚')} ${t('不开放')}`}{' '}
                · {t('步行')} {t('{n} 分钟', { n: lot.walkMinutes })} · {lot.tonight.booked}/{lot.spaces}
              </div>
            </div>
            <Button
              disabled={!lot.tonight.open || mine.some((b) => b.lotId === lot.id && b.night === lot.tonight.night)}
              onClick={() => void book(lot)}
            >
              {t('预约今晚')}
            </Button>
          </li>
        ))}
      </ul>
      {mine.map((b) => (
        <div key={b.id}>
          <Tag color="blue">{t('已预约')}</Tag> {b.night} · {t('车位')} {b.space} · {t('最晚离开')}{' '}
          {dateTime(b.leaveByAt)}
        </div>
      ))}
      {error !== null && <Alert type="error" title={error} />}
    </Card>
  );
}
