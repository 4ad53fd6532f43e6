/**
 * @module What a refusal means, in the interface's words: the meaning of its code, with the plates and
 * the place its `details` name, the field and rule of a refused input (web/src/field-rules.ts), and the
 * code itself for whoever helps the user. The server's English message is never shown for a known
 * code: the code's text and details say it, and the message may show internal ids (a task's, a guard's).
 */
import { ApiError, NetworkError } from './api';
import { describeField, describeRule } from './field-rules';
import type { ErrorCode } from './types';

/**
 * Every error code the API documents (src/core/errors.ts and the HTTP edge's), said in Chinese; the
 * English dictionary (web/src/i18n.tsx, web/src/i18n-errors.ts) translates them back. Typed by the
 * generated `ErrorCode`, so a new code without a text fails the type check; test/error-text.test.ts
 * checks the English side.
 */
const CODE_TEXT: Record<ErrorCode, string> = {
  FIRE_LANE: '车位不能设在消防通道上，消防通道必须保持畅通',
  LANE_GAP: '车道的车位编号必须从 0 开始连续',
  DUPLICATE_POSITION: '车位编号重复',
  DUPLICATE_LANE: '车道编号重复',
  EMPTY_LANE: '车道至少要有一个车位',
  BAD_CLOSURE: '停用日期有误',
  POSITION_OCCUPIED: '该车位上有车',
  POSITION_CLOSED: '该车位已停用',
  POSITION_TOO_SMALL: '车位太小',
  LANE_BLOCKED: '车道被挡住',
  NO_KEY_BLOCKING: '没有钥匙的车不能挡住别的车',
  NOT_ON_DUTY: '你现在不在岗',
  NOT_ROSTERED: '不在排班中',
  SWAP_NEEDS_CONSENT: '换班需对方同意',
  KEY_NOT_IN_CABINET: '钥匙不在柜中',
  KEY_HELD_BY_OTHER: '钥匙在另一位保安手中',
  KEY_NEEDS_TASK: '取钥匙需要一个进行中的任务',
  KEY_NOT_CHECKED_OUT: '钥匙没有被取出',
  TASK_NOT_OPEN: '任务已结束',
  TASK_OF_OTHER: '这是另一位保安的任务',
  DEPARTURE_IN_PAST: '离开时间已过',
  BAD_PLATE: '车牌号格式不对',
  CAR_ALREADY_ON_SITE: '这辆车已在小区内',
  CAR_NOT_ON_SITE: '这辆车不在小区内',
  CONSENT_REQUIRED: '需要先同意钥匙托管',
  IMPORT_INVALID: '文件有错误行，未导入',
  HANDOVER_NOT_OPEN: '没有待确认的交接',
  STALE_STATE: '数据已变化，请刷新后重试',
  VALIDATION: '输入有误',
  NOT_FOUND: '找不到',
  FORBIDDEN: '没有权限',
  UNAUTHENTICATED: '请重新登录',
  RENOVATION_RULE: '装修登记不符合规定（施工项目、日期或 08:00–18:00 施工时间）',
  RENOVATION_FORBIDDEN: '禁止的施工项目：承重墙、燃气管道、外墙开洞不得改动',
  RENOVATION_STATE: '装修登记的状态不允许这样操作',
  POINT_FULL: '堆放点已满，请等清运后再放或换一个堆放点',
  COLLECTION_DONE: '这次清运已确认过',
  STRAY_CLEARED: '这处垃圾已清理',
  COMPOUND_EXISTS: '小区编号已存在',
  DUPLICATE_ID: '编号重复',
  DUPLICATE_PLATE: '这个车牌已登记',
  CAR_NOT_AT_GATE: '车还没在门口交给保安',
  KEY_NOT_IN_CUSTODY: '保安没有这把钥匙',
  KEY_ALREADY_IN_CUSTODY: '这把钥匙已由保安保管',
  KEY_EXISTS: '这辆车已有一把托管钥匙',
  KEY_NOT_LOST: '这把钥匙没有挂失',
  BAD_CSV: '文件格式不对：需要带表头的 UTF-8 CSV',
  MISSING_FIELD: '缺少楼号、单元或房号',
  UNKNOWN_UNIT: '楼号或单元不存在',
  BAD_SIZE: '车型应为小型、标准或大型',
  BAD_FLAG: '是/否 一栏填写有误',
  ERASURE_BLOCKED: '保安还保管着这户的车或钥匙，或有未结束的预约，暂不能删除',
  IMPORT_PARTIAL: '导入期间数据有变化，只导入了一部分',
  UNKNOWN_CONSENT_VERSION: '同意书版本不存在',
  CONSENT_ALREADY_GIVEN: '已经同意过',
  CONSENT_NOT_GIVEN: '还没有同意，无法撤回',
  BAD_WINDOW: '访客时间有误（最多 7 天）',
  OVERRIDE_REASON_REQUIRED: '停到非计划车位需要填写原因',
  INVITATION_INVALID: '邀请码无效或已过期',
  PHONE_TAKEN: '这个手机号已被使用',
  IDEMPOTENCY_IN_PROGRESS: '同一操作正在处理中',
  IDEMPOTENCY_KEY_REUSED: '操作编号重复使用',
  INCIDENT_CLOSED: '事件已处理完，不能再加照片',
  RESOLUTION_REQUIRED: '需要填写处理结果',
  BAD_PHOTO: '照片需为 5 MB 以内的 JPEG 或 PNG',
  PHOTO_QUOTA: '照片数量或大小超过上限',
  KEY_NOT_OF_VEHICLE: '这不是这辆车的钥匙',
  OUTSIDE_WINDOW: '不在合作停车场的开放时段内',
  BOOKING_OVERLAP: '这辆车当晚已有预约',
  SPACE_TAKEN: '这个车位当晚已被预约',
  CHARGER_SPACES_FULL: '当晚充电车位已满',
  LOT_FULL: '合作停车场当晚已满',
  BOOKING_SUSPENDED: '超时停车次数过多，暂停预约',
  VALET_NOT_ALLOWED: '车主没有允许保安代停到合作停车场',
  BOOKING_NOT_OPEN: '预约当前不能入场或离场',
  SWAP_NOT_PENDING: '换班申请已处理',
  SIGN_IN_DELAYED: '尝试次数过多，请稍后再试',
  ACCOUNT_LOCKED: '账号已锁定，请联系物业经理',
  ACCOUNT_DISABLED: '账号已停用',
  CROSS_SITE_REQUEST: '请求来源不对',
  WRONG_PASSWORD: '当前密码不对',
  SELF_DISABLE: '不能停用自己的账号',
  CAMERA_REFUSED: '摄像头未登记或密钥不对',
  DECISION_CLOSED: '这条识别已处理',
  BAD_AMOUNT: '金额应为不小于 0 的整数（分）',
  BAD_SIGNATURE: '支付回调签名不对',
  CARD_EXISTS: '这辆车已有月卡',
  BAD_PAUSE: '报停日期有误（最早从明天开始）',
  BILL_EXISTS: '这户本月已出账单',
  CONDITION_NOT_OPEN: '车况记录已确认，不能再加照片',
  BAD_JSON: '请求内容格式不对',
  BAD_REQUEST: '请求有误',
  PAYLOAD_TOO_LARGE: '内容太大',
  UNSUPPORTED_MEDIA_TYPE: '内容类型不支持',
  TOO_MANY_REQUESTS: '请求太频繁，请稍后再试',
  INTERNAL: '服务器出错，请稍后再试',
};

/** Codes about the input itself, said with the field they name and, for `VALIDATION`, the rule it broke. */
const ABOUT_THE_INPUT: ReadonlySet<string> = new Set([
  'VALIDATION',
  'BAD_REQUEST',
  'BAD_JSON',
  'BAD_CSV',
  'IMPORT_INVALID',
  'IMPORT_PARTIAL',
]);

/** "meaning：plate, place, cars in front（code）" or "meaning：field and rule（code）"; the message alone for an unknown code. */
export function describeError(e: unknown, t: (s: string, vars?: Record<string, string | number>) => string): string {
  if (e instanceof NetworkError) return t('等待网络');
  if (e instanceof ApiError) return describeCode(e.code, e.message, t, e.details, e.field);
  return e instanceof Error ? e.message : String(e);
}

const isCode = (code: string): code is ErrorCode => Object.hasOwn(CODE_TEXT, code);

/** The names a refusal's `details` carries (plates, place), in the interface's words. */
function describeDetails(
  details: Readonly<Record<string, unknown>>,
  t: (s: string, vars?: Record<string, string | number>) => string,
): string {
  const parts: string[] = [];
  if (typeof details.plate === 'string') parts.push(details.plate);
  if (typeof details.place === 'string') parts.push(t('位置 {place}', { place: details.place }));
  const blockers = Array.isArray(details.blockers) ? details.blockers.filter((b) => typeof b === 'string') : [];
  if (blockers.length > 0) parts.push(t('前面的车 {cars}', { cars: blockers.join('、') }));
  return parts.join('，');
}

/**
 * The input a refusal is about, in the user's words: "车牌最多 16 个字符", "第 3 行的车牌"; empty where the
 * field is the whole body or file, which the code's text names already.
 */
function describeInput(
  code: ErrorCode,
  field: string | null,
  details: Readonly<Record<string, unknown>> | null,
  t: (s: string, vars?: Record<string, string | number>) => string,
): string {
  if (field === null || field === 'body' || field === 'csv') return '';
  const name = describeField(field, t);
  const rule = code === 'VALIDATION' && details !== null ? describeRule(details, t) : null;
  if (rule !== null) return t('{field}{rule}', { field: name, rule });
  if (code === 'IMPORT_PARTIAL') return t('{field}起未导入', { field: name });
  return name;
}

export function describeCode(
  code: string | null,
  message: string,
  t: (s: string, vars?: Record<string, string | number>) => string,
  details: Readonly<Record<string, unknown>> | null = null,
  field: string | null = null,
): string {
  if (code === null || !isCode(code)) return message;
  const named = ABOUT_THE_INPUT.has(code)
    ? describeInput(code, field, details, t)
    : details === null
      ? ''
      : describeDetails(details, t);
  const text = named === '' ? t(CODE_TEXT[code]) : t('{text}：{plate}', { text: t(CODE_TEXT[code]), plate: named });
  return `${text}（${code}）`;
}
