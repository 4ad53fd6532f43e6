/** Sign-in with phone and password. */
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, NetworkError, send } from '../api';
import { LangSwitch } from '../components/LangSwitch';
import { describeError } from '../errors';
import { useI18n } from '../i18n';
import type { Me, Reply } from '../types';

export function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { phone: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await send<Reply<'/api/auth/login', 'post'>>('POST', '/api/auth/login', {
        phone: v.phone,
        password: v.password,
      });
      onSignedIn(r.user);
    } catch (e) {
      // At sign-in, "sign in first" means the phone or the password is wrong.
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') setError(t('手机号或密码不对'));
      else if (e instanceof ApiError || e instanceof NetworkError) setError(describeError(e, t));
      else setError(t('登录失败'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="pb-login">
      <div className="pb-login-lang">
        <LangSwitch />
      </div>
      <Card title={<h1 className="pb-title">{t('泊车管家')}</h1>}>
        <Form
          layout="vertical"
          onFinish={(v: { phone: string; password: string }) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item
            label={t('手机号')}
            name="phone"
            rules={[{ required: true, pattern: /^1\d{10}$/, message: t('请输入11位手机号') }]}
          >
            <Input inputMode="tel" autoComplete="username" size="large" />
          </Form.Item>
          <Form.Item label={t('密码')} name="password" rules={[{ required: true, message: t('请输入密码') }]}>
            <Input.Password autoComplete="current-password" size="large" />
          </Form.Item>
          {error !== null && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t('登录')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
