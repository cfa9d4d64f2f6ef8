import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { clearCountInFlight, noteCountInFlight } from '../db/calendar/counts-in-flight.js';
import type { Db } from '../db/client.js';
import type { WorkingDayCalendar } from '../domain/time/working-days.js';

/** The workflow whose activity is running, if one is. */
function runningFor(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
}

/**
 * The calendar as the worker's activities read it: each read by a case's activity is noted first
 * (db/calendar/counts-in-flight.ts), and the note is cleared after the case's next append, so that
 * a year loaded in between still reaches the case. `recorded` is called after an append.
 */
export function calendarWithCountsInFlight(db: Db, calendar: () => Promise<WorkingDayCalendar>) {
  /** The note this process wrote last for each case, until the case records (an append on another worker leaves it to the next load). */
  const noted = new Map<string, string>();
  return {
    async calendar(): Promise<WorkingDayCalendar> {
      const workflowId = runningFor();
      if (workflowId !== undefined) {
        const token = randomUUID();
        await noteCountInFlight(db, workflowId, token);
        noted.set(workflowId, token);
      }
      return calendar();
    },
    /**
     * Clears the case's note once its append is committed, without holding the append's answer back:
     * the case goes on as soon as its events are recorded (a test that finds an event in the store
     * and then asks the case finds it there too). A note left behind, by a failed clear or an append
     * on another worker, only has the next load signal the case once more.
     */
    recorded(): void {
      const workflowId = runningFor();
      const token = workflowId === undefined ? undefined : noted.get(workflowId);
      if (workflowId === undefined || token === undefined) return;
      if (noted.get(workflowId) === token) noted.delete(workflowId);
      clearCountInFlight(db, workflowId, token).catch(() => {});
    },
  };
}
