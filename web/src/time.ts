/**
 * @module Times as people in Shanghai read them. Shanghai keeps UTC+8 all year (China has had no
 * daylight saving time since 1991), so hours and days are plain arithmetic: the guard's first screen
 * builds no `Intl.DateTimeFormat`, whose first construction with a time zone loads the zone data
 * (about 300 ms on a phone with a slowed CPU).
 */
const TZ = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `ms` as HH:MM on a clock in Shanghai (00:00–23:59). */
export function hhmm(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

let dateTimeFormat: Intl.DateTimeFormat | null = null;

export function dateTime(ms: number): string {
  dateTimeFormat ??= new Intl.DateTimeFormat('zh-CN', {
    timeZone: TZ,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return dateTimeFormat.format(ms);
}

/** Tomorrow at `time` (HH:MM) in Shanghai, as an ISO string with its +08:00 offset. */
export function tomorrowAt(time: string, now = Date.now()): string {
  const day = new Date(now + SHANGHAI_OFFSET_MS + 24 * 3600_000).toISOString().slice(0, 10);
  return `${day}T${time}:00+08:00`;
}

/** Today in Shanghai, YYYY-MM-DD. */
export function today(now = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
