import { ApplicationFailure } from '@temporalio/common';
import { reviewDeadline } from '../domain/drama-filing/deadline.js';
import type { ReviewDeadline } from '../domain/drama-filing/events.js';
import { parseLocalDate, type LocalDate } from '../domain/time/local-date.js';
import type { WorkingDayCalendar } from '../domain/time/working-days.js';

export interface CalendarActivityDependencies {
  calendar: () => Promise<WorkingDayCalendar>;
}

/**
 * Working-day arithmetic on the calendar data (packaged + admin-loaded years). Workflows never read
 * the calendar: they ask here, and the answer lands in their history, so loading a year later
 * cannot change how a running case replays.
 */
export function createCalendarActivities({ calendar }: CalendarActivityDependencies) {
  return {
    async computeReviewDeadline(input: { startedOn: LocalDate; workingDays: number }): Promise<ReviewDeadline> {
      try {
        return reviewDeadline(await calendar(), parseLocalDate(input.startedOn), input.workingDays);
      } catch (error) {
        // Bad input does not improve on retry; a database hiccup reading the calendar may.
        if (error instanceof RangeError) throw ApplicationFailure.create({ type: 'validation', message: error.message, nonRetryable: true });
        throw error;
      }
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
