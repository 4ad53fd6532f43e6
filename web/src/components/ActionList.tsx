/** The user's recent changes and their state: pending (retrying), done, failed (with retry). */
import { Button, Space, Tag } from 'antd';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { dismiss, retry, snapshot, subscribe } from '../actions';
import { describeCode } from '../errors';
import { useI18n } from '../i18n';

const DONE_SHOWN_MS = 6000;

export function ActionList() {
  const { t } = useI18n();
  const actions = useSyncExternalStore(subscribe, snapshot);
  // Done actions show for a few seconds; pending and failed ones stay until they are done or dismissed.
  const [now, setNow] = useState(() => Date.now());
  const recentDone = actions.some((a) => a.status === 'done' && now - a.createdAt < DONE_SHOWN_MS);
  useEffect(() => {
    if (!recentDone) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [recentDone]);
  const shown = actions.filter((a) => a.status !== 'done' || now - a.createdAt < DONE_SHOWN_MS).slice(-4);
  if (shown.length === 0) return null;
  return (
    <section aria-label={t('操作记录')} className="pb-actions">
      {shown.map((a) => (
        <div key={a.key} className="pb-action" data-status={a.status}>
          <Tag color={a.status === 'done' ? 'green' : a.status === 'failed' ? 'red' : 'orange'}>
            {a.status === 'done' ? t('已完成') : a.status === 'failed' ? t('失败') : t('等待网络')}
          </Tag>
          <span className="pb-action-label">{a.label}</span>
          {a.status === 'failed' && (
            <span className="pb-action-error">
              {describeCode(a.code ?? null, a.error ?? '', t, a.details, a.field)}
            </span>
          )}
          {a.status !== 'pending' && (
            <Space size={4}>
              {a.status === 'failed' && (
                <Button size="small" onClick={() => retry(a.key)}>
                  {t('重试')}
                </Button>
              )}
              <Button size="small" type="text" onClick={() => dismiss(a.key)}>
                {t('关闭')}
              </Button>
            </Space>
          )}
        </div>
      ))}
    </section>
  );
}
