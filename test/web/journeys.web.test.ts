import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { freshCreditCode } from '../support/actors.js';
import { validApplication } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { browserSuite, fillInSteps, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Each role's main journey, end to end, in headless Chromium against the real system: embedded
 * PostgreSQL, the time-skipping Temporal server, the worker and the API listening on a free port.
 * One Chromium for the file; one browser context per person. Every step leaves a screenshot under
 * test-results/web/<journey>/.
 */
const suite = browserSuite();
const { signedIn } = suite;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
/** Waits until the locator shows the text (the page re-renders after each action). */
async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}
const caseRow = (page: Page, referenceNo: string) => page.locator(`tr[data-reference="${referenceNo}"]`);

async function openCase(page: Page, referenceNo: string, from = '#/cases'): Promise<void> {
  await page.goto(`${suite.base}${from}`);
  await caseRow(page, referenceNo).getByRole('link', { name: referenceNo }).click();
  await shows(h1(page), referenceNo);
}

/** Takes an action from its box; a decision (`confirm`) is asked about first, inline, and confirmed. */
async function act(page: Page, action: string, fill: Record<string, string> = {}, options: { confirm?: boolean } = {}): Promise<void> {
  const box = page.locator(`[data-action="${action}"]`);
  for (const [label, value] of Object.entries(fill)) await box.getByLabel(label).fill(value);
  await box.getByRole('button').click();
  if (options.confirm) await box.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
  await page.locator('.notice-ok').first().waitFor();
}

const status = (page: Page) => page.locator('.progress .status');


describe('the web UI in a real browser', () => {
  let referenceNo = '';
  let caseId = '';

  it('applicant and officials: eligibility check → apply (inline errors) → 补正 → review → four-eyes → approve → disburse → repay', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'loan-journey');
    const shot = stepShots('loan-journey');
    const creator = await signedIn('creator');
    await shows(h1(creator), '我的办件');
    expect(await creator.locator('html').getAttribute('lang')).toBe('zh-CN');

    // The catalogue in plain words, and a self-check that says why not.
    await creator.goto(`${suite.base}#/catalogue`);
    const card = creator.locator('[data-programme="chuying-loan"]').first();
    await shows(card, '最高 500,000.00 元');
    await card.getByText('资格自查').click();
    // What the loan form asks, no more: its 注册区 and amount.
    await card.getByLabel('注册区').selectOption('徐汇区');
    await card.getByLabel('申请金额（元）').fill('600000');
    await card.getByRole('button', { name: '自查' }).click();
    await shows(card.locator('.check-result'), '暂不符合条件');
    expect(await card.locator('.check-result .violations li').count()).toBeGreaterThanOrEqual(2);
    await shot(creator, 'catalogue-self-check', card);

    // Apply, one step per question group: the API's 400 issues appear next to their fields.
    await card.getByRole('link', { name: '在线申请雏鹰借款' }).click();
    await shows(h1(creator), '申请雏鹰计划');
    expect(await creator.getByLabel('企业名称').inputValue()).toBe('上海星河文化传媒有限公司');
    // 继续 on step 1 tells the code's form at once, in the API's words (one check): the GOV.UK error summary, focused, its link moving focus to the field.
    await creator.getByLabel('统一社会信用代码').fill('12345');
    await creator.getByRole('button', { name: '继续', exact: true }).click();
    const code = creator.getByLabel('统一社会信用代码');
    const summary = creator.locator('.error-summary');
    await creator.locator('[data-field="company.unifiedSocialCreditCode"] .field-error').filter({ hasText: '统一社会信用代码应为 18 位，这里是 5 位' }).waitFor({ state: 'attached' });
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => creator.evaluate('document.activeElement?.className')).toContain('error-summary');
    await summary.getByRole('link', { name: /应为 18 位，这里是 5 位/ }).click();
    expect(await creator.evaluate('document.activeElement?.name')).toBe('company.unifiedSocialCreditCode');
    await shows(creator.locator('.step-progress'), '第 1 步，共 4 步');
    await shot(creator, 'apply-inline-error');
    // A company of its own (a company holds one 雏鹰 loan at a time, and other files open loans too). The cap is told at the amount's step, at its field.
    await expect(fillInSteps(creator, { 统一社会信用代码: freshCreditCode(), 项目名称: '城市漫游短视频', 项目简介: '记录杨浦滨江的城市更新', '申请金额（元）': '600000' })).rejects.toThrow('有 1 处需要修改');
    await creator.locator('[data-field="requestedAmountFen"] .field-error').filter({ hasText: /500,000\.00/ }).waitFor({ state: 'attached' });
    expect(await code.getAttribute('aria-invalid')).toBeNull();
    await summary.getByRole('link', { name: /500,000\.00/ }).click();
    await fillInSteps(creator, { '申请金额（元）': '400,000' });
    // The confirmation: the 申请编号 (受理 comes after the completeness check), then the case itself.
    await shows(h1(creator), '申请已提交');
    referenceNo = /CY-\d{4}-\d{6}/.exec((await creator.locator('.reference-no').textContent()) ?? '')![0];
    caseId = creator.url().split('#/submitted/')[1]!;
    await shot(creator, 'applied-confirmation');
    await creator.getByRole('link', { name: '查看办件' }).click();
    await shows(h1(creator), referenceNo);
    await shows(status(creator), '材料审查');
    await shows(creator.locator('.progress'), '杨浦区 V聚场基金');
    await shot(creator, 'applied-case-page');

    // The fund's queue; 补正 requested with reasons.
    const reviewer = await signedIn('fund-reviewer');
    await shows(h1(reviewer), '待办队列');
    await caseRow(reviewer, referenceNo).waitFor();
    // Not decided yet: the amount is what was asked, and says so.
    expect(await caseRow(reviewer, referenceNo).locator('td[data-label="金额"]').innerText()).toMatch(/^400,000\.00 元\s*申请$/);
    await shot(reviewer, 'reviewer-queue');
    await caseRow(reviewer, referenceNo).getByRole('link').click();
    await act(reviewer, 'request-supplement', { 需补正的材料: '营业执照副本\n项目预算表' });
    await shows(status(reviewer), '待补正');
    await shot(reviewer, 'supplement-requested');

    // The applicant sees what to do and by when, and answers in place.
    await creator.goto(`${suite.base}#/cases`);
    await shows(caseRow(creator, referenceNo), '待补正');
    // The applicant's 30 days are counted in days (not working days), to the day they end on.
    await shows(caseRow(creator, referenceNo), /剩余 3[0-3] 天/);
    await shot(creator, 'my-cases-awaiting-supplement');
    await caseRow(creator, referenceNo).getByRole('link').click();
    await shows(creator.locator('.countdown-text'), /剩余 3[0-3] 天/);
    const supplement = creator.getByRole('form', { name: '提交补正材料' });
    await supplement.getByLabel('营业执照副本').fill('license.pdf');
    await shot(creator, 'supplement-form');
    await supplement.getByRole('button', { name: '提交补正' }).click();
    await creator.locator('[data-field="responses.1"] .field-error').waitFor();
    await supplement.getByLabel('项目预算表').fill('budget.xlsx');
    await supplement.getByRole('button', { name: '提交补正' }).click();
    await shows(creator.locator('.notice-ok'), '补正材料已提交');
    await shows(status(creator), '材料审查');

    await openCase(reviewer, referenceNo, '#/queue');
    await act(reviewer, 'accept-materials');
    await shows(status(reviewer), '网信内容合规审查');

    const cac = await signedIn('cac-reviewer');
    await openCase(cac, referenceNo, '#/queue');
    await act(cac, 'pass-compliance-review', { '审查意见（可选）': '内容积极健康' });
    await shows(status(cac), '基金评审决策');

    // Four-eyes, before acting: the reviewer may not decide; the button says why.
    await openCase(reviewer, referenceNo, '#/queue');
    const approveBox = reviewer.locator('[data-action="approve-funding"]');
    await shows(approveBox.locator('.constraint'), '四眼原则');
    // The form is folded under why; opened, it is there to read, its button disabled.
    expect(await approveBox.getByRole('button', { name: '同意资助' }).count()).toBe(0);
    await approveBox.locator('summary', { hasText: '查看表单' }).click();
    expect(await approveBox.getByRole('button', { name: '同意资助' }).isDisabled()).toBe(true);
    await approveBox.scrollIntoViewIfNeeded();
    await shot(reviewer, 'four-eyes-disabled');

    const approver = await signedIn('fund-approver');
    await openCase(approver, referenceNo, '#/queue');
    expect(await approver.locator('[data-action="approve-funding"] .constraint').count()).toBe(0);
    // What the case allows is said at the field, before the decision asks to be confirmed: no more than requested, and a cut with its reasons.
    const approveForm = approver.locator('[data-action="approve-funding"]');
    await approveForm.getByLabel('核定金额（元）').fill('600000');
    await approveForm.getByRole('button', { name: '同意资助' }).click();
    await shows(approveForm.locator('[data-field="approvedAmountFen"] .field-error'), '不能超过 400,000.00 元');
    expect(await approveForm.locator('.confirm-step').count()).toBe(0);
    await approveForm.getByLabel('核定金额（元）').fill('300000');
    await approveForm.getByRole('button', { name: '同意资助' }).click();
    await shows(approveForm.locator('[data-field="notes"] .field-error'), '核定金额少于 400,000.00 元时，请填写决策意见');
    expect(await approveForm.locator('.confirm-step').count()).toBe(0);
    await act(approver, 'approve-funding', { '核定金额（元）': '360000', '决策意见（核减金额时必填）': '核定 36 万元' }, { confirm: true });
    await shows(status(approver), '待放款');
    await shot(approver, 'funding-approved');

    await openCase(reviewer, referenceNo, '#/queue');
    // Money recorded as moved is asked first, as a decision is (an outside tester's 登记放款 took one click).
    await act(reviewer, 'record-disbursement', { 银行流水号: 'BOC-0001' }, { confirm: true });
    await shows(status(reviewer), '还款中');
    expect(await reviewer.locator('table.schedule tbody tr').count()).toBe(36);
    await act(reviewer, 'record-repayment', { 还款凭证号: 'REPAY-1' }, { confirm: true });
    await shows(reviewer.locator('tr[data-instalment="1"]'), '已还清');
    await shot(reviewer, 'repayment-recorded');

    // The applicant's schedule: paid, due, what is outstanding; the timeline says who, when, why.
    await openCase(creator, referenceNo);
    await shows(creator.locator('tr[data-instalment="1"]'), '已还清');
    await shows(creator.locator('tr[data-instalment="2"]'), '待还');
    await shows(creator.locator('.stat.outstanding'), '350,000.00 元');
    await shows(creator.locator('[data-event="SupplementRequested"]'), '营业执照副本；项目预算表');
    await shows(creator.locator('[data-event="FundingApproved"]'), '李决策');
    // Eight steps, and the time limits the 网信 review, the fund's decision and the disbursement started with (issue 13).
    await shows(creator.locator('[data-event="TimeLimitStarted"]').first(), '办理时限开始计算');
    expect(await creator.locator('.timeline [data-event="TimeLimitStarted"]').count()).toBe(3);
    expect(await creator.locator('.timeline .event').count()).toBe(11);
    await shot(creator, 'applicant-schedule-and-timeline');

    // On a phone.
    const phone = await signedIn('creator', { phone: true });
    await shows(caseRow(phone, referenceNo), '还款中');
    // The amount the list shows is the one lent, marked as granted, with what was asked for beside it.
    await shows(caseRow(phone, referenceNo).locator('td[data-label="金额"]'), '360,000.00 元');
    await shows(caseRow(phone, referenceNo).locator('td[data-label="金额"]'), '核定（申请 400,000.00 元）');
    await shot(phone, 'phone-my-cases');
  }, 300_000);

  it('auditor: search, verification badge, as-of slider, diff of two moments, export', async () => {
    expect(referenceNo).not.toBe('');
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'audit-journey');
    const shot = stepShots('audit-journey');
    const auditor = await signedIn('auditor');
    await shows(h1(auditor), '审计查询');
    await auditor.getByLabel('申请编号、申请人或案件编号').fill(referenceNo);
    await auditor.getByRole('button', { name: '查询' }).click();
    await shows(auditor.locator('caption'), `“${referenceNo}”的查询结果：1 件`);
    await shot(auditor, 'search');
    await caseRow(auditor, referenceNo).getByRole('link').click();
    await shows(h1(auditor), `审计 · ${referenceNo}`);
    await shows(auditor.locator('.verify'), '记录完整');
    expect(await auditor.locator('.verify').getAttribute('data-intact')).toBe('true');
    // Each of the eleven events with its hash and the hash before it.
    expect(await auditor.locator('.timeline .hash code').count()).toBe(22);
    await shot(auditor, 'verified-timeline-with-hashes');

    // Back to just after the 补正 request: the case was waiting for the applicant then.
    const slider = auditor.getByLabel(/选择时点/);
    await slider.focus();
    await slider.press('Home');
    await shows(auditor.locator('.as-of-output'), '尚未立案');
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await shows(auditor.locator('[data-as-of-version]'), '第 2 版');
    expect(await auditor.locator('.as-of-status').innerText()).toBe('待补正');
    await shows(auditor.locator('.as-of-supplements'), /第 1 次补正[\s\S]*营业执照副本；项目预算表[\s\S]*答复期限[\s\S]*该时点尚未答复/);
    await auditor.locator('#as-of-h').scrollIntoViewIfNeeded();
    await shot(auditor, 'as-of-after-supplement-request');
    // Once answered, the state lets the request go; the as-of view still shows what was asked, beside the answer.
    await slider.press('ArrowRight');
    await shows(auditor.locator('[data-as-of-version]'), '第 3 版');
    await shows(auditor.locator('.as-of-supplements'), /营业执照副本；项目预算表[\s\S]*答复[\s\S]*营业执照副本：license\.pdf[\s\S]*项目预算表：budget\.xlsx/);
    await shot(auditor, 'as-of-after-supplement-answered');

    await auditor.getByLabel('从').selectOption('1');
    await auditor.getByLabel('到').selectOption('3');
    await auditor.getByRole('button', { name: '比较' }).click();
    await shows(auditor.locator('#diff-h + form + div'), '第 1 版');
    // Each changed field by its name in words, and its values as people read them.
    await shows(auditor.locator('table.diff tr[data-path="supplementRounds"]'), /补正轮次[\s\S]*0\s*1/);
    await shows(auditor.locator('.diff-events'), '要求补正材料');
    await auditor.locator('#diff-h').scrollIntoViewIfNeeded();
    await shot(auditor, 'diff-v1-v3');

    // Who wrote each event: the case's workflow, as its history in the engine says.
    await auditor.getByRole('button', { name: '与办案流程历史核对' }).click();
    await shows(auditor.locator('#witness-h ~ div'), '全部 11 个事件都是本案的办案流程写入的');
    await auditor.locator('#witness-h').scrollIntoViewIfNeeded();
    await shot(auditor, 'witness');

    await auditor.getByRole('button', { name: '导出案件证据包' }).click();
    const download = auditor.getByRole('link', { name: `下载 ${referenceNo}-bundle.json` });
    await download.waitFor();
    const [file] = await Promise.all([auditor.waitForEvent('download'), download.click()]);
    const bundle = JSON.parse(await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8')) as { manifest: { caseId: string; events: { count: number } } };
    expect(bundle.manifest.caseId).toBe(caseId);
    expect(bundle.manifest.events.count).toBe(11);
    await shot(auditor, 'export');

    // Read-only: the auditor's case page offers no action.
    await auditor.goto(`${suite.base}#/cases/${caseId}`);
    await shows(auditor.locator('main'), '审计账号只读');
    expect(await auditor.locator('[data-action]').count()).toBe(0);
  }, 180_000);

  it('applicant rates an ended case 2 (差评): a follow-up task opens for the supervisor; the dashboard shows cases and the loan book', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'rating-dashboard');
    const shot = stepShots('rating-dashboard');
    // A second case, refused by the fund committee (through the API: the UI journey is above).
    const [creatorApi, reviewerApi, cacApi, approverApi] = await Promise.all(['creator', 'fund-reviewer', 'cac-reviewer', 'fund-approver'].map((u) => suite.harness.as(u)));
    const opened = (await creatorApi!('POST', '/api/cases/chuying-loan', validApplication())).json<{ caseId: string; referenceNo: string }>();
    expect((await reviewerApi!('POST', `/api/cases/${opened.caseId}/accept-materials`, {})).statusCode).toBe(200);
    expect((await cacApi!('POST', `/api/cases/${opened.caseId}/pass-compliance-review`, {})).statusCode).toBe(200);
    expect((await approverApi!('POST', `/api/cases/${opened.caseId}/reject-funding`, { reasons: ['项目预算不清晰'] })).statusCode).toBe(200);

    // The rating endpoint's refusals, through the API: a running case, someone else's, a bad score.
    const [otherApi] = await Promise.all([suite.harness.as('other-creator')]);
    expect((await creatorApi!('POST', `/api/cases/${caseId}/rating`, { score: 5 })).statusCode).toBe(409);
    expect((await otherApi!('POST', `/api/cases/${opened.caseId}/rating`, { score: 5 })).statusCode).toBe(404);
    const badScore = await creatorApi!('POST', `/api/cases/${opened.caseId}/rating`, { score: 6 });
    expect(badScore.statusCode).toBe(400);
    expect(badScore.json<{ issues: { field: string }[] }>().issues[0]!.field).toBe('score');

    const creator = await signedIn('creator');
    await openCase(creator, opened.referenceNo);
    await shows(status(creator), '未通过');
    await shows(creator.locator('.progress'), '项目预算不清晰');
    const rating = creator.getByRole('form', { name: '好差评' });
    await rating.getByRole('button', { name: '提交评价' }).click();
    await shows(rating.locator('[data-field="score"] .field-error'), /1|5/);
    await rating.getByLabel('2 分 · 不满意').check();
    await rating.getByLabel('意见和建议').fill('等待时间太长，没人告诉我原因');
    await rating.getByRole('button', { name: '提交评价' }).click();
    await shows(creator.locator('main'), '差评已转杨浦区 V聚场基金分管领导跟进');
    await shot(creator, 'rated-2');

    const supervisor = await signedIn('fund-supervisor');
    const task = supervisor.locator('.task-open').filter({ hasText: opened.referenceNo });
    await shows(task, '等待时间太长');
    // Whose case, under which measure, where it ended, and how long the task has waited.
    await shows(task.locator('[data-task-case]'), /^上海.+公司 · 雏鹰.+ · 未通过 · (\d{4}年\d{1,2}月\d{1,2}日作出决定 · )?已等待跟进 0 天$/);
    await shot(supervisor, 'follow-up-task');
    await task.getByLabel('跟进情况').fill('已电话回访并说明评审意见');
    await task.getByRole('button', { name: '办结' }).click();
    await shows(supervisor.locator('.task-closed'), '已电话回访');
    // Rated once: a second rating is refused; the timeline of the rating stream is in the store.
    expect((await creatorApi!('POST', `/api/cases/${opened.caseId}/rating`, { score: 5 })).statusCode).toBe(409);
    const ratingEvents = await suite.harness.database.db.selectFrom('events').select('event_type').where('stream_id', '=', `rating-${opened.caseId}`).orderBy('stream_version').execute();
    expect(ratingEvents.map((e) => e.event_type)).toEqual(['CaseRated', 'FollowUpTaskOpened', 'FollowUpTaskClosed']);

    await supervisor.goto(`${suite.base}#/dashboard`);
    await shows(supervisor.locator('#book-h'), '雏鹰计划借款台账');
    await shows(supervisor.locator('.stat.outstanding'), '350,000.00 元');
    await supervisor.locator('figure').filter({ hasText: '按环节' }).locator('svg[role=img]').waitFor();
    const byStatus = (await supervisor.locator('figure').filter({ hasText: '按环节' }).locator('svg').getAttribute('aria-label')) ?? '';
    expect(byStatus).toContain('还款中 1 件');
    expect(byStatus).toContain('未通过 1 件');
    await shows(supervisor.locator('figure').filter({ hasText: '逾期分布' }), '逾期 90 天以上');
    // 奖补资金: the fund's loans by what was awarded and paid out, and the same as a spreadsheet, downloaded with the page's own session.
    await shows(supervisor.locator('#awards-h'), '奖补资金（全部年度）');
    await shows(supervisor.locator('.awards-report tr[data-programme="chuying-loan"]'), '雏鹰');
    await shows(supervisor.locator('.awards-report tfoot'), '合计');
    const csvLink = supervisor.getByRole('link', { name: '导出表格' });
    expect(await csvLink.getAttribute('href')).toBe('/api/dashboard/awards.csv');
    const csv = await supervisor.request.get(`${suite.base}api/dashboard/awards.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toMatch(/\r\n合计,,,\d+,/);
    await shot(supervisor, 'dashboard');
  }, 180_000);

  it('applicant applies for an award of the catalogue (the rules refuse, then accept); the district reviews it in its queue', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'award-application');
    const shot = stepShots('award-application');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/catalogue`);
    const card = creator.locator('[data-programme="huangpu-platform-subsidy"]').first();
    await card.getByRole('link', { name: '在线申请' }).click();
    await shows(h1(creator), '申请：');
    // 黄浦's measures are for applicants registered in 黄浦 (catalogue 2026-12-03).
    // The form offers only the kinds the measure is for (平台企业, MCN 机构); the district is the rule it can break.
    // The rule is told at its step, on 继续, in the measure's words (it was told only after 确认提交).
    await expect(fillInSteps(creator, { 申请事项: '短视频平台创作者扶持计划', 情况说明: '聚集 300 位黄浦创作者', 申请主体类型: 'mcn', '申请金额（元）': '1,000,000', 注册区: '徐汇区' })).rejects.toThrow(
      '本措施仅面向注册在黄浦区的申请人；申请人注册区为徐汇区',
    );
    await shows(creator.locator('.step-progress'), '第 2 步');
    await shows(creator.locator('.form-summary'), '有 1 处需要修改');
    await creator.locator('[data-field="facts.registeredDistrict"] .field-error').filter({ hasText: '黄浦区' }).waitFor();
    await shot(creator, 'refused-by-the-rules');
    await creator.locator('.error-summary').getByRole('link').first().click();
    expect(await creator.evaluate('document.activeElement?.getAttribute("name")')).toBe('facts.registeredDistrict');
    await fillInSteps(creator, { 注册区: '黄浦区' });
    await shows(h1(creator), '申请已提交');
    const reference = (await creator.locator('.reference-no').textContent())!.trim();
    await creator.getByRole('link', { name: '查看办件' }).click();
    await shows(h1(creator), reference);
    await shows(creator.locator('.progress'), '黄浦区');
    await shot(creator, 'applied');

    const reviewer = await signedIn('huangpu-reviewer');
    // In 黄浦's queue (which names no department: everything there waits for 黄浦).
    await shows(caseRow(reviewer, reference), reference);
    await caseRow(reviewer, reference).getByRole('link').click();
    // What the applicant claimed is checked against the documents before any money decision (核验事实, issue 14).
    await shows(reviewer.locator('tr[data-fact="registeredDistrict"]'), '申请人声明');
    await act(reviewer, 'verify-facts', { 申请主体类型: 'MCN 机构备案证明', 注册区: '营业执照原件' });
    await shows(reviewer.locator('tr[data-fact="registeredDistrict"]'), '陈评审：营业执照原件');
    // The applicant kind by its name, never its code.
    expect(await reviewer.locator('tr[data-fact="applicantKind"] td').nth(1).innerText()).toBe('MCN 机构');
    await shot(reviewer, 'facts-verified');
    await act(reviewer, 'accept-materials');
    await shows(status(reviewer), '网信内容审查');
    await shows(reviewer.locator('[data-event="MaterialsAccepted"]'), '陈评审');
    await shot(reviewer, 'materials-accepted');

    // The applicant changes their mind before the decision: withdrawn, with the reason on record.
    await openCase(creator, reference);
    await creator.getByText('不再需要？撤回申请').click();
    await creator.getByLabel('撤回原因（可选）').fill('已获得其他渠道资助');
    await creator.getByRole('button', { name: '撤回申请' }).click();
    // Withdrawing cannot be undone: asked first, inline.
    const asked = creator.locator('[data-action="withdraw"]').getByRole('group', { name: /撤回申请.*不能撤销/ });
    await asked.getByRole('button', { name: '确认', exact: true }).click();
    await shows(status(creator), '已撤回');
    await shows(creator.locator('[data-event="ApplicationWithdrawn"]'), '已获得其他渠道资助');
  }, 180_000);

  it('filing → claim → the 2-working-day deadline passes (time-skipped) → breach highlighted and escalated → the supervisor takes over', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'filing-breach');
    const shot = stepShots('filing-breach');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillInSteps(creator, { 剧名: '弄堂里的AI', 集数: '24', '单集时长（分钟）': '2.5', 播出平台: '红果短剧', 使用生成式人工智能制作: true, 剧情梗概: '一位老裁缝和他的 AI 学徒' });
    await shows(creator.locator('.next-steps'), '2 个工作日内审查反馈');
    const filingRef = (await creator.locator('.reference-no').innerText()).trim();
    const filingId = creator.url().split('#/submitted/')[1]!;
    await shot(creator, 'filed');

    const reviewer = await signedIn('filing-reviewer');
    await shows(caseRow(reviewer, filingRef), /剩余 \d+ 个工作日|今日到期/);
    await caseRow(reviewer, filingRef).getByRole('link').click();
    await act(reviewer, 'claim');
    await shows(status(reviewer), '审查中');
    // Claimed: no greyed 认领 card is left; the facts say who holds the claim.
    await shows(reviewer.locator('[data-reviewer="me"]'), '已认领');
    expect(await reviewer.locator('[data-action="claim"]').count()).toBe(0);

    // Skip past 24:00 of the last working day: the workflow records the breach and escalates.
    const filing = (await (await suite.harness.as('filing-reviewer'))('GET', `/api/cases/${filingId}`)).json<{ deadline: { at: string } }>();
    await suite.harness.env.sleep(Date.parse(filing.deadline.at) + 3600_000 - (await suite.harness.env.currentTimeMs()));
    const creatorApi = await suite.harness.as('creator');
    for (let i = 0; i < 100; i++) {
      const events = (await creatorApi('GET', `/api/cases/${filingId}/events`)).json<{ events: { type: string }[] }>().events;
      if (events.some((e) => e.type === 'FilingEscalated')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await reviewer.goto(`${suite.base}#/queue`);
    const row = caseRow(reviewer, filingRef);
    await shows(row, '已上报分管领导');
    expect(await row.getAttribute('class')).toContain('row-breached');
    await shows(reviewer.locator('.summary-line'), '已超期 1 件');
    await shot(reviewer, 'queue-breach-highlighted');

    const supervisor = await signedIn('filing-supervisor');
    await openCase(supervisor, filingRef, '#/queue');
    await shows(supervisor.locator('[data-event="ReviewSlaBreached"]'), '审查超期');
    await shows(supervisor.locator('[data-event="FilingEscalated"]'), '上报分管领导');
    // Taking over the reviewer's claim is said on purpose: the box is ticked.
    await supervisor.locator('[data-action="claim"]').getByLabel('确认接手').check();
    await act(supervisor, 'claim');
    await act(supervisor, 'approve', { '审查意见（可选）': '同意备案' }, { confirm: true });
    await shows(status(supervisor), '备案通过');
    await shot(supervisor, 'supervisor-approved');

    await supervisor.goto(`${suite.base}#/dashboard`);
    const sla = supervisor.locator('figure').filter({ hasText: '按月按时反馈率' });
    await shows(sla, '0%');
    await shot(supervisor, 'dashboard-sla');
  }, 240_000);

  it('追回: the department opens a recovery from the overpaid case; the applicant is told amount and reason, and objects', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'recovery');
    const shot = stepShots('recovery');
    // A 杨浦 rent subsidy paid three months, stopped by a move two months in, which the office learnt of from the register: one month overpaid.
    const [tenantApi, reviewerApi, approverApi] = await Promise.all(['individual-creator', 'yangpu-reviewer', 'yangpu-approver'].map((u) => suite.harness.as(u)));
    const opened = await tenantApi!('POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } });
    expect(opened.statusCode, opened.body).toBe(201);
    const sourceId = opened.json<{ caseId: string }>().caseId;
    // The claims are verified before the award (核验事实, issue 14); the UI step is in the award journey above.
    await verifyClaims(reviewerApi!, sourceId);
    for (const [caller, action, body] of [
      [reviewerApi!, 'accept-materials', {}],
      [reviewerApi!, 'score-application', { score: 80 }],
      [approverApi!, 'approve-application', {}],
    ] as const) {
      const response = await caller('POST', `/api/cases/${sourceId}/${action}`, body);
      expect(response.statusCode, response.body).toBe(200);
    }
    const awardedOn = (await reviewerApi!('GET', `/api/cases/${sourceId}`)).json<{ award: { awardedOn: string } }>().award.awardedOn;
    const month = (n: number) => { const d = new Date(`${awardedOn}T00:00:00+08:00`); d.setUTCMonth(d.getUTCMonth() + n); return d; };
    await suite.harness.env.sleep(month(3).getTime() + 12 * 3600_000 - (await suite.harness.env.currentTimeMs()));
    // The three months fell due; the department's reviewer records each payment (登记拨付) as the money leaves.
    const today = new Date((await suite.harness.env.currentTimeMs()) + 8 * 3600_000).toISOString().slice(0, 10);
    for (let n = 1; n <= 3; n++) {
      const paid = await reviewerApi!('POST', `/api/cases/${sourceId}/record-payout`, { paidOn: today, bankReference: `YP-${sourceId.slice(0, 8)}-${n}`, amountFen: 800_000 });
      expect(paid.statusCode, paid.body).toBe(200);
    }
    // The applicant reported nothing: the approver records the move on the case page, saying how the office knows.
    const approver = await signedIn('yangpu-approver');
    await approver.goto(`${suite.base}#/cases/${sourceId}`);
    const leftOn = new Date(month(2).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    await act(approver, 'record-left-yangpu', { 迁离日期: leftOn, 如何得知: '市场监管登记迁出' }, { confirm: true });
    const recorded = approver.locator('[data-event="LeftYangpuRecorded"]');
    await shows(recorded, '主管部门登记迁离杨浦');
    await shows(recorded.locator('.event-who'), '钱审批（杨浦区投促办）');
    await shows(recorded.locator('.event-why'), '依据：市场监管登记迁出');
    await shows(approver.locator('body'), '杨浦区投促办登记，依据：市场监管登记迁出');
    await shot(approver, 'move-recorded-by-department');

    const reviewer = await signedIn('yangpu-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${sourceId}`);
    const offer = reviewer.locator('[data-opening="recovery"]');
    await shows(offer, '可立案追回');
    await offer.getByLabel('追回理由').fill('迁离杨浦后多发一个月租房补贴');
    await shot(reviewer, 'offered-on-overpaid-case');
    await offer.getByRole('button', { name: '立案追回' }).click();
    await shows(h1(reviewer), /ZH-\d{4}-\d{6}/);
    await shows(status(reviewer), '告知及异议期');
    await shows(reviewer.locator('body'), '8,000.00 元');
    // The timeline names the event in Chinese, from the module's own labels.
    await shows(reviewer.locator('.timeline, ol, ul').filter({ hasText: '立案追回，告知金额和理由' }), '立案追回');
    expect(await reviewer.locator('body').textContent()).not.toContain('RecoveryOpened');
    await shot(reviewer, 'recovery-opened');

    const tenant = await signedIn('individual-creator', { phone: true });
    // The 雏鹰 loan is for companies: an individual creator is not offered it, in the menu or on 我的办件.
    await tenant.goto(`${suite.base}#/cases`);
    await tenant.getByRole('heading', { name: '我的办件' }).waitFor();
    expect(await tenant.getByRole('link', { name: '申请雏鹰借款' }).count()).toBe(0);
    await tenant.getByRole('link', { name: '微短剧规划备案' }).first().waitFor();
    // The applicant's own page says who recorded the move, and on what.
    await tenant.goto(`${suite.base}#/cases/${sourceId}`);
    await shows(tenant.locator('[data-event="LeftYangpuRecorded"] .event-why'), '依据：市场监管登记迁出');
    await shows(tenant.locator('body'), '杨浦区投促办登记，依据：市场监管登记迁出');
    const recoveryUrl = reviewer.url();
    await tenant.goto(recoveryUrl);
    await shows(tenant.locator('body'), '迁离杨浦后多发一个月租房补贴');
    await act(tenant, 'raise-objection', { 异议的事实和理由: '迁离日期应为次月' });
    await shows(status(tenant), '异议审查');
    await shot(tenant, 'objection-raised-phone');

    await approver.goto(recoveryUrl);
    const answer = approver.locator('[data-action="answer-objection"]');
    await answer.getByLabel('审查结论').selectOption('dismissed');
    await act(approver, 'answer-objection', { 答复意见: '经核对社保记录，迁离日期无误' });
    await shows(status(approver), '追缴中');
    await shot(approver, 'objection-answered');
  });

  it('a new account’s holder sets their own password from the one-time link, and signs in with it', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'account-activation');
    const shot = stepShots('account-activation');
    const admin = await suite.harness.as('admin');
    const created = await admin('POST', '/api/admin/accounts', { username: 'web-new-creator', displayName: '网页新申请人', role: 'applicant', applicantKind: 'individual' });
    expect(created.statusCode, created.body).toBe(201);
    const { link } = created.json<{ signIn: { link: string } }>().signIn;

    const page = await suite.visitor();
    await page.goto(`${suite.base}${link.replace(/^\//, '')}`);
    await shows(h1(page), '设置密码');
    // The code is read, then taken out of the address bar (and so out of the history).
    await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.includes('code='));
    expect(await page.getByLabel('一次性登录码').inputValue()).not.toBe('');
    await page.locator('input[name="newPassword"]').fill('my-own-long-password');
    await page.locator('input[name="confirmPassword"]').fill('not-the-same-password');
    await page.getByRole('button', { name: '设置密码' }).click();
    await shows(page.locator('body'), '与新密码不一致');
    await shot(page, 'passwords-differ');
    await page.locator('input[name="confirmPassword"]').fill('my-own-long-password');
    await page.getByRole('button', { name: '设置密码' }).click();
    await shows(h1(page), '密码已设置');
    await shot(page, 'password-set');

    await page.goto(`${suite.base}#/login`);
    await page.getByLabel('用户名').fill('web-new-creator');
    await page.getByLabel('密码').fill('my-own-long-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
    await shows(page.locator('.who-name'), '网页新申请人');
    await shot(page, 'signed-in-with-own-password');
  }, 120_000);
});
