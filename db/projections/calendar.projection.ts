import type { PlannedEvent, ProjectionPlan, ProjectionPlanner } from '../event-store.js';

/** Calendar loads are events too: one stream per year, so the record shows who loaded what, and when. */
export const CALENDAR_STREAM = 'calendar';

export const calendarStreamId = (year: number) => `calendar-${year}`;

export interface CalendarYearLoadedData {
  year: number;
  holidays: string[];
  makeUpWorkdays: string[];
  note: string;
  loadedBy: { accountId: string; displayName: string };
  /** What the load replaced: an earlier load, the packaged data, or nothing (a provisional year). */
  previous: { source: 'loaded' | 'chinese-days'; holidays: string[]; makeUpWorkdays: string[] } | null;
}

/** The calendar_years row of the year, at the revision of its stream's last event. */
export const calendarPlanner: ProjectionPlanner = {
  load: async () => undefined,
  plan: (_streamType, _before, events) => planCalendar(events),
};

function planCalendar(events: readonly PlannedEvent[]): ProjectionPlan {
  // One write per load: two loads of a year in one batch must not meet in one upsert.
  const writes = events.filter((event) => event.type === 'CalendarYearLoaded').map((event) => {
    const d = event.data as unknown as CalendarYearLoadedData;
    const values = {
      year: d.year,
      holidays: d.holidays,
      make_up_workdays: d.makeUpWorkdays,
      note: d.note,
      revision: event.streamVersion,
      loaded_by_account_id: d.loadedBy.accountId,
      loaded_by_name: d.loadedBy.displayName,
      loaded_at: event.recordedAt,
    };
    return { op: 'upsert' as const, table: 'calendar_years', key: ['year'], rows: [values] };
  });
  return { writes, after: undefined };
}
