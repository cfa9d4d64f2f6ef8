import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/cases/actor.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, mergeArrangements, type WorkingDayCalendar, type YearArrangement } from '../../domain/time/working-days.js';
import type { Db } from '../client.js';
import { appendToStream } from '../event-store.js';
import { projectReadModels } from '../projections/index.js';
import { CALENDAR_STREAM, calendarStreamId, type CalendarYearLoadedData } from '../projections/calendar.projection.js';
import { packagedArrangements } from './official-arrangements.js';

/** The years an admin loaded, as arrangements (each replaces the packaged data for its year). */
export async function loadedArrangements(db: Db): Promise<YearArrangement[]> {
  const rows = await db.selectFrom('calendar_years').select(['year', 'holidays', 'make_up_workdays']).orderBy('year').execute();
  return rows.map((r) => ({ year: r.year, holidays: r.holidays.map(parseLocalDate), makeUpWorkdays: r.make_up_workdays.map(parseLocalDate) }));
}

/**
 * The working-day calendar: the packaged State Council data (chinese-days) with the admin-loaded
 * years merged over it. Each call asks Postgres only for the years' revisions and rebuilds the
 * calendar when one changed, so a load made through any API process reaches every worker at once.
 */
export function calendarFromDatabase(db: Db): () => Promise<WorkingDayCalendar> {
  let cached: { fingerprint: string; calendar: WorkingDayCalendar } | undefined;
  return async () => {
    const revisions = await db.selectFrom('calendar_years').select(['year', 'revision']).orderBy('year').execute();
    const fingerprint = revisions.map((r) => `${r.year}:${r.revision}`).join(',');
    if (cached?.fingerprint !== fingerprint) {
      const calendar = createWorkingDayCalendar(mergeArrangements(packagedArrangements(), await loadedArrangements(db)));
      cached = { fingerprint, calendar };
    }
    return cached.calendar;
  };
}

export interface CalendarYearLoad {
  arrangement: YearArrangement;
  note: string;
  actor: Actor;
  /** The revision the admin last saw (0: the year was never loaded); a stale one is refused. */
  expectedRevision?: number;
}

/**
 * Records a year's arrangement as an event on that year's 'calendar' stream (who loaded what, and
 * what it replaced); the calendar_years row is written in the same transaction by its projection.
 */
export async function recordCalendarYear(db: Db, load: CalendarYearLoad, now: () => Date): Promise<{ revision: number }> {
  const { arrangement, note, actor } = load;
  const streamId = calendarStreamId(arrangement.year);
  const head = await db.selectFrom('streams').select('version').where('stream_id', '=', streamId).executeTakeFirst();
  const current = head?.version ?? 0;
  const before = await db.selectFrom('calendar_years').select(['holidays', 'make_up_workdays']).where('year', '=', arrangement.year).executeTakeFirst();
  const packaged = packagedArrangements().find((a) => a.year === arrangement.year);
  const previous: CalendarYearLoadedData['previous'] = before
    ? { source: 'loaded', holidays: before.holidays, makeUpWorkdays: before.make_up_workdays }
    : packaged
      ? { source: 'chinese-days', holidays: [...packaged.holidays], makeUpWorkdays: [...packaged.makeUpWorkdays] }
      : null;
  const data: CalendarYearLoadedData = {
    year: arrangement.year,
    holidays: [...arrangement.holidays],
    makeUpWorkdays: [...arrangement.makeUpWorkdays],
    note,
    loadedBy: { accountId: actor.accountId, displayName: actor.displayName },
    previous,
  };
  const { streamVersion } = await appendToStream(
    db,
    {
      streamId,
      streamType: CALENDAR_STREAM,
      expectedVersion: load.expectedRevision ?? current,
      events: [
        {
          eventId: randomUUID(),
          type: 'CalendarYearLoaded',
          data: data as unknown as Record<string, unknown>,
          metadata: {
            actor: { accountId: actor.accountId, displayName: actor.displayName, role: actor.role, ...(actor.department ? { department: actor.department } : {}) },
            correlationId: streamId,
            causationId: randomUUID(),
          },
        },
      ],
    },
    { now, project: projectReadModels },
  );
  return { revision: streamVersion };
}
