/**
 * @module A refused input in the user's words: the field the server names (`body.plate` is 车牌,
 * `csv.row[3].plate` is 第 3 行的车牌) and the rule its value broke, from the `details` the error handler
 * sends with `VALIDATION` (`rule`, `limit`, …; see the Error schema). English comes from the dictionary
 * (web/src/i18n-errors.ts), as for every other text.
 */
import type { components } from './api-schema.gen';

type T = (text: string, vars?: Record<string, string | number>) => string;
type Rule = NonNullable<NonNullable<components['schemas']['Error']['error']['details']>['rule']>;

/** Every rule the Error schema names, so a new one fails the type check until it has words here. */
const RULES: Readonly<Record<Rule, true>> = {
  invalid_type: true,
  too_small: true,
  too_big: true,
  invalid_format: true,
  invalid_value: true,
  not_multiple_of: true,
  unrecognized_keys: true,
  invalid_union: true,
  invalid_key: true,
  invalid_element: true,
  custom: true,
};
const isRule = (rule: unknown): rule is Rule => typeof rule === 'string' && Object.hasOwn(RULES, rule);

/** The rule part of a refusal's `details`, read without trusting it. */
interface RuleDetails {
  rule: Rule;
  limit?: number;
  inclusive?: boolean;
  origin?: string;
  expected?: string;
  format?: string;
  values?: string[];
}

function ruleDetails(d: Readonly<Record<string, unknown>>): RuleDetails | null {
  if (!isRule(d.rule)) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: RuleDetails = { rule: d.rule };
  if (typeof d.limit === 'number') out.limit = d.limit;
  if (typeof d.inclusive === 'boolean') out.inclusive = d.inclusive;
  if (str(d.origin) !== undefined) out.origin = str(d.origin);
  if (str(d.expected) !== undefined) out.expected = str(d.expected);
  if (str(d.format) !== undefined) out.format = str(d.format);
  if (Array.isArray(d.values)) out.values = d.values.filter((v): v is string => typeof v === 'string');
  return out;
}

/** The API's field names as the people who fill them in say them. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  plate: '车牌',
  license: '车牌',
  phone: '手机号',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  code: '邀请码',
  name: '名称',
  title: '标题',
  description: '说明',
  notes: '备注',
  reason: '原因',
  overrideReason: '原因',
  resolution: '处理结果',
  time: '时间',
  at: '时间',
  from: '开始时间',
  to: '结束时间',
  until: '截止时间',
  weekdays: '星期',
  night: '日期',
  building: '楼号',
  unit: '单元',
  room: '房号',
  size: '车型',
  ev: '新能源',
  keyConsent: '钥匙托管同意',
  tag: '钥匙编号',
  tags: '钥匙编号',
  keysCounted: '清点钥匙数',
  carsCounted: '清点车辆数',
  positionId: '车位',
  laneId: '车道',
  photos: '照片',
  photo: '照片',
  csv: '文件',
  row: '这一行',
  body: '请求内容',
};

/** A field name's words, or the name itself where the app has none. */
export function fieldWord(name: string, t: T): string {
  const word = FIELD_WORDS[name];
  return word === undefined ? name : t(word);
}

/** `body.plate` → 车牌; `csv.row[3].plate` → 第 3 行的车牌; `body.lanes[2].id` → lanes[2].id (no words for it). */
export function describeField(field: string, t: T): string {
  const row = /^csv\.row\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (row !== null) {
    const n = Number(row[1]);
    return row[2] === undefined || row[2] === 'row'
      ? t('第 {n} 行', { n })
      : t('第 {n} 行的{field}', { n, field: fieldWord(row[2], t) });
  }
  const path = field.replace(/^(body|query|params|headers)\./, '');
  const last = /(\w+)$/.exec(path)?.[1];
  return last !== undefined && FIELD_WORDS[last] !== undefined ? fieldWord(last, t) : path;
}

/** What `limit` counts for a measure of `origin`: characters of a text, items of a list. */
function measured(details: RuleDetails): { n: number; unit: 'chars' | 'items' | 'number' } | null {
  if (details.limit === undefined) return null;
  const unit =
    details.origin === 'string' ? 'chars' : details.origin === 'array' || details.origin === 'set' ? 'items' : 'number';
  return { n: details.limit, unit };
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是或否',
  array: '列表',
  object: '一组内容',
  date: '日期格式',
};

/** The rule a `VALIDATION` refusal's `details` names, as a predicate of the field: "最多 16 个字符", "应为整数"; null if none. */
export function describeRule(raw: Readonly<Record<string, unknown>>, t: T): string | null {
  const details = ruleDetails(raw);
  if (details === null) return null;
  const m = measured(details);
  switch (details.rule) {
    case 'too_small':
      if (m === null) return t('太小');
      if (m.unit === 'chars') return m.n <= 1 ? t('不能为空') : t('至少 {n} 个字符', { n: m.n });
      if (m.unit === 'items') return m.n <= 1 ? t('至少要有一项') : t('至少 {n} 项', { n: m.n });
      return details.inclusive === false ? t('必须大于 {n}', { n: m.n }) : t('不能小于 {n}', { n: m.n });
    case 'too_big':
      if (m === null) return t('太大');
      if (m.unit === 'chars') return t('最多 {n} 个字符', { n: m.n });
      if (m.unit === 'items') return t('最多 {n} 项', { n: m.n });
      return details.inclusive === false ? t('必须小于 {n}', { n: m.n }) : t('不能大于 {n}', { n: m.n });
    case 'invalid_type': {
      const word = details.expected === undefined ? undefined : TYPE_WORDS[details.expected];
      return word === undefined ? t('类型不对') : t('应为{type}', { type: t(word) });
    }
    case 'invalid_format':
      return details.format === 'email' ? t('应为电子邮件地址') : t('格式不对');
    case 'invalid_value':
      return details.values === undefined || details.values.length === 0
        ? t('取值不对')
        : t('应为以下之一：{values}', { values: details.values.join('、') });
    case 'not_multiple_of':
      return m === null ? t('取值不对') : t('应为 {n} 的倍数', { n: m.n });
    case 'unrecognized_keys':
      return t('含有不认识的内容');
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return t('不符合要求');
  }
}
