import { sql } from 'kysely';
import { z } from 'zod';
import { CASE_MODULES, moduleForStreamType } from '../../cases/registry.js';
import type { CaseStateBase } from '../../cases/case-module.js';
import { searchWorklist, waitingCounts, WORKLIST_SORTS, orderOf, worklistCursorProblem, worklistFacets, type CasesScope, type WorklistClock, type WorklistCursor, type WorklistRow } from '../../db/queries/worklist.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { addDays, shanghaiDateOf, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { nthWorkingDayAfter, type WorkingDayCalendar } from '../../domain/time/working-days.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError } from '../http-errors.js';
import { producerNotes } from '../views/producer-check.js';
import { DRAMA_FILING_TYPE_NAMES, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import { route } from '../route.js';
import { countdownResponse, worklistResponse } from '../schemas/responses.schemas.js';
import { localDate } from '../schemas/common.schemas.js';
import { availableActions } from '../views/available-actions.js';
import { countdown } from '../views/countdown.view.js';
import { caseTypeName, worklistItem, type ReviewFlags } from '../views/worklist.view.js';
import { outstandingAsSeenBy } from '../views/panel-confidentiality.js';

/** A whole number in a query string, refused in words that name the parameter. */
const whole = (name: string, label: string, min: number, max: number) => {
  const message = `${label}（${name}）须为 ${min} 到 ${max} 之间的整数`;
  return z.string().regex(/^\d{1,9}$/, message).transform(Number).pipe(z.int().min(min, message).max(max, message));
};
const oneOf = <const T extends readonly [string, ...string[]]>(name: string, label: string, values: T) => z.enum(values, `${label}（${name}）只能是 ${values.join('、')} 之一`);

/** Free text of a search box: printable characters only (the pattern the OpenAPI document states), 1 to 100 of them once trimmed. */
const searchText = z
  .string()
  .regex(/^[^\u0000-\u001F\u007F]{1,100}$/, '搜索词（q）须为 1 到 100 个字符，不能含控制字符')
  .trim()
  .min(1, '搜索词（q）不能只有空格');

const orderName = (order: Parameters<typeof orderOf>[0]) => orderOf(order).name;

/** Where a page ended, for the next page to start after it: its order and the last case's values of it, as base64url JSON. */
export function encodeWorklistCursor(cursor: WorklistCursor): string {
  return Buffer.from(JSON.stringify([cursor.order, ...cursor.values]), 'utf8').toString('base64url');
}

const AFTER_UNREADABLE = '翻页位置（after）无法识别：请使用上一页返回的 nextAfter，或去掉它按页码翻页';

/** A cursor as a client sends it back (`after`): only its shape here; whether it fits the order is the query's to say. */
const afterCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,2000}$/, AFTER_UNREADABLE)
  .transform((text, ctx): WorklistCursor => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || parsed.length < 2) {
      ctx.addIssue({ code: 'custom', message: AFTER_UNREADABLE });
      return z.NEVER;
    }
    return { order: parsed[0], values: parsed.slice(1) };
  });

const CASE_TYPES = CASE_MODULES.flatMap((m) => m.streamTypes) as [string, ...string[]];

export const worklistQuery = z.strictObject({
  /** 'queue': what waits for the official's department (an applicant: for them), most urgent first; 'all': every case the account may see, newest first. */
  view: oneOf('view', '列表', ['queue', 'all']).optional(),
  q: searchText.optional().describe('part of a reference number, an applicant name or a title (project or drama name), case-insensitive; or a whole case id'),
  status: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,49}$/, '办理环节（status）须为环节代码，例如 awaiting-claim')
    .optional()
    .describe('the step (status code) of the case; facets.statuses lists those present'),
  programmeId: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, '政策（programmeId）须为政策代码，例如 chuying-loan')
    .optional()
    .describe('the measure of the catalogue, or the case type of cases without one; facets.programmes lists those present'),
  caseType: oneOf('caseType', '案件类型', CASE_TYPES).optional(),
  breached: oneOf('breached', '是否超期', ['true', 'false']).optional().describe('true: past its time limit; false: not'),
  assigned: oneOf('assigned', '认领', ['mine', 'unclaimed']).optional().describe('mine: claimed by me; unclaimed: waiting to be claimed (drama filings)'),
  sort: oneOf('sort', '排序', WORKLIST_SORTS).optional().describe("absent: the view's own order (the queue: priority cases first, then the nearest deadline)"),
  order: oneOf('order', '排序方向', ['asc', 'desc']).optional().describe('asc unless sort=submitted or sort=amount, which run newest or largest first unless asc'),
  page: whole('page', '页码', 1, 10_000).default(1),
  pageSize: whole('pageSize', '每页件数', 1, 100).optional(),
  after: afterCursor
    .optional()
    .meta({ title: '翻页位置', description: "the nextAfter of the page before, with the same search, filters and order: the page starts after that page's last case however the list changed since (cases leaving the queue move no case past the page); page is then only the number shown" }),
  /** The first `limit` cases: what callers before paging sent; pageSize wins where both are sent. */
  limit: whole('limit', '件数', 1, 200).optional().describe('deprecated: pageSize (the first page of this size)'),
});

const DEFAULT_PAGE_SIZE = 50;

/**
 * The lists the web UI shows: an applicant's own cases, an official's department queue sorted by
 * deadline, the auditor's search over every case and an expert's panel cases — each searchable,
 * filtered, sorted and paged, each line with a working-day countdown, and the count of what waits.
 */
export function worklistRoutes({ db, clock, calendar }: ApiDependencies) {
  return [
    route({
      method: 'GET',
      url: '/api/worklist',
      summary:
        "Cases with working-day countdowns, searched (q: reference, applicant, title or case id), filtered, sorted and paged: an applicant's own (view=queue: those waiting for them); an official's department queue (view=queue) or all their department's cases; every case for an auditor",
      tag: 'worklist',
      access: 'signed-in',
      query: worklistQuery,
      response: worklistResponse,
      async handle({ query, account }) {
        const me = account!;
        if (me.role === 'admin') throw new HttpError(403, 'forbidden', '管理员负责工作日历和账户，不办理案件，没有案件列表。');
        // An applicant's queue is what waits for them (等您办理: a 补正 to answer, a repayment), most urgent first.
        const view = me.role === 'official' ? (query.view ?? 'queue') : me.role === 'applicant' && query.view === 'queue' ? 'queue' : 'all';
        // An applicant's own cases, an official's department's, an auditor's all, an expert's panels (api/authorization/case-access.ts).
        const visible: CasesScope = (eb) => visibleCasesOnly(eb, me);
        const waitingForMe = waitingScope(me, visible);
        const scope = view === 'queue' ? waitingForMe : visible;
        if (!scope) throw new HttpError(403, 'forbidden', '您的账户不属于任何部门，没有待办队列。');
        const [cal, now] = [await calendar(), clock()];
        const times = worklistClock(cal, now);
        const pageSize = query.pageSize ?? query.limit ?? DEFAULT_PAGE_SIZE;
        const sort = query.sort ? { by: query.sort, order: query.order ?? (query.sort === 'submitted' || query.sort === 'amount' ? 'desc' : 'asc') } : undefined;
        const order = { sort, defaultOrder: view === 'queue' ? ('queue' as const) : ('newest' as const) };
        const afterProblem = query.after && worklistCursorProblem(query.after, order);
        if (afterProblem) throw new HttpError(400, 'validation', `${afterProblem}。`, [{ field: 'query.after', message: afterProblem }]);
        const [{ rows, total }, waiting, facets, prefixes] = await Promise.all([
          searchWorklist(db, {
            scope,
            q: query.q,
            status: query.status,
            programmeId: query.programmeId,
            caseType: query.caseType,
            breached: query.breached === undefined ? undefined : query.breached === 'true',
            assigned: query.assigned ? { kind: query.assigned, accountId: me.accountId } : undefined,
            ...order,
            page: query.page,
            pageSize,
            after: query.after,
            clock: times,
          }),
          waitingForMe ? waitingCounts(db, waitingForMe, times) : null,
          worklistFacets(db, scope),
          referencePrefixes(visible),
        ]);
        const reviews = await reviewFlags(rows.map((r) => r.case_id));
        // A filing's 制作机构 beside its applicant, and for officials and auditors a mismatch between them.
        const producerOf = (row: (typeof rows)[number]) => (DRAMA_FILING_TYPE_NAMES.includes(row.case_type as DramaFilingType) ? ((row.details as { filing?: { producer?: string } | null } | null)?.filing?.producer ?? '') : null);
        const notes = me.role === 'applicant' ? new Map<string, string>() : await producerNotes(db, rows.flatMap((r) => { const producer = producerOf(r); return producer ? [{ caseId: r.case_id, applicantAccountId: r.applicant_account_id, producer }] : []; }));
        return {
          view,
          department: me.role === 'official' ? (me.department ?? null) : null,
          total,
          page: query.page,
          pageSize,
          pageCount: Math.max(1, Math.ceil(total / pageSize)),
          // A full page may have more after it: where the next starts.
          nextAfter: rows.length === pageSize ? encodeWorklistCursor({ order: orderName(order), values: rows.at(-1)!.sort_key }) : null,
          referencePrefixes: prefixes,
          sort: sort ?? null,
          waiting,
          facets: {
            statuses: statusChoices(facets.statuses),
            programmes: facets.programmes
              .map((p) => ({ id: p.programme, name: (findProgramme(p.programme)?.name ?? caseTypeName(p.programme)).zh, count: p.count }))
              .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
          },
          cases: rows.map((row) => ({
            ...worklistItem(row, cal, now, reviews.get(row.case_id) ?? deadlineFlags(row.details)),
            outstandingFen: outstandingAsSeenBy(row, me),
            title: row.title,
            producer: producerOf(row),
            producerNote: notes.get(row.case_id) ?? null,
            claimable: claimable(row, me, now),
          })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/working-days/countdown',
      summary: 'Working days left until a due day (24:00 Shanghai at its end), after today; calendar days for a period the applicant keeps; provisional where a working-day count crosses a year with no holiday arrangement loaded',
      tag: 'worklist',
      access: 'public',
      query: z.strictObject({
        dueOn: localDate,
        counting: z.enum(['working-days', 'calendar-days']).default('working-days').describe('calendar-days for a period the applicant keeps (a 补正 reply, a repayment)'),
      }),
      response: countdownResponse,
      async handle({ query }) {
        return countdown(await calendar(), clock(), query.dueOn, false, query.counting);
      },
    }),
  ];

  /**
   * The prefixes of the references the account may see (CY, BA…), most cases first: the search box's
   * example names the ones the viewer actually has, not another department's.
   */
  async function referencePrefixes(scope: CasesScope): Promise<string[]> {
    const prefix = sql<string>`split_part(cases.reference_no, '-', 1)`;
    const rows = await db
      .selectFrom('cases')
      .select([prefix.as('prefix'), (eb) => eb.fn.countAll<string>().as('n')])
      .where(scope)
      .groupBy(prefix)
      .orderBy(sql`count(*) DESC`)
      .orderBy(prefix)
      .limit(3)
      .execute();
    return rows.map((r) => r.prefix).filter((p) => /^[A-Z]{1,4}$/.test(p));
  }

  /**
   * From a case's module's view model: the time limit of the step it is at (breached and escalated,
   * or counted provisionally), else whether the deadline it shows may still move (a 补正 reply day or
   * an instalment in a year whose holiday arrangement is not loaded).
   */
  function deadlineFlags(details: unknown): ReviewFlags | undefined {
    const view = details as { timeLimit?: { breachedAt: string | null; escalatedAt: string | null; provisional: boolean } | null; deadline?: { provisional?: boolean } | null } | null;
    const limit = view?.timeLimit;
    if (limit) return { reviewer: null, breached: limit.breachedAt !== null, escalated: limit.escalatedAt !== null, provisional: limit.provisional };
    if (view?.deadline?.provisional === true) return { reviewer: null, breached: false, escalated: false, provisional: true };
    return undefined;
  }

  /** The open review clock of each drama filing among the cases: reviewer, breach and escalation. */
  async function reviewFlags(caseIds: string[]): Promise<Map<string, ReviewFlags>> {
    if (caseIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('filing_reviews')
      .select(['case_id', 'reviewer_account_id', 'reviewer_name', 'breached_at', 'escalated_at', 'provisional'])
      .where('case_id', 'in', caseIds)
      .where('outcome', 'is', null)
      .execute();
    return new Map(
      rows.map((r) => [
        r.case_id,
        {
          reviewer: r.reviewer_account_id ? { accountId: r.reviewer_account_id, displayName: r.reviewer_name } : null,
          breached: r.breached_at !== null,
          escalated: r.escalated_at !== null,
          provisional: r.provisional,
        },
      ]),
    );
  }
}

/** What waits for this account: an official's department's cases at an official's step; an applicant's own at theirs; nothing for others. */
function waitingScope(account: Account, visible: CasesScope): CasesScope | undefined {
  if (account.role === 'official' && account.department) {
    const department = account.department;
    return (eb) => eb.and([visible(eb), eb('cases.waiting_for_role', '=', 'official'), eb('cases.waiting_for_department', '=', department)]);
  }
  if (account.role === 'applicant') return (eb) => eb.and([visible(eb), eb('cases.waiting_for_role', '=', 'applicant')]);
  return undefined;
}

/**
 * 00:00 Shanghai today, and of the second working day from today: a deadline at or before the first
 * has passed; one up to the second leaves at most one working day (the countdown's 今日到期, 0, or 1).
 */
function worklistClock(calendar: WorkingDayCalendar, now: Date): WorklistClock {
  const today = shanghaiDateOf(now);
  const second = nthWorkingDayAfter(calendar, addDays(today, -1), 2).value;
  return { startOfToday: new Date(startOfShanghaiDay(today)), dueSoonUntil: new Date(startOfShanghaiDay(second)) };
}

/** Whether the account may claim the case from the list now: its module's claim action, granted and enabled (the case page's availableActions). */
function claimable(row: WorklistRow, account: Account, now: Date): boolean {
  if (account.role !== 'official') return false;
  const module = moduleForStreamType(row.case_type);
  const state = row.state as unknown as CaseStateBase;
  // Most lines are at a step without a claim: only those that have one are asked about in full.
  if (!module?.actions.some((a) => a.name === 'claim' && a.at.includes(state.status))) return false;
  return availableActions(module, state, account, now.getTime()).some((a) => a.name === 'claim' && a.enabled);
}

/** One choice per step code, labelled as the case types name it (one label where they agree). */
function statusChoices(rows: { caseType: string; status: string; statusLabel: string; count: number }[]) {
  const byStatus = new Map<string, { status: string; labels: Set<string>; count: number }>();
  for (const row of rows) {
    const label = moduleForStreamType(row.caseType)?.statuses[row.status] ?? row.statusLabel;
    const entry = byStatus.get(row.status) ?? { status: row.status, labels: new Set<string>(), count: 0 };
    entry.labels.add(label);
    entry.count += row.count;
    byStatus.set(row.status, entry);
  }
  return [...byStatus.values()].map((e) => ({ status: e.status, label: [...e.labels].join(' / '), count: e.count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh-CN'));
}
