import { endOfShanghaiDay, formatShanghaiInstant, isLocalDate, type LocalDate } from '../domain/time/local-date.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../domain/time/working-days.js';

const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const INSTANT_HELP = 'an instant with its offset (2026-03-05T10:00:00+08:00 or …Z), or a date 2026-03-05 meaning the end of that day in Shanghai';
/** The same, for people: what the API says when an instant is refused. */
export const INSTANT_HELP_ZH = `应为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年间存在的日期（如 2026-03-05，指当天北京时间 24:00 前），或带时区的时间（如 2026-03-05T10:00:00+08:00）`;

/**
 * The instant an auditor means: an ISO-8601 instant with its offset, or a calendar date meaning
 * the last moment of that day in Asia/Shanghai (so "on 5 March" includes all of 5 March). An
 * instant without an offset is refused: it would be read in whatever zone the server runs in.
 */
export function parseInstant(text: string): Date | undefined {
  // The years the calendars know: the year 0001 had been read as 1901 (Date.UTC's two-digit years), and answered as such.
  const year = Number(text.slice(0, 4));
  if (!(year >= MIN_CALENDAR_YEAR && year < MAX_CALENDAR_YEAR)) return undefined;
  if (isLocalDate(text)) return new Date(endOfShanghaiDay(text as LocalDate) - 1);
  if (!INSTANT_WITH_OFFSET.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** An instant as both UTC and Shanghai time, for reports people read. */
export function describeInstant(at: Date): { utc: string; shanghai: string } {
  return { utc: at.toISOString(), shanghai: formatShanghaiInstant(at.getTime()) };
}
