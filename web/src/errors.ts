/**
 * @module What a refusal means, in the interface's words. The server's message (English, naming the
 * field and the rule) is kept beside it, so nothing the server said is hidden.
 */
import { ApiError, NetworkError } from './api';

/** Error codes of src/core/errors.ts, said in Chinese; the English dictionary translates them back. */
const CODE_TEXT: Record<string, string> = {
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
};

/** "meaning（server's message）", or the server's message alone for a code without a text. */
export function describeError(e: unknown, t: (s: string) => string): string {
  if (e instanceof NetworkError) return t('等待网络');
  if (e instanceof ApiError) return describeCode(e.code, e.message, t);
  return e instanceof Error ? e.message : String(e);
}

export function describeCode(code: string | null, message: string, t: (s: string) => string): string {
  const text = code === null ? undefined : CODE_TEXT[code];
  return text === undefined ? message : `${t(text)}（${code}: ${message}）`;
}
