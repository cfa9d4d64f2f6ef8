import type { Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { StoredEvent } from '../event-store.js';

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
export async function projectCalendar(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  for (const event of events) {
    if (event.type !== 'CalendarYearLoaded') continue;
    const d = event.data as unknown as CalendarYearLoadedData;
    const values = {
      year: d.year,
      holidays: JSON.stringify(d.holidays),
      make_up_workdays: JSON.stringify(d.makeUpWorkdays),
      note: d.note,
      revision: event.streamVersion,
      loaded_by_account_id: d.loadedBy.accountId,
      loaded_by_name: d.loadedBy.displayName,
      loaded_at: event.recordedAt,
    };
    await trx.insertInto('calendar_years').values(values).onConflict((oc) => oc.column('year').doUpdateSet(values)).execute();
  }
}
