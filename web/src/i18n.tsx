/**
 * @module The interface's words. Chinese (zh-CN) is the language the strings are written in and the
 * default; the English dictionary (web/src/i18n-en.ts) maps each one to English and is loaded only
 * when English is chosen, so the first screen of a phone in Chinese never waits for it. The choice is
 * kept in localStorage.
 */
import type { ConfigProviderProps } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type * as English from './i18n-en';

export type Lang = 'zh-CN' | 'en';

/** antd's own texts (pagination, date pickers, modals) in a language. */
type AntdLocale = ConfigProviderProps['locale'];

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (text: string, vars?: Record<string, string | number>) => string;
  /** antd's texts in `lang`, for the ConfigProvider. */
  antdLocale: AntdLocale;
}

const STORAGE = 'pb_lang';

/** The English dictionary once loaded; null before (Chinese needs none). */
let english: typeof English | null = null;

export function initialLang(): Lang {
  return localStorage.getItem(STORAGE) === 'en' ? 'en' : 'zh-CN';
}

/**
 * Loads what `lang` needs before it is shown: nothing for Chinese, the English dictionary once. The
 * app awaits it before its first render, so a phone set to English never shows a Chinese frame.
 */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (lang === 'en' && english === null) english = await import('./i18n-en');
}

export function translate(lang: Lang, text: string, vars?: Record<string, string | number>): string {
  const s = lang === 'en' ? (english?.EN[text] ?? text) : text;
  return vars === undefined ? s : s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

const Ctx = createContext<I18n>({ lang: 'zh-CN', setLang: () => {}, t: (s) => s, antdLocale: zhCN });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    // The switch takes effect once the language's words are here; if they cannot load, it stays.
    loadLanguage(l).then(
      () => {
        localStorage.setItem(STORAGE, l);
        document.documentElement.lang = l;
        setLangState(l);
      },
      () => undefined,
    );
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (text, vars) => translate(lang, text, vars),
      antdLocale: lang === 'en' ? english?.ANTD_EN : zhCN,
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
