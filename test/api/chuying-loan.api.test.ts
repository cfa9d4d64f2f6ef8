import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { addDays, parseLocalDate, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { eachCaseAgainstItsRows } from '../audit/support.js';
import { workingDayDeadline } from '../../domain/time/working-days.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { assignWithApproval } from '../support/accounts.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

async function openCase(): Promise<string> {
  const response = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(response.statusCode).toBe(201);
  return response.json<{ caseId: string }>().caseId;
}

describe('signing in', () => {
  it('refuses a wrong password and calls without a token', async () => {
    const wrong = await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'creator', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'unauthenticated', message: '用户名或密码错误' });
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/cases' });
    expect(anonymous.statusCode).toBe(401);
    const forged = await harness.app.inject({ method: 'GET', url: '/api/cases', headers: { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } });
    expect(forged.statusCode).toBe(401);
  });

  it('ends a session on logout', async () => {
    const caller = await harness.as('auditor');
    expect((await caller('GET', '/api/me')).json()).toMatchObject({ username: 'auditor', role: 'auditor' });
    expect((await caller('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await caller('GET', '/api/me')).statusCode).toBe(401);
  });
});

describe('GET /api/loans/chuying/schedule (public preview)', () => {
  it('answers 36 instalments that add up to the principal, with due dates off holidays', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/loans/chuying/schedule?principalFen=50000000&disbursedOn=2026-01-31' });
    expect(response.statusCode).toBe(200);
    const { instalments } = response.json<{ instalments: { number: number; dueOn: string; amountFen: number; provisional: boolean }[] }>();
    expect(instalments).toHaveLength(36);
    expect(Object.keys(instalments[0]!).sort()).toEqual(['amountFen', 'dueOn', 'number', 'provisional']);
    expect(instalments.slice(0, 35).every((i) => i.amountFen === 1_388_889)).toBe(true);
    expect(instalments[35]!.amountFen).toBe(1_388_885);
    // 28 Feb 2026 is a make-up working Saturday: the first instalment stays on it.
    expect(instalments[0]!.dueOn).toBe('2026-02-28');
    // 31 May 2026 is a Sunday: the 4th instalment moves to Monday 1 June.
    expect(instalments[3]!.dueOn).toBe('2026-06-01');
    expect(instalments.filter((i) => i.dueOn < '2027-01-01').every((i) => !i.provisional)).toBe(true);
    expect(instalments.filter((i) => i.dueOn >= '2027-01-01').every((i) => i.provisional)).toBe(true);
  });

  it('refuses bad and over-cap input with a message naming the rule', async () => {
    const overCap = await harness.app.inject({ method: 'GET', url: '/api/loans/chuying/schedule?principalFen=50000001&disbursedOn=2026-01-31' });
    expect(overCap.statusCode).toBe(400);
    expect(overCap.json().message).toBe('借款金额 500,000.01 元超过雏鹰计划每笔 500,000.00 元的上限。');
    const inEnglish = await harness.app.inject({ method: 'GET', url: '/api/loans/chuying/schedule?principalFen=50000001&disbursedOn=2026-01-31', headers: { 'accept-language': 'en' } });
    expect(inEnglish.json().message).toBe('principal 500,000.01 exceeds the 雏鹰计划 cap of 500,000.00');

    const bad = await harness.app.inject({ method: 'GET', url: '/api/loans/chuying/schedule?principalFen=12.5&disbursedOn=2026-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['query.disbursedOn', 'query.principalFen']);
    // All digits, but more than any amount: said so, as in a body, not as though a digit were wrong.
    const huge = await harness.app.inject({ method: 'GET', url: '/api/loans/chuying/schedule?principalFen=99999999999999999999&disbursedOn=2026-01-31' });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().issues).toEqual([expect.objectContaining({ field: 'query.principalFen', message: '金额太大，超出了可以处理的范围' })]);

    for (const query of ['principalFen=-1&disbursedOn=2026-01-31', 'principalFen=0&disbursedOn=2026-01-31', 'disbursedOn=2026-01-31', 'principalFen=100&disbursedOn=2026-01-31&extra=1']) {
      expect((await harness.app.inject({ method: 'GET', url: `/api/loans/chuying/schedule?${query}` })).statusCode).toBe(400);
    }
  });
});

describe('opening a case', () => {
  it('answers 400 with a message per field, and refuses fields nobody may set', async () => {
    const missing = await creator('POST', '/api/cases/chuying-loan', { project: { name: '' } });
    expect(missing.statusCode).toBe(400);
    const fields = missing.json().issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['company', 'project.name', 'requestedAmountFen']));

    const massAssignment = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), status: 'awaiting-disbursement' });
    expect(massAssignment.statusCode).toBe(400);
    expect(massAssignment.json().message).toContain('不认识的字段「status」');

    // Each refused for what is wrong with it: a fraction or a string is not a whole number of fen, 1e20 is too large (not "not whole").
    for (const [requestedAmountFen, problem] of [
      [1000.5, '金额应为整数'],
      [-5, '必须大于 0'],
      ['40000000', '金额应为整数'],
      [2 ** 53, '金额太大'],
      [1e20, '金额太大'],
    ] as const) {
      const response = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), requestedAmountFen });
      expect(response.statusCode, `requestedAmountFen ${requestedAmountFen}`).toBe(400);
      expect(response.json().issues.find((i: { field: string }) => i.field === 'requestedAmountFen').message, `requestedAmountFen ${requestedAmountFen}`).toContain(problem);
    }
  });

  it('applies the 雏鹰 rules: 杨浦 registration and the 500,000.00 cap', async () => {
    const elsewhere = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), company: { ...validApplication().company, registeredDistrict: '浦东新区' } });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json()).toMatchObject({ code: 'district-required', message: '雏鹰计划只面向注册在杨浦区的企业；本企业注册在浦东新区。' });
    const overCap = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), requestedAmountFen: 50_000_001 });
    expect(overCap.json()).toMatchObject({ code: 'above-cap', message: '申请金额 500,000.01元超过雏鹰计划的上限 500,000.00元。' });
    // A sum too small for 36 instalments could be approved but never disbursed: refused when asked for.
    const tooSmall = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), requestedAmountFen: 35 });
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.json()).toMatchObject({ code: 'principal-too-small', message: '贷款本金 0.35元太少，不能分 36 期偿还。' });
    expect(tooSmall.json().issues.map((i: { field: string }) => i.field)).toEqual(['requestedAmountFen']);
  });

  it('names every problem in one answer (一次告知): a malformed credit code, the district and the cap together', async () => {
    const application = validApplication();
    const everything = await creator('POST', '/api/cases/chuying-loan', {
      ...application,
      company: { ...application.company, unifiedSocialCreditCode: '12345', registeredDistrict: '浦东新区' },
      requestedAmountFen: 50_000_001,
    });
    expect(everything.statusCode).toBe(400);
    const body = everything.json<{ message: string; issues: { field: string; message: string; code: string }[] }>();
    expect(body.issues.map((i) => [i.field, i.code]).sort()).toEqual([
      ['company.registeredDistrict', 'district-required'],
      ['company.unifiedSocialCreditCode', 'invalid_format'],
      ['requestedAmountFen', 'above-cap'],
    ]);
    expect(body.message).toMatch(/^请修改以下 3 处：/);
    // Each field by its name in the form, never by the API's key (requestedAmountFen).
    expect(body.message).toContain('注册区：须为杨浦区');
    expect(body.message).toContain('申请金额：不能超过 500,000.00元');
    expect(body.message).not.toMatch(/[A-Za-z]{3,}/);
    expect(body.issues.find((i) => i.field === 'requestedAmountFen')?.message).toBe('不能超过 500,000.00元');
    // The same in English on request, each rule with its own words.
    const english = await creator('POST', '/api/cases/chuying-loan', { ...application, company: { ...application.company, unifiedSocialCreditCode: '12345', registeredDistrict: '浦东新区' }, requestedAmountFen: 50_000_001 }, { 'accept-language': 'en' });
    expect(english.json().issues.find((i: { field: string }) => i.field === 'company.registeredDistrict').message).toBe('must be 杨浦区');

    // Both rules broken and nothing else: one refusal naming both.
    const bothRules = await creator('POST', '/api/cases/chuying-loan', { ...application, company: { ...application.company, registeredDistrict: '浦东新区' }, requestedAmountFen: 50_000_001 });
    expect(bothRules.statusCode).toBe(400);
    expect(bothRules.json()).toMatchObject({ code: 'loan-rules', message: '请修改以下 2 处：雏鹰计划只面向注册在杨浦区的企业；本企业注册在浦东新区；申请金额 500,000.01元超过雏鹰计划的上限 500,000.00元。' });
    expect(bothRules.json().issues.map((i: { code: string }) => i.code)).toEqual(['district-required', 'above-cap']);
  });

  it('refuses a negative amount once, by its own check, not again by the programme’s rule', async () => {
    const application = validApplication();
    const negative = await creator('POST', '/api/cases/chuying-loan', { ...application, project: { ...application.project, name: '' }, requestedAmountFen: -100 });
    expect(negative.statusCode).toBe(400);
    const body = negative.json<{ message: string; issues: { field: string; message: string }[] }>();
    expect(body.issues.map((i) => i.field).sort()).toEqual(['project.name', 'requestedAmountFen']);
    expect(body.message).toBe('请修改以下 2 处：项目名称：不能为空；申请金额：必须大于 0');
  });

  it('lets only applicants open cases', async () => {
    expect((await fundReviewer('POST', '/api/cases/chuying-loan', validApplication())).statusCode).toBe(403);
    expect((await auditor('POST', '/api/cases/chuying-loan', validApplication())).statusCode).toBe(403);
  });

  it('opens one case for a retried POST with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    // The same body twice: each validApplication() is a company of its own.
    const body = validApplication();
    const first = await creator('POST', '/api/cases/chuying-loan', body, headers);
    const second = await creator('POST', '/api/cases/chuying-loan', body, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().caseId).toBe(first.json().caseId);
    expect(second.json().referenceNo).toBe(first.json().referenceNo);
    const events = await creator('GET', `/api/cases/${first.json().caseId}/events`);
    expect(events.json().events).toHaveLength(1);
  });
});

describe('a case through every step to its first repayment', () => {
  it('shows status, who acts next, deadlines and the schedule at each step', async () => {
    const caseId = await openCase();
    let view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view).toMatchObject({ status: 'completeness-check', statusLabel: '材料审查', version: 1, waitingFor: { role: 'official', department: 'yangpu-fund' } });
    expect(view.referenceNo).toMatch(/^CY-\d{4}-\d{6}$/);

    // An item listed twice would have the applicant answer it twice: refused at the second, in Chinese.
    const twice = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本', '项目预算表', '营业执照副本 '] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().issues).toEqual([expect.objectContaining({ field: 'missingItems.2', message: '“营业执照副本”与第 1 项重复，每项只列一次' })]);
    const supplement = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本', '项目预算表'] });
    expect(supplement.statusCode).toBe(200);
    view = supplement.json().case;
    expect(view.waitingFor.role).toBe('applicant');
    expect(view.deadline.kind).toBe('supplement-reply');

    const partial = await creator('POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '营业执照副本', response: 'license.pdf' }] });
    expect(partial.statusCode).toBe(400);
    expect(partial.json()).toMatchObject({ message: expect.stringContaining('尚未答复“项目预算表”'), issues: [{ field: 'responses', code: 'supplement-reply-incomplete', message: '尚未答复“项目预算表”' }] });
    // Every problem of a reply in one answer (一次告知), each at its field: a blank answer, an item left out, an item not asked for and a file not found.
    const unknownFile = '00000000-0000-4000-8000-00000000abcd';
    const everything = await creator('POST', `/api/cases/${caseId}/provide-supplement`, {
      responses: [{ item: '营业执照副本', response: '' }, { item: '审计报告', response: 'audit.pdf', documents: [{ documentId: unknownFile }] }],
    });
    expect(everything.statusCode).toBe(400);
    expect(everything.json().issues.map((i: { field: string; code: string }) => [i.field, i.code]).sort()).toEqual([
      ['responses', 'supplement-reply-incomplete'],
      ['responses.0.response', 'too_small'],
      ['responses.1.documents.0.documentId', 'document-not-found'],
      ['responses.1.item', 'supplement-item-not-requested'],
    ]);
    expect(everything.json().message).toMatch(/^请修改以下 4 处：/);
    expect(everything.json().message).toContain('尚未答复“项目预算表”');
    const answeredTwice = await creator('POST', `/api/cases/${caseId}/provide-supplement`, {
      responses: [{ item: '营业执照副本', response: 'license.pdf' }, { item: '项目预算表', response: 'budget.xlsx' }, { item: '营业执照副本', response: 'again.pdf' }],
    });
    expect(answeredTwice.statusCode).toBe(400);
    expect(answeredTwice.json().issues).toEqual([expect.objectContaining({ field: 'responses.2.item', message: '“营业执照副本”与第 1 项重复，每项只列一次' })]);
    // An answer to an item the request did not list is refused at it (the workflow's check, through the validator).
    const unasked = await creator('POST', `/api/cases/${caseId}/provide-supplement`, {
      responses: [{ item: '营业执照副本', response: 'license.pdf' }, { item: '项目预算表', response: 'budget.xlsx' }, { item: '审计报告', response: 'audit.pdf' }],
    });
    expect(unasked.statusCode).toBe(400);
    expect(unasked.json()).toMatchObject({ issues: [{ field: 'responses.2.item', code: 'supplement-item-not-requested', message: '补正通知没有要求“审计报告”' }] });

    const take = async (steps: [ApiCaller, string, object][]) => {
      for (const [caller, action, body] of steps) {
        const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
        expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
      }
    };
    await take([
      [creator, 'provide-supplement', { responses: [{ item: '营业执照副本', response: 'license.pdf' }, { item: '项目预算表', response: 'budget.xlsx' }] }],
      [fundReviewer, 'accept-materials', {}],
      [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    ]);

    // The fund's decision has its promised time limit (issue 13): 20 working days from the day the content review passed.
    const today = shanghaiDateOf(await harness.env.currentTimeMs());
    const decisionLimit = workingDayDeadline(await calendarFromDatabase(harness.database.db)(), parseLocalDate(today), 20);
    view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view).toMatchObject({
      status: 'funding-decision',
      timeLimit: { step: 'funding-decision', department: 'yangpu-fund', workingDays: 20, startedOn: today, lastWorkingDay: decisionLimit.lastWorkingDay },
    });
    expect(view.deadline).toEqual({ kind: 'time-limit:funding-decision', dueOn: decisionLimit.lastWorkingDay, at: new Date(decisionLimit.deadlineMs).toISOString(), provisional: decisionLimit.provisional });

    // Approved, the loan awaits disbursement within the fund's own promise of 10 working days.
    await take([[fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }]]);
    const disbursementLimit = workingDayDeadline(await calendarFromDatabase(harness.database.db)(), parseLocalDate(today), 10);
    view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view).toMatchObject({ status: 'awaiting-disbursement', timeLimit: { step: 'awaiting-disbursement', stepLabel: '待放款', workingDays: 10, startedOn: today, lastWorkingDay: disbursementLimit.lastWorkingDay } });
    expect(view.deadline).toEqual({ kind: 'time-limit:awaiting-disbursement', dueOn: disbursementLimit.lastWorkingDay, at: new Date(disbursementLimit.deadlineMs).toISOString(), provisional: disbursementLimit.provisional });
    // Four-eyes: the official who approved the loan does not record its disbursement; the page says so beside the action.
    type Offered = { name: string; enabled: boolean; disabledReason: string | null };
    const approversPage = (await fundApprover('GET', `/api/cases/${caseId}`)).json<{ version: number; availableActions: Offered[] }>();
    expect(approversPage.availableActions.find((a) => a.name === 'record-disbursement')).toMatchObject({ asksFirst: true, enabled: false, disabledReason: expect.stringContaining('四眼原则：您批准了本案的资助') });
    const byApprover = await fundApprover('POST', `/api/cases/${caseId}/record-disbursement`, { disbursedOn: today, bankReference: 'BOC-APPROVER' });
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json()).toMatchObject({ code: 'four-eyes', message: expect.stringContaining('请由基金其他工作人员办理') });
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json<{ version: number; availableActions: Offered[] }>()).toMatchObject({ version: approversPage.version });
    await take([[fundReviewer, 'record-disbursement', { disbursedOn: shanghaiDateOf(await harness.env.currentTimeMs()), bankReference: 'BOC-001' }]]);

    view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view).toMatchObject({ status: 'repaying', approvedAmountFen: 36_000_000, outstandingFen: 36_000_000, waitingFor: { role: 'applicant' } });
    expect(view.schedule).toHaveLength(36);
    expect(view.deadline).toMatchObject({ kind: 'instalment', dueOn: view.schedule[0].dueOn, provisional: view.schedule[0].provisional });

    // Paid early, today: a payment is never dated after today (nor before the disbursement).
    const repay = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 1_500_000, paidOn: shanghaiDateOf(await harness.env.currentTimeMs()), reference: 'R-1' });
    expect(repay.statusCode).toBe(200);
    view = repay.json().case;
    expect(view.outstandingFen).toBe(34_500_000);
    expect(view.schedule[0]).toMatchObject({ status: 'paid', paidFen: 1_000_000 });
    expect(view.schedule[1]).toMatchObject({ status: 'partially-paid', paidFen: 500_000 });

    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'LoanApplicationSubmitted', 'SupplementRequested', 'SupplementProvided',
      // Each step with a promised time limit starts it with the action that reaches the step: the 网信 review's, the fund's decision's, the disbursement's.
      'MaterialsAccepted', 'TimeLimitStarted', 'ComplianceReviewPassed', 'TimeLimitStarted',
      'FundingApproved', 'TimeLimitStarted', 'LoanDisbursed', 'RepaymentRecorded',
    ]);
    expect(events.filter((e: { type: string }) => e.type === 'TimeLimitStarted').map((e: { data: { limit: { step: string; department: string } } }) => e.data.limit)).toEqual([
      expect.objectContaining({ step: 'compliance-review', department: 'cac', workingDays: 10 }),
      expect.objectContaining({ step: 'funding-decision', department: 'yangpu-fund', workingDays: 20 }),
      expect.objectContaining({ step: 'awaiting-disbursement', department: 'yangpu-fund', workingDays: 10 }),
    ]);
    expect(events[7].actor).toMatchObject({ displayName: '李决策', role: 'official', department: 'yangpu-fund' });
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
  });
});

describe('the borrower reports a repayment made by bank transfer, and the fund records it', () => {
  it('an applicant reports it (报告已还款), the fund is told, sees it to check, records it from the prefilled form, and the report shows 已核对入账', async () => {
    const { caseId, today } = await repayingLoanToday();
    const yesterday = addDays(today, -1);

    // The borrower's page: what is due next, in plain words, and the action to report a repayment.
    let view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view.waitingFor).toMatchObject({ role: 'applicant', note: `第 1 期还款 ${(1_000_000 / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元` });
    expect(view.deadline).toMatchObject({ kind: 'instalment', dueOn: view.schedule[0].dueOn });
    // None yet: the field is left out, as on every loan before reports existed.
    expect(view.repaymentDeclarations).toBeUndefined();
    const offered = view.availableActions.find((a: { name: string }) => a.name === 'declare-repayment');
    expect(offered).toMatchObject({ label: '报告已还款', enabled: true, prefill: { amountFen: 1_000_000 } });
    expect(offered.explain).toContain(`下一期：第 1 期 10,000.00 元，应还日 ${view.schedule[0].dueOn}`);
    expect(Object.keys(offered.bodySchema.properties)).toEqual(['amountFen', 'paidOn', 'reference', 'note']);

    const declare = (caller: ApiCaller, body: object) => caller('POST', `/api/cases/${caseId}/declare-repayment`, body);
    const report = { amountFen: 1_000_000, paidOn: today, reference: `ICBC-${caseId}`, note: '第 1 期' };

    // Refused, each at its field and in Chinese, recording nothing.
    expect((await declare(otherCreator, report)).statusCode).toBe(404);
    const official = await declare(fundReviewer, report);
    expect(official.statusCode).toBe(403);
    expect(official.json().message).toMatch(/申请人/);
    const aboveOwed = await declare(creator, { ...report, amountFen: 36_000_001 });
    expect(aboveOwed.statusCode).toBe(400);
    expect(aboveOwed.json()).toMatchObject({ code: 'above-outstanding', issues: [{ field: 'amountFen', message: '不能超过尚欠的 360,000.00元' }] });
    const future = await declare(creator, { ...report, paidOn: addDays(today, 1) });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'date-out-of-range', message: expect.stringContaining('晚于今天'), issues: [{ field: 'paidOn' }] });
    const beforeDisbursement = await declare(creator, { ...report, paidOn: yesterday });
    expect(beforeDisbursement.statusCode).toBe(400);
    expect(beforeDisbursement.json()).toMatchObject({ code: 'date-out-of-range', message: expect.stringContaining('早于放款日期'), issues: [{ field: 'paidOn' }] });
    const disbursementReference = await declare(creator, { ...report, reference: `BOC-${caseId}` });
    expect(disbursementReference.statusCode).toBe(409);
    expect(disbursementReference.json().issues).toEqual([expect.objectContaining({ field: 'reference' })]);
    // The same reference with other separators and case is the same transfer: refused as the disbursement's, not left waiting for a record the fund cannot make.
    const disbursementAlike = await declare(creator, { ...report, reference: ` boc ${caseId.replaceAll('-', ' ')} ` });
    expect(disbursementAlike.statusCode, disbursementAlike.body).toBe(409);
    expect(disbursementAlike.json()).toMatchObject({ code: 'disbursement-reference', message: expect.stringContaining(`与本笔借款放款的流水号 BOC-${caseId}`), issues: [{ field: 'reference', message: '这是放款的流水号，请填写还款转账的流水号' }] });

    const declared = await declare(creator, report);
    expect(declared.statusCode, declared.body).toBe(200);
    expect(declared.json().result).toMatchObject({ events: ['RepaymentDeclared'] });
    view = declared.json().case;
    // Nothing is settled by a report: the money is the fund's to record.
    expect(view.outstandingFen).toBe(36_000_000);
    expect(view.schedule[0]).toMatchObject({ paidFen: 0, status: 'due' });
    expect(view.repaymentDeclarations).toEqual([{ reference: report.reference, amountFen: 1_000_000, paidOn: today, note: '第 1 期', declaredAt: expect.any(String), status: 'pending', confirmed: null }]);

    // Sent again: answered as already recorded, not recorded twice; the same reference with another amount is refused at it.
    const again = await declare(creator, report);
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toMatchObject({ events: [], alreadyRecorded: true, recorded: { type: 'RepaymentDeclared', reference: report.reference, amountFen: 1_000_000, date: today } });
    const changed = await declare(creator, { ...report, amountFen: 900_000 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({ code: 'repayment-already-declared', issues: [{ field: 'reference' }] });
    // Another transfer that, with the one waiting, is more than the loan owes: one of them is wrong; refused at the amount, naming what waits.
    const beyond = await declare(creator, { ...report, reference: `ICBC-2-${caseId}`, amountFen: 35_000_001 });
    expect(beyond.statusCode, beyond.body).toBe(400);
    expect(beyond.json()).toMatchObject({ code: 'declared-beyond-outstanding', message: expect.stringContaining(`待基金核对的还款合计 10,000.00元（流水号 ${report.reference}`), issues: [{ field: 'amountFen', message: '连同待核对的 10,000.00元，超过尚欠的 360,000.00元' }] });

    // The fund is told, in 消息.
    const inbox = (await fundReviewer('GET', '/api/inbox')).json<{ notices: { kind: string; caseId: string; title: string; body: string }[] }>().notices;
    expect(inbox.filter((n) => n.caseId === caseId && n.kind === 'repayment-declared')).toEqual([
      expect.objectContaining({ title: `借款人报告已还款，待核对：雏鹰计划借款申请（${view.referenceNo}）`, body: expect.stringContaining(`还款10,000.00元（银行流水号 ${report.reference}），备注：第 1 期。`) }),
    ]);
    expect((await creator('GET', '/api/inbox')).json<{ notices: { kind: string }[] }>().notices.map((n) => n.kind)).not.toContain('repayment-declared');

    // The fund's page: the report to check, and the record-repayment form filled from it.
    view = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(view.repaymentDeclarations).toEqual([expect.objectContaining({ reference: report.reference, status: 'pending' })]);
    const record = view.availableActions.find((a: { name: string }) => a.name === 'record-repayment');
    expect(record.prefill).toEqual({ amountFen: 1_000_000, paidOn: today, reference: report.reference });
    expect(record.explain).toContain(`借款人申报的还款有 1 笔待核对，表单已按最早一笔（流水号 ${report.reference}）填写`);
    const recorded = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, record.prefill);
    expect(recorded.statusCode, recorded.body).toBe(200);

    view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view.outstandingFen).toBe(35_000_000);
    expect(view.repaymentDeclarations).toEqual([expect.objectContaining({ reference: report.reference, status: 'confirmed', confirmed: { amountFen: 1_000_000, paidOn: today, recordedAt: expect.any(String) } })]);
    expect(view.availableActions.find((a: { name: string }) => a.name === 'declare-repayment').prefill).toEqual({ amountFen: 1_000_000 });

    // A repayment the fund recorded without a report: reporting it is told it is recorded already.
    expect((await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 500_000, paidOn: today, reference: `CCB-${caseId}` })).statusCode).toBe(200);
    const alreadyIn = await declare(creator, { ...report, amountFen: 500_000, reference: `CCB-${caseId}` });
    expect(alreadyIn.statusCode).toBe(409);
    expect(alreadyIn.json()).toMatchObject({ code: 'repayment-already-recorded', message: expect.stringContaining('已由杨浦区 V聚场基金于'), issues: [{ field: 'reference', message: expect.stringContaining('无需申报') }] });

    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'RepaymentDeclared')).toHaveLength(1);
    expect(events.slice(-3)).toEqual(['RepaymentDeclared', 'RepaymentRecorded', 'RepaymentRecorded']);

    // The read model with a report in it is what the events rebuild.
    expect((await rebuildAndCompare(harness.database.db)).drift).toEqual([]);
  });
});

/** A loan of 360,000.00 disbursed today, being repaid; answers its id and today (Shanghai). */
async function repayingLoanToday(): Promise<{ caseId: string; today: LocalDate }> {
  const caseId = await openCase();
  const today = shanghaiDateOf(await harness.env.currentTimeMs());
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    [fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }],
    [fundReviewer, 'record-disbursement', { disbursedOn: today, bankReference: `BOC-${caseId}` }],
  ] as const) {
    const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
  return { caseId, today };
}

describe('the borrower withdraws a report of a repayment the fund has not recorded (撤回还款申报)', () => {
  it('only the borrower may (403 to the fund), it leaves 待核对 and the fund is told, the same reference is reported again correctly, and once recorded it is 409', async () => {
    const { caseId, today } = await repayingLoanToday();
    const reference = `ICBC-${caseId}`;
    const wrong = { amountFen: 10_000_000, paidOn: today, reference, note: '多填了一个 0' };
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, wrong)).statusCode).toBe(200);

    // Offered to the borrower, filled with the report waiting; the fund is offered nothing of it.
    let view = (await creator('GET', `/api/cases/${caseId}`)).json();
    const offered = view.availableActions.find((a: { name: string }) => a.name === 'withdraw-repayment-declaration');
    expect(offered).toMatchObject({ label: '撤回还款申报', enabled: true, prefill: { reference } });
    expect(offered.explain).toContain(`待基金核对的申报：${reference}（${today} 100,000.00 元）`);
    expect(Object.keys(offered.bodySchema.properties)).toEqual(['reference', 'reason']);
    const staff = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(staff.availableActions.map((a: { name: string }) => a.name)).not.toContain('withdraw-repayment-declaration');

    const withdraw = (caller: ApiCaller, body: object) => caller('POST', `/api/cases/${caseId}/withdraw-repayment-declaration`, body);
    const byFund = await withdraw(fundReviewer, { reference, reason: '' });
    expect(byFund.statusCode).toBe(403);
    expect(byFund.json().message).toContain('只有申请人可以办理此项');
    expect((await withdraw(otherCreator, { reference, reason: '' })).statusCode).toBe(404);
    expect((await withdraw(auditor, { reference, reason: '' })).statusCode).toBe(403);
    const unknown = await withdraw(creator, { reference: 'NO-SUCH-1', reason: '' });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json()).toMatchObject({ code: 'no-declaration-to-withdraw', issues: [{ field: 'reference', message: `请填写待核对申报的流水号：${reference}` }] });

    const withdrawn = await withdraw(creator, { reference, reason: '金额填错' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().result).toMatchObject({ events: ['RepaymentDeclarationWithdrawn'] });
    view = withdrawn.json().case;
    expect(view.repaymentDeclarations).toEqual([
      { reference, amountFen: 10_000_000, paidOn: today, note: '多填了一个 0', declaredAt: expect.any(String), status: 'withdrawn', confirmed: null, withdrawn: { at: expect.any(String), reason: '金额填错' } },
    ]);
    // Sent again: answered, nothing recorded twice.
    const again = await withdraw(creator, { reference, reason: '金额填错' });
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toMatchObject({ events: [], alreadyRecorded: true, recorded: { type: 'RepaymentDeclarationWithdrawn', reference } });

    // The fund: told, nothing left to check, and 登记还款 no longer filled from the withdrawn report.
    const inbox = (await fundReviewer('GET', '/api/inbox')).json<{ notices: { kind: string; caseId: string; title: string; body: string }[] }>().notices;
    expect(inbox.filter((n) => n.caseId === caseId && n.kind === 'repayment-declaration-withdrawn')).toEqual([
      expect.objectContaining({ title: `借款人撤回还款申报：雏鹰计划借款申请（${view.referenceNo}）`, body: expect.stringContaining(`还款100,000.00元的申报（银行流水号 ${reference}），理由：金额填错。该笔无需再核对`) }),
    ]);
    const fundView = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(fundView.repaymentDeclarations.filter((d: { status: string }) => d.status === 'pending')).toEqual([]);
    expect(fundView.availableActions.find((a: { name: string }) => a.name === 'record-repayment').prefill).toEqual({ amountFen: 1_000_000 });
    // The borrower has nothing left to withdraw: the action says why.
    expect((await creator('GET', `/api/cases/${caseId}`)).json().availableActions.find((a: { name: string }) => a.name === 'withdraw-repayment-declaration')).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('您没有待基金核对的还款申报'),
    });

    // Reported again under the same reference, with the right amount: 待核对 again, and the fund records it.
    const corrected = await creator('POST', `/api/cases/${caseId}/declare-repayment`, { ...wrong, amountFen: 1_000_000, note: '' });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().case.repaymentDeclarations.map((d: { status: string; amountFen: number }) => [d.status, d.amountFen])).toEqual([
      ['withdrawn', 10_000_000],
      ['pending', 1_000_000],
    ]);
    const record = (await fundReviewer('GET', `/api/cases/${caseId}`)).json().availableActions.find((a: { name: string }) => a.name === 'record-repayment');
    expect(record.prefill).toEqual({ amountFen: 1_000_000, paidOn: today, reference });
    expect((await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, record.prefill)).statusCode).toBe(200);

    // Once the fund recorded it, the report stands: 409 at the reference.
    const late = await withdraw(creator, { reference, reason: '' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'repayment-already-recorded', message: expect.stringContaining('申报不能再撤回'), issues: [{ field: 'reference' }] });

    // The read model with a withdrawal in it is what the events rebuild.
    expect((await rebuildAndCompare(harness.database.db)).drift).toEqual([]);
  });
});

describe('the fund returns a report of a repayment it finds no transfer for (退回还款申报)', () => {
  it('only the fund may, with a reason; the report leaves 待核对 and the queue, the borrower is told why, reports again, and the fund records that one', async () => {
    const { caseId, today } = await repayingLoanToday();
    const reference = `CMB-${caseId}`;
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference, note: '' })).statusCode).toBe(200);

    // Offered to the fund, filled with the report waiting; the borrower is offered nothing of it.
    const staff = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    const offered = staff.availableActions.find((a: { name: string }) => a.name === 'reject-repayment-declaration');
    expect(offered).toMatchObject({ label: '退回还款申报', enabled: true, prefill: { reference } });
    expect(offered.explain).toContain(`待核对的申报：${reference}（${today} 10,000.00 元）`);
    expect(offered.bodySchema.required).toEqual(expect.arrayContaining(['reference', 'reason']));
    expect((await creator('GET', `/api/cases/${caseId}`)).json().availableActions.map((a: { name: string }) => a.name)).not.toContain('reject-repayment-declaration');

    const reject = (caller: ApiCaller, body: object) => caller('POST', `/api/cases/${caseId}/reject-repayment-declaration`, body);
    expect((await reject(creator, { reference, reason: '自己退回' })).statusCode).toBe(403);
    expect((await reject(auditor, { reference, reason: 'x' })).statusCode).toBe(403);
    const noReason = await reject(fundReviewer, { reference, reason: '   ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues).toEqual([expect.objectContaining({ field: 'reason' })]);
    const unknown = await reject(fundReviewer, { reference: 'NO-SUCH-1', reason: '未到账' });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json()).toMatchObject({ code: 'no-declaration-to-reject', issues: [{ field: 'reference', message: `请填写待核对申报的流水号：${reference}` }] });

    const returned = await reject(fundReviewer, { reference, reason: '截至今日未查到该笔到账' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().result).toMatchObject({ events: ['RepaymentDeclarationRejected'] });
    expect(returned.json().case.repaymentDeclarations).toEqual([
      { reference, amountFen: 1_000_000, paidOn: today, note: '', declaredAt: expect.any(String), status: 'rejected', confirmed: null, rejected: { at: expect.any(String), reason: '截至今日未查到该笔到账' } },
    ]);
    // A second official sending it again: answered, nothing recorded twice.
    const again = await reject(fundApprover, { reference, reason: '未到账' });
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toMatchObject({ events: [], alreadyRecorded: true, recorded: { type: 'RepaymentDeclarationRejected', reference } });

    // Nothing left for the fund to check: out of its queue, and the action says why.
    expect((await fundReviewer('GET', `/api/worklist?view=queue&q=${caseId}`)).json<{ cases: { caseId: string }[] }>().cases.map((c) => c.caseId)).not.toContain(caseId);
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json().availableActions.find((a: { name: string }) => a.name === 'reject-repayment-declaration')).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('本案没有待核对的还款申报'),
    });
    // The borrower is told why, and what to do.
    const inbox = (await creator('GET', '/api/inbox')).json<{ notices: { kind: string; caseId: string; title: string; body: string }[] }>().notices;
    expect(inbox.filter((n) => n.caseId === caseId && n.kind === 'repayment-declaration-rejected')).toEqual([
      expect.objectContaining({ body: expect.stringContaining(`（银行流水号 ${reference}），未予登记，理由：截至今日未查到该笔到账。该笔未冲抵欠款`) }),
    ]);
    // Withdrawing it is told it was returned, not that it does not exist.
    const withdraw = await creator('POST', `/api/cases/${caseId}/withdraw-repayment-declaration`, { reference, reason: '' });
    expect(withdraw.statusCode).toBe(409);
    expect(withdraw.json().code).toBe('declaration-returned');

    // Reported again under the same reference: 待核对 again, and recorded from the prefilled form.
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference, note: '已向银行查询' })).statusCode).toBe(200);
    const record = (await fundReviewer('GET', `/api/cases/${caseId}`)).json().availableActions.find((a: { name: string }) => a.name === 'record-repayment');
    expect(record.prefill).toEqual({ amountFen: 1_000_000, paidOn: today, reference });
    const recorded = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, record.prefill);
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().case.repaymentDeclarations.map((d: { status: string }) => d.status)).toEqual(['rejected', 'confirmed']);
    const late = await reject(fundReviewer, { reference, reason: '未到账' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('repayment-already-recorded');

    expect((await rebuildAndCompare(harness.database.db)).drift).toEqual([]);
  });
});

describe('a report the fund returned, then found the transfer for', () => {
  it('reads 已核对入账 once the fund records that transfer, keeping when and why it was returned', async () => {
    const { caseId, today } = await repayingLoanToday();
    const reference = `SPDB-${caseId}`;
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 300_000, paidOn: today, reference, note: '' })).statusCode).toBe(200);
    expect((await fundReviewer('POST', `/api/cases/${caseId}/reject-repayment-declaration`, { reference, reason: '截至今日未查到该笔到账' })).statusCode).toBe(200);
    // The transfer arrives the next morning: the fund records it under the same reference.
    const recorded = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 300_000, paidOn: today, reference });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().case.repaymentDeclarations).toEqual([
      expect.objectContaining({ reference, status: 'confirmed', confirmed: expect.objectContaining({ amountFen: 300_000 }), rejected: { at: expect.any(String), reason: '截至今日未查到该笔到账' } }),
    ]);
    expect((await rebuildAndCompare(harness.database.db)).drift).toEqual([]);
  });
});

describe('a loan with a report of a repayment waiting is in the fund’s queue (待核对还款申报)', () => {
  it('joins the fund’s queue when reported, with its instalment’s day counted in days, and leaves it once every report is withdrawn or recorded', async () => {
    const { caseId, today } = await repayingLoanToday();
    type Line = { caseId: string; statusLabel: string; waitingFor: { role: string; department: string | null; text: string | null } | null; deadlineAt: string | null; countdown: { counting: string; dueOn: string } | null };
    const lineIn = async (caller: ApiCaller) => (await caller('GET', `/api/worklist?view=queue&q=${caseId}`)).json<{ cases: Line[] }>().cases.find((c) => c.caseId === caseId);
    const view = (await creator('GET', `/api/cases/${caseId}`)).json();
    const firstDue = view.schedule[0].dueOn as string;
    // Before any report: the borrower's to repay, not the fund's.
    expect(await lineIn(fundReviewer)).toBeUndefined();
    expect(await lineIn(creator)).toMatchObject({ statusLabel: '还款中', waitingFor: { role: 'applicant' } });

    const declare = (reference: string, amountFen: number) => creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen, paidOn: today, reference, note: '' });
    expect((await declare(`ICBC-A-${caseId}`, 1_000_000)).statusCode).toBe(200);
    expect((await declare(`ICBC-B-${caseId}`, 500_000)).statusCode).toBe(200);
    const queued = await lineIn(fundReviewer);
    expect(queued).toMatchObject({
      statusLabel: '还款中，待核对还款申报',
      waitingFor: { role: 'official', department: 'yangpu-fund', text: '杨浦区 V聚场基金' },
      deadlineAt: view.deadline.at,
      // The instalment's own day, counted in calendar days as the borrower's is.
      countdown: { counting: 'calendar-days', dueOn: firstDue },
    });
    const page = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(page.waitingFor).toMatchObject({ role: 'official', department: 'yangpu-fund', note: '待核对还款申报 2 笔：与银行到账核对后登记还款（借款人下一期：第 1 期还款 10,000.00 元）' });
    expect(page.deadline).toMatchObject({ kind: 'instalment', dueOn: firstDue });
    // The borrower still sees their instalment's day on the case.
    expect((await creator('GET', `/api/cases/${caseId}`)).json().deadline).toMatchObject({ kind: 'instalment', dueOn: firstDue });

    // One withdrawn, one still waiting: still the fund's. Recorded: the borrower's again.
    expect((await creator('POST', `/api/cases/${caseId}/withdraw-repayment-declaration`, { reference: `ICBC-B-${caseId}`, reason: '' })).statusCode).toBe(200);
    expect(await lineIn(fundReviewer)).toMatchObject({ statusLabel: '还款中，待核对还款申报' });
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json().waitingFor.note).toContain('待核对还款申报 1 笔');
    expect((await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 1_000_000, paidOn: today, reference: `ICBC-A-${caseId}` })).statusCode).toBe(200);
    expect(await lineIn(fundReviewer)).toBeUndefined();
    expect(await lineIn(creator)).toMatchObject({ statusLabel: '还款中', waitingFor: { role: 'applicant' }, countdown: { counting: 'calendar-days', dueOn: view.schedule[1].dueOn } });

    expect((await rebuildAndCompare(harness.database.db)).drift).toEqual([]);
    // And each loan from its own events alone, as verify --case rebuilds it.
    expect((await eachCaseAgainstItsRows(harness.database.db)).drift).toEqual([]);
  });
});

describe('who may see and do what', () => {
  it("answers 404 for another applicant's case, exactly as for a missing one", async () => {
    const caseId = await openCase();
    const theirs = await otherCreator('GET', `/api/cases/${caseId}`);
    const missing = await otherCreator('GET', '/api/cases/00000000-0000-4000-8000-000000000000');
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(Object.keys(theirs.json()).sort()).toEqual(Object.keys(missing.json()).sort());
    expect((await otherCreator('GET', `/api/cases/${caseId}/events`)).statusCode).toBe(404);
    expect((await otherCreator('POST', `/api/cases/${caseId}/withdraw`, {})).statusCode).toBe(404);
    const list = (await otherCreator('GET', '/api/cases')).json().cases;
    expect(list.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });

  it('maps refusals to 403 and 409 and records nothing', async () => {
    const caseId = await openCase();
    const wrongDepartment = await cacReviewer('POST', `/api/cases/${caseId}/accept-materials`, {});
    expect(wrongDepartment.statusCode).toBe(403);
    const wrongStep = await fundApprover('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100 });
    expect(wrongStep.statusCode).toBe(409);
    expect(wrongStep.json().error).toBe('illegal-state');
    const auditorWrite = await auditor('POST', `/api/cases/${caseId}/accept-materials`, {});
    expect(auditorWrite.statusCode).toBe(403);

    await fundReviewer('POST', `/api/cases/${caseId}/accept-materials`, {});
    await cacReviewer('POST', `/api/cases/${caseId}/pass-compliance-review`, {});
    // A reviewer does not decide funding (duties); given the approver duty too, still not on a case they reviewed (four-eyes).
    const notApprover = await fundReviewer('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100 });
    expect(notApprover.statusCode).toBe(403);
    expect(notApprover.json().message).toContain('审批人员、处长或分管领导可以办理此项');
    await assignWithApproval(harness, 'fund-reviewer', { role: 'official', department: 'yangpu-fund', duties: ['reviewer', 'approver'] });
    const fourEyes = await fundReviewer('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100 });
    expect(fourEyes.statusCode).toBe(403);
    expect(fourEyes.json()).toMatchObject({ code: 'four-eyes', message: expect.stringContaining('四眼原则') });

    const stale = await fundApprover('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100, expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    // Version 5: each of the two steps recorded its event and the next step's TimeLimitStarted; the refusals nothing.
    expect(stale.json()).toMatchObject({ error: 'concurrency', currentVersion: 5 });

    expect((await auditor('GET', `/api/cases/${caseId}`)).json().version).toBe(5);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route the API serves', async () => {
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented).toEqual(expect.arrayContaining(['POST /api/cases/chuying-loan', 'GET /api/cases/{caseId}', 'POST /api/cases/{caseId}/{action}', 'GET /api/loans/chuying/schedule']));
    expect(document.paths['/api/cases/chuying-loan'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['company', 'project', 'requestedAmountFen']),
    );
  });
});
