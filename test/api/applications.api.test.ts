import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerReviewFor } from '../../api/views/stacking-review.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { assignWithApproval, individualApplicant } from '../support/accounts.js';
import { verifyClaims } from '../support/verify-claims.js';
import { addMonthsClamped, chineseDate, shanghaiDateOf } from '../../domain/time/local-date.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let cacReviewer: ApiCaller;
let cacApprover: ApiCaller;
let huangpuReviewer: ApiCaller;
let huangpuApprover: ApiCaller;
let huangpuDirector: ApiCaller;
let xuhuiReviewer: ApiCaller;
let xuhuiApprover: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  const as = (username: string) => harness.as(username);
  creator = await as('creator');
  otherCreator = await as('other-creator');
  cacReviewer = await as('cac-reviewer');
  cacApprover = await as('cac-approver');
  huangpuReviewer = await as('huangpu-reviewer');
  huangpuApprover = await as('huangpu-approver');
  huangpuDirector = await as('huangpu-director');
  xuhuiReviewer = await as('xuhui-reviewer');
  xuhuiApprover = await as('xuhui-approver');
  auditor = await as('auditor');
});
afterAll(() => harness?.close());

const apply = (caller: ApiCaller, programmeId: string, facts: object, headers: Record<string, string> = {}) =>
  caller('POST', `/api/applications/${programmeId}`, { title: `${programmeId} 申请`, summary: '申请说明', facts }, headers);

async function opened(caller: ApiCaller, programmeId: string, facts: object) {
  const response = await apply(caller, programmeId, facts);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ caseId: string; referenceNo: string }>();
}

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

describe('POST /api/applications/:programmeId', () => {
  it('opens a case under the programme, recording its catalogue version, and answers a retry with the same case', async () => {
    const key = `apply-${randomUUID()}`;
    const facts = { applicantKind: 'company', requestedAmountFen: 30_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' };
    const first = await apply(creator, 'xuhui-quality-works', facts, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      caseType: 'application',
      referenceNo: expect.stringMatching(/^AP-\d{4}-\d{6}$/),
      programme: { id: 'xuhui-quality-works', zh: '徐汇 优质短剧、获奖作品', catalogueVersion: '2026-12-03', department: 'xuhui' },
      status: 'completeness-check',
      waitingFor: { role: 'official', department: 'xuhui' },
      deadline: { kind: 'completeness-check' },
      requestedAmountFen: 30_000_000,
      maxAmountFen: 100_000_000,
      applicantAwards: { totalFen: 0, count: 0 },
    });
    const again = await apply(creator, 'xuhui-quality-works', facts, { 'idempotency-key': key });
    expect(again.json().caseId).toBe(first.json().caseId);
  });

  it('refuses with every broken rule, naming the rule and the numbers', async () => {
    const response = await apply(creator, 'drama-agent-project', { applicantKind: 'company', requestedAmountFen: 1_200_000_000, rdSpendFen: 3_000_000_000, itemId: 'agent-x' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'validation',
      issues: [{ field: 'facts.requestedAmountFen', code: 'amount-cap', message: '申请金额 12,000,000.00 元 超过可申请的最高额：实际研发投入 30,000,000.00 元 的 20% 为 6,000,000.00 元，且不超过 10,000,000.00 元' }],
    });
    const young = await apply(creator, 'hu9-all-media-operator-certification', { applicantKind: 'individual-creator', age: 15 });
    expect(young.statusCode).toBe(400);
    expect(young.json().message).toContain('申请人须年满 16 周岁；填写的年龄为 15 周岁');
    const notAllThree = await apply(creator, 'yangpu-penalty-exemption', { applicantKind: 'company', firstViolation: true, minorHarm: true, correctedInTime: false });
    expect(notAllThree.json().message).toContain('不满足：及时改正');
  });

  it('refuses a count of 0 where there must be at least one (月数, 贷款期限, 参训人数, 本次入住天数) at its field in plain Chinese, in the application and the self-check', async () => {
    // An outside tester's 0 months and 0 trainees passed: 0 of what is counted makes no sense for these facts.
    const issueAt = async (programmeId: string, facts: Record<string, unknown>, fact: string) => {
      const response = await apply(creator, programmeId, facts);
      expect(response.statusCode, response.body).toBe(400);
      return (response.json().issues as { field: string; message: string }[]).find((i) => i.field === `facts.${fact}`)?.message;
    };
    expect(await issueAt('drama-training-course', { applicantKind: 'company', requestedAmountFen: 100_000, itemId: `course-${randomUUID()}`, trainees: 0 }, 'trainees')).toBe('参训人数至少 1 人');
    expect(await issueAt('yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: 500_000, months: 0 }, 'months')).toBe('月数至少 1 个月');
    expect(await issueAt('yangpu-loan-interest-subsidy', { applicantKind: 'company', loanPrincipalFen: 10_000_000, loanRateBasisPoints: 400, termMonths: 0 }, 'termMonths')).toBe('贷款期限至少 1 个月');
    expect(await issueAt('yangpu-talent-apartment', { applicantKind: 'individual-creator', stayDays: 0 }, 'stayDays')).toBe('本次入住天数至少 1 天');
    // The self-check reads the same facts and is told the same, at the fact.
    const checked = await creator('POST', '/api/programmes/yangpu-talent-rent/check', { applicantKind: 'individual-creator', monthlyRentFen: 500_000, months: 0 });
    expect(checked.statusCode, checked.body).toBe(400);
    expect(checked.json().issues).toEqual([expect.objectContaining({ field: 'months', message: '月数至少 1 个月' })]);
    // A stay of 0 days was answered 200 不符合 by the self-check (its minimum was 0): now a field error like the others.
    const noStay = await creator('POST', '/api/programmes/yangpu-talent-apartment/check', { applicantKind: 'individual-creator', stayDays: 0 });
    expect(noStay.statusCode, noStay.body).toBe(400);
    expect(noStay.json().issues).toEqual([expect.objectContaining({ field: 'stayDays', message: '本次入住天数至少 1 天' })]);
    // One of each is a count like any other.
    const one = await apply(creator, 'drama-training-course', { applicantKind: 'company', requestedAmountFen: 100_000, itemId: `course-${randomUUID()}`, trainees: 1 });
    expect(one.statusCode, one.body).toBe(201);
  });

  it('refuses what the system knows better than the applicant: the stays taken, the funded item of a measure that funds the applicant', async () => {
    const stays = await apply(creator, 'yangpu-talent-apartment', { applicantKind: 'individual-creator', stayDays: 3, staysThisYear: 0 });
    expect(stays.statusCode).toBe(400);
    expect(stays.json().message).toContain('不认识的字段「staysThisYear」');
    const item = await apply(creator, 'yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: 500_000, itemId: 'me' });
    expect(item.statusCode).toBe(400);
    expect(item.json().issues).toEqual([{ field: 'facts.itemId', code: 'item-is-the-applicant', message: '杨浦人才租房补贴资助的就是申请人本身，不填写项目或作品编号' }]);
  });

  it('sends loans and filings to their own endpoints, unknown programmes to the catalogue, officials away', async () => {
    expect((await apply(creator, 'chuying-loan', { applicantKind: 'company' })).json()).toMatchObject({ error: 'illegal-state', message: expect.stringContaining('请通过“申请雏鹰借款”（POST /api/cases/chuying-loan）办理') });
    expect((await apply(creator, 'no-such-measure', {})).statusCode).toBe(404);
    expect((await apply(huangpuReviewer, 'hu9-starlight', { applicantKind: 'company' })).statusCode).toBe(403);
  });

  it('002 Q5 matrix: a pair of measures the sources say nothing of is accepted for the official to review; the same measure twice for one item is refused (400, saying so without another applicant’s award id)', async () => {
    const itemId = `drama-${randomUUID()}`;
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: 'AW-API-1', case_id: randomUUID(), applicant_account_id: 'someone', programme_id: 'xuhui-culture-commerce-tourism', catalogue_version: '2026-11-23', item_id: itemId, amount_fen: 10_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const unspecified = await apply(creator, 'xuhui-quality-works', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId, registeredDistrict: '徐汇区' });
    expect(unspecified.statusCode, unspecified.body).toBe(201);
    // The official who decides it is told, on the case, before deciding; an outsider's second award went through with nobody told.
    const caseId = unspecified.json<{ caseId: string }>().caseId;
    const seenByOfficial = (await xuhuiReviewer('GET', `/api/cases/${caseId}`)).json<{ stackingNotes: string[] }>().stackingNotes;
    expect(seenByOfficial).toEqual([expect.stringMatching(/已于2026年6月1日获徐汇 文商旅融合作品资助 100,000\.00 元（AW-API-1）；政策未明确.+能否与其叠加，请经办人审核$/)]);
    for (const other of [creator, auditor]) expect((await other('GET', `/api/cases/${caseId}`)).json<{ stackingNotes: string[] }>().stackingNotes).toEqual([]);
    const refused = await apply(creator, 'xuhui-culture-commerce-tourism', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId, registeredDistrict: '徐汇区' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([{ field: 'funded-once', code: 'funded-once', message: expect.stringContaining('已获徐汇 文商旅融合作品资助（另一申请人所获），同一事项不重复资助') }]);
    // Of another applicant's award, neither the day nor the amount.
    expect(refused.body).not.toMatch(/100,000\.00|2026年6月1日/);
    expect(refused.body).not.toContain('AW-API-1');
    // The department's approval form still names the award by its id: the same measure's award for the item, landed since.
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: 'AW-API-2', case_id: randomUUID(), applicant_account_id: 'someone', programme_id: 'xuhui-quality-works', catalogue_version: '2026-11-23', item_id: itemId, amount_fen: 10_000_000, awarded_on: '2026-06-02', recorded_at: new Date() })
      .execute();
    const row = await harness.database.db.selectFrom('cases').select(['case_id', 'case_type', 'state']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const official = { accountId: 'demo-xuhui-approver', displayName: '徐汇审批', role: 'official', department: 'xuhui', duties: ['approver'], username: 'xuhui-approver', applicantKind: null, profile: {} } as const;
    const review = await ledgerReviewFor(harness.database.db, row, { ...official, duties: [...official.duties] }, new Date());
    expect(review.standing?.refusals).toEqual([expect.stringContaining('资助 100,000.00 元（AW-API-2），同一事项不重复资助')]);
  });
});

describe('YOUNG人才公寓: the stays of the year the stay is in', () => {
  it('counts the approved stays of the calendar year of 入住日期, not of the day applied: December’s two stays do not block a stay next January; next year’s two do', async () => {
    // A December application for a January stay was counted against December's year: 2 stays approved
    // this year refused it, and 2 stays approved in December for next January blocked nothing next year.
    const person = await harness.as('individual-creator');
    const reviewer = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const today = shanghaiDateOf(new Date());
    const thisYear = Number(today.slice(0, 4));
    const stay = (stayStartDate: string) => ({ applicantKind: 'individual-creator', stayDays: 3, stayStartDate });
    // A day of next year, no later than a year from today (the furthest a stay may be applied for).
    const yearAhead = addMonthsClamped(today, 12);
    const nextYearOn = (monthDay: string) => (`${thisYear + 1}-${monthDay}` <= yearAhead ? `${thisYear + 1}-${monthDay}` : yearAhead);
    const approvedStay = async (stayStartDate: string) => {
      const { caseId } = await opened(person, 'yangpu-talent-apartment', stay(stayStartDate));
      await act(reviewer, caseId, 'accept-materials');
      await verifyClaims(reviewer, caseId);
      expect((await act(approver, caseId, 'approve-application', { notes: '同意' })).status).toBe('completed');
      return caseId;
    };
    // Two stays this year, both approved now (the last day of the year is never before today).
    await approvedStay(today);
    await approvedStay(`${thisYear}-12-31`);
    const thirdThisYear = await apply(person, 'yangpu-talent-apartment', stay(`${thisYear}-12-31`));
    expect(thirdThisYear.statusCode).toBe(400);
    expect(thirdThisYear.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.stayStartDate', message: `每个自然年最多入住 2 次；${thisYear}年已入住 2 次` }));
    // Next January's stay, applied for now, is next year's first.
    const january = await approvedStay(nextYearOn('01-10'));
    const view = await person('GET', `/api/cases/${january}`);
    expect(view.json().facts).toMatchObject({ stayStartDate: nextYearOn('01-10'), staysThisYear: 0 });
    await approvedStay(nextYearOn('03-02'));
    // Two stays of next year approved now (this year): a third in next year is refused, named by its year.
    const third = await apply(person, 'yangpu-talent-apartment', stay(nextYearOn('06-01')));
    expect(third.statusCode, third.body).toBe(400);
    expect(third.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.stayStartDate', message: `每个自然年最多入住 2 次；${thisYear + 1}年已入住 2 次` }));
  });

  it('five stays of one year approved at the same moment: two are approved, the others refused naming the year’s stays', async () => {
    const person = await individualApplicant(harness, 'stays-individual', '顾小住');
    const reviewer = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const year = Number(shanghaiDateOf(new Date()).slice(0, 4)) + 1;
    const within = addMonthsClamped(shanghaiDateOf(new Date()), 12);
    const days = ['01-05', '01-12', '01-19', '01-26', '02-02'].map((d) => (`${year}-${d}` <= within ? `${year}-${d}` : within));
    const cases: string[] = [];
    for (const stayStartDate of days) {
      const { caseId } = await opened(person, 'yangpu-talent-apartment', { applicantKind: 'individual-creator', stayDays: 5, stayStartDate });
      await act(reviewer, caseId, 'accept-materials');
      await verifyClaims(reviewer, caseId);
      cases.push(caseId);
    }
    const answers = await Promise.all(cases.map((caseId) => approver('POST', `/api/cases/${caseId}/approve-application`, { notes: '同意' })));
    expect(answers.filter((a) => a.statusCode === 200), answers.map((a) => a.body.slice(0, 300)).join('\n')).toHaveLength(2);
    for (const refused of answers.filter((a) => a.statusCode !== 200)) {
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toBe(`YOUNG人才公寓免费入住不能批准：每个自然年最多入住 2 次；${year}年已入住 2 次`);
    }
    const completed = await harness.database.db.selectFrom('cases').select('case_id').where('case_id', 'in', cases).where('status', '=', 'completed').execute();
    expect(completed).toHaveLength(2);
  });

  it('asks 入住日期 as a date not before the day of the application, at its field in plain Chinese', async () => {
    const person = await harness.as('individual-creator');
    const issueAt = async (facts: object) => {
      const response = await apply(person, 'yangpu-talent-apartment', facts);
      expect(response.statusCode, response.body).toBe(400);
      return (response.json().issues as { field: string; message: string }[]).find((i) => i.field === 'facts.stayStartDate')?.message;
    };
    expect(await issueAt({ applicantKind: 'individual-creator', stayDays: 3 })).toBe('申请YOUNG人才公寓免费入住须填写入住日期');
    expect(await issueAt({ applicantKind: 'individual-creator', stayDays: 3, stayStartDate: '2026-02-30' })).toBe('应为真实存在的日期，写作“年-月-日”，如 2026-12-02');
    const today = shanghaiDateOf(new Date());
    const yesterday = shanghaiDateOf(Date.now() - 86_400_000);
    const [y, m, d] = yesterday.split('-').map(Number);
    const [ty, tm, td] = today.split('-').map(Number);
    expect(await issueAt({ applicantKind: 'individual-creator', stayDays: 3, stayStartDate: yesterday })).toBe(`入住日期${y}年${m}月${d}日早于申请之日（${ty}年${tm}月${td}日）：请填写尚未开始的入住`);
    // A year is mistyped: ten years on is refused at the field, naming the latest day taken.
    const later = Number(today.slice(0, 4)) + 10;
    const tenYearsOn = `${later}-${today.slice(5, 7)}-01`;
    expect(await issueAt({ applicantKind: 'individual-creator', stayDays: 3, stayStartDate: tenYearsOn })).toBe(
      `入住日期${later}年${Number(today.slice(5, 7))}月1日距申请之日超过一年：只受理一年内开始的入住（最晚${chineseDate(addMonthsClamped(today, 12))}），请核对年份`,
    );
  });
});

describe("the applicant's awards on a case", () => {
  it('lists a 雏鹰 loan apart, to be repaid, and leaves it out of the grants’ total', async () => {
    const { caseId } = await opened(creator, 'xuhui-quality-works', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' });
    const { applicant_account_id: accountId } = await harness.database.db.selectFrom('cases').select('applicant_account_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const loanCaseId = randomUUID();
    const grantId = `AW-${randomUUID()}`;
    const row = { catalogue_version: '2026-11-23', awarded_on: '2026-06-01', recorded_at: new Date() };
    await harness.database.db
      .insertInto('awards')
      .values([
        { ...row, award_id: `LOAN-${loanCaseId}`, case_id: loanCaseId, applicant_account_id: accountId, programme_id: 'chuying-loan', item_id: `company:${randomUUID()}`, amount_fen: 40_000_000 },
        { ...row, award_id: grantId, case_id: randomUUID(), applicant_account_id: accountId, programme_id: 'xuhui-ip-library', item_id: `ip-${randomUUID()}`, amount_fen: 2_000_000 },
      ])
      .execute();
    for (const viewer of [xuhuiReviewer, creator]) {
      const awards = (await viewer('GET', `/api/cases/${caseId}`)).json().applicantAwards as { totalFen: number; count: number; awards: { awardId: string; amountFen: number }[]; loanTotalFen: number; loans: { awardId: string; amountFen: number }[] };
      // The loan is lent, not granted: apart, with its own total; the grants' total is the grants'.
      expect(awards.loans).toEqual([expect.objectContaining({ awardId: `LOAN-${loanCaseId}`, caseId: loanCaseId, programmeId: 'chuying-loan', amountFen: 40_000_000 })]);
      expect(awards.loanTotalFen).toBe(40_000_000);
      expect(awards.awards.map((a) => a.awardId)).toContain(grantId);
      expect(awards.awards.map((a) => a.awardId)).not.toContain(`LOAN-${loanCaseId}`);
      // None is on 公示 here: every grant is final, and in the total.
      expect(awards.count).toBe(awards.awards.length);
      expect(awards.totalFen).toBe(awards.awards.reduce((sum, a) => sum + a.amountFen, 0));
      expect(awards).toMatchObject({ onNoticeTotalFen: 0, onNoticeCount: 0 });
    }
  });
});

describe('the approval form against a yearly cap', () => {
  it('says what the company was awarded this year under the measure and what is left, and starts from what is left; the decider still refuses more', async () => {
    // An outside tester's approver read only the bare yearly cap, with the amount asked filled in, and was refused after sending it.
    const { caseId } = await opened(otherCreator, 'xuhui-company-settling', { applicantKind: 'company', requestedAmountFen: 2_000_000_000, registeredDistrict: '徐汇区' });
    const { applicant_account_id: accountId } = await harness.database.db.selectFrom('cases').select('applicant_account_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    // The director's form: above the threshold, the approver's starts empty (it could only be refused).
    const director = await harness.as('xuhui-director');
    const formOf = async (caller: ApiCaller) => ((await caller('GET', `/api/cases/${caseId}`)).json().availableActions as { name: string; explain: string; prefill: Record<string, unknown> }[]).find((a) => a.name === 'approve-application')!;
    const approveForm = () => formOf(director);
    await act(xuhuiReviewer, caseId, 'accept-materials');
    expect((await approveForm()).prefill).toEqual({ approvedAmountFen: 2_000_000_000 });
    expect((await formOf(xuhuiApprover)).prefill).toEqual({});
    // Meanwhile another application of the company this year was approved for half the cap.
    const today = shanghaiDateOf(Date.now());
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: `AW-${randomUUID()}`, case_id: randomUUID(), applicant_account_id: accountId, programme_id: 'xuhui-company-settling', catalogue_version: '2026-12-03', item_id: `company:xuhui-company-settling:${accountId}`, amount_fen: 1_500_000_000, awarded_on: today, recorded_at: new Date() })
      .execute();
    const form = await approveForm();
    expect(form.explain).toContain('核定金额不超过申请金额 20,000,000.00 元（本措施每年最高 30,000,000.00 元）；本年度已获 15,000,000.00 元，尚可核定 15,000,000.00 元。');
    expect(form.prefill).toEqual({ approvedAmountFen: 1_500_000_000 });
    // The form only warns early: the decider checks the ledger itself.
    await act(xuhuiReviewer, caseId, 'score-application', { score: 80 });
    await verifyClaims(xuhuiReviewer, caseId);
    const refused = await director('POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 2_000_000_000 });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'award-conflicts-with-ledger', params: { rules: 'cap-per-year' } });
  });
});

describe('one open application per account, measure and item', () => {
  const facts = (itemId: string) => ({ applicantKind: 'company', requestedAmountFen: 1_000_000, itemId, registeredDistrict: '徐汇区' });

  it('refuses a second application for the item while the first is open, naming it; another item, another account, or after a withdrawal is accepted', async () => {
    const itemId = `drama-${randomUUID()}`;
    const first = await opened(creator, 'xuhui-quality-works', facts(itemId));
    // The same work spelled with other spacing and letter case is the same item.
    const again = await apply(creator, 'xuhui-quality-works', facts(` ${itemId.toUpperCase()} `));
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json()).toMatchObject({ code: 'one-open-application-per-item' });
    expect(again.json().message).toContain(`提交申请（${first.referenceNo}），该申请正在办理中`);
    expect((await apply(creator, 'xuhui-quality-works', facts(`drama-${randomUUID()}`))).statusCode).toBe(201);
    expect((await apply(otherCreator, 'xuhui-quality-works', facts(itemId))).statusCode).toBe(201);
    // Withdrawn, the first no longer holds the item.
    await act(creator, first.caseId, 'withdraw', { reason: '材料有误，重新申请' });
    const anew = await opened(creator, 'xuhui-quality-works', facts(itemId));
    expect(anew.caseId).not.toBe(first.caseId);
  });

  it('a once-only award that funds the company itself: six sent at once make one case', async () => {
    // An outside tester opened six cases for 稳定产能制作主体一次性奖励 this way.
    const answers = await Promise.all(Array.from({ length: 6 }, () => apply(otherCreator, 'drama-production-entity', { applicantKind: 'company', requestedAmountFen: 1_000_000 })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const referenceNo = answers.find((a) => a.statusCode === 201)!.json().referenceNo as string;
    expect(answers.find((a) => a.statusCode === 409)!.json().message).toContain(`您已申请稳定产能制作主体一次性奖励（${referenceNo}），该申请正在办理中`);
  });

  it('thirty applications at once for one item make one case; the other 29 are told which', async () => {
    const itemId = `drama-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 30 }, () => apply(creator, 'xuhui-quality-works', facts(itemId))));
    const accepted = answers.filter((a) => a.statusCode === 201);
    expect(accepted).toHaveLength(1);
    const referenceNo = accepted[0]!.json().referenceNo as string;
    for (const refused of answers.filter((a) => a.statusCode !== 201)) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().message).toContain(referenceNo);
    }
    const cases = await harness.database.db.selectFrom('cases').select('case_id').where('case_type', '=', 'application').where(sql<string>`state->'facts'->>'itemId'`, '=', itemId).execute();
    expect(cases).toHaveLength(1);
  });
});

describe('one open complaint per account and body (盾牌行动)', () => {
  it('thirty identical complaints sent at once without an Idempotency-Key make one case; the other 29 are told its 申请编号 in plain Chinese', async () => {
    // An outside tester sent the same 盾牌行动 complaint thirty times at once and got thirty cases in the priority queue.
    const person = await harness.as('individual-creator');
    const summary = `冒用我的账号名称和头像发布视频（${randomUUID()}）`;
    const complaint = (changes: { summary?: string; complaintCategory?: string } = {}) => ({
      title: '账号被仿冒',
      summary: changes.summary ?? summary,
      facts: { applicantKind: 'individual-creator', complaintCategory: changes.complaintCategory ?? '账号假冒仿冒' },
    });
    const send = (caller: ApiCaller, body: object) => caller('POST', '/api/applications/hu9-shield', body);
    const answers = await Promise.all(Array.from({ length: 30 }, () => send(person, complaint())));
    const accepted = answers.filter((a) => a.statusCode === 201);
    expect(accepted, answers.map((a) => a.statusCode).join(',')).toHaveLength(1);
    const first = accepted[0]!.json<{ caseId: string; referenceNo: string }>();
    for (const refused of answers.filter((a) => a.statusCode !== 201)) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'one-open-complaint' });
      expect(refused.json().message).toContain(`申请编号 ${first.referenceNo}`);
      expect(refused.json().message).not.toMatch(/[A-Za-z](?![A-Za-z]*-\d)/);
    }
    const cases = await harness.database.db.selectFrom('cases').select('case_id').where('case_type', '=', 'application').where(sql<string>`state->'details'->>'summary'`, '=', summary).execute();
    expect(cases).toHaveLength(1);
    // The same words spaced otherwise are the same complaint; another account of what happened, another category, or another account's is another.
    expect((await send(person, complaint({ summary: ` ${summary.replace('和', ' 和 ')} ` }))).statusCode).toBe(409);
    const others: [ApiCaller, string][] = [];
    const accepts = async (caller: ApiCaller, body: object) => {
      const answer = await send(caller, body);
      expect(answer.statusCode, answer.body).toBe(201);
      others.push([caller, answer.json<{ caseId: string }>().caseId]);
    };
    await accepts(person, complaint({ summary: `${summary}，已持续一周` }));
    await accepts(person, complaint({ complaintCategory: '网络暴力' }));
    await accepts(otherCreator, { ...complaint(), facts: { applicantKind: 'company', complaintCategory: '账号假冒仿冒' } });
    // Withdrawn, the first no longer holds it: the complaint may be sent again.
    await act(person, first.caseId, 'withdraw', { reason: '已与对方协商解决' });
    await accepts(person, complaint());
    // Out of 网信's priority queue again, for the tests after this one.
    for (const [caller, caseId] of others) await act(caller, caseId, 'withdraw', { reason: '测试结束' });
  });
});

describe('actions on an application under /api/cases/:caseId', () => {
  it('runs a 黄浦 reward to completion: shared completeness and 网信 routes, score, four-eyes, director; the total shows on the case', async () => {
    const { caseId } = await opened(creator, 'huangpu-platform-subsidy', { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' });
    await act(huangpuReviewer, caseId, 'request-supplement', { missingItems: ['集聚创作者名单'] });
    await act(creator, caseId, 'provide-supplement', { responses: [{ item: '集聚创作者名单', response: 'list.xlsx' }] });
    await act(huangpuReviewer, caseId, 'accept-materials');
    await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '内容积极健康' });
    expect((await creator('POST', `/api/cases/${caseId}/score-application`, { score: 90 })).statusCode).toBe(403);
    await act(huangpuReviewer, caseId, 'score-application', { score: 90, comments: '集聚效应显著' });
    // The claims are verified (issue 14), so what refuses a decider below is who they are, not the facts.
    await verifyClaims(huangpuReviewer, caseId);

    // A reviewer holds no deciding duty; given the approver duty as well, four-eyes still refuses them.
    expect((await huangpuReviewer('POST', `/api/cases/${caseId}/approve-application`, {})).json().message).toContain('只有审批人员、处长或分管领导可以办理此项');
    await assignWithApproval(harness, 'huangpu-reviewer', { role: 'official', department: 'huangpu', duties: ['reviewer', 'approver'] });
    const fourEyes = await huangpuReviewer('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(fourEyes.statusCode).toBe(403);
    expect(fourEyes.json()).toMatchObject({ code: 'four-eyes', message: expect.stringContaining('四眼原则') });
    // Told on the form before sending it: the approver may approve up to the threshold; the director is not told so.
    const explainTo = async (caller: ApiCaller) =>
      ((await caller('GET', `/api/cases/${caseId}`)).json().availableActions as { name: string; explain: string | null }[]).find((a) => a.name === 'approve-application')!.explain;
    expect(await explainTo(huangpuApprover)).toContain('超过 1,000,000.00 元须由黄浦区处长审批：您可核定不超过 1,000,000.00 元，或留待处长决定。');
    expect(await explainTo(huangpuDirector)).not.toContain('处长审批');
    // Nor filled in with the 1,500,000.00 asked, which the approver would only be refused: the director's form has it.
    const prefillFor = async (caller: ApiCaller) =>
      ((await caller('GET', `/api/cases/${caseId}`)).json().availableActions as { name: string; prefill: Record<string, unknown> }[]).find((a) => a.name === 'approve-application')!.prefill;
    expect(await prefillFor(huangpuApprover)).toEqual({});
    expect(await prefillFor(huangpuDirector)).toEqual({ approvedAmountFen: 150_000_000 });
    const notDirector = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(notDirector.statusCode).toBe(403);
    expect(notDirector.json()).toMatchObject({ code: 'director-approval-required', message: '批准金额 1,500,000.00元超过 1,000,000.00元，须由黄浦区处长审批；周审批不是处长。' });
    const tooMuch = await huangpuDirector('POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 150_000_001 });
    expect(tooMuch.statusCode).toBe(400);
    // The 雏鹰 loan's decision is no step of an application: refused as such, not by the fund committee's grant of it.
    const loanAction = await huangpuDirector('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100 });
    expect(loanAction.statusCode).toBe(409);
    expect(loanAction.json().message).toMatch(/不能办理这项操作（它属于雏鹰计划（V聚场基金）创业借款）。$/);

    const approved = await act(huangpuDirector, caseId, 'approve-application', { notes: '处长审批' });
    // Approved is not paid: the payment waits for the department (待拨付), in its queue, and nobody has paid it.
    expect(approved).toMatchObject({ status: 'paying', statusLabel: '待拨付', decision: { by: '吴处长', approvedAmountFen: 150_000_000, byDirector: true }, totalPaidFen: 0, duePayouts: [{ number: 1, of: 1, amountFen: 150_000_000 }] });
    const asApplicant = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(asApplicant).toMatchObject({ statusLabel: '待拨付', totalPaidFen: 0 });
    expect(asApplicant.overview).toContainEqual({ label: '奖补', value: expect.stringMatching(/已发放 0\.00 元；待拨付 1,500,000\.00 元（第 1 笔自\d{4}年\d{1,2}月\d{1,2}日起）/) });
    const queue = (await huangpuApprover('GET', '/api/cases?waitingFor=huangpu')).json().cases as { caseId: string; statusLabel: string }[];
    expect(queue).toContainEqual(expect.objectContaining({ caseId, statusLabel: '待拨付' }));
    const today = approved.duePayouts[0].dueOn as string;
    const reference = `HP-PAY-${caseId.slice(0, 8)}`;
    // Four-eyes: the director approved it, so the director does not also say it was paid.
    const byApprover = await huangpuDirector('POST', `/api/cases/${caseId}/record-payout`, { paidOn: today, bankReference: reference, amountFen: 150_000_000 });
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().message).toBe('四眼原则：您批准了本案的资助，不能再登记拨付，请由黄浦区其他工作人员登记。');
    expect((await creator('POST', `/api/cases/${caseId}/record-payout`, { paidOn: today, bankReference: reference, amountFen: 150_000_000 })).statusCode).toBe(403);
    // Told at the fields, in Chinese, all at once: the amount due, a day not in the future.
    const wrong = await huangpuApprover('POST', `/api/cases/${caseId}/record-payout`, { paidOn: '2199-12-31', bankReference: reference, amountFen: 149_999_999 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues).toEqual([
      expect.objectContaining({ field: 'amountFen', message: '须等于应拨付的第 1 笔金额 1,500,000.00元' }),
      expect.objectContaining({ field: 'paidOn', message: expect.stringMatching(/^不能晚于今天（\d{4}年\d{1,2}月\d{1,2}日）$/) }),
    ]);
    const done = await act(huangpuApprover, caseId, 'record-payout', { paidOn: today, bankReference: reference, amountFen: 150_000_000 });
    expect(done).toMatchObject({ status: 'completed', totalPaidFen: 150_000_000, payouts: [{ number: 1, amountFen: 150_000_000, paidOn: today, bankReference: reference }] });
    const view = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(view.overview).toContainEqual({ label: '奖补', value: expect.stringContaining('已发放 1,500,000.00 元') });
    expect(view.overview).toContainEqual({ label: '拨付记录', value: expect.stringContaining(`流水号 ${reference}，周审批登记`) });
    // The applicant is told when the money left, with the transfer: not when it was approved, nor when it fell due.
    const told = ((await creator('GET', '/api/inbox?pageSize=100')).json().notices as { caseId: string; kind: string; title: string; body: string }[]).filter((n) => n.caseId === caseId && n.kind === 'money-recorded');
    expect(told).toEqual([expect.objectContaining({ title: expect.stringMatching(/^已拨付：/), body: expect.stringContaining(`1,500,000.00元已于`) })]);
    expect(told[0]!.body).toContain(`银行流水号 ${reference}`);
    expect(view.applicantAwards.awards).toContainEqual(expect.objectContaining({ caseId, programmeId: 'huangpu-platform-subsidy', amountFen: 150_000_000 }));
    expect(view.applicantAwards.totalFen).toBe(view.applicantAwards.awards.reduce((sum: number, a: { amountFen: number }) => sum + a.amountFen, 0));
    // Funded once: the same measure refuses the same company again, naming the award by the 申请编号 they know it by, not the ledger's id.
    const again = await apply(creator, 'huangpu-platform-subsidy', { applicantKind: 'mcn', requestedAmountFen: 100_000_000, registeredDistrict: '黄浦区' });
    expect(again.statusCode).toBe(400);
    expect(again.json().issues).toEqual([{ field: 'funded-once', code: 'funded-once', message: expect.stringContaining(`1,500,000.00 元（申请编号 ${view.referenceNo}）`) }]);
    expect(again.body).not.toContain(done.award.awardId);
    // The item is the applicant itself: named so, never by the ledger's key.
    expect(again.json().issues[0].message).toMatch(/^本申请人已于\d{4}年/);
    expect((await auditor('POST', `/api/cases/${caseId}/withdraw`, {})).statusCode).toBe(403);
    expect((await otherCreator('GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('refuses a payment under a bank transfer another award already recorded, in Chinese at the field, and records nothing', async () => {
    /** A 徐汇 quality-works award approved by its approver: its one-off payment due. */
    const awarded = async () => {
      const { caseId, referenceNo } = await opened(creator, 'xuhui-quality-works', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' });
      await act(xuhuiReviewer, caseId, 'accept-materials');
      if ((await creator('GET', `/api/cases/${caseId}`)).json().status === 'compliance-review') await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '' });
      await act(xuhuiReviewer, caseId, 'score-application', { score: 80 });
      await verifyClaims(xuhuiReviewer, caseId);
      const approved = await act(xuhuiApprover, caseId, 'approve-application', {});
      expect(approved).toMatchObject({ statusLabel: '待拨付', totalPaidFen: 0 });
      return { caseId, referenceNo, dueOn: approved.duePayouts[0].dueOn as string };
    };
    const first = await awarded();
    const reference = `XH-${first.caseId.slice(0, 8)}-01`;
    await act(xuhuiReviewer, first.caseId, 'record-payout', { paidOn: first.dueOn, bankReference: reference, amountFen: 1_000_000 });
    const second = await awarded();
    // The same transfer, typed in lower case without its hyphens.
    const typed = reference.toLowerCase().replaceAll('-', '');
    const refused = await xuhuiReviewer('POST', `/api/cases/${second.caseId}/record-payout`, { paidOn: second.dueOn, bankReference: typed, amountFen: 1_000_000 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'bank-reference-used',
      message: expect.stringContaining(`银行流水号 ${typed} 已登记为办件 ${first.referenceNo} 的奖补拨付（登记时写作 ${reference}）：同一笔银行交易只登记一次`),
      issues: [expect.objectContaining({ field: 'bankReference' })],
    });
    expect((await creator('GET', `/api/cases/${second.caseId}`)).json()).toMatchObject({ statusLabel: '待拨付', totalPaidFen: 0, payouts: [] });
  });

  it('lets the applicant withdraw before the decision', async () => {
    const { caseId } = await opened(creator, 'xuhui-quality-works', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' });
    await act(xuhuiReviewer, caseId, 'accept-materials');
    const withdrawn = await act(creator, caseId, 'withdraw', { reason: '另行申请' });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', closingReasons: ['另行申请'] });
    await harness.env.client.workflow.getHandle(caseWorkflowId(caseId)).result();
    // The workflow has ended: a repeat, or any other action, is told plainly that the case is closed (409), not that the step is another.
    for (const [caller, action, body, label] of [
      [creator, 'withdraw', { reason: '另行申请' }, '撤回申请'],
      [xuhuiApprover, 'approve-application', {}, '给予支持'],
    ] as const) {
      const refused = await caller('POST', `/api/cases/${caseId}/${action}`, body);
      expect(refused.statusCode, action).toBe(409);
      expect(refused.json(), action).toMatchObject({ error: 'illegal-state', code: 'case-closed', message: expect.stringMatching(new RegExp(`^办件 ${withdrawn.referenceNo} 已于\\d{4}年\\d{1,2}月\\d{1,2}日办结（已撤回，理由：另行申请），不能再办理“${label}”。$`)) });
    }
  });

  it('refuses application actions on a 雏鹰 loan case (409)', async () => {
    const loan = await creator('POST', '/api/cases/chuying-loan', validApplication());
    // 网信 reviews a loan's content, so its approver reaches the action: the case type refuses it.
    expect((await cacApprover('POST', `/api/cases/${loan.json().caseId}/approve-application`, {})).statusCode).toBe(409);
    // 黄浦 has nothing to do with a loan: refused before that (403).
    expect((await huangpuApprover('POST', `/api/cases/${loan.json().caseId}/approve-application`, {})).statusCode).toBe(403);
  });
});

describe('the account is the applicant', () => {
  it('an individual creator’s account neither applies as an MCN nor for a 雏鹰 loan; a company’s not as a person', async () => {
    const person = await harness.as('individual-creator');
    const asMcn = await person('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台', summary: '集聚', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 10_000_000 } });
    expect(asMcn.statusCode, asMcn.body).toBe(400);
    expect(asMcn.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.applicantKind', code: 'applicant-kind-of-account', message: expect.stringContaining('您的账户登记为个人创作者') }));
    const loan = await person('POST', '/api/cases/chuying-loan', validApplication());
    expect(loan.statusCode, loan.body).toBe(400);
    expect(loan.json().message).toContain('雏鹰计划借款面向注册在杨浦区的企业；您的账户登记为个人创作者，不能申请');
    const asPerson = await creator('POST', '/api/applications/hu9-starlight', { title: '星光', summary: '自荐', facts: { applicantKind: 'individual-creator' } });
    expect(asPerson.statusCode, asPerson.body).toBe(400);
    expect(asPerson.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.applicantKind', code: 'applicant-kind-of-account' }));
  });
});

describe('盾牌行动 comes first in the 网信 queue', () => {
  it('lists a rights-protection complaint ahead of newer 网信 cases, in the case list and the worklist queue', async () => {
    // Opened between two others: neither newest-first (the case list) nor oldest-first (the queue) alone would put it first.
    // An individual creator's own account: a company's may not apply as a person.
    const person = await harness.as('individual-creator');
    const before = await opened(person, 'hu9-starlight', { applicantKind: 'individual-creator' });
    const shield = await opened(person, 'hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '账号假冒仿冒' });
    const after = await opened(person, 'hu9-starlight', { applicantKind: 'individual-creator' });
    const cases = (await cacReviewer('GET', '/api/cases?waitingFor=cac')).json().cases as { caseId: string; priority: number }[];
    // The file's earlier cases may still be reaching this queue (their workflows run on): the
    // complaint comes first of all, and these three keep their order among the rest.
    const ours = new Set([before.caseId, shield.caseId, after.caseId]);
    expect(cases.filter((c) => ours.has(c.caseId)).map((c) => c.caseId)).toEqual([shield.caseId, after.caseId, before.caseId]);
    expect(cases[0]).toMatchObject({ caseId: shield.caseId, priority: 1 });
    const queue = (await cacApprover('GET', '/api/worklist?view=queue')).json().cases as { caseId: string }[];
    expect(queue[0]!.caseId).toBe(shield.caseId);
  });
});

describe('two measures’ interest subsidies of one loan (002 Q8 + 003)', () => {
  /** The district's and the city's subsidy of one loan, its contract number as each application typed it, approved at the same moment. */
  async function bothApprovedAtOnce(contractAsTyped: { district: string; city: string }, lenderAsTyped = { district: '上海银行杨浦支行', city: '上海银行杨浦支行' }) {
    const loan = { applicantKind: 'company', interestPaidFen: 10_000_000, interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30' };
    const yangpu = await harness.as('yangpu-reviewer');
    const district = await opened(creator, 'yangpu-loan-interest-subsidy', { ...loan, loanLender: lenderAsTyped.district, loanContractNo: contractAsTyped.district, requestedAmountFen: 5_000_000 });
    const city = await opened(creator, 'hu9-loan-interest-subsidy', { ...loan, loanLender: lenderAsTyped.city, loanContractNo: contractAsTyped.city, loanRateBasisPoints: 200, lprBasisPoints: 300, requestedAmountFen: 7_500_000 });
    for (const [reviewer, caseId] of [[yangpu, district.caseId], [cacReviewer, city.caseId]] as const) {
      await verifyClaims(reviewer, caseId);
      await act(reviewer, caseId, 'accept-materials');
      const compliance = ((await cacReviewer('GET', `/api/cases/${caseId}`)).json().availableActions as { name: string }[] | undefined)?.some((a) => a.name === 'pass-compliance-review') ?? false;
      if (compliance) await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '内容积极健康' });
      await act(reviewer, caseId, 'score-application', { score: 90, comments: '按期付息' });
    }
    const [districtAnswer, cityAnswer] = await Promise.all([
      (await harness.as('yangpu-approver'))('POST', `/api/cases/${district.caseId}/approve-application`, {}),
      cacApprover('POST', `/api/cases/${city.caseId}/approve-application`, {}),
    ]);
    const answers = [districtAnswer, cityAnswer];
    expect(answers.filter((a) => a.statusCode === 200), answers.map((a) => a.body).join('\n')).toHaveLength(1);
    const refused = answers.find((a) => a.statusCode !== 200)!;
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/该笔贷款已获其他贴息 (50,000\.00|75,000\.00) ?元，两项贴息合计不超过实际支付利息 100,000\.00 ?元，本次最高 (50,000\.00|25,000\.00) ?元/);
    const held = await harness.database.db.selectFrom('awards').select(['programme_id', 'amount_fen']).where('case_id', 'in', [district.caseId, city.caseId]).execute();
    expect(held.reduce((sum, a) => sum + Number(a.amount_fen), 0)).toBeLessThanOrEqual(10_000_000);
    expect(held).toHaveLength(1);
    // The refused one's approval form now says what is left, and starts from it.
    const districtWon = districtAnswer.statusCode === 200;
    const [loserId, loserApprover] = districtWon ? [city.caseId, cacApprover] : [district.caseId, await harness.as('yangpu-approver')];
    const form = ((await loserApprover('GET', `/api/cases/${loserId}`)).json().availableActions as { name: string; explain: string; prefill: Record<string, unknown> }[]).find((a) => a.name === 'approve-application')!;
    const left = districtWon ? 5_000_000 : 2_500_000;
    expect(form.explain).toContain('两项贴息合计不超过实际支付利息');
    expect(form.prefill).toEqual({ approvedAmountFen: left });
    expect((await loserApprover('POST', `/api/cases/${loserId}/approve-application`, { approvedAmountFen: left })).statusCode).toBe(200);
  }

  it('approved at the same moment stay within the interest paid: the second is refused, naming what is left', async () => {
    const contract = `JK-${randomUUID().slice(0, 8)}`;
    await bothApprovedAtOnce({ district: contract, city: contract });
  });

  it('stay within the interest paid when one names the lender with its legal form and the other without', async () => {
    const contract = `JK-${randomUUID().slice(0, 8)}`;
    await bothApprovedAtOnce({ district: contract, city: contract }, { district: '上海银行股份有限公司杨浦支行', city: '上海银行杨浦支行' });
  });

  it('tell the reviewer of a subsidy on a loan of the same contract number whose lender was written otherwise', async () => {
    const loan = { applicantKind: 'company', loanContractNo: `JK-${randomUUID().slice(0, 8)}`, interestPaidFen: 10_000_000, interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30' };
    const city = await opened(creator, 'hu9-loan-interest-subsidy', { ...loan, loanLender: '上海银行', loanRateBasisPoints: 200, lprBasisPoints: 300, requestedAmountFen: 7_500_000 });
    await verifyClaims(cacReviewer, city.caseId);
    await act(cacReviewer, city.caseId, 'accept-materials');
    await act(cacReviewer, city.caseId, 'pass-compliance-review', { notes: '内容积极健康' });
    await act(cacReviewer, city.caseId, 'score-application', { score: 90, comments: '按期付息' });
    expect((await cacApprover('POST', `/api/cases/${city.caseId}/approve-application`, {})).statusCode).toBe(200);
    const district = await opened(creator, 'yangpu-loan-interest-subsidy', { ...loan, loanLender: '上海银行杨浦支行', requestedAmountFen: 5_000_000 });
    const view = (await (await harness.as('yangpu-reviewer'))('GET', `/api/cases/${district.caseId}`)).json<{ stackingNotes: string[] }>();
    expect(view.stackingNotes).toContainEqual(expect.stringMatching(/^合同编号相同的贷款已获.+贴息 75,000\.00 ?元（申请编号 AP-\d{4}-\d{6}，贷款银行填写为“上海银行”）：请对照借款合同核实是否为同一笔贷款/));
  });

  it('asked without an amount, start the approval form from what the rule gives, or from what the other subsidy left', async () => {
    const loan = { applicantKind: 'company', loanLender: '上海银行杨浦支行', loanContractNo: `JK-${randomUUID().slice(0, 8)}`, interestPaidFen: 10_000_000, interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30' };
    const cityTerms = { ...loan, loanRateBasisPoints: 200, lprBasisPoints: 300 };
    const approvalForm = async (caseId: string) => ((await cacApprover('GET', `/api/cases/${caseId}`)).json().availableActions as { name: string; prefill: Record<string, unknown> }[]).find((a) => a.name === 'approve-application')!;
    const toApproval = async (caseId: string) => {
      await verifyClaims(cacReviewer, caseId);
      await act(cacReviewer, caseId, 'accept-materials');
      await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '内容积极健康' });
      await act(cacReviewer, caseId, 'score-application', { score: 90, comments: '按期付息' });
    };
    // 100,000.00 of interest at 2 % against an LPR of 3 %: min(2 %, 1.5 %) ÷ 2 % of it.
    const alone = await opened(creator, 'hu9-loan-interest-subsidy', cityTerms);
    await toApproval(alone.caseId);
    expect((await approvalForm(alone.caseId)).prefill).toEqual({ approvedAmountFen: 7_500_000 });

    const yangpu = await harness.as('yangpu-reviewer');
    const otherLoan = { ...loan, loanContractNo: `JK-${randomUUID().slice(0, 8)}` };
    const district = await opened(creator, 'yangpu-loan-interest-subsidy', { ...otherLoan, requestedAmountFen: 5_000_000 });
    await verifyClaims(yangpu, district.caseId);
    await act(yangpu, district.caseId, 'accept-materials');
    await act(yangpu, district.caseId, 'score-application', { score: 90, comments: '按期付息' });
    expect((await (await harness.as('yangpu-approver'))('POST', `/api/cases/${district.caseId}/approve-application`, {})).statusCode).toBe(200);
    const city = await opened(creator, 'hu9-loan-interest-subsidy', { ...cityTerms, loanContractNo: otherLoan.loanContractNo });
    await toApproval(city.caseId);
    expect((await approvalForm(city.caseId)).prefill).toEqual({ approvedAmountFen: 5_000_000 });
  });

  it('stated otherwise for one loan are put to the officials deciding the second, not to the applicant', async () => {
    const loan = { applicantKind: 'company', loanLender: '上海银行杨浦支行', loanContractNo: `JK-${randomUUID().slice(0, 8)}`, interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30' };
    const yangpu = await harness.as('yangpu-reviewer');
    const district = await opened(creator, 'yangpu-loan-interest-subsidy', { ...loan, interestPaidFen: 10_000_000, requestedAmountFen: 5_000_000 });
    await verifyClaims(yangpu, district.caseId);
    await act(yangpu, district.caseId, 'accept-materials');
    await act(yangpu, district.caseId, 'score-application', { score: 90, comments: '按期付息' });
    expect((await (await harness.as('yangpu-approver'))('POST', `/api/cases/${district.caseId}/approve-application`, {})).statusCode).toBe(200);
    const conflictsSeenBy = async (caller: ApiCaller, caseId: string) => (await caller('GET', `/api/cases/${caseId}`)).json().factConflicts as string[];

    const otherwise = await opened(creator, 'hu9-loan-interest-subsidy', { ...loan, interestPaidFen: 20_000_000, loanRateBasisPoints: 200, lprBasisPoints: 300 });
    const [conflict, ...more] = await conflictsSeenBy(cacReviewer, otherwise.caseId);
    expect(more).toEqual([]);
    expect(conflict).toContain(`同一笔贷款已获杨浦银行贷款贴息 50%（${district.referenceNo}），该申请所报实际支付利息 100,000.00 元（付息期间 2026年1月1日至2026年6月30日）`);
    expect(conflict).toContain('与本申请所报实际支付利息 200,000.00 元（付息期间 2026年1月1日至2026年6月30日）不一致');
    expect(await conflictsSeenBy(creator, otherwise.caseId)).toEqual([]);
    await act(creator, otherwise.caseId, 'withdraw', { reason: '利息金额填写有误' });

    const alike = await opened(creator, 'hu9-loan-interest-subsidy', { ...loan, loanContractNo: loan.loanContractNo.toLowerCase(), interestPaidFen: 10_000_000, loanRateBasisPoints: 200, lprBasisPoints: 300 });
    expect(await conflictsSeenBy(cacReviewer, alike.caseId)).toEqual([]);
  });

  it('are of one loan whether its contract number is typed with hyphens or without (HE-G-001, heg 001)', async () => {
    const serial = randomUUID().replace(/\D/g, '').slice(0, 8).padEnd(8, '7');
    await bothApprovedAtOnce({ district: `HE-G-${serial}`, city: `heg ${serial}` });
  });
});
