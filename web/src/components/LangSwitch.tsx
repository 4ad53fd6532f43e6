/**
 * The language switch: 中文 / English, remembered in localStorage. Two plain buttons styled like antd's
 * small Segmented (web/src/styles.css `.pb-lang`): it is in the frame of every first screen, where
 * antd's Segmented brought its motion and tooltip code and built its styles on a slow phone's CPU.
 */
import { useI18n, type Lang } from '../i18n';

const LANGS: { lang: Lang; label: string }[] = [
  { lang: 'zh-CN', label: '中文' },
  { lang: 'en', label: 'English' },
];

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div role="group" aria-label={t('语言')} className="pb-lang">
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          lang={l.lang}
          aria-pressed={l.lang === lang}
          className="pb-lang-option"
          onClick={() => setLang(l.lang)}
        >
          {l.label}
        </button>
      ))}
    </div>
  );
}
