import { daysBetween, shanghaiDateOf, yearOf, type LocalDate } from '../../domain/time/local-date.js';
import { workingDaysBetween, type WorkingDayCalendar } from '../../domain/time/working-days.js';
import type { Counting } from '../../domain/time/deadline-counting.js';

/** How long is left until a deadline, as the UI shows it (剩余 N 个工作日 / 剩余 N 天 / 已超期). */
export interface Countdown {
  /** Which of the figures below the page shows. */
  counting: Counting;
  today: LocalDate;
  /** The last day on which the work may be done (the deadline is 24:00 Shanghai at its end). */
  dueOn: LocalDate;
  /**
   * Working days after today up to and including the due day, as a time limit counts them (the day
   * it starts is not counted): a 2-working-day filing has 2 left on the day it is filed, 1 the next
   * working day, and 0 on the due day itself (今日到期, until 24:00).
   */
  workingDaysLeft: number;
  calendarDaysLeft: number;
  /** The deadline has passed: working days since it, counted after the due day up to today. */
  breached: boolean;
  workingDaysOverdue: number;
  /** Days since the due day, once breached. */
  calendarDaysOverdue: number;
  /** Counted in working days through a year with no holiday arrangement loaded, or a last day that may still move: provisional. */
  provisional: boolean;
}

/** The Shanghai date whose end (24:00) is the instant `at`: a deadline instant back to its due day. */
export function dueDayOf(at: Date | string): LocalDate {
  return shanghaiDateOf(new Date(at).getTime() - 1);
}

/**
 * The day of a case's next date: a deadline is 24:00 at the end of its day (dueDayOf); a payout is
 * issued at the start of its own day (00:00 Shanghai), which is that day — not the one before.
 */
export function nextDayOf(at: Date | string, counting: Counting): LocalDate {
  return counting === 'payout-date' ? shanghaiDateOf(new Date(at).getTime()) : dueDayOf(at);
}

/** Countdown.workingDaysLeft, for lists that have the due day but not a whole countdown. */
export function workingDaysLeft(calendar: WorkingDayCalendar, today: LocalDate, dueOn: LocalDate): number {
  return workingDaysBetween(calendar, today, dueOn);
}

export function countdown(calendar: WorkingDayCalendar, now: Date, dueOn: LocalDate, provisional = false, counting: Counting = 'working-days'): Countdown {
  const today = shanghaiDateOf(now);
  // A payout's day is a date by the award's schedule, not a time limit: nothing counts down to it, nobody breaches it, and no holiday arrangement moves it.
  if (counting === 'payout-date') {
    return { counting, today, dueOn, workingDaysLeft: 0, calendarDaysLeft: Math.max(0, daysBetween(today, dueOn)), breached: false, workingDaysOverdue: 0, calendarDaysOverdue: 0, provisional: false };
  }
  const breached = dueOn < today;
  let unofficial = false;
  const [from, to] = breached ? [dueOn, today] : [today, dueOn];
  for (let year = yearOf(from); year <= yearOf(to); year++) unofficial ||= !calendar.isOfficialYear(year);
  return {
    counting,
    today,
    dueOn,
    workingDaysLeft: breached ? 0 : workingDaysLeft(calendar, today, dueOn),
    calendarDaysLeft: Math.max(0, daysBetween(today, dueOn)),
    breached,
    workingDaysOverdue: breached ? workingDaysBetween(calendar, dueOn, today) : 0,
    calendarDaysOverdue: breached ? daysBetween(dueOn, today) : 0,
    // A count of days does not depend on the holiday arrangement; its last day, moved off a rest day, may (the caller says so).
    provisional: counting === 'working-days' ? provisional || (!breached && unofficial) : provisional && !breached,
  };
}
