/** The user's recent changes and their state: pending (retrying), done, failed (with retry). */
import { Button, Space, Tag } from 'antd';
import { useSyncExternalStore } from 'react';
import { dismiss, retry, snapshot, subscribe } from '../actions';
import { useI18n } from '../i18n';

export function ActionList() {
  const { t } = useI18n();
  const actions = useSyncExternalStore(subscribe, snapshot);
  const shown = actions.filter((a) => a.status !== 'done' || Date.now() - a.createdAt < 60_000).slice(-4);
  if (shown.length === 0) return null;
  return (
    <section aria-label={t('操作记录')} className="pb-actions">
      {shown.map((a) => (
        <div key={a.key} className="pb-action" data-status={a.status}>
          <Tag color={a.status === 'done' ? 'green' : a.status === 'failed' ? 'red' : 'orange'}>
            {a.status === 'done' ? t('已完成') : a.status === 'failed' ? t('失败') : t('等待网络')}
          </Tag>
          <span className="pb-action-label">{a.label}</span>
          {a.status === 'failed' && <span className="pb-action-error">{a.error}</span>}
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
