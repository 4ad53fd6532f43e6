/**
 * @module Message templates for the residents' channels. A WeChat template message (模板消息) and an
 * SMS template (短信模板) are registered with their gateway beforehand; what is sent is the template's
 * id and the values of its named parameters, each within the gateway's length (a WeChat `thing`
 * keyword holds 20 characters, an SMS variable 35, one SMS segment 70 Chinese characters). So a
 * templated notification stores the template id and its parameters, and its feed text is rendered
 * from the same template here: one text, in zh-CN (en for reference), for all three channels.
 */
import { DomainError } from '../core/errors.js';

export const TEMPLATE_IDS = ['car.ready', 'departure.staged', 'bill.issued', 'visitor.arrived', 'key.overdue'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** An SMS segment: 70 Chinese characters, the gateway's signature (【…】) included. */
export const SMS_SEGMENT_CHARS = 70;
/** What the gateway adds to each SMS: the signature 【停车管家】. */
export const SMS_SIGNATURE_CHARS = 6;

export interface TemplateParam {
  name: string;
  label: { zh: string; en: string };
  /** The longest value the gateways take; longer values are cut with "…". */
  maxLength: number;
}

export interface MessageTemplate {
  id: TemplateId;
  title: { zh: string; en: string };
  /** The text with `{name}` placeholders. */
  text: { zh: string; en: string };
  params: TemplateParam[];
  /** The codes under which the template is registered with the gateways (the gateway maps them). */
  smsCode: string;
  wechatTemplate: string;
}

const p = (name: string, zh: string, en: string, maxLength = 20): TemplateParam => ({
  name,
  label: { zh, en },
  maxLength,
});

export const MESSAGE_TEMPLATES: Record<TemplateId, MessageTemplate> = {
  'car.ready': {
    id: 'car.ready',
    title: { zh: '您的车已备好', en: 'Your car is ready' },
    text: { zh: '您的车{plate}已送到{place}，请取车。', en: 'Your car {plate} is waiting at {place}.' },
    params: [p('plate', '车牌', 'Plate', 8), p('place', '地点', 'Place')],
    smsCode: 'PB_CAR_READY',
    wechatTemplate: 'pb-car-ready',
  },
  'departure.staged': {
    id: 'departure.staged',
    title: { zh: '出发前已挪车', en: 'Car moved for your departure' },
    text: {
      zh: '您的车{plate}已挪到{place}，{time}出发无需等候。',
      en: 'Your car {plate} now stands at {place}, ready for {time}.',
    },
    params: [p('plate', '车牌', 'Plate', 8), p('place', '位置', 'Position'), p('time', '出发时间', 'Departure', 5)],
    smsCode: 'PB_DEPARTURE_STAGED',
    wechatTemplate: 'pb-departure-staged',
  },
  'bill.issued': {
    id: 'bill.issued',
    title: { zh: '停车费账单', en: 'Parking bill' },
    text: {
      zh: '{month}停车费账单¥{amount}，请于{due}前缴纳。',
      en: 'Parking bill for {month}: ¥{amount}, due by {due}.',
    },
    params: [p('month', '月份', 'Month', 7), p('amount', '金额', 'Amount', 12), p('due', '缴费期限', 'Due', 10)],
    smsCode: 'PB_BILL_ISSUED',
    wechatTemplate: 'pb-bill-issued',
  },
  'visitor.arrived': {
    id: 'visitor.arrived',
    title: { zh: '访客已到达', en: 'Your visitor arrived' },
    text: {
      zh: '访客车辆{plate}已入场，可停至{until}。',
      en: 'Visitor car {plate} has entered; it may stay until {until}.',
    },
    params: [p('plate', '车牌', 'Plate', 8), p('until', '截止时间', 'Until', 11)],
    smsCode: 'PB_VISITOR_ARRIVED',
    wechatTemplate: 'pb-visitor-arrived',
  },
  'key.overdue': {
    id: 'key.overdue',
    title: { zh: '钥匙超时未归还', en: 'Key overdue' },
    text: {
      zh: '钥匙{key}已取出{minutes}分钟，超过{limit}分钟，请归还钥匙柜。',
      en: 'Key {key} has been out {minutes} minutes, past the {limit}-minute limit.',
    },
    params: [p('key', '钥匙', 'Key'), p('minutes', '分钟', 'Minutes', 5), p('limit', '时限', 'Limit', 5)],
    smsCode: 'PB_KEY_OVERDUE',
    wechatTemplate: 'pb-key-overdue',
  },
};

export type TemplateParams = Record<string, string>;

/** Cuts a value to `max` characters (code points), the last one "…". */
export function fit(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** The template's parameters, each within its length; a missing or unknown one is a programming error. */
export function checkParams(id: TemplateId, params: TemplateParams): TemplateParams {
  const t = MESSAGE_TEMPLATES[id];
  const out: TemplateParams = {};
  for (const param of t.params) {
    const v = params[param.name];
    if (v === undefined)
      throw new DomainError('VALIDATION', `params.${param.name}: template ${id} needs it`, {
        field: `params.${param.name}`,
      });
    out[param.name] = fit(v, param.maxLength);
  }
  for (const name of Object.keys(params))
    if (!t.params.some((x) => x.name === name))
      throw new DomainError('VALIDATION', `params.${name}: template ${id} has no such parameter`, {
        field: `params.${name}`,
      });
  return out;
}

/** The title and text of a template with its parameters, in a language. */
export function render(
  id: TemplateId,
  params: TemplateParams,
  lang: 'zh' | 'en' = 'zh',
): { title: string; body: string } {
  const t = MESSAGE_TEMPLATES[id];
  const fitted = checkParams(id, params);
  return { title: t.title[lang], body: t.text[lang].replace(/\{(\w+)\}/g, (_, name: string) => fitted[name] ?? '') };
}

/** What `notify` takes for a templated message: the template, its fitted parameters and the rendered zh-CN text. */
export function message(
  id: TemplateId,
  params: TemplateParams,
): { template: { id: TemplateId; params: TemplateParams }; title: string; body: string } {
  return { template: { id, params: checkParams(id, params) }, ...render(id, params) };
}
