import { sql } from 'kysely';
import { z } from 'zod';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { CHUYING_LOAN_DEPARTMENT } from '../../domain/chuying/terms.js';
import { addDays, daysBetween, shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { contentDisposition } from './decision-letters.routes.js';
import { csvCell } from '../../audit/case-bundle.js';
import { awardsReportResponse, dashboardResponse, loanBookResponse } from '../schemas/responses.schemas.js';
import { caseTypeName, departmentName } from '../views/worklist.view.js';

// Years the system counts in (a year 0000 is no date PostgreSQL can hold): the pattern itself says so, so the OpenAPI does too.
const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;
const month = z.string().regex(MONTH, '月份的格式为 YYYY-MM，年份在 2000 至 2099 之间，例如 2026-11').describe('a month, YYYY-MM (Asia/Shanghai), 2000-01 to 2099-12');

export const dashboardQuery = z.strictObject({
  month: month.optional().describe('count only the cases opened in this month (Asia/Shanghai); all months when absent'),
  programme: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '政策编号只含小写字母、数字和连字符')
    .optional()
    .describe('count only this programme: a catalogue measure id, or a case type (chuying-loan, drama-planning-filing …)'),
});

export const awardsReportQuery = z.strictObject({
  year: z.string().regex(/^20\d{2}$/, '年份为 4 位数字，在 2000 至 2099 之间，例如 2026').optional().describe('only the awards made in this year (by the award day, Asia/Shanghai); every year when absent'),
  programme: dashboardQuery.shape.programme,
});

export const loanBookQuery = z.strictObject({
  month: month.optional().describe('the month whose instalments due and repayments received are summed; the current month (Asia/Shanghai) when absent'),
});

/** The first day of a YYYY-MM month and of the month after it. */
function monthBounds(yearMonth: string): { start: LocalDate; next: LocalDate } {
  const start = `${yearMonth}-01` as LocalDate;
  return { start, next: `${addDays(start, 32).slice(0, 7)}-01` as LocalDate };
}

function requireOfficialOrAuditor(account: Account): void {
  if (account.role !== 'official' && account.role !== 'auditor') throw new HttpError(403, 'forbidden', '数据看板和贷款台账仅供工作人员和审计人员查看。', [], {}, {}, 'the dashboard and the loan book are for officials and auditors');
}

type AwardsReport = z.infer<typeof awardsReportResponse>;
type AwardMoney = AwardsReport['totals'];

/**
 * 奖补资金: the awards ledger by measure — what was awarded, what went out of it, what is still to go
 * out, what was recovered — for the office's year-end figures. An official reads the awards of their
 * own department's cases (not those their department only reviews a step of: the fund's figures are
 * the fund's); an auditor every award.
 */
async function awardsReport(db: ApiDependencies['db'], account: Account, filters: z.infer<typeof awardsReportQuery>, today: LocalDate): Promise<AwardsReport> {
  // Out of the award so far: a loan's disbursement, an application's payments issued or recorded (rent waived, for a waiver).
  const paid = sql<string>`CASE WHEN c.case_type = 'chuying-loan' THEN coalesce((c.details->'disbursement'->>'amountFen')::int8, 0) ELSE coalesce((c.details->>'totalPaidFen')::int8, 0) END`;
  // Still to go out: awards being paid (in 公示, paying, a loan awaiting its disbursement) whose payments did not stop.
  const toPay = sql<string>`CASE WHEN c.status IN ('publicity', 'paying', 'awaiting-disbursement') AND jsonb_typeof(c.details->'stopped') IS DISTINCT FROM 'object' THEN greatest(a.amount_fen - (${paid}), 0) ELSE 0 END`;
  const visible = (query: ReturnType<typeof fromAwards>) => (account.role === 'official' ? query.where('c.department', '=', account.department ?? '') : query);
  const fromAwards = () => db.selectFrom('awards as a').innerJoin('cases as c', 'c.case_id', 'a.case_id');
  let selected = visible(fromAwards());
  if (filters.year) selected = selected.where('a.awarded_on', '>=', `${filters.year}-01-01`).where('a.awarded_on', '<', `${Number(filters.year) + 1}-01-01`);
  if (filters.programme) selected = selected.where('a.programme_id', '=', filters.programme);
  const [rows, years] = await Promise.all([
    selected
      .select([
        'a.programme_id as programme',
        sql<string | null>`min(c.department)`.as('department'),
        sql<number>`count(*) FILTER (WHERE a.amount_fen > 0)::int`.as('awards'),
        sql<string>`sum(a.amount_fen)`.as('awarded'),
        sql<string>`sum(${paid})`.as('paid'),
        sql<string>`sum(${toPay})`.as('to_pay'),
        sql<string>`sum(a.recovered_fen)`.as('recovered'),
        sql<string>`sum(a.written_off_fen)`.as('written_off'),
      ])
      .groupBy('a.programme_id')
      .execute(),
    visible(fromAwards()).select(sql<string>`to_char(a.awarded_on, 'YYYY')`.as('year')).distinct().orderBy('year', 'desc').execute(),
  ]);
  const byProgramme = rows
    .map((r) => ({
      programme: r.programme,
      name: caseTypeName(r.programme).zh,
      department: r.department,
      departmentName: departmentName(r.department),
      awards: r.awards,
      awardedFen: Number(r.awarded),
      paidFen: Number(r.paid),
      toPayFen: Number(r.to_pay),
      recoveredFen: Number(r.recovered),
      writtenOffFen: Number(r.written_off),
    }))
    .sort((x, y) => y.awardedFen - x.awardedFen || x.programme.localeCompare(y.programme));
  const totals = byProgramme.reduce<AwardMoney>(
    (sum, p) => ({ awards: sum.awards + p.awards, awardedFen: sum.awardedFen + p.awardedFen, paidFen: sum.paidFen + p.paidFen, toPayFen: sum.toPayFen + p.toPayFen, recoveredFen: sum.recoveredFen + p.recoveredFen, writtenOffFen: sum.writtenOffFen + p.writtenOffFen }),
    { awards: 0, awardedFen: 0, paidFen: 0, toPayFen: 0, recoveredFen: 0, writtenOffFen: 0 },
  );
  return { asOf: today, filters: { year: filters.year ?? null, programme: filters.programme ?? null }, years: years.map((y) => y.year), byProgramme, totals };
}

/** The report's columns in a spreadsheet: amounts in 元 with two decimals, as the office reads them. */
const AWARDS_CSV_COLUMNS = ['政策事项', '政策编号', '主管部门', '奖补笔数', '核定金额（元）', '已发放（元）', '待发放（元）', '已追回（元）', '已核销（元）'] as const;

function awardsCsv(report: AwardsReport): string {
  const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
  const line = (cells: readonly (string | number | null)[]) => cells.map(csvCell).join(',');
  const money = (m: AwardMoney) => [m.awards, yuan(m.awardedFen), yuan(m.paidFen), yuan(m.toPayFen), yuan(m.recoveredFen), yuan(m.writtenOffFen)];
  // The byte-order mark makes Excel read the Chinese as UTF-8.
  return `\uFEFF${[
    line(AWARDS_CSV_COLUMNS),
    ...report.byProgramme.map((p) => line([p.name, p.programme, p.departmentName, ...money(p)])),
    line(['合计', '', '', ...money(report.totals)]),
  ].join('\r\n')}\r\n`;
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
      query: dashboardQuery,
      response: dashboardResponse,
      async handle({ account, query }) {
        requireOfficialOrAuditor(account!);
        // A programme application is counted under its measure of the catalogue, other cases under their type.
        const programmeOf = sql<string>`coalesce(programme_id, case_type)`;
        let counted = db
          .selectFrom('cases')
          // An official counts their department's cases; an auditor all of them.
          .where((eb) => visibleCasesOnly(eb, account!))
          // A call (申报批次) is the office's own case, listed on its page: counted here, it swelled its programme's applications.
          .where('case_type', '!=', 'call');
        if (query.month) {
          // The month of the day the case was opened in Shanghai, not in UTC: a case opened at 00:30 on the 1st is that month's.
          const { start, next } = monthBounds(query.month);
          counted = counted.where('opened_at', '>=', new Date(startOfShanghaiDay(start))).where('opened_at', '<', new Date(startOfShanghaiDay(next)));
        }
        if (query.programme) counted = counted.where(programmeOf, '=', query.programme);
        const [rows, programmes] = await Promise.all([
          counted
            .select([programmeOf.as('case_type'), 'status', 'status_label', sql<number>`count(*)::int`.as('count')])
            .groupBy([programmeOf, 'status', 'status_label'])
            .orderBy(sql`1`)
            .orderBy('status')
            .execute(),
          // The filter offers every programme the account has cases of, whatever the filters now.
          db
            .selectFrom('cases')
            .where((eb) => visibleCasesOnly(eb, account!))
            .where('case_type', '!=', 'call')
            .select(programmeOf.as('programme'))
            .distinct()
            .orderBy(sql`1`)
            .execute(),
        ]);
        const byStatus = new Map<string, { status: string; label: string; count: number }>();
        const byProgramme = new Map<string, { caseType: string; name: string; count: number }>();
        for (const r of rows) {
          const s = byStatus.get(r.status_label) ?? { status: r.status, label: r.status_label, count: 0 };
          s.count += r.count;
          byStatus.set(r.status_label, s);
          // The programme's own name (a measure's, a filing kind's), so no two bars read alike.
          const p = byProgramme.get(r.case_type) ?? { caseType: r.case_type, name: caseTypeName(r.case_type).zh, count: 0 };
          p.count += r.count;
          byProgramme.set(r.case_type, p);
        }
        return {
          total: rows.reduce((sum, r) => sum + r.count, 0),
          byStatus: [...byStatus.values()].sort((a, b) => b.count - a.count),
          byProgramme: [...byProgramme.values()].sort((a, b) => b.count - a.count),
          byProgrammeAndStatus: rows.map((r) => ({ caseType: r.case_type, status: r.status, label: r.status_label, count: r.count })),
          filters: {
            month: query.month ?? null,
            programme: query.programme ?? null,
            programmes: programmes.map((p) => ({ programme: p.programme, name: caseTypeName(p.programme).zh })),
          },
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/dashboard/awards',
      summary: 'Officials (their own department’s) and auditors (all): the awards ledger by measure — awarded, paid out so far, still to pay, recovered and written off — for a year of award days or all years',
      tag: 'dashboard',
      access: 'signed-in',
      query: awardsReportQuery,
      response: awardsReportResponse,
      async handle({ account, query }) {
        requireOfficialOrAuditor(account!);
        return awardsReport(db, account!, query, shanghaiDateOf(clock()));
      },
    }),
    route({
      method: 'GET',
      url: '/api/dashboard/awards.csv',
      summary: 'The same report as a spreadsheet (text/csv, UTF-8 with a byte-order mark, amounts in yuan), with a total line',
      tag: 'dashboard',
      access: 'signed-in',
      query: awardsReportQuery,
      produces: { mediaType: 'text/csv', description: 'the report as CSV: UTF-8 with a byte-order mark, a header line, one line a measure and a 合计 line; amounts in yuan' },
      async handle({ account, query, reply }) {
        requireOfficialOrAuditor(account!);
        const today = shanghaiDateOf(clock());
        const report = await awardsReport(db, account!, query, today);
        const name = `奖补资金${query.year ? `-${query.year}年` : ''}${query.programme ? `-${caseTypeName(query.programme).zh}` : ''}-截至${today}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', contentDisposition(`awards-${query.year ?? 'all'}.csv`, name))
          .header('cache-control', 'private, no-store')
          .send(awardsCsv(report));
      },
    }),
    route({
      method: 'GET',
      url: '/api/loans/book',
      summary: 'The fund’s officials and auditors: the 雏鹰 loan book — disbursed, outstanding, instalments due this month, delinquency buckets (1–30, 31–90, 90+ days past due)',
      tag: 'dashboard',
      access: 'signed-in',
      query: loanBookQuery,
      response: loanBookResponse,
      async handle({ account, query }) {
        requireOfficialOrAuditor(account!);
        // The fund's figures are the fund's: with few loans, a total is one company's loan.
        if (account!.role === 'official' && account!.department !== CHUYING_LOAN_DEPARTMENT) {
          throw new HttpError(403, 'forbidden', `雏鹰计划贷款台账仅供${DEPARTMENTS[CHUYING_LOAN_DEPARTMENT]}的工作人员和审计人员查看。`, [], {}, {}, 'the 雏鹰 loan book is for the fund’s officials and auditors');
        }
        // Today and this month as in Shanghai, never in UTC (where 00:30 on the 1st is still the month before).
        const today = shanghaiDateOf(clock());
        const month = query.month ?? today.slice(0, 7);
        const { start: monthStart, next: nextMonthStart } = monthBounds(month);
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
        // 本月已收回 is what was paid in the month, read from the ledger itself (the RepaymentRecorded
        // events, by the payment date the fund recorded), not from the instalments due in the month:
        // a repayment settles the oldest unpaid instalment, often one due in another month, so the
        // instalments' `paid_fen` showed ¥0.00 for a repayment received that day.
        const { rows: received } = await sql<{ repayments: number; amount_fen: string }>`
          SELECT count(*)::int AS repayments, coalesce(sum((e.payload->>'amountFen')::int8), 0)::int8 AS amount_fen
          FROM events e JOIN streams s ON s.stream_id = e.stream_id
          WHERE s.stream_type = 'chuying-loan' AND e.event_type = 'RepaymentRecorded'
            AND e.payload->>'paidOn' >= ${monthStart} AND e.payload->>'paidOn' < ${nextMonthStart}`.execute(db);
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
            month,
            instalments: dueThisMonth.length,
            amountFen: dueThisMonth.reduce((sum, i) => sum + i.amount_fen, 0),
            paidFen: dueThisMonth.reduce((sum, i) => sum + Math.min(i.paid_fen, i.amount_fen), 0),
          },
          recoveredThisMonth: { month, repayments: received[0]?.repayments ?? 0, amountFen: Number(received[0]?.amount_fen ?? 0) },
          delinquency: buckets,
        };
      },
    }),
  ];
}
