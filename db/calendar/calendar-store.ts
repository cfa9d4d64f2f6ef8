import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/cases/actor.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, mergeArrangements, type WorkingDayCalendar, type YearArrangement } from '../../domain/time/working-days.js';
import type { Db } from '../client.js';
import { appendToStream, readStream } from '../event-store.js';
import { projectReadModels } from '../projections/index.js';
import {
  CALENDAR_STREAM,
  calendarStreamId,
  type CalendarActorRef,
  type CalendarChangeApprovedData,
  type CalendarChangeDecidedData,
  type CalendarChangeProposedData,
  type CalendarYearLoadedData,
} from '../projections/calendar.projection.js';
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
  /**
   * The proposal a second administrator approved (`actor`): the stream records the approval, then the
   * load, in one append. Absent for a load of the system's own (no person proposes it).
   */
  approval?: { proposalId: string; source: string; proposedBy: CalendarActorRef };
}

/** The loaded revision of a year (0: never loaded) and the version of its stream, which proposals advance too. */
async function yearHead(db: Db, year: number): Promise<{ revision: number; streamVersion: number }> {
  const streamVersion = (await db.selectFrom('streams').select('version').where('stream_id', '=', calendarStreamId(year)).executeTakeFirst())?.version ?? 0;
  const revision = (await db.selectFrom('calendar_years').select('revision').where('year', '=', year).executeTakeFirst())?.revision ?? 0;
  return { revision, streamVersion };
}

/** Said when the revision the administrator saw is no longer the year's (another load came between). */
export class StaleCalendarRevision extends Error {
  constructor(
    readonly actualRevision: number,
    readonly expectedRevision: number,
  ) {
    super(`calendar revision is ${actualRevision}, expected ${expectedRevision}`);
  }
}

/** Appends a year's events decided by one person (or the system), at the stream version the decision was made on. */
async function appendToYear(db: Db, year: number, events: readonly { type: string; data: object }[], actor: Actor, expectedVersion: number, now: () => Date): Promise<void> {
  const streamId = calendarStreamId(year);
  const metadata = {
    actor: { accountId: actor.accountId, displayName: actor.displayName, role: actor.role, ...(actor.department ? { department: actor.department } : {}) },
    correlationId: streamId,
  };
  await appendToStream(
    db,
    {
      streamId,
      streamType: CALENDAR_STREAM,
      expectedVersion,
      events: events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, metadata: { ...metadata, causationId: randomUUID() } })),
    },
    { now, project: projectReadModels },
  );
}

/**
 * Records a year's arrangement as an event on that year's 'calendar' stream (who loaded what, and
 * what it replaced); the calendar_years row is written in the same transaction by its projection.
 * The revision counts the loads of the year (1 for the first): proposals on the stream do not move it.
 */
export async function recordCalendarYear(db: Db, load: CalendarYearLoad, now: () => Date): Promise<{ revision: number }> {
  const { arrangement, note, actor } = load;
  // The stream's version is read first: a load recorded in between fails the append.
  const head = await yearHead(db, arrangement.year);
  if (load.expectedRevision !== undefined && load.expectedRevision !== head.revision) throw new StaleCalendarRevision(head.revision, load.expectedRevision);
  const before = await db.selectFrom('calendar_years').select(['holidays', 'make_up_workdays']).where('year', '=', arrangement.year).executeTakeFirst();
  const packaged = packagedArrangements().find((a) => a.year === arrangement.year);
  const previous: CalendarYearLoadedData['previous'] = before
    ? { source: 'loaded', holidays: before.holidays, makeUpWorkdays: before.make_up_workdays }
    : packaged
      ? { source: 'chinese-days', holidays: [...packaged.holidays], makeUpWorkdays: [...packaged.makeUpWorkdays] }
      : null;
  const revision = head.revision + 1;
  const { approval } = load;
  const data: CalendarYearLoadedData = {
    year: arrangement.year,
    holidays: [...arrangement.holidays],
    makeUpWorkdays: [...arrangement.makeUpWorkdays],
    note,
    loadedBy: approval ? approval.proposedBy : { accountId: actor.accountId, displayName: actor.displayName },
    previous,
    revision,
    ...(approval ? { proposalId: approval.proposalId, source: approval.source, approvedBy: { accountId: actor.accountId, displayName: actor.displayName } } : {}),
  };
  const approved: CalendarChangeApprovedData | undefined = approval
    ? { proposalId: approval.proposalId, year: arrangement.year, revision, proposedBy: approval.proposedBy, approvedBy: { accountId: actor.accountId, displayName: actor.displayName } }
    : undefined;
  const events = [
    ...(approved ? [{ type: 'CalendarChangeApproved', data: approved }] : []),
    { type: 'CalendarYearLoaded', data },
  ];
  await appendToYear(db, arrangement.year, events, actor, head.streamVersion, now);
  return { revision };
}

/** A proposal as its events tell it: waiting, or how it ended. */
export interface CalendarProposal extends CalendarChangeProposedData {
  proposedAt: Date;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  decidedBy: CalendarActorRef | null;
  decidedAt: Date | null;
  reason: string | null;
}

/** The proposals of a year, oldest first, from its stream. */
export async function proposalsOf(db: Db, year: number): Promise<CalendarProposal[]> {
  const proposals = new Map<string, CalendarProposal>();
  for (const event of await readStream(db, calendarStreamId(year))) {
    const d = event.data as unknown as CalendarChangeDecidedData & CalendarChangeProposedData;
    if (event.type === 'CalendarChangeProposed') {
      proposals.set(d.proposalId, { ...d, proposedAt: event.recordedAt, status: 'pending', decidedBy: null, decidedAt: null, reason: null });
      continue;
    }
    const proposal = proposals.get(d.proposalId);
    if (!proposal) continue;
    const decidedBy = (event.data as { approvedBy?: CalendarActorRef }).approvedBy ?? d.refusedBy ?? d.withdrawnBy ?? null;
    if (event.type === 'CalendarChangeApproved') Object.assign(proposal, { status: 'approved', decidedBy, decidedAt: event.recordedAt });
    if (event.type === 'CalendarChangeRefused') Object.assign(proposal, { status: 'refused', decidedBy, decidedAt: event.recordedAt, reason: d.reason ?? null });
    if (event.type === 'CalendarChangeWithdrawn') Object.assign(proposal, { status: 'withdrawn', decidedBy, decidedAt: event.recordedAt, reason: d.reason ?? null });
  }
  return [...proposals.values()];
}

/** The years with a proposal waiting for a second administrator, and each proposal. */
export async function pendingProposals(db: Db): Promise<CalendarProposal[]> {
  const streams = await db.selectFrom('streams').select('stream_id').where('stream_type', '=', CALENDAR_STREAM).orderBy('stream_id').execute();
  const years = streams.map((s) => Number(s.stream_id.slice('calendar-'.length))).filter(Number.isInteger);
  const all = await Promise.all(years.map((year) => proposalsOf(db, year)));
  return all.flat().filter((p) => p.status === 'pending');
}

/**
 * An administrator proposes a year's arrangement: an event on the year's stream, nothing else. The
 * calendar and every deadline stay as they are until a different administrator approves it.
 * `expectedVersion` is the stream's version the caller checked (no proposal waiting) against.
 */
export async function recordCalendarProposal(db: Db, input: { proposal: CalendarChangeProposedData; actor: Actor; expectedVersion: number }, now: () => Date): Promise<void> {
  await appendToYear(db, input.proposal.year, [{ type: 'CalendarChangeProposed', data: input.proposal }], input.actor, input.expectedVersion, now);
}

/** A waiting proposal refused by another administrator, or withdrawn by its proposer: with the reason. */
export async function recordCalendarProposalEnd(
  db: Db,
  input: { year: number; proposalId: string; proposedBy: CalendarActorRef; actor: Actor; reason: string; withdrawn: boolean; expectedVersion: number },
  now: () => Date,
): Promise<void> {
  const by = { accountId: input.actor.accountId, displayName: input.actor.displayName };
  const data: CalendarChangeDecidedData = { proposalId: input.proposalId, year: input.year, proposedBy: input.proposedBy, reason: input.reason, ...(input.withdrawn ? { withdrawnBy: by } : { refusedBy: by }) };
  await appendToYear(db, input.year, [{ type: input.withdrawn ? 'CalendarChangeWithdrawn' : 'CalendarChangeRefused', data }], input.actor, input.expectedVersion, now);
}

/** The version of a year's stream (proposals included), for an append decided on what was read. */
export async function calendarStreamVersion(db: Db, year: number): Promise<number> {
  return (await yearHead(db, year)).streamVersion;
}

/** The revision of a year's arrangement: how many times it was loaded (0: never). */
export async function calendarRevision(db: Db, year: number): Promise<number> {
  return (await yearHead(db, year)).revision;
}
