/** @module Times as people in Shanghai read them. */
const TZ = 'Asia/Shanghai';

export function hhmm(ms: number): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false }).format(
    ms,
  );
}

export function dateTime(ms: number): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: TZ,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(ms);
}

/** Tomorrow at `time` (HH:MM) in Shanghai, as an ISO string with its +08:00 offset. */
export function tomorrowAt(time: string, now = Date.now()): string {
  const day = new Date(now + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10);
  return `${day}T${time}:00+08:00`;
}

/** Today in Shanghai, YYYY-MM-DD. */
export function today(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}
