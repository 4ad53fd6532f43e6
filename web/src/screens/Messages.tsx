/**
 * @module Messages: for the manager, the templates sent on the residents' channels (WeChat template
 * message and SMS template, with their named parameters and lengths) and the latest deliveries with
 * their status; for a resident, the choice of channels (微信, 短信, 站内) and quiet hours.
 */
import { Button, Card, Checkbox, Select, Space, Switch, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { perform } from '../actions';
import { useI18n } from '../i18n';
import { dateTime } from '../time';
import type { Reply } from '../types';
import { useData } from '../useData';

type Template = Reply<'/api/messages/templates'>['templates'][number];
type Delivery = Reply<'/api/messages/deliveries'>['deliveries'][number];
type Choice = NonNullable<Reply<'/api/me/channels'>['choice']>;
type Channel = Choice['channels'][number];

const CHANNEL_NAMES: Record<Delivery['channel'], string> = {
  wechat: '微信',
  sms: '短信',
  inapp: '站内',
  default: '默认',
};
const TIMES = Array.from({ length: 48 }, (_, i) => {
  const v = `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`;
  return { value: v, label: v };
});
const STATUS_COLORS: Record<Delivery['status'], string> = { pending: 'gold', sent: 'green', failed: 'red' };
const STATUS_NAMES: Record<Delivery['status'], string> = { pending: '等待发送', sent: '已发送', failed: '发送失败' };

/** The manager's tab: templates and deliveries. */
export default function Messages() {
  const { t, lang } = useI18n();
  const templates = useData<'/api/messages/templates'>('/api/messages/templates', 0);
  const deliveries = useData<'/api/messages/deliveries'>('/api/messages/deliveries?limit=100', 15_000);
  const l = (x: Template['title']) => (lang === 'en' ? x.en : x.zh);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('消息模板')} size="small">
        <Table<Template>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={templates.data?.templates ?? []}
          columns={[
            { title: t('模板'), key: 'title', render: (_: unknown, r) => l(r.title) },
            { title: t('内容'), key: 'text', render: (_: unknown, r) => l(r.text) },
            {
              title: t('参数'),
              key: 'params',
              render: (_: unknown, r) =>
                r.params.map((p) => (
                  <Tag key={p.name}>
                    {`{${p.name}}`} {l(p.label)} ≤{p.maxLength}
                  </Tag>
                )),
            },
            { title: t('短信模板'), dataIndex: 'smsCode' },
            { title: t('微信模板'), dataIndex: 'wechatTemplate' },
          ]}
        />
      </Card>
      <Card title={t('发送记录')} size="small">
        <Table<Delivery>
          rowKey="id"
          size="small"
          dataSource={deliveries.data?.deliveries ?? []}
          columns={[
            { title: t('时间'), key: 'at', render: (_: unknown, r) => dateTime(r.createdAt) },
            { title: t('收件人'), key: 'to', render: (_: unknown, r) => r.userName ?? r.userId },
            { title: t('类型'), key: 'kind', render: (_: unknown, r) => r.template ?? r.kind },
            { title: t('渠道'), key: 'channel', render: (_: unknown, r) => t(CHANNEL_NAMES[r.channel]) },
            {
              title: t('状态'),
              key: 'status',
              render: (_: unknown, r) => (
                <Tag color={STATUS_COLORS[r.status]}>
                  {t(STATUS_NAMES[r.status])}
                  {r.status === 'pending' && r.nextAttemptAt > Date.now() ? ` · ${dateTime(r.nextAttemptAt)}` : ''}
                </Tag>
              ),
            },
            { title: t('尝试次数'), dataIndex: 'attempts' },
            { title: t('错误'), key: 'error', render: (_: unknown, r) => r.lastError ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The resident's choice of channels and quiet hours. */
export function ChannelChoice() {
  const { t } = useI18n();
  const current = useData<'/api/me/channels'>('/api/me/channels', 0);
  const [channels, setChannels] = useState<Channel[]>(['inapp']);
  const [quiet, setQuiet] = useState<Choice['quiet']>(null);
  useEffect(() => {
    const c = current.data?.choice;
    if (c != null) {
      setChannels(c.channels);
      setQuiet(c.quiet);
    }
  }, [current.data]);
  const save = () =>
    perform('PUT', '/api/me/channels', { channels, quiet }, t('保存通知方式')).then(
      () => current.reload(),
      () => undefined,
    );
  return (
    <Card title={t('通知方式')} size="small" style={{ marginTop: 12 }}>
      <Space direction="vertical">
        <Checkbox.Group
          value={channels}
          onChange={(v) => setChannels(v as Channel[])}
          options={(['wechat', 'sms', 'inapp'] as const).map((c) => ({ value: c, label: t(CHANNEL_NAMES[c]) }))}
        />
        <Space>
          <Switch
            checked={quiet !== null}
            onChange={(on) => setQuiet(on ? { from: '22:00', to: '07:00' } : null)}
            aria-label={t('免打扰时段')}
          />
          {t('免打扰时段')}
          {quiet !== null && (
            <>
              <Select
                aria-label={t('开始')}
                value={quiet.from}
                options={TIMES}
                onChange={(from: string) => setQuiet({ ...quiet, from })}
                style={{ width: 90 }}
              />
              –
              <Select
                aria-label={t('结束')}
                value={quiet.to}
                options={TIMES}
                onChange={(to: string) => setQuiet({ ...quiet, to })}
                style={{ width: 90 }}
              />
            </>
          )}
        </Space>
        <Button type="primary" disabled={channels.length === 0} onClick={() => void save()}>
          {t('保存')}
        </Button>
      </Space>
    </Card>
  );
}
