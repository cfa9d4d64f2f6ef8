import { SHANGHAI_UTC_OFFSET_MS } from '../time/local-date.js';

/** A Shanghai wall-clock minute, as people enter it: 2026-09-20T09:00 or 2026-09-20 09:00. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

/** The instant of a Shanghai date-time (no daylight saving in China: always UTC+8). Throws RangeError on a date that does not exist. */
export function parseShanghaiDateTime(text: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) throw new RangeError(`${text} is not a date-time written YYYY-MM-DDTHH:mm`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    throw new RangeError(`${text} is not a real date-time`);
  }
  return utc - SHANGHAI_UTC_OFFSET_MS;
}

export function isShanghaiDateTime(text: string): boolean {
  try {
    parseShanghaiDateTime(text);
    return true;
  } catch {
    return false;
  }
}

/** An instant as the applicant reads it, in Chinese: 2026年9月20日 09:00 (Shanghai time). */
export function chineseMinute(epochMs: number): string {
  const shifted = new Date(epochMs + SHANGHAI_UTC_OFFSET_MS).toISOString();
  return `${Number(shifted.slice(0, 4))}年${Number(shifted.slice(5, 7))}月${Number(shifted.slice(8, 10))}日 ${shifted.slice(11, 16)}`;
}

/** An instant in Shanghai as a form's date-time field holds it: 2026-09-20 09:00. */
export function formatShanghaiMinute(epochMs: number): string {
  const shifted = new Date(epochMs + SHANGHAI_UTC_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}
