import { createRequire } from 'node:module';
import { parseLocalDate, yearOf, type LocalDate } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, type WorkingDayCalendar, type YearArrangement } from '../../domain/time/working-days.js';

interface ChineseDaysData {
  /** Days off, each with the holiday it belongs to. */
  holidays: Record<string, string>;
  /** Weekend days that are working days (调休). */
  workdays: Record<string, string>;
}

/** The State Council's arrangements for the years the `chinese-days` package covers. */
export function packagedArrangements(): YearArrangement[] {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const byYear = new Map<number, { holidays: LocalDate[]; makeUpWorkdays: LocalDate[] }>();
  const entry = (year: number) => {
    let found = byYear.get(year);
    if (!found) byYear.set(year, (found = { holidays: [], makeUpWorkdays: [] }));
    return found;
  };
  for (const day of Object.keys(data.holidays)) {
    const date = parseLocalDate(day);
    entry(yearOf(date)).holidays.push(date);
  }
  for (const day of Object.keys(data.workdays)) {
    const date = parseLocalDate(day);
    entry(yearOf(date)).makeUpWorkdays.push(date);
  }
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, days]) => ({ year, holidays: days.holidays.sort(), makeUpWorkdays: days.makeUpWorkdays.sort() }));
}

let packaged: WorkingDayCalendar | undefined;

/** The calendar from packaged data alone; later the admin-loaded years in Postgres are merged in. */
export function packagedCalendar(): WorkingDayCalendar {
  packaged ??= createWorkingDayCalendar(packagedArrangements());
  return packaged;
}
