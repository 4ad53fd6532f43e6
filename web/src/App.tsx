/** @module The shell: antd in the chosen language, who is signed in, and which screen their role gets. */
import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { bindUser, clearUser } from './actions';
import { ApiError, get, NetworkError, send } from './api';
import { I18nProvider, useI18n } from './i18n';
import { forgetUser, lastUser, rememberUser } from './offline';
import { Login } from './screens/Login';
import type { Me, Role } from './types';
import { Shell } from './components/Shell';

const SIGNED_IN = 'pb_signed_in';

/** antd's default secondary greys fall below WCAG AA contrast on white; these pass. */
const THEME = {
  token: {
    colorPrimary: '#1f4e79',
    colorLink: '#1f4e79',
    colorError: '#c9141e',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.55)',
  },
};

const GuardScreen = lazy(() => import('./screens/GuardScreen'));
const ResidentScreen = lazy(() => import('./screens/ResidentScreen'));
const ManagerConsole = lazy(() => import('./screens/ManagerConsole'));
const PartnerView = lazy(() => import('./screens/PartnerView'));
const HaulerScreen = lazy(() => import('./screens/Renovation').then((m) => ({ default: m.HaulerScreen })));

function Screen({ me }: { me: Me }) {
  const role: Role = me.role;
  switch (role) {
    case 'guard':
      return <GuardScreen me={me} />;
    case 'resident':
      return <ResidentScreen me={me} />;
    case 'manager':
    case 'committee':
      return <ManagerConsole me={me} />;
    case 'partner':
      // A partner unit without a lot is the construction-waste hauler.
      return me.partnerLotId === null ? <HaulerScreen me={me} /> : <PartnerView me={me} />;
  }
}

function Root() {
  const { lang, t } = useI18n();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('泊车管家');
  }, [lang, t]);
  useEffect(() => {
    // Only ask who is signed in when this browser signed in before, so a first visit makes no 401.
    if (localStorage.getItem(SIGNED_IN) === null) {
      setMe(null);
      return;
    }
    get<Me>('/api/auth/me').then(
      (m) => {
        rememberUser(m);
        bindUser(m.userId);
        setMe(m);
      },
      (e: unknown) => {
        // Offline (a basement, a dead zone): the last-known user carries on with their remembered data.
        const last = e instanceof NetworkError ? lastUser() : null;
        if (last !== null) {
          bindUser(last.userId);
          setMe(last);
          return;
        }
        if (e instanceof ApiError && e.status === 401) localStorage.removeItem(SIGNED_IN);
        setMe(null);
      },
    );
  }, []);
  const signedIn = useCallback((m: Me) => {
    localStorage.setItem(SIGNED_IN, '1');
    rememberUser(m);
    bindUser(m.userId);
    setMe(m);
  }, []);
  const logout = useCallback(() => {
    // What this user queued or read leaves the phone with them, whether or not the server hears of it.
    clearUser();
    if (me) forgetUser(me.userId);
    // Offline the server does not hear of it: the session cookie stays until it expires or the next sign-in.
    void send('POST', '/api/auth/logout')
      .catch(() => undefined)
      .finally(() => {
        localStorage.removeItem(SIGNED_IN);
        setMe(null);
        history.replaceState(null, '', '/');
      });
  }, [me]);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME}>
      {me === undefined ? (
        <Spin aria-label={t('加载中')} style={{ display: 'block', marginTop: 80 }} />
      ) : me === null ? (
        <Login onSignedIn={signedIn} />
      ) : (
        <Shell me={me} onLogout={logout}>
          <Suspense fallback={<Spin aria-label={t('加载中')} style={{ display: 'block', marginTop: 80 }} />}>
            <Screen me={me} />
          </Suspense>
        </Shell>
      )}
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Root />
    </I18nProvider>
  );
}
