import { endOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import { workingDayDeadline, type WorkingDayCalendar } from '../time/working-days.js';
import type { ReviewDeadline } from './events.js';

/** "Within N working days" of a (re)submission made on `startedOn`, as the case records it. */
export function reviewDeadline(calendar: WorkingDayCalendar, startedOn: LocalDate, workingDays: number): ReviewDeadline {
  const { lastWorkingDay, provisional } = workingDayDeadline(calendar, startedOn, workingDays);
  return { workingDays, startedOn, lastWorkingDay, deadlineAt: new Date(endOfShanghaiDay(lastWorkingDay)).toISOString(), provisional };
}

export function sameDeadline(a: ReviewDeadline, b: ReviewDeadline): boolean {
  return a.lastWorkingDay === b.lastWorkingDay && a.deadlineAt === b.deadlineAt && a.provisional === b.provisional && a.workingDays === b.workingDays && a.startedOn === b.startedOn;
}
