import { addDays, daysBetween, shanghaiDateOf, yearOf, type LocalDate } from '../../domain/time/local-date.js';
import { workingDaysBetween, type WorkingDayCalendar } from '../../domain/time/working-days.js';

/** How long is left until a deadline, in working days, as the UI shows it (剩余 N 个工作日 / 已超期). */
export interface Countdown {
  today: LocalDate;
  /** The last day on which the work may be done (the deadline is 24:00 Shanghai at its end). */
  dueOn: LocalDate;
  /** Working days from today (counted while it is a working day) to the due day: 1 on a working due day itself. */
  workingDaysLeft: number;
  calendarDaysLeft: number;
  /** The deadline has passed: working days since it, counted after the due day up to today. */
  breached: boolean;
  workingDaysOverdue: number;
  /** A year between today and the due day has no holiday arrangement loaded: weekends only. */
  provisional: boolean;
}

/** The Shanghai date whose end (24:00) is the instant `at`: a deadline instant back to its due day. */
export function dueDayOf(at: Date | string): LocalDate {
  return shanghaiDateOf(new Date(at).getTime() - 1);
}

export function countdown(calendar: WorkingDayCalendar, now: Date, dueOn: LocalDate, provisional = false): Countdown {
  const today = shanghaiDateOf(now);
  const breached = dueOn < today;
  let unofficial = false;
  const [from, to] = breached ? [dueOn, today] : [today, dueOn];
  for (let year = yearOf(from); year <= yearOf(to); year++) unofficial ||= !calendar.isOfficialYear(year);
  return {
    today,
    dueOn,
    workingDaysLeft: breached ? 0 : workingDaysBetween(calendar, addDays(today, -1), dueOn),
    calendarDaysLeft: Math.max(0, daysBetween(today, dueOn)),
    breached,
    workingDaysOverdue: breached ? workingDaysBetween(calendar, dueOn, today) : 0,
    provisional: provisional || (!breached && unofficial),
  };
}
