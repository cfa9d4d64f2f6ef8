import { addDays, dateParts, endOfShanghaiDay, isWeekend, yearOf, type LocalDate } from './local-date.js';

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
 * arrangement is counted on weekends only, and every answer that touches it is provisional.
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
  return {
    isWorkingDay(date) {
      const known = byYear.get(yearOf(date));
      if (known?.makeUp.has(date)) return true;
      if (known?.holidays.has(date)) return false;
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
