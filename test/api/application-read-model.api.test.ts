import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords.js';
import { caseView } from '../../api/views/case.view.js';
import { caseRowAsSeenBy } from '../../api/views/panel-confidentiality.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { addMonthsClamped, chineseDate, parseLocalDate, shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { workingDayDeadline } from '../../domain/time/working-days.js';
import { freshCreditCode } from '../support/actors.js';
import { eachCaseAgainstItsRows } from '../audit/support.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { sleepUntil } from '../support/workflow-updates.js';

/**
 * Issue 11: an application's case view is its module's view of the read-model row — its columns and
 * its `details` view model — and never the decider's state kept beside them.
 */

let harness: ApiHarness;
let creator: ApiCaller;
let tenant: ApiCaller;
let cacReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let huangpuDirector: ApiCaller;
let yangpuReviewer: ApiCaller;
let yangpuApprover: ApiCaller;
let yangpuDirector: ApiCaller;
let otherCreator: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  const as = (username: string) => harness.as(username);
  creator = await as('creator');
  tenant = await as('individual-creator');
  cacReviewer = await as('cac-reviewer');
  huangpuReviewer = await as('huangpu-reviewer');
  huangpuDirector = await as('huangpu-director');
  yangpuReviewer = await as('yangpu-reviewer');
  yangpuApprover = await as('yangpu-approver');
  yangpuDirector = await as('yangpu-director');
  otherCreator = await as('other-creator');
  auditor = await as('auditor');
});
afterAll(() => harness?.close());

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

/**
 * Since issue 14 a carrier tenancy (V聚场 included) is the register's answer, not the applicant's: a
 * company of its own, entered by 杨浦区投促办 in the 载体入驻企业名录, whose 统一社会信用代码 the application gives.
 */
async function registeredTenant(from = '2026-01-01'): Promise<string> {
  const code = freshCreditCode();
  const response = await yangpuReviewer('POST', '/api/registers/carrier-tenants/entries', { subject: code, name: '上海星河文化传媒有限公司', detail: { carrier: 'V聚场' }, from, reason: '入驻协议已签订' });
  expect(response.statusCode, response.body).toBe(201);
  return code;
}

/** A second individual creator, signed in: 杨浦人才租房补贴 funds each person once. */
async function anotherCreator(): Promise<ApiCaller> {
  await harness.database.db
    .insertInto('accounts')
    .values({ account_id: 'second-individual', username: 'second-individual', display_name: '沈小映', role: 'applicant', department: null, applicant_kind: 'individual', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
  return harness.as('second-individual');
}

const caseRow = (caseId: string) => harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();

/**
 * The case as GET /api/cases/:caseId answers it, checked against the view of its row with the
 * decider's state emptied: the two must be the same, field for field.
 */
/** The answer less what depends on who asks: their awards, personal data, actions, openings, the stacking to weigh (officials'), and the 查询码. */
function viewPart(answer: Awaited<ReturnType<typeof ok>>): Awaited<ReturnType<typeof ok>> {
  const { applicantAwards: _awards, personalData: _personal, availableActions: _actions, availableOpenings: _openings, stackingNotes: _stacking, factConflicts: _conflicts, progressCode, ...view } = answer;
  // The 查询码 is the asker's (the applicant's or an official's), added after the view: its two lines close the overview.
  if (progressCode !== undefined) {
    const overview = view.overview as unknown[];
    expect(overview.slice(-2)).toEqual([{ label: '查询码', value: progressCode }, { label: '进度查询', value: expect.stringContaining('办件进度查询') }]);
    view.overview = overview.slice(0, -2);
  }
  return view;
}

/** A 杨浦 rent subsidy of 9,500.00 a month (paid 8,000.00) applied for by `applicant`, through its steps to approval. */
async function approvedRentSubsidy(applicant: ApiCaller): Promise<{ caseId: string; awardedOn: LocalDate }> {
  const opened = await ok(applicant, 'POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } });
  const caseId = opened.caseId as string;
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 80 });
  await verifyClaims(yangpuReviewer, caseId);
  const approved = (await ok(yangpuApprover, 'POST', `/api/cases/${caseId}/approve-application`, {})).case;
  return { caseId, awardedOn: approved.award.awardedOn as LocalDate };
}

/** 登记拨付: the department's reviewer records every payment due, oldest first, each under its own transfer. */
async function recordDuePayouts(caseId: string): Promise<void> {
  const { duePayouts } = await ok(yangpuReviewer, 'GET', `/api/cases/${caseId}`);
  for (const due of duePayouts as { number: number; amountFen: number; dueOn: string }[]) {
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/record-payout`, { paidOn: due.dueOn, bankReference: `YP-${caseId.slice(0, 8)}-${due.number}`, amountFen: due.amountFen });
  }
}

async function viewReadingNoState(caller: ApiCaller, caseId: string) {
  const answered = viewPart(await ok(caller, 'GET', `/api/cases/${caseId}`));
  const row = await caseRow(caseId);
  expect(row.details).not.toBeNull();
  // As the caller may read it (api/views/panel-confidentiality.ts): the case's department the whole row; an applicant, and
  // an official of another department (网信), without who scored and how.
  const officials = new Map([[cacReviewer, 'cac'], [huangpuReviewer, 'huangpu'], [huangpuDirector, 'huangpu'], [yangpuReviewer, 'yangpu-investment'], [yangpuApprover, 'yangpu-investment'], [yangpuDirector, 'yangpu-investment']]);
  const reader = { role: officials.has(caller) ? 'official' : 'applicant', department: officials.get(caller), accountId: '', displayName: '' };
  const withoutState = JSON.parse(JSON.stringify(caseView(caseRowAsSeenBy({ ...row, state: {} }, reader))));
  expect(answered).toEqual(withoutState);
  return { view: answered, row };
}

/**
 * The deadline a step's time limit shows (issue 13): the step's promised working days counted on the
 * calendar from the day the case reached the step, which is today on the test server's clock.
 */
async function expectStepLimit(view: { timeLimit: { provisional: boolean } | null; deadline: unknown }, step: string, workingDays: number) {
  const today = shanghaiDateOf(await harness.env.currentTimeMs());
  const { lastWorkingDay, deadlineMs } = workingDayDeadline(await calendarFromDatabase(harness.database.db)(), parseLocalDate(today), workingDays);
  expect(view.timeLimit).toMatchObject({ step, workingDays, promisedWorkingDays: workingDays, startedOn: today, lastWorkingDay, extension: null, breachedAt: null });
  expect(view.deadline).toEqual({ kind: `time-limit:${step}`, dueOn: lastWorkingDay, at: new Date(deadlineMs).toISOString(), provisional: view.timeLimit!.provisional });
}

describe('the application read model: columns and a view model, no decider state', () => {
  it('answers every step of a 杨浦 award from the row alone: 补正, score, the decision and the vouchers', async () => {
    // 直播券 are for companies in V聚场 (catalogue 2026-12-03).
    const opened = await ok(creator, 'POST', '/api/applications/yangpu-live-stream-vouchers', { title: '直播消费券', summary: '在名录场馆直播', facts: { applicantKind: 'company', unifiedSocialCreditCode: await registeredTenant(), venueOnPublishedList: true, requestedAmountFen: 500_000 } });
    const caseId = opened.caseId as string;

    let { view, row } = await viewReadingNoState(creator, caseId);
    expect(view).toMatchObject({
      caseType: 'application',
      programme: { id: 'yangpu-live-stream-vouchers', catalogueVersion: '2026-12-03', department: 'yangpu-investment' },
      priority: 'normal',
      details: { title: '直播消费券', summary: '在名录场馆直播' },
      facts: { venueOnPublishedList: true },
      requestedAmountFen: 500_000,
      waitingFor: { role: 'official', department: 'yangpu-investment' },
      deadline: { kind: 'completeness-check' },
      completeness: { workingDays: 5 },
      decision: null,
      award: null,
    });
    expect(row).toMatchObject({ department: 'yangpu-investment', programme_id: 'yangpu-live-stream-vouchers', priority: 0, requested_fen: 500_000, source_case_id: null, outstanding_fen: 0 });
    // The view model, not the decider's state: who reviewed the case (four-eyes) is the decider's business.
    expect(row.details).not.toHaveProperty('reviewerIds');
    expect(row.details).not.toHaveProperty('terms');
    expect(row.details).toMatchObject({ titleAndSummary: { title: '直播消费券', summary: '在名录场馆直播' } });

    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['作品版权证明'] });
    ({ view } = await viewReadingNoState(creator, caseId));
    expect(view).toMatchObject({ status: 'awaiting-supplement', supplement: { missingItems: ['作品版权证明'] }, completeness: null, waitingFor: { role: 'applicant' }, deadline: { kind: 'supplement-reply' } });

    await ok(creator, 'POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '作品版权证明', response: 'copyright.pdf' }] });
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 90, comments: '传播效果好' });
    ({ view } = await viewReadingNoState(yangpuReviewer, caseId));
    expect(view).toMatchObject({ status: 'review', waitingFor: { role: 'official', department: 'yangpu-investment' } });
    // Scoring and deciding: 20 working days from accepting the materials (行政许可法 Art. 42); scoring does not end the step.
    await expectStepLimit(view, 'review', 20);
    expect(view.scores).toEqual([{ by: '孙评审', score: 90, comments: '传播效果好', scoredAt: expect.any(String) }]);

    await verifyClaims(yangpuReviewer, caseId);
    await ok(yangpuApprover, 'POST', `/api/cases/${caseId}/approve-application`, { notes: '同意' });
    ({ view, row } = await viewReadingNoState(creator, caseId));
    expect(view).toMatchObject({
      decision: { by: '钱审批', approvedAmountFen: 500_000, byDirector: false },
      award: { amountFen: 500_000, planInWords: expect.any(String) },
      vouchers: { amountFen: 500_000 },
    });
    expect(row).toMatchObject({ approved_fen: 500_000, decided_on: view.decision.on });
  });

  it('lets the 网信 office review the content of a 黄浦 award whose row names 黄浦 as its department', async () => {
    const opened = await ok(creator, 'POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚补贴', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' } });
    const caseId = opened.caseId as string;
    await ok(huangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
    const atReview = await viewReadingNoState(cacReviewer, caseId);
    expect(atReview.view).toMatchObject({ status: 'compliance-review', waitingFor: { role: 'official', department: 'cac' } });
    await expectStepLimit(atReview.view, 'compliance-review', 10);
    expect(atReview.view.timeLimit.department).toBe('cac');
    expect(atReview.row.department).toBe('huangpu');
    await ok(cacReviewer, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '内容积极健康' });
    const { view } = await viewReadingNoState(huangpuDirector, caseId);
    expect(view).toMatchObject({ status: 'review', waitingFor: { role: 'official', department: 'huangpu' } });
    await expectStepLimit(view, 'review', 20);
    expect(view.timeLimit.department).toBe('huangpu');
  });

  it('answers a 杨浦 rent subsidy paid monthly and stopped by a move from the row alone, with what can be recovered', async () => {
    const { caseId, awardedOn } = await approvedRentSubsidy(tenant);

    let { view } = await viewReadingNoState(tenant, caseId);
    expect(view).toMatchObject({ status: 'paying', award: { plan: { kind: 'monthly' } }, deadline: { kind: 'next-payout' }, stopped: null });
    // The next payout is a calendar date by the award's schedule, not a working-day time limit: a date, no countdown, never 暂定.
    const dueOn = (view.deadline as { dueOn: LocalDate }).dueOn;
    const lines = view.overview as { label: string; value: string }[];
    expect(lines.find((l) => l.label === '下一笔发放')?.value).toBe(`${chineseDate(dueOn)}发放`);
    // The plan names the first payment's day, a month after the approval: 自<the approval's day>起每月发放 read as if paid that day.
    expect(dueOn).toBe(addMonthsClamped(awardedOn, 1));
    const planLine = lines.find((l) => l.label === '奖补')!.value;
    expect(planLine).toContain(`每月发放 8,000.00元，共 36 个月，${chineseDate(dueOn)}首次发放，${chineseDate(addMonthsClamped(awardedOn, 36))}末次发放`);
    expect(planLine).not.toContain(`自${chineseDate(awardedOn)}起`);
    expect(lines.map((l) => l.label)).not.toContain('办理时限');
    expect(JSON.stringify(lines)).not.toContain('暂定');
    const listed = ((await ok(tenant, 'GET', '/api/worklist?view=all&pageSize=100')).cases as { caseId: string; countdown: { counting: string; dueOn: string; provisional: boolean; breached: boolean } | null }[]).find((c) => c.caseId === caseId)!;
    expect(listed.countdown).toMatchObject({ counting: 'payout-date', dueOn, provisional: false, breached: false });

    await sleepUntil(harness.env, startOfShanghaiDay(addMonthsClamped(awardedOn, 3)) + 12 * 3600_000);
    await recordDuePayouts(caseId);
    await ok(tenant, 'POST', `/api/cases/${caseId}/report-left-yangpu`, { leftOn: addMonthsClamped(awardedOn, 2), note: '迁往浦东' });
    ({ view } = await viewReadingNoState(yangpuReviewer, caseId));
    expect(view.payouts.length).toBeGreaterThan(0);
    expect(view).toMatchObject({ stopped: { recoverableFen: 800_000, leftOn: addMonthsClamped(awardedOn, 2) } });
    // The award's line says it stopped: it had read as 36 months still to come.
    const awardLine = (view.overview as { label: string; value: string }[]).find((l) => l.label === '奖补')!.value;
    expect(awardLine).toMatch(/；已停止发放（\d{4}年\d{1,2}月\d{1,2}日迁离杨浦，申请人报告），按迁离日应得 [\d,]+\.\d{2} 元，多发 8,000\.00 元 待追回，其余 [\d,]+\.\d{2} 元 不再发放$/);
  });

  it('lets the department record a move it learnt of elsewhere (市场监管登记迁出): the payments stop, the case says who recorded it and how it knows, the applicant is told', async () => {
    // An outsider's office learnt from the market regulation register that a recipient had moved out, and could not stop the payments.
    // A creator of their own: the subsidy funds a person once, and the test above funded 林小创.
    const renter = await anotherCreator();
    const { caseId, awardedOn } = await approvedRentSubsidy(renter);
    await sleepUntil(harness.env, startOfShanghaiDay(addMonthsClamped(awardedOn, 3)) + 12 * 3600_000);
    await recordDuePayouts(caseId);
    const leftOn = addMonthsClamped(awardedOn, 2);
    const body = { leftOn, note: '市场监管登记迁出' };

    // Offered to the officials who decide the case, with the form's two fields; the applicant keeps their own report.
    const names = async (caller: ApiCaller) => ((await ok(caller, 'GET', `/api/cases/${caseId}`)).availableActions as { name: string }[]).map((a) => a.name);
    const offered = ((await ok(yangpuApprover, 'GET', `/api/cases/${caseId}`)).availableActions as { name: string; label: string; enabled: boolean; bodySchema: { properties: Record<string, unknown>; required: string[] } }[]).find((a) => a.name === 'record-left-yangpu')!;
    expect(offered).toMatchObject({ label: '登记申请人迁离杨浦', enabled: true });
    expect(offered.bodySchema.required).toEqual(expect.arrayContaining(['leftOn', 'note']));
    expect(await names(renter)).toEqual(['report-left-yangpu']);
    expect(await names(yangpuReviewer)).not.toContain('record-left-yangpu');

    // Refused, in plain Chinese: a reviewer without the duty to decide, another department, another applicant, the applicant themself, the auditor.
    const refused = async (caller: ApiCaller, status: number, message: string | RegExp) => {
      const response = await caller('POST', `/api/cases/${caseId}/record-left-yangpu`, body);
      expect(response.statusCode, response.body).toBe(status);
      // Ids in their own format aside (the case's, in a 404), in words.
      expect((response.json().message as string).replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '')).toMatch(message);
    };
    const chineseOnly = /^[^A-Za-z]+$/;
    await refused(yangpuReviewer, 403, /^只有审批人员、处长或分管领导可以办理此项；您是孙评审/);
    await refused(huangpuReviewer, 403, chineseOnly);
    await refused(otherCreator, 404, chineseOnly);
    await refused(renter, 403, chineseOnly);
    await refused(auditor, 403, chineseOnly);
    // The day within the subsidy's start and today, and the note required: each at its field.
    const early = await yangpuApprover('POST', `/api/cases/${caseId}/record-left-yangpu`, { ...body, leftOn: '2020-01-01' });
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json()).toMatchObject({ message: expect.stringContaining('早于补贴起始日'), issues: [expect.objectContaining({ field: 'leftOn' })] });
    const noNote = await yangpuApprover('POST', `/api/cases/${caseId}/record-left-yangpu`, { leftOn, note: ' ' });
    expect(noNote.statusCode, noNote.body).toBe(400);
    expect(noNote.json().issues).toEqual([expect.objectContaining({ field: 'note' })]);

    const done = await ok(yangpuApprover, 'POST', `/api/cases/${caseId}/record-left-yangpu`, body);
    expect(done.result.events).toEqual(['LeftYangpuRecorded', 'PayoutsStopped', 'ApplicationCompleted']);
    const { view } = await viewReadingNoState(renter, caseId);
    expect(view).toMatchObject({ status: 'completed', stopped: { leftOn, recoverableFen: 800_000, recordedBy: { department: 'yangpu-investment', note: '市场监管登记迁出' } } });
    const awardLine = (view.overview as { label: string; value: string }[]).find((l) => l.label === '奖补')!.value;
    expect(awardLine).toMatch(/；已停止发放（\d{4}年\d{1,2}月\d{1,2}日迁离杨浦，杨浦区投促办登记，依据：市场监管登记迁出），按迁离日应得 [\d,]+\.\d{2} 元，多发 8,000\.00 元 待追回/);
    // The timeline names the event and who recorded it, with the note; the applicant is told that the office recorded it, and on what.
    const events = (await ok(renter, 'GET', `/api/cases/${caseId}/events`)).events as { type: string; actor: { displayName: string; role: string; department?: string }; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'LeftYangpuRecorded')).toMatchObject({ actor: { displayName: '钱审批', role: 'official', department: 'yangpu-investment' }, data: { leftOn, note: '市场监管登记迁出' } });
    // Each party is told once of the one record: the applicant, of the record and the stop together (two notices said it twice); the department, of what is left to recover.
    type Told = { caseId: string; kind: string; title: string; body: string; forDepartment: boolean };
    const inboxOf = async (caller: ApiCaller) => ((await ok(caller, 'GET', '/api/inbox?pageSize=100')).notices as Told[]).filter((n) => n.caseId === caseId && n.kind === 'payouts-stopped');
    const toApplicant = await inboxOf(renter);
    expect(toApplicant, JSON.stringify(toApplicant)).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/^杨浦区投促办登记您已迁离杨浦：/), body: expect.stringMatching(/（依据：市场监管登记迁出），您的.+因此已停止发放：已发放[\d,]+\.\d{2}元，其中迁离后多发的8,000\.00元将由主管部门追回。如与事实不符，请联系杨浦区投促办。$/) }),
    ]);
    for (const official of [yangpuApprover, yangpuDirector]) {
      expect(await inboxOf(official)).toEqual([expect.objectContaining({ forDepartment: true, title: expect.stringMatching(/^停止发放，待追回：/) })]);
    }
  });

  it('answers the rent waiver of a 杨浦 carrier tenant, year by year, from the row alone', async () => {
    // Admitted today: a waiver's contract years count from admission, and the decision falls in the first.
    const admittedToday = await registeredTenant(shanghaiDateOf(new Date()));
    const opened = await ok(creator, 'POST', '/api/applications/yangpu-rent-waiver', { title: '载体租金减免', summary: '入驻杨浦载体', facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 2_000_000, unifiedSocialCreditCode: admittedToday } });
    const caseId = opened.caseId as string;
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 85 });
    await verifyClaims(yangpuReviewer, caseId);
    await ok(yangpuDirector, 'POST', `/api/cases/${caseId}/approve-application`, {});
    const { view } = await viewReadingNoState(creator, caseId);
    // The first year is waived on approval; each later one as it begins.
    expect(view.rentWaiverYears).toEqual([expect.objectContaining({ year: 1, waivedFen: expect.any(Number), tenantPaysFen: expect.any(Number) })]);
    // Rent not charged, not money paid out: 已减免, the next contract year's start, and what the tenant pays each year
    // (20,000.00 a month: year 1 waived whole, year 2 pays 25%, year 3 50%).
    const lines = new Map((view.overview as { label: string; value: string }[]).map((l) => [l.label, l.value]));
    expect(lines.get('奖补')).toMatch(/^租金减免合计 540,000\.00 元：.+；已减免 240,000\.00 元$/);
    expect(lines.get('各合同年度租金')).toMatch(/^第 1 年（.+）减免 100%（240,000\.00 元），承租方支付 0\.00 元；第 2 年（.+）减免 75%（180,000\.00 元），承租方支付 60,000\.00 元（尚未开始）；第 3 年（.+）减免 50%（120,000\.00 元），承租方支付 120,000\.00 元（尚未开始）$/);
    expect(lines.get('下一合同年度')).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日起按下一年度比例减免租金$/);
    expect([...lines.keys()]).not.toContain('下一笔发放');
    expect(lines.get('奖补')).not.toContain('已发放');
  });

  it('keeps 盾牌 complaints first in the queue (the priority column) and shows the priority from the view model', async () => {
    const opened = await ok(tenant, 'POST', '/api/applications/hu9-shield', { title: '网络暴力投诉', summary: '持续被骚扰', facts: { applicantKind: 'individual-creator', complaintCategory: '网络暴力' } });
    const { view, row } = await viewReadingNoState(tenant, opened.caseId as string);
    expect(view).toMatchObject({ priority: 'first', programme: { id: 'hu9-shield', department: 'cac' } });
    expect(row).toMatchObject({ priority: 1, department: 'cac' });

    // A service pays nothing: its approval asks no amount (an outsider entered one and was refused for it).
    await ok(cacReviewer, 'POST', `/api/cases/${opened.caseId as string}/accept-materials`, {});
    const approve = ((await ok(await harness.as('cac-approver'), 'GET', `/api/cases/${opened.caseId as string}`)).availableActions as { name: string; bodySchema: { properties: Record<string, unknown> }; explain: string }[]).find((a) => a.name === 'approve-application')!;
    expect(Object.keys(approve.bodySchema.properties)).toEqual(['notes']);
    expect(approve.explain).toBe('本事项为服务，不发放资金，无需填写金额。');

    // The decider's notes are the service's whole decision: shown on the 决定 line to the officials and to the applicant, not in the letter alone.
    const notes = '已约谈平台，侵权账号已封禁';
    await verifyClaims(cacReviewer, opened.caseId as string);
    await ok(await harness.as('cac-approver'), 'POST', `/api/cases/${opened.caseId as string}/approve-application`, { notes });
    for (const reader of [tenant, cacReviewer]) {
      const decided = await viewReadingNoState(reader, opened.caseId as string);
      expect(decided.view.decision).toMatchObject({ by: '刘网信', notes });
      expect((decided.view.overview as { label: string; value: string }[]).find((l) => l.label === '决定')!.value).toContain(`决定意见：${notes}`);
    }
    const events = (await ok(tenant, 'GET', `/api/cases/${opened.caseId as string}/events`)).events as { type: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'ApplicationApproved')!.data.notes).toBe(notes);
  });

  it('closes a withdrawn case with its reasons, from the row alone', async () => {
    const opened = await ok(tenant, 'POST', '/api/applications/hu9-starlight', { title: '星光计划', summary: '申请扶持', facts: { applicantKind: 'individual-creator' } });
    await ok(tenant, 'POST', `/api/cases/${opened.caseId}/withdraw`, { reason: '另行申请' });
    const { view } = await viewReadingNoState(tenant, opened.caseId as string);
    expect(view).toMatchObject({ status: 'withdrawn', closingReasons: ['另行申请'], waitingFor: null, deadline: null });

    // A row projected before the module wrote `details` is shown through the module's read model of its state, the same.
    const { details } = await caseRow(opened.caseId as string);
    await harness.database.db.updateTable('cases').set({ details: null }).where('case_id', '=', opened.caseId).execute();
    try {
      expect(viewPart(await ok(tenant, 'GET', `/api/cases/${opened.caseId}`))).toEqual(view);
    } finally {
      await harness.database.db.updateTable('cases').set({ details: JSON.stringify(details) }).where('case_id', '=', opened.caseId).execute();
    }
  });

  it('rebuilds every application row, its view model and department included, identically from the events', async () => {
    const rows = await harness.database.db.selectFrom('cases').select(['case_id', 'details', 'department']).where('case_type', '=', 'application').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.details, row.case_id).not.toBeNull();
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.drift).toEqual([]);
    expect(report.tables.find((t) => t.table === 'cases')).toMatchObject({ changed: 0, missing: 0, extra: 0 });
    // And each case from its own events alone, as verify --case rebuilds it (awards and stays held by its projection).
    const each = await eachCaseAgainstItsRows(harness.database.db);
    expect(each.cases).toBeGreaterThanOrEqual(rows.length);
    expect(each.drift).toEqual([]);
  });
});
