import { localDate, type LocalDate } from './local-date.js';

/**
 * The holidays that 《全国年节及纪念日放假办法》 (as revised by 国务院令第 795 号, in force from
 * 2025-01-01), art. 2, fixes by calendar date, so they are known before the State Council publishes a
 * year's arrangement: 元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct.
 *
 * Left out on purpose, because only the published arrangement settles them: 春节, 清明节, 端午节
 * and 中秋节 (lunar calendar / solar term), the extra days the arrangement adds around a holiday,
 * the weekday given in place of a holiday that falls on a weekend (补假), and make-up working days (调休).
 */
export const FIXED_DATE_HOLIDAYS: readonly { name: string; month: number; days: readonly number[] }[] = [
  { name: '元旦', month: 1, days: [1] },
  { name: '劳动节', month: 5, days: [1, 2] },
  { name: '国庆节', month: 10, days: [1, 2, 3] },
];

/** Earlier years had other fixed dates (劳动节 was one day); those years are in the packaged data anyway. */
export const FIXED_DATE_HOLIDAYS_SINCE = 2025;

/**
 * The fixed-date holidays of a year, in order: what the provisional calendar rests on besides
 * weekends for a year whose arrangement is not loaded. None before the revision took effect.
 */
export function fixedDateHolidaysOf(year: number): LocalDate[] {
  if (year < FIXED_DATE_HOLIDAYS_SINCE) return [];
  return FIXED_DATE_HOLIDAYS.flatMap(({ month, days }) => days.map((day) => localDate(year, month, day)));
}
