import { internalCheck } from '../errors.js';
import { addDays, type LocalDate } from './local-date.js';

/**
 * A period given in calendar days — the applicant's 30 days to answer a 补正 request — counted from
 * the day it was set. By 民法典 第二百零三条 a period whose last day is a rest day (a weekend or a public
 * holiday) ends on the first working day after it: the workflow looks that day up in the calendar
 * (cases/supplement-reply.ts) and the decider takes the answer.
 */
export interface DayPeriod {
  countedFrom: LocalDate;
  days: number;
  /** The day the period ends on: the day the days reach, or the first working day after it. */
  endsOn: LocalDate;
  /**
   * The look-up passed through a year whose holiday arrangement is not loaded, knowing only its
   * weekends and fixed-date holidays, so `endsOn` may still move. Absent in periods looked up before
   * this was recorded.
   */
  provisional?: boolean;
}

/** The day `days` calendar days after `countedFrom`, before any rest day moves it. */
export function dayPeriodReaches(countedFrom: LocalDate, days: number): LocalDate {
  return addDays(countedFrom, days);
}

/**
 * The last day of a period of `days` days set `today`. A case recorded before periods were moved
 * off rest days (`looked` absent) keeps the bare count, so its recorded history decides the same.
 * A looked-up period must be this one: the same days, counted from no later than today (the look-up
 * is an activity; the workflow clock may pass midnight while it runs), ending no earlier than the days reach.
 */
export function dayPeriodEndsOn(today: LocalDate, days: number, looked: DayPeriod | undefined): LocalDate {
  if (!looked) return dayPeriodReaches(today, days);
  if (looked.days !== days || looked.countedFrom > today || looked.endsOn < dayPeriodReaches(looked.countedFrom, days)) {
    throw internalCheck(`the period of ${days} days must be counted from no later than ${today} and end no earlier than the day its days reach`);
  }
  return looked.endsOn;
}
