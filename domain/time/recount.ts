import type { RecomputeReason } from '../cases/calendar-load.js';
import { yearOf, type LocalDate } from './local-date.js';

/**
 * Which counts of working days are counted again when an administrator loads a year's holiday
 * arrangement, and what a new count may change. One rule for every deadline a case keeps (a step's
 * 承诺时限, a filing's review, a completeness window, a 补正's reply day).
 *
 * A count is counted again when it is provisional (it reached a year not loaded), or when it was
 * counted through the loaded year on an arrangement that year had before: the load corrects it (a
 * make-up day entered by mistake, a holiday left out). A count that touches the year only at its
 * edges is counted again too: the count itself says whether anything moved.
 *
 * A correction moves a final day later, never earlier. The day was announced to the applicant and
 * set for the official; a correction that takes a day away would put a step in breach, or an
 * applicant out of time, on a day that has already been promised. A provisional day moves either
 * way when the year it reached into is published, as it always has: it was announced as
 * provisional for that year, not for the corrected one.
 */

/** The part of a count the rule reads: the day counting starts after, its last day, and whether it is provisional. */
export interface CountedSpan {
  startedOn: LocalDate;
  lastWorkingDay: LocalDate;
  provisional: boolean;
}

/** Whether the count ran through `year`: from the year it started in to the year of its last day. */
export function countedThrough(span: Pick<CountedSpan, 'startedOn' | 'lastWorkingDay'>, year: number): boolean {
  return yearOf(span.startedOn) <= year && year <= yearOf(span.lastWorkingDay);
}

/**
 * Whether the load `reason` describes counts `span` again. `corrections` is false for a case that
 * ran before corrections were counted (RECOUNT_CORRECTIONS_PATCH, workflows/case.workflow.ts): it counts
 * provisional spans only.
 */
export function recountDue(span: CountedSpan, reason: Pick<RecomputeReason, 'calendarYear'>, corrections = false): boolean {
  return span.provisional || (corrections && countedThrough(span, reason.calendarYear));
}

/**
 * Whether the new count may replace the old one. A provisional day follows the publication of the
 * year it reached into (the last year of the count); a final day, or a provisional one whose
 * uncertain year is not the one loaded (`loadedYear`, given for a case that counts corrections), only
 * gives way to a later one: a correction of an earlier year takes no day from what was announced.
 */
export function recountReplaces(previous: Pick<CountedSpan, 'lastWorkingDay' | 'provisional'>, recounted: Pick<CountedSpan, 'lastWorkingDay'>, loadedYear?: number): boolean {
  const followsThisLoad = previous.provisional && (loadedYear === undefined || loadedYear >= yearOf(previous.lastWorkingDay));
  return followsThisLoad || recounted.lastWorkingDay > previous.lastWorkingDay;
}
