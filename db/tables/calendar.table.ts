import type { Generated, JSONColumnType } from 'kysely';

/** A year's holiday arrangement loaded by an admin (read model of that year's 'calendar' stream). */
export interface CalendarYearsTable {
  year: number;
  /** 'YYYY-MM-DD' days off (weekdays and weekend days inside holiday periods). */
  holidays: JSONColumnType<string[]>;
  /** 'YYYY-MM-DD' weekend days that are working days (调休). */
  make_up_workdays: JSONColumnType<string[]>;
  note: string;
  /** The year's loads counted: 1 for the first, +1 for each override (proposals on the stream do not count). */
  revision: number;
  loaded_by_account_id: string;
  loaded_by_name: string;
  loaded_at: Date;
}

/** A case's count read from the calendar and not yet recorded (db/calendar/counts-in-flight.ts). */
export interface CalendarCountsInFlightTable {
  /** The case's workflow, as a load signals it. */
  workflow_id: string;
  /** Which read: the row is cleared only by the record of the count that wrote it. */
  token: string;
  since: Generated<Date>;
}
