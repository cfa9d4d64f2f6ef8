import type { PlannedEvent, ProjectionPlan, ProjectionPlanner } from '../event-store.js';

/** Calendar loads are events too: one stream per year, so the record shows who loaded what, and when. */
export const CALENDAR_STREAM = 'calendar';

export const calendarStreamId = (year: number) => `calendar-${year}`;

export interface CalendarActorRef {
  accountId: string;
  displayName: string;
}

export interface CalendarYearLoadedData {
  year: number;
  holidays: string[];
  makeUpWorkdays: string[];
  note: string;
  /** Who entered the arrangement: the administrator who proposed it (or loaded it, before proposals). */
  loadedBy: CalendarActorRef;
  /** What the load replaced: an earlier load, the packaged data, or nothing (a provisional year). */
  previous: { source: 'loaded' | 'chinese-days'; holidays: string[]; makeUpWorkdays: string[] } | null;
  /** The year's revision: its loads counted (absent on loads recorded before proposals, where it is the stream's version). */
  revision?: number;
  /** Since proposals: the proposal approved, the notice it follows (国务院办公厅通知, 文号) and the second administrator. */
  proposalId?: string;
  source?: string;
  approvedBy?: CalendarActorRef;
}

/** One administrator proposes a year's arrangement; it takes effect only when a different one approves it. */
export interface CalendarChangeProposedData {
  proposalId: string;
  year: number;
  holidays: string[];
  makeUpWorkdays: string[];
  note: string;
  /** The State Council's notice it follows: title and 文号, as the proposer typed them. */
  source: string;
  /** The revision the proposal was made on: approved over another, it is stale. */
  baseRevision: number;
  proposedBy: CalendarActorRef;
}

/** Approved: followed, in the same append, by the CalendarYearLoaded it makes. */
export interface CalendarChangeApprovedData {
  proposalId: string;
  year: number;
  revision: number;
  proposedBy: CalendarActorRef;
  approvedBy: CalendarActorRef;
}

/** CalendarChangeRefused (by another administrator) or CalendarChangeWithdrawn (by the proposer), with the reason. */
export interface CalendarChangeDecidedData {
  proposalId: string;
  year: number;
  proposedBy: CalendarActorRef;
  reason: string;
  refusedBy?: CalendarActorRef;
  withdrawnBy?: CalendarActorRef;
}

/** The calendar_years row of the year, at its last load (proposals and their ends write nothing). */
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
      // Loads before proposals were the stream's only events: their version is their revision.
      revision: d.revision ?? event.streamVersion,
      loaded_by_account_id: d.loadedBy.accountId,
      loaded_by_name: d.loadedBy.displayName,
      loaded_at: event.recordedAt,
    };
    return { op: 'upsert' as const, table: 'calendar_years', key: ['year'], rows: [values] };
  });
  return { writes, after: undefined };
}
