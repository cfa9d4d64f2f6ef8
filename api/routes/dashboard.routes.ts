import { sql } from 'kysely';
import { addDays, daysBetween, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { dashboardResponse, loanBookResponse } from '../schemas/responses.schemas.js';
import { caseTypeName } from '../views/worklist.view.js';

function requireOfficialOrAuditor(account: Account): void {
  if (account.role !== 'official' && account.role !== 'auditor') throw new HttpError(403, 'forbidden', 'the dashboard and the loan book are for officials and auditors');
}

/** Days past due, grouped as the fund reports delinquency: 1–30, 31–90 and more than 90 days. */
export const DELINQUENCY_BUCKETS = [
  { bucket: '1-30', label: '逾期 1–30 天', from: 1, to: 30 },
  { bucket: '31-90', label: '逾期 31–90 天', from: 31, to: 90 },
  { bucket: '90+', label: '逾期 90 天以上', from: 91, to: Number.POSITIVE_INFINITY },
] as const;

/** Read-only figures for the officials' dashboard: cases by status and programme, and the 雏鹰 loan book. */
export function dashboardRoutes({ db, clock }: ApiDependencies) {
  return [
    route({
      method: 'GET',
      url: '/api/dashboard/cases',
      summary: 'Officials and auditors: how many cases are at each step, by programme',
      tag: 'dashboard',
      access: 'signed-in',
      response: dashboardResponse,
      async handle({ account }) {
        requireOfficialOrAuditor(account!);
        const rows = await db
          .selectFrom('cases')
          // An official counts their department's cases; an auditor all of them.
          .where((eb) => visibleCasesOnly(eb, account!))
          // A programme application is counted under its measure of the catalogue, other cases under their type.
          .select([sql<string>`coalesce(programme_id, case_type)`.as('case_type'), 'status', 'status_label', sql<number>`count(*)::int`.as('count')])
          .groupBy([sql`coalesce(programme_id, case_type)`, 'status', 'status_label'])
          .orderBy(sql`1`)
          .orderBy('status')
          .execute();
        const byStatus = new Map<string, { status: string; label: string; count: number }>();
        const byProgramme = new Map<string, { caseType: string; name: string; count: number }>();
        for (const r of rows) {
          const s = byStatus.get(r.status_label) ?? { status: r.status, label: r.status_label, count: 0 };
          s.count += r.count;
          byStatus.set(r.status_label, s);
          const p = byProgramme.get(r.case_type) ?? { caseType: r.case_type, name: caseTypeName(r.case_type).zh, count: 0 };
          p.count += r.count;
          byProgramme.set(r.case_type, p);
        }
        return {
          total: rows.reduce((sum, r) => sum + r.count, 0),
          byStatus: [...byStatus.values()].sort((a, b) => b.count - a.count),
          byProgramme: [...byProgramme.values()].sort((a, b) => b.count - a.count),
          byProgrammeAndStatus: rows.map((r) => ({ caseType: r.case_type, status: r.status, label: r.status_label, count: r.count })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/loans/book',
      summary: 'Officials and auditors: the 雏鹰 loan book — disbursed, outstanding, instalments due this month, delinquency buckets (1–30, 31–90, 90+ days past due)',
      tag: 'dashboard',
      access: 'signed-in',
      response: loanBookResponse,
      async handle({ account }) {
        requireOfficialOrAuditor(account!);
        const today = shanghaiDateOf(clock());
        const monthStart = `${today.slice(0, 7)}-01` as LocalDate;
        const nextMonthStart = addDays(monthStart, 32).slice(0, 7) + '-01';
        const loans = await db
          .selectFrom('cases')
          .select([
            sql<number>`count(*) FILTER (WHERE status = 'repaying')::int`.as('repaying'),
            sql<number>`count(*) FILTER (WHERE status = 'completed')::int`.as('repaid'),
            sql<number>`coalesce(sum(approved_fen) FILTER (WHERE status IN ('repaying', 'completed')), 0)::int8`.as('disbursed_fen'),
            sql<number>`coalesce(sum(outstanding_fen) FILTER (WHERE status = 'repaying'), 0)::int8`.as('outstanding_fen'),
          ])
          .where('case_type', '=', 'chuying-loan')
          .executeTakeFirstOrThrow();
        const instalments = await db
          .selectFrom('loan_instalments')
          .select(['case_id', 'due_on', 'amount_fen', 'paid_fen'])
          .where((eb) => eb.or([eb('paid_fen', '<', eb.ref('amount_fen')), eb.and([eb('due_on', '>=', monthStart), eb('due_on', '<', nextMonthStart)])]))
          .execute();
        const dueThisMonth = instalments.filter((i) => i.due_on >= monthStart && i.due_on < nextMonthStart);
        const buckets = DELINQUENCY_BUCKETS.map((b) => {
          const late = instalments.filter((i) => {
            const days = daysBetween(i.due_on as LocalDate, today);
            return i.paid_fen < i.amount_fen && days >= b.from && days <= b.to;
          });
          return {
            bucket: b.bucket,
            label: b.label,
            instalments: late.length,
            loans: new Set(late.map((i) => i.case_id)).size,
            outstandingFen: late.reduce((sum, i) => sum + i.amount_fen - i.paid_fen, 0),
          };
        });
        return {
          asOf: today,
          loans: { repaying: loans.repaying, repaid: loans.repaid },
          disbursedFen: Number(loans.disbursed_fen),
          outstandingFen: Number(loans.outstanding_fen),
          dueThisMonth: {
            month: today.slice(0, 7),
            instalments: dueThisMonth.length,
            amountFen: dueThisMonth.reduce((sum, i) => sum + i.amount_fen, 0),
            paidFen: dueThisMonth.reduce((sum, i) => sum + Math.min(i.paid_fen, i.amount_fen), 0),
          },
          delinquency: buckets,
        };
      },
    }),
  ];
}
