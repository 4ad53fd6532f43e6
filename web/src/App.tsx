/** @module The shell: antd in the chosen language, who is signed in, and which screen their role gets. */
import { ConfigProvider } from 'antd';
import { Suspense, useCallback, useEffect, useState } from 'react';
import { bindUser, clearUser } from './actions';
import { ApiError, NetworkError, send } from './api';
import { Shell } from './components/Shell';
import { I18nProvider, useI18n } from './i18n';
import { forgetUser, lastUser, rememberUser } from './offline';
import {
  loadGuardScreen,
  loadLogin,
  loadManagerConsole,
  loadPartnerView,
  loadRenovation,
  loadResidentScreen,
} from './screen-loaders';
import { registerAfterFirstScreen, registerUnderSignIn } from './service-worker';
import { earlyAnswer, SIGNED_IN, whoIsSignedIn } from './session';
import { APP_THEME } from './app-theme';
import type { Me, Role } from './types';
import { lazyPart } from './lazy';
import { ScreenBoundary } from './components/ScreenBoundary';

const GuardScreen = lazyPart(loadGuardScreen);
const ResidentScreen = lazyPart(loadResidentScreen);
const ManagerConsole = lazyPart(loadManagerConsole);
const PartnerView = lazyPart(loadPartnerView);
const HaulerScreen = lazyPart(() => loadRenovation().then((m) => ({ default: m.HaulerScreen })));
// A signed-in phone never needs the sign-in form (antd's Form, Card, Input) to show its first screen.
const Login = lazyPart(() => loadLogin().then((m) => ({ default: m.Login })));

/** Rendered beside a lazy screen: its effect runs once the screen's code is here and on screen. */
function Shown({ onShown }: { onShown: () => void }) {
  useEffect(onShown, [onShown]);
  return null;
}

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

/** The signed-in user's data and queued actions are theirs on this phone from now on. */
function adopt(me: Me): void {
  rememberUser(me);
  bindUser(me.userId);
}

/**
 * The user the entry's question found, if its answer came before the shell started (on a slow phone
 * it usually comes while the shell downloads): adopted before the first render, which then opens on
 * their screen instead of rendering, laying out and painting a spinner first.
 */
function signedInAtStart(): Me | undefined {
  const me = earlyAnswer();
  if (me !== undefined) adopt(me);
  return me;
}

function Root() {
  const { lang, t, antdLocale } = useI18n();
  const [me, setMe] = useState<Me | null | undefined>(signedInAtStart);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('泊车管家');
  }, [lang, t]);
  useEffect(() => {
    // Known at start (signedInAtStart): nothing to ask. Runs once, with the first render's `me`.
    if (me !== undefined) return;
    // Only ask who is signed in when this browser signed in before, so a first visit makes no 401.
    if (localStorage.getItem(SIGNED_IN) === null) {
      setMe(null);
      return;
    }
    // Asked at start by the entry (web/src/main.tsx), so the answer is often here already.
    whoIsSignedIn().then(
      (m) => {
        adopt(m);
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
    adopt(m);
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
  // A named live region with a plain spinner (web/src/styles.css), not antd's Spin: the first thing a
  // phone shows should not wait for antd to build a component's styles.
  const spin = (
    <div role="status" aria-label={t('加载中')} className="pb-loading">
      <span className="pb-spinner" />
    </div>
  );
  return (
    <ConfigProvider locale={antdLocale} theme={APP_THEME}>
      {me === undefined ? (
        spin
      ) : me === null ? (
        <ScreenBoundary t={t}>
          <Suspense fallback={spin}>
            <Login onSignedIn={signedIn} />
            <Shown onShown={registerUnderSignIn} />
          </Suspense>
        </ScreenBoundary>
      ) : (
        <Shell me={me} onLogout={logout}>
          <ScreenBoundary t={t}>
            <Suspense fallback={spin}>
              <Screen me={me} />
              <Shown onShown={registerAfterFirstScreen} />
            </Suspense>
          </ScreenBoundary>
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
