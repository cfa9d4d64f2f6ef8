import { sql } from 'kysely';
import { DEPARTMENTS, type Department } from '../../domain/cases/actor.js';
import { callPeriodInWords } from '../../domain/calls/decide.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { readCallLedger } from '../../db/budget-ledger.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route, type RouteDefinition } from '../route.js';
import { callBudgetResponse, callIdParams, callListResponse } from '../schemas/calls.schemas.js';

const MODE_LABELS = { competitive: '竞争性评审', 'first-come': '先到先审' } as const;

const departmentName = (id: string | null) => (id ? ((DEPARTMENTS as Record<string, string>)[id] ?? id) : '');

/**
 * Calls (申报批次), read side. Opening a call and acting on it go through the generic case routes
 * (POST /api/cases/call, POST /api/cases/:callId/approve-budget …); these read the `calls` table.
 */
export function callRoutes({ db, clock }: ApiDependencies): RouteDefinition[] {
  return [
    route({
      method: 'GET',
      url: '/api/calls',
      summary: 'Public: the calls open now and those to come (title, programme, dates, mode, quota, budget); a call whose budget awaits approval is not yet listed',
      tag: 'calls',
      access: 'public',
      response: callListResponse,
      async handle() {
        const now = clock();
        const rows = await db
          .selectFrom('calls')
          .innerJoin('cases', (join) => join.on(sql<boolean>`cases.case_id::text = calls.call_id`))
          .select(['calls.call_id', 'cases.reference_no', 'calls.title', 'calls.programme_id', 'calls.department', 'calls.mode', 'calls.opens_at', 'calls.closes_at', 'calls.quota', 'calls.budget_fen', 'calls.publicity_working_days'])
          .where('calls.revolving', '=', false)
          .where('calls.status', '=', 'approved')
          .where('calls.closes_at', '>', now)
          .orderBy('calls.opens_at')
          .orderBy('calls.call_id')
          .execute();
        return {
          calls: rows.map((r) => {
            const opensAt = r.opens_at!.toISOString();
            const closesAt = r.closes_at!.toISOString();
            return {
              callId: r.call_id,
              referenceNo: r.reference_no,
              title: r.title,
              programme: { id: r.programme_id, name: findProgramme(r.programme_id)?.name.zh ?? r.programme_id },
              department: { id: r.department ?? '', name: departmentName(r.department) },
              mode: r.mode,
              modeLabel: MODE_LABELS[r.mode],
              opensAt,
              closesAt,
              period: callPeriodInWords({ opensAt, closesAt }),
              open: r.opens_at!.getTime() <= now.getTime(),
              quota: r.quota,
              budgetFen: r.budget_fen,
              publicityWorkingDays: r.publicity_working_days ?? 5,
            };
          }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/calls/:callId/budget',
      summary: "Officials of the call's department and auditors: the budget ledger — budget, committed by approvals, paid, recovered, remaining",
      tag: 'calls',
      access: 'signed-in',
      params: callIdParams,
      response: callBudgetResponse,
      refusals: [403, 404],
      async handle({ params, account }) {
        const ledger = await readCallLedger(db, params.callId);
        const row = await db.selectFrom('calls').select(['title', 'programme_id', 'department']).where('call_id', '=', params.callId).executeTakeFirst();
        if (!ledger) throw new HttpError(404, 'not-found', `没有申报批次 ${params.callId}`);
        // The pool before its first loan has no row yet: it is the 雏鹰 fund's.
        const department = (row?.department ?? 'yangpu-fund') as Department;
        const reader = account!;
        if (!(reader.role === 'auditor' || (reader.role === 'official' && reader.department === department))) {
          throw new HttpError(403, 'forbidden', `申报批次的预算台账只有${departmentName(department)}工作人员和审计人员可以查看`);
        }
        return {
          callId: ledger.callId,
          title: row?.title ?? '雏鹰计划（V聚场基金）资金池',
          programmeId: row?.programme_id ?? 'chuying-loan',
          revolving: ledger.revolving,
          budgetFen: ledger.budgetFen,
          budgetApproved: ledger.budgetApproved,
          committedFen: ledger.committedFen,
          paidFen: ledger.paidFen,
          recoveredFen: ledger.recoveredFen,
          remainingFen: ledger.remainingFen,
        };
      },
    }),
  ];
}
