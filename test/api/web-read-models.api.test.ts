import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../api/auth/sessions.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import type { RouteDefinition } from '../../api/route.js';
import { dashboardRoutes } from '../../api/routes/dashboard.routes.js';
import { worklistRoutes } from '../../api/routes/worklist.routes.js';
import { countdown, dueDayOf } from '../../api/views/countdown.view.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { endOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const calendar = packagedCalendar();
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
const d = (text: string) => text as LocalDate;

describe('working-day countdowns (as the queue and the case page show them)', () => {
  it('counts the working days after today, as a time limit does, skipping the National Day holiday', () => {
    // Wed 30 Sep 2026 → Fri 9 Oct: 8 Oct and 9 Oct are left (1–7 Oct off; today is not counted).
    expect(countdown(calendar, at('2026-09-30T10:00:00'), d('2026-10-09'))).toMatchObject({ workingDaysLeft: 2, calendarDaysLeft: 9, breached: false, provisional: false });
    // On the due day itself, until 24:00: none after today (今日到期).
    expect(countdown(calendar, at('2026-10-09T23:59:00'), d('2026-10-09'))).toMatchObject({ workingDaysLeft: 0, breached: false });
    // The example: a 2-working-day filing on Thu 3 Dec 2026 is due Mon 7 Dec, and shows 2 that day, 1 on Friday.
    expect(countdown(calendar, at('2026-12-03T14:00:00'), d('2026-12-07')).workingDaysLeft).toBe(2);
    expect(countdown(calendar, at('2026-12-04T09:00:00'), d('2026-12-07')).workingDaysLeft).toBe(1);
    expect(countdown(calendar, at('2026-12-05T09:00:00'), d('2026-12-07')).workingDaysLeft).toBe(1);
    // Past 24:00 of the due day: breached; Sat 10 Oct (调休) and Mon 12 Oct are the working days since.
    expect(countdown(calendar, at('2026-10-12T09:00:00'), d('2026-10-09'))).toMatchObject({ workingDaysLeft: 0, breached: true, workingDaysOverdue: 2 });
  });

  it('marks a countdown that reaches a year without a holiday arrangement as provisional (暂定)', () => {
    expect(countdown(calendar, at('2026-12-20T10:00:00'), d('2027-01-15')).provisional).toBe(true);
    expect(countdown(calendar, at('2026-12-20T10:00:00'), d('2026-12-31')).provisional).toBe(false);
  });

  it('counts a period the applicant keeps in calendar days, provisional only when its last day may still move: a 补正 reply due across New Year', () => {
    // Requested on Thu 3 Dec 2026, due Mon 4 Jan 2027 (30 days reach Sat 2 Jan): 32 days.
    expect(countdown(calendar, at('2026-12-03T10:00:00'), d('2027-01-04'), false, 'calendar-days')).toMatchObject({ counting: 'calendar-days', calendarDaysLeft: 32, provisional: false, breached: false });
    // The case says the day may still move (2027 not loaded when it was looked up): 暂定, until it has passed.
    expect(countdown(calendar, at('2026-12-03T10:00:00'), d('2027-01-04'), true, 'calendar-days')).toMatchObject({ calendarDaysLeft: 32, provisional: true });
    expect(countdown(calendar, at('2027-01-07T10:00:00'), d('2027-01-04'), true, 'calendar-days')).toMatchObject({ breached: true, calendarDaysOverdue: 3, provisional: false });
    expect(countdown(calendar, at('2027-01-07T10:00:00'), d('2027-01-04'), false, 'calendar-days')).toMatchObject({ breached: true, calendarDaysOverdue: 3 });
    // The same day counted as an official's time limit is in working days, and provisional.
    expect(countdown(calendar, at('2026-12-03T10:00:00'), d('2027-01-04'))).toMatchObject({ counting: 'working-days', provisional: true });
  });

  it('turns a deadline instant (24:00 Shanghai) back into its due day', () => {
    expect(dueDayOf(new Date(endOfShanghaiDay(d('2026-10-09'))))).toBe('2026-10-09');
  });
});

describe('read-only endpoints for the web UI, against real PostgreSQL', () => {
  let database: TestDatabase;
  let deps: ApiDependencies;
  const official = { accountId: 'o1', username: 'o', displayName: '王审查', role: 'official', department: 'yangpu-fund', profile: {} } as Account;
  const applicant = { accountId: 'a1', username: 'a', displayName: '星河', role: 'applicant', profile: {} } as Account;
  const call = (routes: RouteDefinition[], url: string, account: Account, query: Record<string, unknown> = {}) =>
    routes.find((r) => r.url === url)!.handle({ params: {}, query, body: {}, account, request: {} as never, reply: {} as never });

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock: () => at('2026-06-15T10:00:00'), calendar: async () => calendar } as unknown as ApiDependencies;
    const row = (caseId: string, status: string, extra: Record<string, unknown> = {}) => ({
      case_id: caseId,
      reference_no: `CY-2026-${caseId.slice(-6)}`,
      case_type: 'chuying-loan',
      applicant_account_id: 'a1',
      applicant_name: '星河',
      status,
      status_label: status,
      waiting_for_role: null,
      waiting_for_department: null,
      requested_fen: 50_000_000,
      approved_fen: 30_000_000,
      outstanding_fen: 0,
      next_deadline_at: null,
      version: 1,
      opened_at: at('2026-01-01T10:00:00'),
      updated_at: at('2026-01-01T10:00:00'),
      state: '{}',
      // As the loan's read model writes it: the fund acts, 网信 reviews its content.
      departments: ['yangpu-fund', 'cac'],
      ...extra,
    });
    const one = '00000000-0000-4000-8000-000000000001';
    const two = '00000000-0000-4000-8000-000000000002';
    const three = '00000000-0000-4000-8000-000000000003';
    const four = '00000000-0000-4000-8000-000000000004';
    await database.db
      .insertInto('cases')
      .values([
        row(one, 'repaying', { outstanding_fen: 3_000_000 }),
        row(two, 'completed'),
        row(three, 'completeness-check', { approved_fen: null, waiting_for_role: 'official', waiting_for_department: 'yangpu-fund', next_deadline_at: new Date(endOfShanghaiDay(d('2026-06-16'))) }),
        row(four, 'awaiting-supplement', { approved_fen: null, waiting_for_role: 'applicant', next_deadline_at: new Date(endOfShanghaiDay(d('2026-07-15'))) }),
      ])
      .execute();
    const instalment = (number: number, dueOn: string, paid: number) => ({ case_id: one, number, due_on: dueOn, amount_fen: 1_000_000, paid_fen: paid, status: 'due', provisional: false });
    await database.db
      .insertInto('loan_instalments')
      .values([
        instalment(1, '2026-01-31', 0), // 135 days late: 90+
        instalment(2, '2026-04-30', 400_000), // 46 days late, partly paid: 31–90
        instalment(3, '2026-06-01', 0), // 14 days late: 1–30
        instalment(4, '2026-06-15', 0), // due today: not late, due this month
        instalment(5, '2026-06-30', 1_000_000), // paid ahead, due this month
      ])
      .execute();
  });
  afterAll(() => database?.drop());

  it('the loan book: outstanding, instalments due this month, and delinquency by days past due', async () => {
    const book = (await call(dashboardRoutes(deps), '/api/loans/book', official)) as Record<string, unknown>;
    expect(book).toMatchObject({
      asOf: '2026-06-15',
      loans: { repaying: 1, repaid: 1 },
      disbursedFen: 60_000_000,
      outstandingFen: 3_000_000,
      dueThisMonth: { month: '2026-06', instalments: 3, amountFen: 3_000_000, paidFen: 1_000_000 },
    });
    expect(book.delinquency).toEqual([
      { bucket: '1-30', label: '逾期 1–30 天', instalments: 1, loans: 1, outstandingFen: 1_000_000 },
      { bucket: '31-90', label: '逾期 31–90 天', instalments: 1, loans: 1, outstandingFen: 600_000 },
      { bucket: '90+', label: '逾期 90 天以上', instalments: 1, loans: 1, outstandingFen: 1_000_000 },
    ]);
  });

  it('the loan book and the dashboard are not for applicants', async () => {
    await expect(call(dashboardRoutes(deps), '/api/loans/book', applicant)).rejects.toMatchObject({ status: 403 });
    // Nor is the fund's loan book for another department's officials: an outsider read one company's loan as its "totals".
    await expect(call(dashboardRoutes(deps), '/api/loans/book', { ...official, department: 'xuhui' } as Account)).rejects.toMatchObject({ status: 403, message: expect.stringContaining('仅供杨浦区 V聚场基金的工作人员和审计人员查看') });
    await expect(call(dashboardRoutes(deps), '/api/dashboard/cases', applicant)).rejects.toMatchObject({ status: 403 });
    const counts = (await call(dashboardRoutes(deps), '/api/dashboard/cases', official)) as { total: number; byProgramme: { name: string; count: number }[] };
    expect(counts.total).toBe(4);
    expect(counts.byProgramme).toEqual([{ caseType: 'chuying-loan', name: '雏鹰计划（V聚场基金）创业借款', count: 4 }]);
  });

  it("an official's queue holds what waits for the department, with its working-day countdown; a search matches references", async () => {
    const queue = (await call(worklistRoutes(deps), '/api/worklist', official, { page: 1, limit: 50 })) as { view: string; cases: { referenceNo: string; countdown: { workingDaysLeft: number } | null }[] };
    expect(queue.view).toBe('queue');
    expect(queue.cases.map((c) => c.referenceNo)).toEqual(['CY-2026-000003']);
    expect(queue.cases[0]!.countdown).toMatchObject({ dueOn: '2026-06-16', workingDaysLeft: 1, breached: false });
    const found = (await call(worklistRoutes(deps), '/api/worklist', official, { view: 'all', q: '000002', page: 1, limit: 50 })) as { cases: { referenceNo: string }[] };
    expect(found.cases.map((c) => c.referenceNo)).toEqual(['CY-2026-000002']);
    const mine = (await call(worklistRoutes(deps), '/api/worklist', { ...applicant, accountId: 'someone-else' } as Account, { page: 1, limit: 50 })) as { cases: unknown[] };
    expect(mine.cases).toEqual([]);
  });

  it("an applicant's list counts a 补正 reply in days, the official's queue its time limit in working days", async () => {
    const mine = (await call(worklistRoutes(deps), '/api/worklist', applicant, { page: 1, limit: 50 })) as { cases: { referenceNo: string; countdown: Record<string, unknown> | null }[] };
    expect(mine.cases.find((c) => c.referenceNo === 'CY-2026-000004')!.countdown).toMatchObject({ counting: 'calendar-days', dueOn: '2026-07-15', calendarDaysLeft: 30, breached: false });
    const queue = (await call(worklistRoutes(deps), '/api/worklist', official, { page: 1, limit: 50 })) as { cases: { countdown: Record<string, unknown> | null }[] };
    expect(queue.cases[0]!.countdown).toMatchObject({ counting: 'working-days' });
  });
});
