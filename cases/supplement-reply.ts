import { dayPeriodReaches, type DayPeriod } from '../domain/time/day-periods.js';
import { addDays, shanghaiDateOf } from '../domain/time/local-date.js';
import type { DecisionSupport } from './case-module.js';

/**
 * A 补正 reply period that reaches a rest day ends on the next working day (民法典 第二百零三条).
 * Cases that requested a 补正 before this change replay without the look-up and keep the bare count.
 */
export const SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH = 'supplement-reply-on-working-day';

/**
 * For a 补正 request: the reply period of `days` days from today, its last day looked up in the
 * calendar (the first working day on or after the day the days reach). Undefined when replaying a
 * history recorded before the change.
 */
export async function supplementReplyPeriod(days: number, ask: DecisionSupport): Promise<{ supplementReply?: DayPeriod }> {
  if (!ask.patched(SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH)) return {};
  const countedFrom = shanghaiDateOf(ask.now());
  // The first working day after the day before the days reach: that day itself when it is a working day.
  const window = await ask.lookups.computeWorkingDayWindow({ startedOn: addDays(dayPeriodReaches(countedFrom, days), -1), workingDays: 1 });
  return { supplementReply: { countedFrom, days, endsOn: window.lastWorkingDay } };
}
