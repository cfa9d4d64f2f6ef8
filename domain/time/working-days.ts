import { validationError, type FieldIssue } from '../errors.js';
import { FIXED_DATE_HOLIDAYS, FIXED_DATE_HOLIDAYS_SINCE, fixedDateHolidaysOf } from './fixed-date-holidays.js';
import { addDays, chineseDate, dateParts, dayOfWeek, endOfShanghaiDay, isLocalDate, isWeekend, localDate, yearOf, type LocalDate } from './local-date.js';

/**
 * The State Council's holiday arrangement for one year: the days off that fall on weekdays or
 * within a holiday period, and the make-up working days (调休) that fall on weekends.
 */
export interface YearArrangement {
  year: number;
  /** Days that are not working days although they may be Monday–Friday. */
  holidays: readonly LocalDate[];
  /** Weekend days that are working days (调休). */
  makeUpWorkdays: readonly LocalDate[];
}

/**
 * Working-day calendar built from the arrangements that are known. A year without a loaded
 * arrangement is counted on weekends and the fixed-date statutory holidays only (元旦, 劳动节,
 * 国庆节: see fixed-date-holidays.ts), and every answer that touches it is provisional. Once the
 * year's arrangement is loaded it alone decides that year.
 */
export interface WorkingDayCalendar {
  isWorkingDay(date: LocalDate): boolean;
  /** Whether the year's official arrangement is loaded. */
  isOfficialYear(year: number): boolean;
  arrangement(year: number): YearArrangement | undefined;
}

export function createWorkingDayCalendar(arrangements: readonly YearArrangement[]): WorkingDayCalendar {
  const byYear = new Map<number, { arrangement: YearArrangement; holidays: Set<string>; makeUp: Set<string> }>();
  for (const arrangement of arrangements) {
    byYear.set(arrangement.year, {
      arrangement,
      holidays: new Set(arrangement.holidays),
      makeUp: new Set(arrangement.makeUpWorkdays),
    });
  }
  const provisionalHolidays = new Map<number, Set<string>>();
  const provisionalHolidaysOf = (year: number) => {
    let days = provisionalHolidays.get(year);
    if (!days) provisionalHolidays.set(year, (days = new Set(fixedDateHolidaysOf(year))));
    return days;
  };
  return {
    isWorkingDay(date) {
      const year = yearOf(date);
      const known = byYear.get(year);
      if (!known) return !isWeekend(date) && !provisionalHolidaysOf(year).has(date);
      if (known.makeUp.has(date)) return true;
      if (known.holidays.has(date)) return false;
      return !isWeekend(date);
    },
    isOfficialYear: (year) => byYear.has(year),
    arrangement: (year) => byYear.get(year)?.arrangement,
  };
}

export interface DatedAnswer<T> {
  value: T;
  /** True when a year whose arrangement is not loaded was consulted to reach the answer. */
  provisional: boolean;
}

/** The given date if it is a working day, otherwise the next working day after it. */
export function workingDayOnOrAfter(calendar: WorkingDayCalendar, date: LocalDate): DatedAnswer<LocalDate> {
  let day = date;
  let provisional = !calendar.isOfficialYear(yearOf(day));
  while (!calendar.isWorkingDay(day)) {
    day = addDays(day, 1);
    provisional ||= !calendar.isOfficialYear(yearOf(day));
  }
  return { value: day, provisional };
}

/**
 * The N-th working day after `start`, counting from the first working day after it
 * ("within N working days" of a submission made on `start`).
 */
export function nthWorkingDayAfter(calendar: WorkingDayCalendar, start: LocalDate, n: number): DatedAnswer<LocalDate> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working-day count must be a positive integer, got ${n}`);
  let day = start;
  let counted = 0;
  let provisional = false;
  while (counted < n) {
    day = addDays(day, 1);
    provisional ||= !calendar.isOfficialYear(yearOf(day));
    if (calendar.isWorkingDay(day)) counted += 1;
  }
  return { value: day, provisional };
}

export interface WorkingDayDeadline {
  /** The last working day on which the work may be done. */
  lastWorkingDay: LocalDate;
  /** 24:00 Shanghai time at the end of that day, epoch milliseconds. */
  deadlineMs: number;
  provisional: boolean;
}

export function workingDayDeadline(calendar: WorkingDayCalendar, submittedOn: LocalDate, workingDays: number): WorkingDayDeadline {
  const { value, provisional } = nthWorkingDayAfter(calendar, submittedOn, workingDays);
  return { lastWorkingDay: value, deadlineMs: endOfShanghaiDay(value), provisional };
}

export function monthOf(date: LocalDate): string {
  const { year, month } = dateParts(date);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The arrangements of `base` with each year of `overrides` replacing that year whole. */
export function mergeArrangements(base: readonly YearArrangement[], overrides: readonly YearArrangement[]): YearArrangement[] {
  const byYear = new Map<number, YearArrangement>(base.map((a) => [a.year, a]));
  for (const arrangement of overrides) byYear.set(arrangement.year, arrangement);
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/**
 * Working days after `from` up to and including `to`: a review decided on the 2nd working day
 * after its submission took 2 working days; one decided on the day of submission took 0.
 */
export function workingDaysBetween(calendar: WorkingDayCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (calendar.isWorkingDay(day)) count += 1;
  }
  return count;
}

/** Every day of a year that is not a working day (ordinary weekends included), in order. */
export function nonWorkingDaysOf(calendar: WorkingDayCalendar, year: number): LocalDate[] {
  const days: LocalDate[] = [];
  for (let day = localDate(year, 1, 1); yearOf(day) === year; day = addDays(day, 1)) {
    if (!calendar.isWorkingDay(day)) days.push(day);
  }
  return days;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAY_NAMES_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/**
 * An arrangement as an admin enters it, checked: real dates within its year, no date twice, make-up
 * working days on weekends only, and at least one day off. Returns it with both lists sorted.
 */
export function checkYearArrangement(input: { year: number; holidays: readonly string[]; makeUpWorkdays: readonly string[] }): YearArrangement {
  const { year } = input;
  const issues: FieldIssue[] = [];
  if (!Number.isInteger(year) || year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) {
    throw validationError(
      { code: 'calendar-year-out-of-range', zh: `年份须为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR} 之间的整数，填写的是 ${year}。`, en: `the year must be a whole number from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR}, got ${year}`, params: { year } },
      [{ field: 'year', message: `须为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR} 之间的整数`, code: 'calendar-year-out-of-range', english: `${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}` }],
    );
  }
  const checkList = (field: 'holidays' | 'makeUpWorkdays', values: readonly string[]): LocalDate[] => {
    const seen = new Set<string>();
    const dates: LocalDate[] = [];
    values.forEach((value, index) => {
      const where = `${field}.${index}`;
      if (!isLocalDate(value)) {
        return void issues.push({ field: where, message: `“${value}”不是真实存在的日期（写作“年-月-日”，如 2027-01-01）`, code: 'not-a-date', english: `"${value}" is not a real date written YYYY-MM-DD` });
      }
      const date = value as LocalDate;
      if (yearOf(date) !== year) return void issues.push({ field: where, message: `${chineseDate(date)}不在 ${year} 年`, code: 'other-year', english: `${date} is not in ${year}` });
      if (seen.has(date)) return void issues.push({ field: where, message: `${chineseDate(date)}重复填写`, code: 'listed-twice', english: `${date} is listed twice` });
      seen.add(date);
      if (field === 'makeUpWorkdays' && !isWeekend(date)) {
        return void issues.push({
          field: where,
          message: `${chineseDate(date)}是${WEEKDAY_NAMES_ZH[dayOfWeek(date)]}：调休上班日只能是星期六或星期日`,
          code: 'make-up-day-on-weekday',
          english: `${date} is a ${WEEKDAY_NAMES[dayOfWeek(date)]}; make-up working days (调休) fall on a Saturday or Sunday`,
        });
      }
      dates.push(date);
    });
    return dates.sort();
  };
  const holidays = checkList('holidays', input.holidays);
  const makeUpWorkdays = checkList('makeUpWorkdays', input.makeUpWorkdays);
  if (input.holidays.length === 0) issues.push({ field: 'holidays', message: '请至少填写一天放假日', code: 'holidays-required', english: 'list at least one day off' });
  // The days the law fixes by date are off in every year's arrangement: one left out is a mistake, not a choice.
  for (const { name, month, days } of year >= FIXED_DATE_HOLIDAYS_SINCE ? FIXED_DATE_HOLIDAYS : []) {
    const missing = days.map((day) => localDate(year, month, day)).filter((date) => !holidays.includes(date));
    if (missing.length === 0) continue;
    issues.push({
      field: 'holidays',
      message: `缺少${name}${missing.map(chineseDate).join('、')}：《全国年节及纪念日放假办法》规定这${missing.length === 1 ? '一天' : '几天'}放假`,
      code: 'statutory-holiday-missing',
      english: `${missing.join(', ')} (${name}) must be days off: the national holidays regulation fixes them`,
    });
  }
  const both = makeUpWorkdays.filter((d) => holidays.includes(d));
  if (both.length > 0) {
    issues.push({ field: 'makeUpWorkdays', message: `同一天不能既放假又调休上班：${both.map(chineseDate).join('、')}`, code: 'both-lists', english: `a day cannot be both a day off and a make-up working day: ${both.join(', ')}` });
  }
  if (issues.length > 0) {
    throw validationError(
      {
        code: 'calendar-arrangement-invalid',
        zh: `${year} 年的放假安排有 ${issues.length} 处需要修改：${issues.map((i) => i.message).join('；')}。`,
        en: `the ${year} arrangement is not valid: ${issues.map((i) => `${i.field}: ${i.english}`).join('; ')}`,
        params: { year },
      },
      issues,
    );
  }
  return { year, holidays, makeUpWorkdays };
}

export const MIN_CALENDAR_YEAR = 1990;
export const MAX_CALENDAR_YEAR = 2200;
