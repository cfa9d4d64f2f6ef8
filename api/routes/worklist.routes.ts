import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { countdownResponse, worklistResponse } from '../schemas/responses.schemas.js';
import { localDate, queryInteger } from '../schemas/common.schemas.js';
import { countdown } from '../views/countdown.view.js';
import { worklistItem, type ReviewFlags } from '../views/worklist.view.js';

const worklistQuery = z.strictObject({
  /** 'queue': what waits for the official's department, most urgent first; 'all': every case the account may see, newest first. */
  view: z.enum(['queue', 'all']).optional(),
  /** Part of a reference number or an applicant's name, or a whole case id. */
  q: z.string().trim().min(1).max(100).optional(),
  limit: queryInteger(1, 200).default(50),
});

/**
 * The lists the web UI shows: an applicant's own cases, an official's department queue sorted by
 * deadline, and the auditor's search over every case — each line with a working-day countdown.
 */
export function worklistRoutes({ db, clock, calendar }: ApiDependencies) {
  return [
    route({
      method: 'GET',
      url: '/api/worklist',
      summary:
        "Cases with working-day countdowns: an applicant's own; an official's department queue (view=queue, deadline first, breaches flagged) or all cases; an auditor's search (q: reference, applicant or case id)",
      tag: 'worklist',
      access: 'signed-in',
      query: worklistQuery,
      response: worklistResponse,
      async handle({ query, account }) {
        const me = account!;
        if (me.role === 'admin') throw new HttpError(403, 'forbidden', 'administrators manage the calendar; they do not work on cases');
        const view = me.role === 'official' ? (query.view ?? 'queue') : 'all';
        // An applicant's own cases, an official's department's, an auditor's all (api/authorization/case-access.ts).
        let q = db.selectFrom('cases').selectAll().where((eb) => visibleCasesOnly(eb, me));
        if (view === 'queue') {
          if (!me.department) throw new HttpError(403, 'forbidden', 'this official belongs to no department, so has no queue');
          q = q.where('waiting_for_role', '=', 'official').where('waiting_for_department', '=', me.department);
        }
        if (query.q) {
          const term = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          q = q.where((eb) =>
            eb.or([eb('reference_no', 'ilike', term), eb('applicant_name', 'ilike', term), eb(sql<string>`case_id::text`, '=', query.q!.toLowerCase())]),
          );
        }
        q =
          view === 'queue'
            ? // Priority cases (盾牌行动 complaints) come before everything else in the queue.
              q.orderBy('priority', 'desc').orderBy(sql`next_deadline_at ASC NULLS LAST`).orderBy('opened_at', 'asc')
            : q.orderBy('opened_at', 'desc');
        const rows = await q.orderBy('case_id').limit(query.limit).execute();
        const reviews = await reviewFlags(rows.map((r) => r.case_id));
        const [cal, now] = [await calendar(), clock()];
        return {
          view,
          department: me.role === 'official' ? (me.department ?? null) : null,
          cases: rows.map((row) => worklistItem(row, cal, now, reviews.get(row.case_id) ?? timeLimitFlags(row.details))),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/working-days/countdown',
      summary: 'Working days left until a due day (24:00 Shanghai at its end), counting today while it is a working day; provisional where a year has no holiday arrangement loaded',
      tag: 'worklist',
      access: 'public',
      query: z.strictObject({ dueOn: localDate }),
      response: countdownResponse,
      async handle({ query }) {
        return countdown(await calendar(), clock(), query.dueOn);
      },
    }),
  ];

  /**
   * The promised time limit of the step a case is at (applications, 雏鹰 loans, 追回 since issue 13), as
   * its module's view model keeps it: breached and escalated to the supervisor, or counted provisionally.
   */
  function timeLimitFlags(details: unknown): ReviewFlags | undefined {
    const limit = (details as { timeLimit?: { breachedAt: string | null; escalatedAt: string | null; provisional: boolean } | null } | null)?.timeLimit;
    if (!limit) return undefined;
    return { reviewer: null, breached: limit.breachedAt !== null, escalated: limit.escalatedAt !== null, provisional: limit.provisional };
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
