/**
 * @module The interface's words. Chinese (zh-CN) is the language the strings are written in and the
 * default; `EN` maps each one to English. The choice is kept in localStorage.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh-CN' | 'en';

const EN: Record<string, string> = {
  泊车管家: 'Parking Butler',
  登录: 'Sign in',
  退出: 'Sign out',
  手机号: 'Phone',
  密码: 'Password',
  请输入11位手机号: 'Enter an 11-digit phone number',
  请输入密码: 'Enter the password',
  登录失败: 'Sign-in failed',
  语言: 'Language',
  加载中: 'Loading',
  加载失败: 'Could not load',
  重试: 'Retry',
  关闭: 'Dismiss',
  操作记录: 'Actions',
  等待网络: 'waiting for network',
  已完成: 'done',
  失败: 'failed',
  第: 'attempt',
  次尝试: '',
  // guard
  当前班次: 'Current shift',
  搭档: 'Partner',
  在岗: 'On duty',
  未在岗: 'Not on duty',
  你现在不在岗: 'You are not on duty: only the two guards on duty can act',
  任务: 'Tasks',
  没有任务: 'No tasks',
  停车: 'Park',
  移车: 'Move',
  送到门口: 'Deliver to gate',
  大门: 'Gate',
  开始: 'Start',
  钥匙已取: 'Key taken',
  完成: 'Done',
  无法完成: 'Cannot do it',
  原因: 'Reason',
  请说明原因: 'Say why',
  提交: 'Submit',
  取消: 'Cancel',
  门口登记: 'Gate check-in',
  车牌号: 'Plate',
  '例如 沪A12345': 'e.g. 沪A12345',
  登记: 'Check in',
  建议车位: 'Proposed position',
  理由: 'Reason',
  已生成停车任务: 'A park task was queued',
  没有空位: 'No free position',
  钥匙: 'Keys',
  柜中: 'in cabinet',
  在保安手中: 'with a guard',
  遗失: 'lost',
  在居民手中: 'with resident',
  取出: 'Check out',
  归还: 'Return',
  交接班: 'Hand-over',
  清点钥匙数: 'Keys counted',
  清点车辆数: 'Cars counted',
  发起交接: 'Open hand-over',
  确认接班: 'Confirm and take over',
  系统应有: 'Expected',
  交出方清点: 'Outgoing count',
  不一致: 'Mismatch',
  报警: 'Alarms',
  没有报警: 'No alarms',
  '钥匙 {tag} 已取出 {m} 分钟': 'Key {tag} out for {m} min',
  车场地图: 'Lot map',
  '{n} 个任务': '{n} tasks',
  到期: 'due',
  到达停车: 'arrival',
  送车: 'delivery',
  让路移车: 'relocation',
  提前挪位: 'pre-staging',
  夜间整理: 'night re-sort',
  充电轮换: 'charging swap',
  改停: 'override',
  更正: 'correction',
  // map
  可直接离开: 'Free to leave',
  被挡: 'Blocked',
  即将离开: 'Leaving soon',
  充电中: 'Charging',
  停用车位: 'Closed',
  空位: 'Empty',
  有车: 'Occupied',
  充电桩: 'Charger',
  挡住所选车辆: 'Blocks the selected car',
  车位: 'Position',
  开口端: 'open end',
  '车位 {id}': 'Position {id}',
  所选车辆: 'Selected car',
  被以下车辆挡住: 'Blocked by',
  // resident
  我的车: 'My cars',
  没有登记的车辆: 'No registered car',
  位置: 'Where',
  不在小区: 'Away',
  在门口: 'At the gate',
  在合作停车场: 'At the partner lot',
  未被挡: 'Not blocked',
  '被 {n} 辆车挡住': 'Blocked by {n} cars',
  预计可开走: 'Ready at',
  下次离开: 'Next departure',
  未设置: 'not set',
  设置离开时间: 'Set a departure',
  明天: 'Tomorrow at',
  每周固定: 'Standing (weekdays)',
  现在要车: 'Now',
  时间: 'Time',
  星期: 'Weekdays',
  保存: 'Save',
  '已设置，预计 {t} 可开走': 'Saved: ready at {t}',
  记录: 'History',
  钥匙托管同意: 'Key-custody consent',
  已同意: 'Given',
  未同意: 'Not given',
  同意托管备用钥匙: 'Consent to key custody',
  撤回同意: 'Withdraw consent',
  周一: 'Mon',
  周二: 'Tue',
  周三: 'Wed',
  周四: 'Thu',
  周五: 'Fri',
  周六: 'Sat',
  周日: 'Sun',
  // manager
  管理台: 'Console',
  实时看板: 'Live board',
  车场布局: 'Layout',
  住户与车辆: 'Residents & cars',
  排班: 'Roster',
  报表: 'Reports',
  账本校验: 'Ledger',
  在场车辆: 'Cars on site',
  在岗保安: 'Guards on duty',
  未处理报警: 'Open alarms',
  待办任务: 'Open tasks',
  车辆: 'Car',
  类型: 'Kind',
  状态: 'Status',
  保安: 'Guard',
  起点: 'From',
  终点: 'To',
  排队: 'queued',
  进行中: 'started',
  车道: 'Lane',
  名称: 'Name',
  区域: 'Area',
  通行: 'Access',
  单端: 'one end',
  两端: 'both ends',
  车位数: 'Positions',
  '充电功率 kW': 'Charger kW',
  最大车型: 'Max size',
  小型: 'small',
  标准: 'standard',
  大型: 'large',
  停用: 'Closures',
  停用原因: 'Closure reason',
  停用起: 'Closed from',
  停用止: 'Closed until',
  增加车位: 'Add position',
  删除末位: 'Remove last',
  保存车道: 'Save lane',
  已保存: 'Saved',
  选择车道: 'Choose a lane',
  新车道: 'New lane',
  消防通道: 'Fire lanes',
  导入CSV: 'Import CSV',
  试运行: 'Dry run',
  正式导入: 'Apply',
  行: 'Row',
  问题: 'Issues',
  '共 {rows} 行，{ok} 行无误，{bad} 行有误': '{rows} rows, {ok} ok, {bad} bad',
  已导入: 'Imported',
  选择文件: 'Choose a file',
  日期: 'Day',
  班次: 'Shift',
  设为在岗: 'Put on duty',
  设为离岗: 'Take off duty',
  谁持有: 'Held by',
  超时: 'Overdue',
  校验账本: 'Verify the ledger',
  校验通过: 'The ledger verifies',
  校验失败: 'The ledger does not verify',
  事件数: 'Events',
  回放一致: 'Replay matches state',
  回放不一致: 'Replay differs from state',
  各区域占用: 'Occupancy by area',
  钥匙状态: 'Keys by custody',
  任务类型: 'Open tasks by kind',
  '历史报表（每晚服务车辆、移车、等待）需要服务端提供统计接口，目前尚无。':
    'Nightly history (cars served, relocations, waits) needs a statistics route on the server; there is none yet.',
  合作单位: 'Partner',
  '合作停车场接口尚未提供，此页暂不可用。': 'The partner-lot API does not exist yet; this page is not available.',
  居委: 'Committee',
  '只读数据：': 'Read-only figures:',
};

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (text: string, vars?: Record<string, string | number>) => string;
}

const STORAGE = 'pb_lang';

export function initialLang(): Lang {
  return localStorage.getItem(STORAGE) === 'en' ? 'en' : 'zh-CN';
}

export function translate(lang: Lang, text: string, vars?: Record<string, string | number>): string {
  const s = lang === 'en' ? (EN[text] ?? text) : text;
  return vars === undefined ? s : s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

const Ctx = createContext<I18n>({ lang: 'zh-CN', setLang: () => {}, t: (s) => s });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (text, vars) => translate(lang, text, vars) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
