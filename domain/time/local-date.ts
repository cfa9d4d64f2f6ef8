/**
 * Calendar dates in Asia/Shanghai, as ISO strings 'YYYY-MM-DD'.
 *
 * Shanghai has kept UTC+08:00 without daylight saving since 1991, so converting an instant to a
 * Shanghai date is a fixed shift; no time-zone database is needed (and none may be loaded inside
 * workflow code).
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

export const SHANGHAI_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseLocalDate(text: string): LocalDate {
  const match = ISO_DATE.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a date of the form YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`"${text}" is not a real calendar date`);
  }
  return text as LocalDate;
}

export function isLocalDate(text: string): text is LocalDate {
  try {
    parseLocalDate(text);
    return true;
  } catch {
    return false;
  }
}

export function localDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as LocalDate;
}

export function dateParts(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** 2026-12-03 → "2026年12月3日": a date as people read it. */
export function chineseDate(date: LocalDate): string {
  const { year, month, day } = dateParts(date);
  return `${year}年${month}月${day}日`;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtcMidnight(date: LocalDate): number {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMidnight(ms: number): LocalDate {
  const d = new Date(ms);
  return localDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(toUtcMidnight(date) + days * DAY_MS);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtcMidnight(date)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

/**
 * The same day of month `months` months later, clamped to that month's last day:
 * 31 January + 1 month is 28 (or 29) February.
 */
export function addMonthsClamped(date: LocalDate, months: number, dayOfMonth = dateParts(date).day): LocalDate {
  const { year, month } = dateParts(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return localDate(targetYear, targetMonth, Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth)));
}

/** The Shanghai calendar date on which an instant falls. */
export function shanghaiDateOf(instant: Date | number): LocalDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return fromUtcMidnight(Math.floor((ms + SHANGHAI_UTC_OFFSET_MS) / DAY_MS) * DAY_MS);
}

/** 00:00 Shanghai time at the start of a date, as epoch milliseconds. */
export function startOfShanghaiDay(date: LocalDate): number {
  return toUtcMidnight(date) - SHANGHAI_UTC_OFFSET_MS;
}

/** 24:00 Shanghai time at the end of a date (the next day's 00:00), as epoch milliseconds. */
export function endOfShanghaiDay(date: LocalDate): number {
  return startOfShanghaiDay(date) + DAY_MS;
}

/** An instant written in Shanghai local time with its offset: 2026-10-10T00:00:00+08:00. */
export function formatShanghaiInstant(epochMs: number): string {
  const shifted = new Date(epochMs + SHANGHAI_UTC_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

/** An instant as people read it in Shanghai: 2026年1月31日 10:00. */
export function chineseInstant(iso: string): string {
  const at = Date.parse(iso);
  return `${chineseDate(shanghaiDateOf(at))} ${formatShanghaiInstant(at).slice(11, 16)}`;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
