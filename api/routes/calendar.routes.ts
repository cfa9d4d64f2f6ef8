import { sql, type RawBuilder } from 'kysely';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { RecomputeReason } from '../../domain/cases/calendar-load.js';
import { DRAMA_FILING_TYPE_NAMES } from '../../domain/drama-filing/terms.js';
import { validationError } from '../../domain/errors.js';
import { formatShanghaiInstant, shanghaiDateOf } from '../../domain/time/local-date.js';
import { checkYearArrangement, MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR, nonWorkingDaysOf, workingDayDeadline, type WorkingDayCalendar } from '../../domain/time/working-days.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { recordCalendarYear } from '../../db/calendar/calendar-store.js';
import { clearCountsInFlight, countsInFlight } from '../../db/calendar/counts-in-flight.js';
import { ConcurrencyError } from '../../db/event-store.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { calendarLoadResponse, calendarYearResponse, deadlineResponse } from '../schemas/responses.schemas.js';
import { calendarYearBody, calendarYearParams, deadlineQuery } from '../schemas/calendar.schemas.js';

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
      ? { revision: loaded.revision, by: { accountId: loaded.loaded_by_account_id, displayName: loaded.loaded_by_name }, at: loaded.loaded_at.toISOString(), note: loaded.note }
      : null,
  };
}

function requireAdmin(account: Account): void {
  if (account.role !== 'admin') throw new HttpError(403, 'forbidden', '只有管理员可以导入或调整年度节假日安排。', [], {}, {}, 'only administrators load or override a year’s holiday arrangement');
}

export function calendarRoutes(deps: ApiDependencies) {
  const { calendar, clock } = deps;
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
        "Admin: load or correct a year's holiday arrangement (days off; make-up working days on weekends). Recorded as an event; every open case whose deadline is provisional, or was counted through that year, counts it again (a final day only moves later).",
      tag: 'calendar',
      access: 'signed-in',
      params: calendarYearParams,
      body: calendarYearBody,
      response: calendarLoadResponse,
      async handle({ params, body, account }) {
        requireAdmin(account!);
        // A year gone by has no deadline left to count: changing it would only change how its ended cases read.
        const thisYear = Number(shanghaiDateOf(clock()).slice(0, 4));
        if (params.year < thisYear) {
          throw new HttpError(
            400,
            'calendar-year-past',
            `${params.year} 年已经过去，其中的期限都已届满，不能再导入或修改该年的放假安排（可以修改 ${thisYear} 年及以后的年度）。`,
            [{ field: 'year', message: `不早于 ${thisYear} 年` }],
            {},
            {},
            `${params.year} is over: its deadlines have all passed, so its arrangement is not loaded or changed (${thisYear} and later are)`,
          );
        }
        const arrangement = checkYearArrangement({ year: params.year, holidays: body.holidays, makeUpWorkdays: body.makeUpWorkdays });
        const { accountId, displayName, role } = account!;
        const { revision } = await recordCalendarYear(
          deps.db,
          { arrangement, note: body.note, actor: { accountId, displayName, role }, ...(body.expectedRevision === undefined ? {} : { expectedRevision: body.expectedRevision }) },
          clock,
        ).catch((error: unknown) => {
          // Another administrator saved the year since this one read it: say so in words, not the store's.
          if (!(error instanceof ConcurrencyError)) throw error;
          throw new HttpError(
            409,
            'concurrency',
            `${params.year} 年的放假安排已被修改（现为第 ${error.actualVersion} 版，您看到的是第 ${error.expectedVersion} 版）：请刷新页面，核对最新的安排后再保存`,
            [{ field: 'expectedRevision', message: `现为第 ${error.actualVersion} 版` }],
            {},
            {},
            `the ${params.year} arrangement was changed meanwhile (now revision ${error.actualVersion}, you saw ${error.expectedVersion}): reload and check it before saving`,
          );
        });
        const reason: RecomputeReason = { calendarYear: params.year, revision, loadedBy: { accountId, displayName } };
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
        return { ...(await yearView(deps, await calendar(), params.year)), recomputation };
      },
    }),
  ];
}

