import { sql } from 'kysely';
import { DEPARTMENTS, type Department } from '../../domain/cases/actor.js';
import { callPeriodInWords } from '../../domain/calls/decide.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { placesLeftIn, readCallLedger } from '../../db/budget-ledger.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route, type RouteDefinition } from '../route.js';
import { callBudgetResponse, callIdParams, callListResponse, panelMemberChoicesResponse } from '../schemas/calls.schemas.js';
import { caseIdFromText } from '../../db/queries/case-id-text.js';

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
      summary: "Public: the calls open now and those to come (title, programme, dates, mode, quota, budget, and a first-come call's budget and places left); a call whose budget awaits approval is not yet listed",
      tag: 'calls',
      access: 'public',
      response: callListResponse,
      async handle() {
        const now = clock();
        const rows = await db
          .selectFrom('calls')
          .innerJoin('cases', (join) => join.on(sql<boolean>`cases.case_id = ${caseIdFromText(sql.ref<string>('calls.call_id'))}`))
          .select(['calls.call_id', 'cases.reference_no', 'calls.title', 'calls.programme_id', 'calls.department', 'calls.mode', 'calls.opens_at', 'calls.closes_at', 'calls.quota', 'calls.budget_fen', 'calls.publicity_working_days'])
          .where('calls.revolving', '=', false)
          .where('calls.status', '=', 'approved')
          .where('calls.closes_at', '>', now)
          .orderBy('calls.opens_at')
          .orderBy('calls.call_id')
          .execute();
        // A first-come call's budget and places (名额) left, so that nobody fills in a form for a call with
        // nothing left to award; its places counted as an approval counts them.
        const remaining = new Map<string, number>();
        const placesLeft = new Map<string, number | null>();
        for (const r of rows.filter((r) => r.mode === 'first-come')) {
          const ledger = await readCallLedger(db, r.call_id);
          if (ledger) remaining.set(r.call_id, Math.max(0, ledger.remainingFen));
          placesLeft.set(r.call_id, await placesLeftIn(db, { callId: r.call_id, quota: r.quota }));
        }
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
              remainingFen: r.mode === 'first-come' ? (remaining.get(r.call_id) ?? r.budget_fen) : null,
              budgetUsedUp: r.mode === 'first-come' && remaining.get(r.call_id) === 0,
              placesLeft: placesLeft.get(r.call_id) ?? null,
              placesFull: placesLeft.get(r.call_id) === 0,
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
    route({
      method: 'GET',
      url: '/api/calls/:callId/panel-member-choices',
      summary: "Officials of the call's department: who may be named to its panel (评审组) — the department's officials with the reviewer duty, then the external experts; disabled accounts left out",
      tag: 'calls',
      access: 'signed-in',
      params: callIdParams,
      response: panelMemberChoicesResponse,
      refusals: [403, 404],
      async handle({ params, account }) {
        const call = await db.selectFrom('calls').select(['department']).where('call_id', '=', params.callId).executeTakeFirst();
        // The 雏鹰 fund's pool is not a call: it has no panel.
        if (!call || params.callId === 'chuying-fund') throw new HttpError(404, 'not-found', '链接中的申报批次不存在，或该批次不设评审组');
        const department = call.department as Department;
        const reader = account!;
        // Only those who name a panel choose its members: nobody else reads the list of reviewers and experts.
        if (!(reader.role === 'official' && reader.department === department)) {
          throw new HttpError(403, 'forbidden', `评审组成员只能由${departmentName(department)}的工作人员选定`);
        }
        const rows = await db
          .selectFrom('accounts')
          .select(['account_id', 'display_name', 'role'])
          .where('disabled_at', 'is', null)
          .where((eb) => eb.or([eb.and([eb('role', '=', 'official'), eb('department', '=', department), sql<boolean>`'reviewer' = ANY(duties)`]), eb('role', '=', 'expert')]))
          .orderBy(sql`CASE WHEN role = 'official' THEN 0 ELSE 1 END`)
          .orderBy(sql`name_sort_key(display_name) COLLATE chinese_pinyin`)
          .orderBy('account_id')
          .execute();
        return {
          members: rows.map((r) => ({
            accountId: r.account_id,
            displayName: r.display_name,
            kind: r.role === 'expert' ? ('expert' as const) : ('official' as const),
            kindLabel: r.role === 'expert' ? '评审专家' : `${departmentName(department)} 工作人员（评审）`,
          })),
        };
      },
    }),
  ];
}
