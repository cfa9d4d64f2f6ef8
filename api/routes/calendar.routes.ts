import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { RecomputeReason } from '../../domain/cases/calendar-load.js';
import { DRAMA_FILING_TYPE_NAMES } from '../../domain/drama-filing/terms.js';
import { validationError } from '../../domain/errors.js';
import { formatShanghaiInstant, parseLocalDate, shanghaiDateOf } from '../../domain/time/local-date.js';
import { recountReplaces } from '../../domain/time/recount.js';
import {
  checkYearArrangement,
  createWorkingDayCalendar,
  MAX_CALENDAR_YEAR,
  mergeArrangements,
  MIN_CALENDAR_YEAR,
  nonWorkingDaysOf,
  workingDayDeadline,
  type WorkingDayCalendar,
} from '../../domain/time/working-days.js';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import {
  calendarRevision,
  calendarStreamVersion,
  loadedArrangements,
  pendingProposals,
  proposalsOf,
  recordCalendarProposal,
  recordCalendarProposalEnd,
  recordCalendarYear,
  StaleCalendarRevision,
  type CalendarProposal,
} from '../../db/calendar/calendar-store.js';
import { calendarStreamId, type CalendarChangeProposedData, type CalendarYearLoadedData } from '../../db/projections/calendar.projection.js';
import { clearCountsInFlight, countsInFlight } from '../../db/calendar/counts-in-flight.js';
import { ConcurrencyError, readStream } from '../../db/event-store.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { calendarLoadResponse, calendarProposalDecisionResponse, calendarProposalListResponse, calendarYearResponse, deadlineResponse } from '../schemas/responses.schemas.js';
import { calendarProposalParams, calendarProposalRefusal, calendarYearBody, calendarYearParams, deadlineQuery } from '../schemas/calendar.schemas.js';

/**
 * Open cases a load of `year` counts again (domain/time/recount.ts): those with a running count that
 * is provisional, or that was counted through `year` (the load may correct it). Filings with a running
 * review clock, loans with provisional open instalments or open ones due in the year (a correction may
 * put a final due date later, by the contract's next-working-day rule, never earlier),
 * loans and applications in their 5-working-day completeness window, applications whose 公示 is
 * provisional, 补正 reply periods, and any case's running step time limit (a call's panel runs after
 * its close, so its limit's step is not its status). Each case decides for itself what moved.
 */
async function casesToRecount(deps: ApiDependencies, year: number): Promise<{ filings: string[]; loans: string[]; applications: string[]; others: string[] }> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  /** A span of days from `from` to `to` (ISO dates, text in the case's state) that reaches into the year. */
  const throughYear = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) => sql<boolean>`(${from} <= ${last} AND ${to} >= ${first})`;
  const filings = await deps.db
    .selectFrom('filing_reviews')
    .innerJoin('cases', 'cases.case_id', 'filing_reviews.case_id')
    .select('filing_reviews.case_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb('filing_reviews.provisional', '=', true),
        eb.and([eb('filing_reviews.breached_at', 'is', null), eb('filing_reviews.submitted_on', '<=', last), eb('filing_reviews.last_working_day', '>=', first)]),
      ]),
    )
    .where('filing_reviews.outcome', 'is', null)
    .where('cases.status', 'in', ['awaiting-claim', 'in-review'])
    .where('cases.case_type', 'in', DRAMA_FILING_TYPE_NAMES)
    .execute();
  const loans = await deps.db
    .selectFrom('loan_instalments')
    .innerJoin('cases', 'cases.case_id', 'loan_instalments.case_id')
    .select('loan_instalments.case_id')
    .distinct()
    .where((eb) => eb.or([eb('loan_instalments.provisional', '=', true), eb.and([eb('loan_instalments.due_on', '>=', first), eb('loan_instalments.due_on', '<=', last)])]))
    .where('loan_instalments.status', '<>', 'paid')
    .where('cases.status', '=', 'repaying')
    .execute();
  const inCompleteness = await deps.db
    .selectFrom('cases')
    .select(['case_id', 'case_type'])
    .where('case_type', 'in', ['chuying-loan', 'application'])
    .where('status', '=', 'completeness-check')
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`(state -> 'completeness' ->> 'provisional')::boolean`, '=', true),
        throughYear(sql`state -> 'completeness' ->> 'startedOn'`, sql`state -> 'completeness' ->> 'lastWorkingDay'`),
      ]),
    )
    .execute();
  const onPublicity = await deps.db
    .selectFrom('cases')
    .select('case_id')
    .where('case_type', '=', 'application')
    .where('status', '=', 'publicity')
    .where(sql<boolean>`(state -> 'publicity' -> 'window' ->> 'provisional')::boolean`, '=', true)
    .execute();
  const limited = await deps.db
    .selectFrom('cases')
    .select(['case_id', 'case_type'])
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`(state -> 'timeLimit' ->> 'provisional')::boolean`, '=', true),
        throughYear(sql`state -> 'timeLimit' ->> 'startedOn'`, sql`state -> 'timeLimit' ->> 'lastWorkingDay'`),
      ]),
    )
    .where(sql`state -> 'timeLimit' ->> 'breachedAt'`, 'is', null)
    .where((eb) => eb.or([eb(sql`state -> 'timeLimit' ->> 'step'`, '=', eb.ref('status')), eb.and([eb('case_type', '=', 'call'), eb(sql`state -> 'timeLimit' ->> 'step'`, '=', 'panel-review')])]))
    .execute();
  // A 补正 whose reply's last day was counted through a year not yet loaded, or through this one.
  const awaitingSupplement = await deps.db
    .selectFrom('cases')
    .select(['case_id', 'case_type'])
    .where('case_type', 'in', ['chuying-loan', 'application'])
    .where('status', '=', 'awaiting-supplement')
    .where((eb) =>
      eb.or([
        eb(sql<boolean>`(state -> 'supplement' -> 'replyPeriod' ->> 'provisional')::boolean`, '=', true),
        eb.and([
          eb(sql`state -> 'supplement' -> 'replyPeriod'`, 'is not', null),
          throughYear(sql`state -> 'supplement' -> 'replyPeriod' ->> 'countedFrom'`, sql`state -> 'supplement' ->> 'replyDueOn'`),
        ]),
      ]),
    )
    .execute();
  const idsOf = (rows: { case_id: string }[]) => rows.map((r) => r.case_id);
  const ofType = (rows: { case_id: string; case_type: string }[], caseType: string) => idsOf(rows.filter((r) => r.case_type === caseType));
  const limitedOf = (matches: (caseType: string) => boolean) => limited.filter((r) => matches(r.case_type)).map((r) => r.case_id);
  const distinct = (...lists: string[][]) => [...new Set(lists.flat())];
  return {
    filings: idsOf(filings),
    loans: distinct(idsOf(loans), ofType(inCompleteness, 'chuying-loan'), limitedOf((t) => t === 'chuying-loan'), ofType(awaitingSupplement, 'chuying-loan')),
    applications: distinct(ofType(inCompleteness, 'application'), idsOf(onPublicity), limitedOf((t) => t === 'application'), ofType(awaitingSupplement, 'application')),
    others: limitedOf((t) => t !== 'chuying-loan' && t !== 'application' && !DRAMA_FILING_TYPE_NAMES.includes(t as never)),
  };
}

/** Signals each case to recompute in its own activity; a case that has meanwhile closed is skipped. */
async function signalCases(deps: ApiDependencies, caseIds: readonly string[], reason: RecomputeReason): Promise<number> {
  return (await signalWorkflows(deps, caseIds.map(caseWorkflowId), reason)).signalled;
}

/** Signals each workflow; says how many took the signal, and which are closed (or gone). */
async function signalWorkflows(deps: ApiDependencies, workflowIds: readonly string[], reason: RecomputeReason): Promise<{ signalled: number; closed: string[] }> {
  let signalled = 0;
  const closed: string[] = [];
  for (let i = 0; i < workflowIds.length; i += 20) {
    const batch = workflowIds.slice(i, i + 20);
    const results = await Promise.allSettled(batch.map((id) => deps.temporal.workflow.getHandle(id).signal(calendarLoadedSignal, reason)));
    for (const [j, result] of results.entries()) {
      if (result.status === 'fulfilled') signalled += 1;
      else if (result.reason instanceof WorkflowNotFoundError) closed.push(batch[j]!);
      else throw result.reason;
    }
  }
  return { signalled, closed };
}

/** Who approved the year's last load, and the notice it follows (none for a load from before proposals). */
async function approvalOfLoad(deps: ApiDependencies, year: number): Promise<{ approvedBy: { accountId: string; displayName: string } | null; noticeSource: string | null }> {
  const last = (await readStream(deps.db, calendarStreamId(year))).findLast((e) => e.type === 'CalendarYearLoaded');
  const data = last?.data as unknown as CalendarYearLoadedData | undefined;
  return { approvedBy: data?.approvedBy ?? null, noticeSource: data?.source ?? null };
}

/** A year as the calendar knows it: its days off and make-up working days, and whether it is official. */
async function yearView(deps: ApiDependencies, calendar: WorkingDayCalendar, year: number) {
  const loaded = await deps.db.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
  const arrangement = calendar.arrangement(year);
  const official = calendar.isOfficialYear(year);
  const nonWorkingDays = nonWorkingDaysOf(calendar, year);
  const daysInYear = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  return {
    year,
    official,
    provisional: !official,
    source: loaded ? 'loaded' : packagedCalendar().isOfficialYear(year) ? 'chinese-days' : 'none',
    holidays: arrangement?.holidays ?? [],
    makeUpWorkdays: arrangement?.makeUpWorkdays ?? [],
    nonWorkingDays,
    workingDayCount: daysInYear - nonWorkingDays.length,
    loaded: loaded
      ? {
          revision: loaded.revision,
          by: { accountId: loaded.loaded_by_account_id, displayName: loaded.loaded_by_name },
          ...(await approvalOfLoad(deps, year)),
          at: loaded.loaded_at.toISOString(),
          note: loaded.note,
        }
      : null,
  };
}

function refusePastYearOn(year: number, clockNow: Date): void {
  // A year gone by has no deadline left to count: changing it would only change how its ended cases read.
  const thisYear = Number(shanghaiDateOf(clockNow).slice(0, 4));
  if (year < thisYear) {
    throw new HttpError(
      400,
      'calendar-year-past',
      `${year} 年已经过去，其中的期限都已届满，不能再导入或修改该年的放假安排（可以修改 ${thisYear} 年及以后的年度）。`,
      [{ field: 'year', message: `不早于 ${thisYear} 年` }],
      {},
      {},
      `${year} is over: its deadlines have all passed, so its arrangement is not loaded or changed (${thisYear} and later are)`,
    );
  }
}

/** Another administrator saved the year since this one read it: said in words, not the store's. */
function staleRevision(year: number, actual: number, expected: number): HttpError {
  return new HttpError(
    409,
    'concurrency',
    `${year} 年的放假安排已被修改（现为第 ${actual} 版，您看到的是第 ${expected} 版）：请刷新页面，核对最新的安排后再保存`,
    [{ field: 'expectedRevision', message: `现为第 ${actual} 版` }],
    {},
    {},
    `the ${year} arrangement was changed meanwhile (now revision ${actual}, you saw ${expected}): reload and check it before saving`,
  );
}

/** A proposal, approval or refusal of the year recorded meanwhile by another administrator. */
const concurrencyInWords = (year: number) => (error: unknown): never => {
  if (error instanceof StaleCalendarRevision) throw staleRevision(year, error.actualRevision, error.expectedRevision);
  if (!(error instanceof ConcurrencyError)) throw error;
  throw new HttpError(409, 'concurrency', `${year} 年的放假安排刚由另一位管理员提出、批准或拒绝了调整：请刷新页面，核对后再办理`, [], {}, {}, `the ${year} arrangement was acted on meanwhile: reload and check`);
};

const sortedDifference = (a: readonly string[], b: readonly string[]) => a.filter((d) => !b.includes(d)).sort();

/**
 * A proposal as the approver reads it: the days it adds and removes against the year in force, and,
 * while it waits, the open cases approving it would count again and the filings whose review
 * deadline would move (counted as the recount would: domain/time/recount.ts).
 */
async function proposalView(deps: ApiDependencies, proposal: CalendarProposal) {
  const current = (await deps.calendar()).arrangement(proposal.year);
  const holidaysNow = (current?.holidays ?? []) as readonly string[];
  const makeUpNow = (current?.makeUpWorkdays ?? []) as readonly string[];
  const changes = {
    holidaysAdded: sortedDifference(proposal.holidays, holidaysNow),
    holidaysRemoved: sortedDifference(holidaysNow, proposal.holidays),
    makeUpWorkdaysAdded: sortedDifference(proposal.makeUpWorkdays, makeUpNow),
    makeUpWorkdaysRemoved: sortedDifference(makeUpNow, proposal.makeUpWorkdays),
  };
  let impact = null;
  if (proposal.status === 'pending') {
    const open = await casesToRecount(deps, proposal.year);
    const proposed = createWorkingDayCalendar(
      mergeArrangements(mergeArrangements(packagedArrangements(), await loadedArrangements(deps.db)), [
        { year: proposal.year, holidays: proposal.holidays.map(parseLocalDate), makeUpWorkdays: proposal.makeUpWorkdays.map(parseLocalDate) },
      ]),
    );
    const reviews = open.filings.length
      ? await deps.db
          .selectFrom('filing_reviews')
          .select(['case_id', 'reference_no', 'title', 'submitted_on', 'working_days', 'last_working_day', 'provisional'])
          .where('case_id', 'in', open.filings)
          .where('outcome', 'is', null)
          .where('working_days', 'is not', null)
          .orderBy('reference_no')
          .execute()
      : [];
    const movingFilingDeadlines = reviews.flatMap((r) => {
      const previous = { lastWorkingDay: parseLocalDate(r.last_working_day!), provisional: r.provisional };
      const recounted = workingDayDeadline(proposed, parseLocalDate(r.submitted_on), r.working_days!);
      const moves = recounted.lastWorkingDay !== previous.lastWorkingDay && recountReplaces(previous, recounted, proposal.year);
      return moves ? [{ caseId: r.case_id, referenceNo: r.reference_no, title: r.title, from: previous.lastWorkingDay, to: recounted.lastWorkingDay }] : [];
    });
    impact = { recount: { filings: open.filings.length, loans: open.loans.length, applications: open.applications.length, others: open.others.length }, movingFilingDeadlines };
  }
  return {
    proposalId: proposal.proposalId,
    year: proposal.year,
    status: proposal.status,
    holidays: proposal.holidays,
    makeUpWorkdays: proposal.makeUpWorkdays,
    note: proposal.note,
    source: proposal.source,
    baseRevision: proposal.baseRevision,
    proposedBy: proposal.proposedBy,
    proposedAt: proposal.proposedAt.toISOString(),
    decidedBy: proposal.decidedBy,
    decidedAt: proposal.decidedAt?.toISOString() ?? null,
    reason: proposal.reason,
    changes,
    impact,
  };
}

function requireAdmin(account: Account): void {
  if (account.role !== 'admin') throw new HttpError(403, 'forbidden', '只有管理员可以导入或调整年度节假日安排。', [], {}, {}, 'only administrators load or override a year’s holiday arrangement');
}

export function calendarRoutes(deps: ApiDependencies) {
  const { calendar, clock } = deps;
  const refusePastYear = (year: number) => refusePastYearOn(year, clock());
  /** The year's proposal, still waiting; a decided one is not decided again. */
  const waitingProposal = async (year: number, proposalId: string): Promise<CalendarProposal> => {
    const proposal = (await proposalsOf(deps.db, year)).find((p) => p.proposalId === proposalId);
    if (!proposal) throw new HttpError(404, 'not-found', `${year} 年没有编号为 ${proposalId} 的放假安排调整`, [{ field: 'proposalId', message: '没有这项调整' }]);
    if (proposal.status !== 'pending') {
      const done = { approved: '批准', refused: '拒绝', withdrawn: '撤回' }[proposal.status];
      throw new HttpError(409, 'conflict', `这项放假安排调整已由${proposal.decidedBy?.displayName ?? ''}${done}：只有等待批准的调整可以批准、拒绝或撤回`, [{ field: 'proposalId', message: `已${done}` }]);
    }
    return proposal;
  };
  return [
    route({
      method: 'GET',
      url: '/api/calendar/deadline',
      summary:
        '"Within N working days" of a submission: counting starts on the first working day after the Shanghai date of submittedAt; the deadline is 24:00 Shanghai at the end of the N-th. Provisional when it reaches a year whose arrangement is not loaded.',
      tag: 'calendar',
      access: 'public',
      query: deadlineQuery,
      response: deadlineResponse,
      async handle({ query }) {
        const submittedOn = shanghaiDateOf(query.submittedAt);
        if (Number(submittedOn.slice(0, 4)) < MIN_CALENDAR_YEAR || Number(submittedOn.slice(0, 4)) >= MAX_CALENDAR_YEAR) {
          throw validationError(
            { code: 'validation', zh: `提交时间应在 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年之间。`, en: `submittedAt must fall in ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR - 1}` },
            [{ field: 'query.submittedAt', message: `应在 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年之间`, english: 'out of range' }],
          );
        }
        const deadline = workingDayDeadline(await calendar(), submittedOn, query.workingDays);
        return { lastWorkingDay: deadline.lastWorkingDay, deadline: formatShanghaiInstant(deadline.deadlineMs), provisional: deadline.provisional };
      },
    }),
    route({
      method: 'GET',
      url: '/api/calendar/:year',
      summary: "A year's days off and make-up working days (调休), whether the year is official (loaded) or provisional (weekends and the fixed-date holidays), and who loaded it",
      tag: 'calendar',
      access: 'public',
      params: calendarYearParams,
      response: calendarYearResponse,
      async handle({ params }) {
        return yearView(deps, await calendar(), params.year);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/calendar/:year',
      summary:
        "Admin: propose loading or correcting a year's holiday arrangement (days off; make-up working days on weekends), citing the State Council notice. Nothing changes until a different administrator approves it (POST …/proposals/:proposalId/approve).",
      tag: 'calendar',
      access: 'signed-in',
      params: calendarYearParams,
      body: calendarYearBody,
      status: 202,
      response: calendarProposalDecisionResponse,
      async handle({ params, body, account }) {
        requireAdmin(account!);
        refusePastYear(params.year);
        const arrangement = checkYearArrangement({ year: params.year, holidays: body.holidays, makeUpWorkdays: body.makeUpWorkdays });
        // The stream's version first: a proposal or a load recorded in between fails the append.
        const streamVersion = await calendarStreamVersion(deps.db, params.year);
        const revision = await calendarRevision(deps.db, params.year);
        if (body.expectedRevision !== undefined && body.expectedRevision !== revision) throw staleRevision(params.year, revision, body.expectedRevision);
        const waiting = (await proposalsOf(deps.db, params.year)).find((p) => p.status === 'pending');
        if (waiting) {
          throw new HttpError(
            409,
            'calendar-proposal-pending',
            `${params.year} 年已有一项放假安排调整等待批准（${waiting.proposedBy.displayName}提出）：请由另一位管理员批准或拒绝，或由提出人撤回后再提出`,
            [{ field: 'year', message: `已有 ${waiting.proposedBy.displayName} 提出的调整等待批准` }],
            { proposalId: waiting.proposalId },
            {},
            `a change to ${params.year} proposed by ${waiting.proposedBy.displayName} is waiting: it is approved, refused or withdrawn first`,
          );
        }
        const { accountId, displayName, role } = account!;
        const proposal: CalendarChangeProposedData = {
          proposalId: randomUUID(),
          year: params.year,
          holidays: [...arrangement.holidays],
          makeUpWorkdays: [...arrangement.makeUpWorkdays],
          note: body.note,
          source: body.source,
          baseRevision: revision,
          proposedBy: { accountId, displayName },
        };
        await recordCalendarProposal(deps.db, { proposal, actor: { accountId, displayName, role }, expectedVersion: streamVersion }, clock).catch(concurrencyInWords(params.year));
        const recorded = (await proposalsOf(deps.db, params.year)).find((p) => p.proposalId === proposal.proposalId)!;
        return { proposal: await proposalView(deps, recorded) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/calendar/proposals',
      summary: "Admin: the years' arrangements proposed by one administrator and waiting for another, each with the days it adds and removes and the open cases whose deadlines it would count again or move",
      tag: 'calendar',
      access: 'signed-in',
      response: calendarProposalListResponse,
      async handle({ account }) {
        requireAdmin(account!);
        const pending = await pendingProposals(deps.db);
        return { proposals: await Promise.all(pending.map((p) => proposalView(deps, p))) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/calendar/:year/proposals/:proposalId/approve',
      summary:
        "Admin: approve a year's arrangement another administrator proposed (never one's own). Recorded as events; it takes effect at once, and every open case whose deadline is provisional, or was counted through that year, counts it again (a final day only moves later).",
      tag: 'calendar',
      access: 'signed-in',
      params: calendarProposalParams,
      response: calendarLoadResponse,
      async handle({ params, account }) {
        requireAdmin(account!);
        const proposal = await waitingProposal(params.year, params.proposalId);
        if (proposal.proposedBy.accountId === account!.accountId) {
          throw new HttpError(
            403,
            'four-eyes',
            '这项放假安排调整是您本人提出的：提出的管理员不能自己批准，须由另一位管理员核对国务院办公厅的通知后批准（您可以撤回）',
            [],
            {},
            {},
            'you proposed this change: a different administrator approves it (you may withdraw it)',
          );
        }
        refusePastYear(params.year);
        const revision = await calendarRevision(deps.db, params.year);
        if (revision !== proposal.baseRevision) {
          throw new HttpError(
            409,
            'conflict',
            `这项调整是按 ${params.year} 年安排的第 ${proposal.baseRevision} 版提出的，现在已是第 ${revision} 版：请拒绝这项调整，按最新的安排重新提出`,
            [],
            {},
            {},
            `proposed on revision ${proposal.baseRevision}, the year is now at ${revision}: refuse it and propose again`,
          );
        }
        const arrangement = checkYearArrangement({ year: params.year, holidays: proposal.holidays, makeUpWorkdays: proposal.makeUpWorkdays });
        const { accountId, displayName, role } = account!;
        const loaded = await recordCalendarYear(
          deps.db,
          {
            arrangement,
            note: proposal.note,
            actor: { accountId, displayName, role },
            expectedRevision: proposal.baseRevision,
            approval: { proposalId: proposal.proposalId, source: proposal.source, proposedBy: proposal.proposedBy },
          },
          clock,
        ).catch(concurrencyInWords(params.year));
        // The recount is the load's, as before proposals: who entered the arrangement is who loaded it.
        const reason: RecomputeReason = { calendarYear: params.year, revision: loaded.revision, loadedBy: proposal.proposedBy };
        // The cases counting on the calendar right now are read first, the read models after: a count
        // made on the calendar before this load is then in one or the other (db/calendar/counts-in-flight.ts).
        const inFlight = await countsInFlight(deps.db);
        const open = await casesToRecount(deps, params.year);
        const recomputation = {
          filings: await signalCases(deps, open.filings, reason),
          loans: await signalCases(deps, open.loans, reason),
          applications: await signalCases(deps, open.applications, reason),
          others: await signalCases(deps, open.others, reason),
        };
        // A case whose count is not recorded yet (one opening now, say) is in no read model: signalled too,
        // it counts again after its count is recorded. Not in the numbers, which count the open cases found.
        // Its note stays until its append clears it (a load of another year may need it); a closed case's goes.
        const found = new Set([...open.filings, ...open.loans, ...open.applications, ...open.others].map(caseWorkflowId));
        const { closed } = await signalWorkflows(deps, [...new Set(inFlight.map((c) => c.workflowId))].filter((id) => !found.has(id)), reason);
        await clearCountsInFlight(deps.db, inFlight.filter((c) => closed.includes(c.workflowId)));
        const approved = (await proposalsOf(deps.db, params.year)).find((p) => p.proposalId === proposal.proposalId)!;
        return { ...(await yearView(deps, await calendar(), params.year)), recomputation, proposal: await proposalView(deps, approved) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/calendar/:year/proposals/:proposalId/refuse',
      summary: "Admin: refuse a year's arrangement another administrator proposed, with the reason; its proposer withdraws it this way. Nothing changes.",
      tag: 'calendar',
      access: 'signed-in',
      params: calendarProposalParams,
      body: calendarProposalRefusal,
      response: calendarProposalDecisionResponse,
      async handle({ params, body, account }) {
        requireAdmin(account!);
        const streamVersion = await calendarStreamVersion(deps.db, params.year);
        const proposal = await waitingProposal(params.year, params.proposalId);
        const { accountId, displayName, role } = account!;
        await recordCalendarProposalEnd(
          deps.db,
          {
            year: params.year,
            proposalId: proposal.proposalId,
            proposedBy: proposal.proposedBy,
            actor: { accountId, displayName, role },
            reason: body.reason,
            withdrawn: proposal.proposedBy.accountId === accountId,
            expectedVersion: streamVersion,
          },
          clock,
        ).catch(concurrencyInWords(params.year));
        const ended = (await proposalsOf(deps.db, params.year)).find((p) => p.proposalId === proposal.proposalId)!;
        return { proposal: await proposalView(deps, ended) };
      },
    }),
  ];
}

