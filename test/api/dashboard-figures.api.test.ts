import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Account } from '../../api/auth/sessions.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { dashboardRoutes } from '../../api/routes/dashboard.routes.js';
import { addDays, shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import type { dashboardResponse, loanBookResponse } from '../../api/schemas/responses.schemas.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * The dashboard's figures against what was recorded through the real workflow: 本月已收回 is the
 * sum of the repayments paid in the month (Asia/Shanghai), including one paid at 00:30 on the 1st,
 * when UTC still reads the month before; the case counts filter by month and programme.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;

const official = { accountId: 'demo-fund-reviewer', username: 'fund-reviewer', displayName: '王审查', role: 'official', department: 'yangpu-fund', duties: ['reviewer'], profile: {} } as unknown as Account;
const auditor = { accountId: 'demo-auditor', username: 'auditor', displayName: '赵审计', role: 'auditor', duties: [], profile: {} } as unknown as Account;

/** The dashboard's routes as the API serves them, on the harness's database, with the clock at `now`. */
function dashboardAt(now: Date) {
  const routes = dashboardRoutes({ db: harness.database.db, clock: () => now } as unknown as ApiDependencies);
  function call(url: '/api/loans/book', account: Account, query?: Record<string, string>): Promise<z.infer<typeof loanBookResponse>>;
  function call(url: '/api/dashboard/cases', account: Account, query?: Record<string, string>): Promise<z.infer<typeof dashboardResponse>>;
  function call(url: string, account: Account, query: Record<string, string> = {}): Promise<unknown> {
    return routes.find((r) => r.url === url)!.handle({ params: {}, query, body: {}, account, request: {} as never, reply: {} as never });
  }
  return call;
}

const workflowNow = async () => new Date(await harness.env.currentTimeMs());
const nextMonthStart = (date: LocalDate) => `${addDays(`${date.slice(0, 7)}-01` as LocalDate, 32).slice(0, 7)}-01` as LocalDate;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
});
afterAll(() => harness?.close());

async function loanInRepayment(): Promise<string> {
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(opened.statusCode, opened.body).toBe(201);
  const caseId = opened.json().caseId as string;
  const today = shanghaiDateOf(await workflowNow());
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    [fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }],
    [fundReviewer, 'record-disbursement', { disbursedOn: today, bankReference: `BOC-${caseId.slice(0, 8)}` }],
  ] as const) {
    const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
  return caseId;
}

async function repay(caseId: string, amountFen: number, paidOn: LocalDate, reference: string) {
  const response = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen, paidOn, reference });
  expect(response.statusCode, response.body).toBe(200);
}

describe('本月已收回 against the recorded repayments', () => {
  it('sums every repayment paid in the Shanghai month, one at 00:30 on the 1st included, whatever instalment it settles', async () => {
    const first = await loanInRepayment();
    const second = await loanInRepayment();
    const disbursedOn = shanghaiDateOf(await workflowNow());
    const month = disbursedOn.slice(0, 7);

    // Paid the day of the disbursement: it settles instalment 1, due next month — the ¥0.00 the dashboard showed.
    await repay(first, 1_000_000, disbursedOn, 'R-1');
    await repay(second, 250_050, disbursedOn, 'R-2');
    const sameDay = await dashboardAt(await workflowNow())('/api/loans/book', official);
    expect(sameDay.recoveredThisMonth).toEqual({ month, repayments: 2, amountFen: 1_250_050 });
    expect(sameDay.dueThisMonth.paidFen).toBe(0);

    // 00:30 on the 1st of next month in Shanghai: 16:30 the day before in UTC, still this month there.
    const firstOfNext = nextMonthStart(disbursedOn);
    const halfPastMidnight = startOfShanghaiDay(firstOfNext) + 30 * 60_000;
    expect(new Date(halfPastMidnight).toISOString().slice(0, 7)).toBe(month);
    await harness.env.sleep(halfPastMidnight - (await harness.env.currentTimeMs()));
    expect(shanghaiDateOf(await workflowNow())).toBe(firstOfNext);
    await repay(first, 800_000, firstOfNext, 'R-3');

    const dashboard = dashboardAt(new Date(halfPastMidnight));
    const now = await dashboard('/api/loans/book', official);
    expect(now.asOf).toBe(firstOfNext);
    expect(now.recoveredThisMonth).toEqual({ month: firstOfNext.slice(0, 7), repayments: 1, amountFen: 800_000 });
    // The month before, chosen: the two repayments of the disbursement day, and not the one on the 1st.
    expect((await dashboard('/api/loans/book', official, { month })).recoveredThisMonth).toEqual({ month, repayments: 2, amountFen: 1_250_050 });
    // An auditor reads the same figures.
    expect((await dashboard('/api/loans/book', auditor)).recoveredThisMonth.amountFen).toBe(800_000);

    // The two months together are every repayment the cases hold, and what the loans owe less.
    const repaid = await harness.database.db.selectFrom('cases').select(['approved_fen', 'outstanding_fen']).where('case_id', 'in', [first, second]).execute();
    expect(repaid.reduce((sum, r) => sum + r.approved_fen! - r.outstanding_fen, 0)).toBe(1_250_050 + 800_000);
  }, 120_000);
});

describe('case counts filtered by month and programme', () => {
  it('counts the cases opened in the chosen Shanghai month and programme, and names each programme by its own name', async () => {
    const planning = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission());
    const release = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission());
    expect(planning.statusCode, planning.body).toBe(201);
    expect(release.statusCode, release.body).toBe(201);
    // A call is the office's own case: not one of the cases counted.
    const now0 = (await workflowNow()).getTime();
    const shanghaiMinute = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    const call = await (await harness.as('yangpu-reviewer'))('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '看板不计的批次', opensAt: shanghaiMinute(now0 + 86_400_000), closesAt: shanghaiMinute(now0 + 10 * 86_400_000), budgetFen: 100_000_000, mode: 'first-come' });
    expect(call.statusCode, call.body).toBe(201);
    const rows = await harness.database.db.selectFrom('cases').select(['opened_at', 'case_type']).where('case_type', '!=', 'call').execute();
    const openedIn = (month: string, type?: string) => rows.filter((r) => shanghaiDateOf(r.opened_at).slice(0, 7) === month && (!type || r.case_type === type)).length;
    const now = new Date(await harness.env.currentTimeMs());
    const thisMonth = shanghaiDateOf(now).slice(0, 7);
    const dashboard = dashboardAt(now);

    const all = await dashboard('/api/dashboard/cases', auditor);
    expect(all.total).toBe(rows.length);
    const names = all.byProgramme.map((p: { name: string }) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['雏鹰计划（V聚场基金）创业借款']));
    expect(names.filter((n: string) => n.includes('微短剧'))).toHaveLength(2);
    expect(all.filters.programmes.map((p: { programme: string }) => p.programme)).toEqual(expect.arrayContaining(['chuying-loan', 'drama-planning-filing', 'drama-release-filing']));

    for (const month of new Set(rows.map((r) => shanghaiDateOf(r.opened_at).slice(0, 7)))) {
      expect((await dashboard('/api/dashboard/cases', auditor, { month })).total, month).toBe(openedIn(month));
    }
    expect((await dashboard('/api/dashboard/cases', auditor, { month: '2020-01' })).total).toBe(0);
    const loans = await dashboard('/api/dashboard/cases', auditor, { month: thisMonth, programme: 'chuying-loan' });
    expect(loans.total).toBe(openedIn(thisMonth, 'chuying-loan'));
    expect(loans.byProgramme.map((p: { caseType: string }) => p.caseType)).toEqual(loans.total ? ['chuying-loan'] : []);
    expect(loans.filters).toMatchObject({ month: thisMonth, programme: 'chuying-loan' });
    // The fund's official counts the fund's cases only: the filings are the 市文旅局's.
    expect((await dashboard('/api/dashboard/cases', official, { programme: 'drama-planning-filing' })).total).toBe(0);
  });
});

describe('the month a dashboard is asked for', () => {
  it('is refused in Chinese outside the years the system counts in, never a server error', async () => {
    const auditorCaller = await harness.as('auditor');
    for (const url of ['/api/dashboard/cases?month=0000-01', '/api/loans/book?month=0000-01', '/api/loans/book?month=2026-13']) {
      const response = await auditorCaller('GET', url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(response.json().message).toContain('月份的格式为 YYYY-MM');
    }
    expect((await auditorCaller('GET', '/api/loans/book?month=2026-11')).statusCode).toBe(200);
  });
});
