/** The frame around every screen: the compound, who is signed in, the language switch, sign-out. */
import { Button } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import type { Me } from '../types';
import { ActionList } from './ActionList';
import { LangSwitch } from './LangSwitch';

const ROLE: Record<Me['role'], string> = {
  manager: '管理台',
  guard: '保安',
  resident: '我的车',
  partner: '合作单位',
  committee: '居委',
};

export function Shell({ me, onLogout, children }: { me: Me; onLogout: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="pb-shell">
      <header className="pb-header">
        <span className="pb-brand">{t('泊车管家')}</span>
        <span className="pb-who">
          {me.name} · {t(ROLE[me.role])}
        </span>
        <LangSwitch />
        <Button size="small" onClick={onLogout}>
          {t('退出')}
        </Button>
      </header>
      <main className="pb-main">
        <ActionList />
        {children}
      </main>
    </div>
  );
}
