import { endOfShanghaiDay, startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import { nthWorkingDayAfter, workingDayOnOrAfter, type WorkingDayCalendar } from '../time/working-days.js';

export const DEFAULT_PUBLICITY_WORKING_DAYS = 5;

/** A 公示 window as the case records it; computed by an activity from the calendar, so it is in history. */
export interface PublicityWindow {
  workingDays: number;
  publishedOn: LocalDate;
  /** The first working day of the window: the day of publication when that is a working day. */
  firstDay: LocalDate;
  lastWorkingDay: LocalDate;
  /** ISO instant: 00:00 Shanghai on the day of publication; objections are taken from then. */
  opensAt: string;
  /** ISO instant: 24:00 Shanghai at the end of `lastWorkingDay`. */
  endsAt: string;
  provisional: boolean;
}

/**
 * "公示 N 个工作日" counts the day of publication itself when it is a working day, as notices read
 * ("公示期：9月29日至10月10日"): the public has that whole day to read and object. Published on a
 * day off, the count starts on the next working day. The window ends at 24:00 on its last working day.
 */
export function publicityWindow(calendar: WorkingDayCalendar, publishedOn: LocalDate, workingDays = DEFAULT_PUBLICITY_WORKING_DAYS): PublicityWindow {
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 30) {
    throw new RangeError(`a 公示 lasts from 1 to 30 working days, got ${workingDays}`);
  }
  const first = workingDayOnOrAfter(calendar, publishedOn);
  const last = workingDays === 1 ? { value: first.value, provisional: false } : nthWorkingDayAfter(calendar, first.value, workingDays - 1);
  return {
    workingDays,
    publishedOn,
    firstDay: first.value,
    lastWorkingDay: last.value,
    opensAt: new Date(startOfShanghaiDay(publishedOn)).toISOString(),
    endsAt: new Date(endOfShanghaiDay(last.value)).toISOString(),
    provisional: first.provisional || last.provisional,
  };
}
