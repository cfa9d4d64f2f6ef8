import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { verifyClaims } from '../support/verify-claims.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 已获资助 on the case page, and the approval form against a yearly cap. An outside tester, as
 * xuhui-approver on a second 徐汇 企业落户 application of a company already approved 30,000,000.00
 * this year, read only 核定金额上限 30,000,000.00 元（每年最高额） with 30000000 filled in, and was
 * refused after sending it; nothing showed what the company already held, and a total would have
 * counted its 雏鹰 loan as a grant. Another read 您已获资助合计 counting awards still on 公示 (公示中,
 * 异议待答复), each with a 获资助日期 as if final.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe("the applicant's awards on an application", () => {
  it('are listed with their total for the approver, the loan apart, and the approval form says what is left of the yearly cap; the applicant sees their own', async () => {
    screenshotOnFailure(() => suite.pages(), 'applicant-awards');
    const shot = stepShots('applicant-awards');
    const creator = await suite.harness.as('creator');
    const opened = await creator('POST', '/api/applications/xuhui-company-settling', { title: '企业落户徐汇', summary: '总部迁入', facts: { applicantKind: 'company', requestedAmountFen: 3_000_000_000, registeredDistrict: '徐汇区' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;
    const db = suite.harness.database.db;
    const { applicant_account_id: accountId } = await db.selectFrom('cases').select('applicant_account_id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    // Meanwhile the company's first application this year was approved for the whole cap, and it holds a 雏鹰 loan.
    const today = shanghaiDateOf(Date.now());
    const first = { award_id: `AW-${randomUUID()}`, case_id: randomUUID() };
    const loanCaseId = randomUUID();
    await db
      .insertInto('awards')
      .values([
        { ...first, applicant_account_id: accountId, programme_id: 'xuhui-company-settling', catalogue_version: '2026-12-03', item_id: `company:xuhui-company-settling:${accountId}`, amount_fen: 3_000_000_000, awarded_on: today, recorded_at: new Date() },
        { award_id: `LOAN-${loanCaseId}`, case_id: loanCaseId, applicant_account_id: accountId, programme_id: 'chuying-loan', catalogue_version: '2026-11-23', item_id: 'company:91310110MA1G8E2X3K', amount_fen: 36_000_000, awarded_on: '2026-03-02', recorded_at: new Date() },
      ])
      .execute();
    const reviewer = await suite.harness.as('xuhui-reviewer');
    expect((await reviewer('POST', `/api/cases/${caseId}/accept-materials`, {})).statusCode).toBe(200);
    // And an award of 黄浦 approved in a call is on 公示: not final yet.
    const onNoticeId = await huangpuAwardOnNotice(creator);

    const approver = await signedIn('xuhui-approver');
    await approver.goto(`${suite.base}#/cases/${caseId}`);
    const card = approver.getByRole('region', { name: '已获资助' });
    await card.waitFor();
    await expect.poll(() => card.locator(`[data-award="${first.award_id}"]`).innerText()).toContain('徐汇 企业落户');
    const row = await card.locator(`[data-award="${first.award_id}"]`).innerText();
    expect(row).toContain('本申请人');
    expect(row).toContain('30,000,000.00 元');
    expect(await card.locator('[data-awards-total]').innerText()).toContain('申请人已获资助合计 30,000,000.00 元（共 1 项，借款另列）');
    // The award on 公示 is listed as such, and totalled apart.
    await expect.poll(() => card.locator(`[data-award="AW-${onNoticeId}"]`).count()).toBe(1);
    const onNoticeRow = card.locator(`[data-award="AW-${onNoticeId}"]`);
    expect(await onNoticeRow.innerText()).toContain('500,000.00 元');
    expect(await onNoticeRow.locator('[data-award-publicity="in-publicity"]').innerText()).toBe('公示中');
    expect(await onNoticeRow.innerText()).toMatch(/公示中 尚未确定（\d{4}年\d{1,2}月\d{1,2}日批准，公示至\d{4}年\d{1,2}月\d{1,2}日）/);
    expect(await card.locator('[data-awards-on-notice]').innerText()).toContain('公示中或异议待答复 1 项，合计 500,000.00 元，尚未确定，未计入已获资助合计');
    // Approving another still counts it (the approval form below says so in its figures).
    expect(await card.locator('[data-awards-on-notice]').innerText()).toContain('审批新的申请时，仍按已批准的金额计入每年最高额和不重复资助的核算。');
    // The loan is lent, to be repaid: listed apart, not in the grants' total.
    const loans = card.locator('[data-applicant-loans]');
    expect(await loans.innerText()).toContain('借款（须按期归还，不计入资助合计）');
    expect(await loans.locator(`[data-award="LOAN-${loanCaseId}"]`).innerText()).toContain('360,000.00 元');
    // Above the actions, where the decision is taken.
    const approve = approver.locator('[data-action="approve-application"]');
    const [cardTop, actionsTop] = await Promise.all([card.boundingBox(), approve.boundingBox()]);
    expect(cardTop!.y).toBeLessThan(actionsTop!.y);
    // The form says what is left this year, and fills in no amount that would only be refused.
    expect(await approve.locator('.explain').innerText()).toContain('核定金额上限 30,000,000.00 元（每年最高额）；本年度已获 30,000,000.00 元，尚可核定 0.00 元。本年度已达每年最高额，不能再核定资助。');
    expect(await approve.getByLabel(/核定金额/).inputValue()).toBe('');
    await shot(approver, 'approver');

    const applicant = await signedIn('creator', { phone: true });
    await applicant.goto(`${suite.base}#/cases/${caseId}`);
    const own = applicant.getByRole('region', { name: '已获资助' });
    await own.waitFor();
    expect(await own.locator('[data-awards-total]').innerText()).toContain('您已获资助合计 30,000,000.00 元');
    expect(await own.locator('[data-awards-on-notice]').innerText()).toContain('公示中或异议待答复 1 项，合计 500,000.00 元');
    expect(await own.locator(`[data-award="AW-${onNoticeId}"] [data-award-publicity]`).innerText()).toBe('公示中');
    expect(await applicant.locator('[data-action="approve-application"]').count()).toBe(0);
    await shot(applicant, 'applicant', own);
  });
});

describe('an award stopped before its first payment', () => {
  it('is marked 已停止，未发放 in 已获资助 and counted nowhere: the applicant reads that they have received no support', async () => {
    screenshotOnFailure(() => suite.pages(), 'applicant-awards-stopped');
    const shot = stepShots('applicant-awards-stopped');
    // 杨浦人才租房补贴 approved, and a move out of 杨浦 reported the same day, before any payment (已发放 0.00 元).
    const tenant = await suite.harness.as('individual-creator');
    const reviewer = await suite.harness.as('yangpu-reviewer');
    const post = async (caller: typeof tenant, url: string, body: unknown, status = 200) => {
      const response = await caller('POST', url, body);
      expect(response.statusCode, response.body).toBe(status);
      return response.json<{ caseId: string; case: { award: { awardedOn: string } } }>();
    };
    const { caseId } = await post(tenant, '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } }, 201);
    await post(reviewer, `/api/cases/${caseId}/accept-materials`, {});
    await post(reviewer, `/api/cases/${caseId}/score-application`, { score: 80 });
    await verifyClaims(reviewer, caseId);
    const approved = await post(await suite.harness.as('yangpu-approver'), `/api/cases/${caseId}/approve-application`, {});
    await post(tenant, `/api/cases/${caseId}/report-left-yangpu`, { leftOn: approved.case.award.awardedOn, note: '迁往浦东' });

    const page = await signedIn('individual-creator', { phone: true });
    await page.goto(`${suite.base}#/cases/${caseId}`);
    const card = page.getByRole('region', { name: '已获资助' });
    await card.waitFor();
    expect(await card.locator('[data-awards-total]').innerText()).toBe('您尚未获得任何资助');
    expect(await card.locator('[data-awards-stopped]').innerText()).toBe('另有 1 项已停止，未发放，不计入已获资助合计。');
    const row = card.locator(`[data-award="${(await awardIdOf(caseId))}"]`);
    expect(await row.locator('[data-award-stopped]').innerText()).toBe('已停止，未发放');
    expect(await row.innerText()).toMatch(/已停止，未发放（\d{4}年\d{1,2}月\d{1,2}日批准，\d{4}年\d{1,2}月\d{1,2}日停止发放）/);
    await shot(page, 'applicant', card);
  });
});

describe('an objection to an award on 公示', () => {
  it('is shown to the applicant on their case page with its reasons and the written answer, without the objector', async () => {
    screenshotOnFailure(() => suite.pages(), 'applicant-objections');
    const shot = stepShots('applicant-objections');
    // Another company than the suite's other tests' (an applicant is funded once by a measure).
    const caseId = await huangpuAwardOnNotice(await suite.harness.as('other-creator'));
    // Lodged by the public, without signing in; answered in writing by the department.
    const lodged = await suite.harness.app.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '该活动曾获市级同类补贴，\n重复资助' } });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const objectionId = lodged.json<{ objectionId: string }>().objectionId;
    // The department's form asks which objection it answers as a choice, by when it came and what it says: never an id to copy.
    const office = await signedIn('huangpu-approver');
    await office.goto(`${suite.base}#/cases/${caseId}`);
    const dismissForm = office.locator('[data-action="dismiss-objection"]');
    await dismissForm.waitFor();
    const which = dismissForm.getByLabel(/答复哪项异议/);
    expect(await which.evaluate((e) => e.tagName)).toBe('SELECT');
    expect(await which.inputValue()).toBe(objectionId);
    expect(await which.locator('option:checked').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}收到：该活动曾获市级同类补贴，\n?重复资助$/);
    expect(await office.locator('main').innerText()).not.toContain(objectionId);
    await shot(office, 'office-answer-form', dismissForm);
    const approver = await suite.harness.as('huangpu-approver');
    const dismissed = await approver('POST', `/api/cases/${caseId}/dismiss-objection`, { objectionId, answer: '经核实，市级补贴为另一项目，不属重复资助' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);

    const page = await signedIn('other-creator', { phone: true });
    await page.goto(`${suite.base}#/cases/${caseId}`);
    const card = page.getByRole('region', { name: '公示异议（1 条）' });
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('第 1 条异议');
    expect(text).toContain('异议不成立');
    expect(text).toContain('该活动曾获市级同类补贴，\n重复资助');
    expect(text).toContain('经核实，市级补贴为另一项目，不属重复资助');
    expect(text).toMatch(/周审批，\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(text).toContain('提出异议的人不公开');
    await shot(page, 'applicant', card);
  });
});

const awardIdOf = async (caseId: string) => (await suite.harness.database.db.selectFrom('awards').select('award_id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).award_id;

let huangpuCall: Promise<string> | undefined;

/** A first-come 黄浦 call, and an application of the applicant's approved in it for 500,000.00: on 公示. */
async function huangpuAwardOnNotice(applicant: Awaited<ReturnType<typeof suite.harness.as>>): Promise<string> {
  const reviewer = await suite.harness.as('huangpu-reviewer');
  const ok = async (caller: typeof reviewer, url: string, body: unknown, status = 200) => {
    const response = await caller('POST', url, body);
    expect(response.statusCode, response.body).toBe(status);
    return response.json<{ caseId: string; case?: { status: string } }>();
  };
  const day = 86_400_000;
  const at = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');
  // One call of a programme takes applications at a time: the suite's tests share it.
  huangpuCall ??= (async () => {
    const call = await ok(reviewer, '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title: '2026 年黄浦平台集聚补贴', opensAt: at(Date.now() - day), closesAt: at(Date.now() + 30 * day), budgetFen: 500_000_000, mode: 'first-come' }, 201);
    await ok(await suite.harness.as('huangpu-approver'), `/api/cases/${call.caseId}/approve-budget`, {});
    return call.caseId;
  })();
  await huangpuCall;
  const { caseId } = await ok(applicant, '/api/applications/huangpu-platform-subsidy', { title: '平台集聚补贴', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 50_000_000 } }, 201);
  await ok(reviewer, `/api/cases/${caseId}/accept-materials`, {});
  await ok(await suite.harness.as('cac-reviewer'), `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
  await ok(reviewer, `/api/cases/${caseId}/score-application`, { score: 85 });
  await verifyClaims(reviewer, caseId);
  const approved = await ok(await suite.harness.as('huangpu-approver'), `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 50_000_000 });
  expect(approved.case?.status).toBe('publicity');
  return caseId;
}
