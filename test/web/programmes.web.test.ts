import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { type ApiCaller } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { browserSuite, fillInSteps, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Running a programme in the browser, against the real system (as test/web/journeys.web.test.ts):
 * an official opens a competitive call, a second official approves its budget, applicants apply,
 * the panel is named, an expert recuses from one application and scores the other, the list is
 * proposed and approved as one batch, the public reads the 公示 and objects, and the applicant
 * downloads the decision letter. Screenshots: test-results/web/programmes/.
 */
const suite = browserSuite();
const { signedIn } = suite;

const DAY = 24 * 3600_000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

/** Opens a page of the app; the page already shown is loaded again (a hash that does not change does not re-render). */
async function visit(page: Page, hash: string): Promise<void> {
  if (page.url() === `${suite.base}${hash}`) await page.reload();
  else await page.goto(`${suite.base}${hash}`);
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** Takes an action from its box; a decision (`confirm`) is asked about first, inline, and confirmed. */
async function act(page: Page, action: string, fill: Record<string, string> = {}, options: { confirm?: boolean } = {}): Promise<void> {
  const box = page.locator(`[data-action="${action}"]`);
  for (const [label, value] of Object.entries(fill)) await box.getByLabel(label).fill(value);
  await box.getByRole('button').click();
  if (options.confirm) await box.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
  await page.locator('.notice-ok').first().waitFor();
}

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, response.body).toBe(status);
  return response.json<Record<string, unknown>>();
}

/**
 * Latin-script words suite.people may see: reference numbers (PC-2026-000001), a hash's hex beside its
 * algorithm, brand and unit names. Anything else in Latin letters is untranslated system text.
 */
// Reference numbers, a case's 8-character 查询码, and the few Latin-script terms the sources use themselves.
const ALLOWED_LATIN: RegExp[] = [/\b[A-Z]{2,3}-\d{4}-[A-Z0-9-]+\b/g, /\b[2-9A-HJ-NP-Z]{8}\b/g, /SHA-256 [0-9a-f]+…?/g, /V聚场/g, /\bMCN\b/g, /\bPDF\b/g, /UP主/g, /\bLPR\b/g];

/** The page's own text (#main): the site's header and footer are shared by every page and tested with them. */
async function latinWords(page: Page): Promise<string[]> {
  let text = await page.locator('#main').innerText();
  for (const allowed of ALLOWED_LATIN) text = text.replace(allowed, ' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

/** The page fits its viewport (no sideways scrolling) and says everything in Chinese. */
async function readable(page: Page): Promise<void> {
  await fitsTheScreen(page);
  expect(await latinWords(page), page.url()).toEqual([]);
}

describe('running a programme in the browser', () => {
  it('call → budget approval → applications → panel with recusal → list → batch approval → 公示 and objection → decision letter', { timeout: 300_000 }, async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'programmes');
    const shot = stepShots('programmes');
    const now = Date.now();

    // The public list before any call: nothing to apply to yet, in Chinese, at a phone's width.
    const phoneVisitor = await suite.visitor({ phone: true });
    await visit(phoneVisitor, `#/calls`);
    await shows(phoneVisitor.locator('.empty'), '目前没有正在申报');
    await readable(phoneVisitor);

    // 1. The 杨浦 office opens a competitive call; a blank form shows every problem at once.
    const office = await signedIn('yangpu-reviewer');
    await visit(office, `#/calls`);
    await shows(h1(office), '申报批次');
    const opening = office.getByRole('form', { name: '设立申报批次' });
    await opening.getByRole('button', { name: '设立批次' }).click();
    await opening.locator('[data-field="programmeId"] .field-error').waitFor();
    const firstErrors = await opening.locator('.field-error:not([hidden])').allInnerTexts();
    expect(firstErrors.length, firstErrors.join(' | ')).toBeGreaterThanOrEqual(5);
    expect(firstErrors.join('')).toContain('请选择扶持项目');
    await readable(office);
    await shot(office, 'open-call-all-errors', opening);
    await opening.getByLabel('扶持项目').selectOption('yangpu-content-award');
    await opening.getByLabel('批次名称').fill('2026 年度杨浦优质内容评选');
    await opening.getByLabel('申报开始时间').fill(shanghai(now + 2 * DAY));
    await opening.getByLabel('申报截止时间').fill(shanghai(now + DAY));
    await opening.getByLabel('预算（元）').fill('200,000');
    await opening.getByLabel('名额（个，可选）').fill('2');
    await opening.getByLabel('评审方式').selectOption('competitive');
    await opening.getByRole('button', { name: '设立批次' }).click();
    await shows(opening.locator('[data-field="closesAt"] .field-error'), '须晚于申报开始时间');
    await opening.getByLabel('申报开始时间').fill(shanghai(now - 3600_000));
    await opening.getByLabel('申报截止时间').fill(shanghai(now + 30 * DAY));
    await opening.getByRole('button', { name: '设立批次' }).click();
    await shows(h1(office), '2026 年度杨浦优质内容评选');
    await shows(office.locator('.notice-ok'), '已设立申报批次');
    await shows(office.locator('.progress .status'), '预算待审批');
    const callId = office.url().split('#/cases/')[1]!;
    // The tab's title parts the call's name from its programme's (it ran 杨浦优质内容年度奖励2026 年度杨浦优质内容评选 together).
    const callTitle = '2026 年度杨浦优质内容评选 · 申报批次 · 杨浦优质内容年度奖励 · 优创';
    expect(await office.title()).toBe(callTitle);
    await shows(office.locator('[data-ledger]'), '200,000.00 元');
    // Nobody applies to a call: its page has no 查询码 to follow it by.
    const facts = office.locator('#call-facts-h').locator('..');
    await facts.locator('dt, th').first().waitFor();
    expect(await facts.locator('code.progress-code').count()).toBe(0);
    expect(await facts.innerText()).not.toContain('查询码');
    await readable(office);
    await shot(office, 'call-opened');

    // Not yet public: the budget awaits a second official.
    const anonymousCalls = await suite.harness.app.inject({ method: 'GET', url: '/api/calls' });
    expect(anonymousCalls.json<{ calls: unknown[] }>().calls).toEqual([]);

    // 2. A second official approves the budget from the department's list of calls.
    const approver = await signedIn('yangpu-approver');
    await visit(approver, `#/calls`);
    const row = approver.locator(`tr[data-call="${callId}"]`);
    await shows(row, '预算待审批');
    await row.getByRole('link', { name: '2026 年度杨浦优质内容评选' }).click();
    await act(approver, 'approve-budget', {}, { confirm: true });
    await shows(approver.locator('.progress .status'), '预算已批准');
    await visit(approver, `#/calls`);
    await shows(approver.locator(`tr[data-call="${callId}"]`), '申报中');
    await shows(approver.locator(`tr[data-call="${callId}"] .ledger`), '剩余');
    // The list is the page: it is not boxed to a height of its own (a phone showed one call of three).
    expect(await approver.getByRole('region', { name: '申报批次列表' }).evaluate((list) => (globalThis as unknown as { getComputedStyle(e: unknown): { maxHeight: string } }).getComputedStyle(list).maxHeight)).toBe('none');
    await readable(approver);
    await shot(approver, 'calls-with-ledger');

    // The public sees it now, on a phone: period in Chinese dates, and sign in to apply.
    await visit(phoneVisitor, `#/calls`);
    const publicLine = phoneVisitor.locator(`tr[data-call="${callId}"]`);
    await shows(publicLine, '申报中');
    await shows(publicLine, /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 至 \d{4}年\d{1,2}月\d{1,2}日/);
    await shows(publicLine, '登录后申报');
    expect(await publicLine.locator('.ledger').count()).toBe(0);
    await readable(phoneVisitor);
    await shot(phoneVisitor, 'calls-phone');

    // 3. Applicants: the company applies from the call's line; the person over the API.
    const creator = await signedIn('creator');
    await visit(creator, `#/calls`);
    const line = creator.locator(`tr[data-call="${callId}"]`);
    await shows(line, '申报中');
    await readable(creator);
    await shot(creator, 'calls-applicant');
    await line.getByRole('link', { name: '在线申报' }).click();
    await shows(h1(creator), '杨浦');
    // The form names the call the application goes into, and when it closes.
    await shows(creator.locator('[data-call-applied-to]'), /^申报批次：2026 年度杨浦优质内容评选，\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）截止申报$/);
    await fillInSteps(creator, { 申请事项: '城市漫游短视频', 情况说明: '杨浦滨江城市更新系列', 申请主体类型: 'company', 项目或作品编号: 'VIDEO-01', '申请金额（元）': '100,000' });
    await shows(h1(creator), '申请已提交');
    const caseA = creator.url().split('#/submitted/')[1]!;
    const personApi = await suite.harness.as('individual-creator');
    const caseB = (await ok(personApi, 'POST', '/api/applications/yangpu-content-award', { title: '滨江一日', summary: '杨浦滨江城市更新系列', facts: { applicantKind: 'individual-creator', itemId: 'VIDEO-02', requestedAmountFen: 8_000_000 } }, 201)).caseId as string;
    const [officeApi, cacApi] = await Promise.all([suite.harness.as('yangpu-reviewer'), suite.harness.as('cac-reviewer')]);
    for (const caseId of [caseA, caseB]) {
      // The applicants' claims are verified before the batch award (核验事实, issue 14): an unverified case would be recorded as rejected.
      await verifyClaims(officeApi, caseId);
      await ok(officeApi, 'POST', `/api/cases/${caseId}/accept-materials`, {});
      await ok(cacApi, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
    }
    const referenceOf = async (caseId: string) => (await ok(officeApi, 'GET', `/api/cases/${caseId}`)).referenceNo as string;
    const [refA, refB] = [await referenceOf(caseA), await referenceOf(caseB)];

    // 4. The office names the panel in the browser: three experts, two weighted criteria; weights must sum to 100.
    await visit(office, `#/cases/${callId}`);
    const naming = office.locator('[data-action="name-panel"]');
    // Members are ticked by name, not typed as account ids: the department's reviewers first, then the experts, in pinyin order.
    await shows(naming.locator('.member-choice').first(), '孙评审');
    expect(await naming.locator('.member-choice').allTextContents()).toEqual(['孙评审 杨浦区投促办 工作人员（评审）', '蔡专家 评审专家', '邓专家 评审专家', '冯专家 评审专家']);
    await naming.getByRole('button').click();
    await shows(naming.locator('[data-field="memberAccountIds"] .field-error'), '请至少选择一名评审组成员');
    // Sent empty: each missing field says so; no sum of weights not yet given, and the optional rows are not marked wrong.
    expect(await naming.locator('[data-field="criteria"] > .field-error').isHidden()).toBe(true);
    expect(await naming.locator('[data-field="criteria.1.name"] input').getAttribute('aria-invalid')).toBeNull();
    expect(await naming.locator('[data-field="criteria.0.weightPercent"] input').getAttribute('aria-invalid')).toBe('true');
    for (const expert of ['冯专家', '蔡专家', '邓专家']) await naming.getByLabel(expert).check();
    await shot(office, 'name-panel', naming);
    await naming.locator('[data-field="criteria.0.name"] input').fill('内容质量');
    await naming.locator('[data-field="criteria.0.weightPercent"] input').fill('60');
    await naming.locator('[data-field="criteria.1.name"] input').fill('传播影响');
    await naming.locator('[data-field="criteria.1.weightPercent"] input').fill('30');
    await naming.getByLabel('每份申请最少有效打分人数').fill('2');
    await naming.getByRole('button').click();
    await shows(naming.locator('[data-field="criteria"] > .field-error'), '各项权重之和须为 100%，现为 90%');
    await naming.locator('[data-field="criteria.1.weightPercent"] input').fill('40');
    await naming.getByRole('button').click();
    await shows(office.locator('.notice-ok'), '评审组已组建');
    await shows(office.locator('.panel-members'), '冯专家');
    await shows(office.locator('.panel-members'), '评审专家');
    await shows(office.locator('table.criteria'), '60%');
    await readable(office);
    await shot(office, 'panel-named');
    // A member added later is chosen by name too, from those not yet on the panel.
    const adding = office.locator('[data-action="add-panel-member"]');
    const choice = adding.getByLabel('增补的成员');
    await shows(choice, '孙评审（杨浦区投促办 工作人员（评审））');
    expect(await choice.locator('option').allInnerTexts()).toEqual(['请选择', '孙评审（杨浦区投促办 工作人员（评审））']);

    // Two experts score both applications over the API.
    const score = async (caller: ApiCaller, caseId: string, content: number, impact: number) => {
      await ok(caller, 'POST', `/api/cases/${callId}/declare-no-conflict`, { caseId });
      await ok(caller, 'POST', `/api/cases/${callId}/submit-score`, { caseId, scores: [{ criterionId: 'c1', points: content, comment: '画面精良' }, { criterionId: 'c2', points: impact, comment: '传播面广' }] });
    };
    const [e1, e2] = await Promise.all([suite.harness.as('expert-1'), suite.harness.as('expert-2')]);
    await score(e1, caseA, 90, 80);
    await score(e2, caseA, 88, 84);
    await score(e1, caseB, 80, 70);
    await score(e2, caseB, 76, 72);

    // 5. The third expert signs in (home: 评审任务), opens the call, recuses from A and scores B. The
    // 评审任务 list (GET /api/worklist) does not yet answer experts, so the call is opened by its address.
    const expert = await signedIn('expert-3');
    expect(expert.url()).toContain('#/cases');
    await visit(expert, `#/cases/${callId}`);
    await shows(h1(expert), '2026 年度杨浦优质内容评选');
    expect(await expert.title()).toBe(callTitle);
    const itemA = expert.locator(`[data-application="${refA}"]`);
    const itemB = expert.locator(`[data-application="${refB}"]`);
    await shows(itemA.locator('.member-step'), '待您声明并打分');
    // Before scoring, the expert reads nothing of the others' figures: no ranking, no aggregate, no count of scorers.
    expect(await expert.locator('tr[data-ranked]').count()).toBe(0);
    expect(await expert.locator('#main').innerText()).not.toMatch(/综合得分|当前排名|\d+\.\d\d 分/);
    await readable(expert);
    await shot(expert, 'expert-scoring-table');
    await itemA.locator('details.recuse summary').click();
    await itemA.getByLabel('回避事由').fill('曾为该公司提供咨询');
    await itemA.locator('form[data-action="declare-conflict"]').getByRole('button').click();
    await itemA.locator('form[data-action="declare-conflict"]').getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await shows(expert.locator('.notice-ok'), '已回避');
    // The expert may not read the call's events: the ranking's recusals tell this one from a scored one.
    await shows(itemA.locator('.member-step'), '您已回避该申请');
    expect(await itemA.locator('form').count()).toBe(0);
    await itemB.locator('form[data-action="declare-no-conflict"]').getByRole('button').click();
    await shows(expert.locator('.notice-ok'), '已声明与该申请无利益冲突');
    // Declared: the item says so and offers the score only (an outside tester's expert was asked to declare again, and refused when they did).
    await shows(itemB.locator('.member-step'), '已声明无利益冲突，待打分');
    expect(await itemB.locator('form[data-action="declare-no-conflict"]').count()).toBe(0);
    const sheet = itemB.locator('form[data-action="submit-score"]');
    await sheet.locator('[data-field="scores.0.points"] input').fill('120');
    await sheet.getByRole('button').click();
    // Every problem at once: the out-of-range points, the other criterion's blank points and both blank comments.
    await shows(sheet.locator('[data-field="scores.0.points"] .field-error'), '0 到 100 的整数');
    expect(await sheet.locator('.field-error:not([hidden])').count()).toBe(4);
    await shot(expert, 'expert-score-errors', itemB);
    await sheet.locator('[data-field="scores.0.points"] input').fill('82');
    await sheet.locator('[data-field="scores.0.comment"] textarea').fill('镜头语言成熟');
    await sheet.locator('[data-field="scores.1.points"] input').fill('74');
    await sheet.locator('[data-field="scores.1.comment"] textarea').fill('传播数据可信');
    await sheet.getByRole('button').click();
    await shows(expert.locator('.notice-ok'), '评分已提交');
    await shows(itemB.locator('.member-step'), '您已为该申请打分');
    expect(await itemA.locator('.member-step').innerText()).toContain('您已回避该申请');
    // Nor after: the ranking is the office's.
    expect(await expert.locator('tr[data-ranked]').count()).toBe(0);
    expect(await expert.locator('#main').innerText()).not.toMatch(/综合得分|当前排名|\d+\.\d\d 分/);
    await readable(expert);
    await shot(expert, 'expert-after-scoring');

    // 6. The approver closes the call; the office proposes the list; the director approves the batch.
    await visit(approver, `#/cases/${callId}`);
    await act(approver, 'close-call', { 提前截止的理由: '申报数量已满足评审需要' }, { confirm: true });
    await visit(office, `#/cases/${callId}`);
    await shows(office.locator(`tr[data-ranked="${refA}"]`), '第 1 名');
    // The office reads the ranking whole: B's aggregate, (76.00 + 74.40 + 78.80) / 3 weighted points, its scorers, and who recused from A.
    await shows(office.locator(`tr[data-ranked="${refB}"]`), '76.40 分');
    await shows(office.locator(`tr[data-ranked="${refB}"]`), '3 人');
    await act(office, 'propose-list');
    await shows(office.locator(`tr[data-proposed="${refA}"]`), '100,000.00 元');
    await shows(office.locator(`tr[data-proposed="${refB}"]`), '80,000.00 元');
    const director = await signedIn('yangpu-director');
    await visit(director, `#/cases/${callId}`);
    await shows(director.locator('#list-h'), '拟资助名单');
    expect(await director.title()).toBe(callTitle);
    await readable(director);
    await shot(director, 'list-proposed');
    await act(director, 'approve-batch', {}, { confirm: true });
    await shows(director.locator('.notice-ok'), '名单已批准');
    await shows(director.locator('[data-ledger]'), '180,000.00 元');
    await readable(director);
    await shot(director, 'batch-approved');

    // 7. The 公示, at a phone's width and on a laptop, without signing in; an objection is lodged anonymously.
    await expect.poll(async () => (await suite.harness.app.inject({ method: 'GET', url: '/api/publicity' })).json<{ entries: unknown[] }>().entries.length, { timeout: 30_000 }).toBe(2);
    await visit(phoneVisitor, `#/publicity`);
    const entryB = phoneVisitor.locator(`[data-publicity="${caseB}"]`);
    await shows(entryB, '80,000.00 元');
    await shows(phoneVisitor.locator(`[data-publicity="${caseA}"]`), '上海星河文化传媒有限公司');
    expect(await entryB.locator('h3').innerText()).toMatch(/\*/);
    // As an office publishes it: the call's list, by its department, with both awards under it.
    const callList = phoneVisitor.locator(`[data-publicity-call="${callId}"]`);
    await shows(callList.locator('h2'), '2026 年度杨浦优质内容评选 拟资助名单');
    await shows(callList, /公示单位：\S+；异议由\S+受理并书面答复。本批次共 2 项。/);
    expect(await callList.locator('[data-publicity]').count()).toBe(2);
    await readable(phoneVisitor);
    await shot(phoneVisitor, 'publicity-phone');
    await entryB.locator('summary').click();
    await entryB.getByRole('button', { name: '提交异议' }).click();
    await shows(entryB.locator('[data-field="reasons"] .field-error'), '请写明异议理由');
    await entryB.getByLabel('异议理由').fill('该作品曾获其他区同类奖励');
    await entryB.getByLabel('联系方式（可选）').fill('13800000000');
    await entryB.getByRole('button', { name: '提交异议' }).click();
    await shows(entryB.locator('.objection-done'), '异议已受理');
    // The entry's 状态 follows at once, as a reload would show it (it had stayed 公示中).
    await shows(entryB.locator('.pill'), '异议待答复');
    await readable(phoneVisitor);
    await shot(phoneVisitor, 'objection-lodged-phone', entryB);
    const afterObjection = (await suite.harness.app.inject({ method: 'GET', url: '/api/publicity' })).json<{ entries: { caseId: string; status: string }[] }>();
    expect(afterObjection.entries.find((e) => e.caseId === caseB)?.status).toBe('objection-pending');
    // The department that answers it reads the contact left beside the objection; nobody outside it is sent it.
    await visit(approver, `#/cases/${caseB}`);
    await shows(approver.locator('article.objection'), /异议人联系方式\s*13800000000（仅供本部门核实和答复，不得告知申请人）/);
    await visit(director, `#/cases/${caseB}`);
    await shows(director.locator('article.objection'), '13800000000');

    // The API's refusal, in Chinese, beside the form: this address has used its five objections this hour.
    for (let i = 0; i < 4; i++) {
      const lodged = await suite.harness.app.inject({ method: 'POST', url: `/api/publicity/${caseB}/objections`, payload: { reasons: `重复异议 ${i}` }, remoteAddress: '127.0.0.1' });
      expect(lodged.statusCode, lodged.body).toBe(201);
    }
    const laptopVisitor = await suite.visitor();
    await visit(laptopVisitor, `#/publicity`);
    const entryA = laptopVisitor.locator(`[data-publicity="${caseA}"]`);
    await entryA.locator('summary').click();
    await entryA.getByLabel('异议理由').fill('申报材料与实际不符');
    await entryA.getByRole('button', { name: '提交异议' }).click();
    await shows(entryA.locator('.form-summary'), '每小时最多提出 5 件异议');
    await readable(laptopVisitor);
    await shot(laptopVisitor, 'objection-refused', entryA);

    // 8. The applicant reads their rank and aggregate, not who sat on the panel, scored or recused (a phone showed 回避：邓专家).
    const creatorPhone = await signedIn('creator', { phone: true });
    // The 公示 is in an applicant's menu, marked when read (申报批次 was marked there, with no 公示 entry).
    await visit(creatorPhone, '#/publicity');
    await shows(creatorPhone.locator(`[data-publicity-call="${callId}"] h2`), '拟资助名单');
    expect(await creatorPhone.locator('nav a[aria-current="page"]').innerText()).toBe('公示');
    await visit(creatorPhone, `#/cases/${caseA}`);
    await shows(creatorPhone.locator('#main'), /评审结果\s*第 1 位（共 2 位），综合得分 \d+\.\d\d/);
    // Its timeline says the same under 评审结果, and what the batch decided (a line under each title, not the title alone).
    await shows(creatorPhone.locator('li[data-event="PanelReviewRecorded"] .event-why'), /^第 1 位（共 2 位），综合得分 \d+\.\d\d$/);
    await shows(creatorPhone.locator('li[data-event="BatchDecisionRecorded"] .event-why'), /^列入资助名单，核定 [\d,]+\.\d\d 元$/);
    const applicantPage = await creatorPhone.locator('#main').innerText();
    for (const secret of ['回避', '邓专家', '冯专家', '蔡专家', '曾为该公司提供咨询', '画面精良']) expect(applicantPage, secret).not.toContain(secret);
    await fitsTheScreen(creatorPhone);
    await shot(creatorPhone, 'applicant-panel-result-phone');

    // The applicant downloads the decision letter (决定书) of the approval.
    await visit(creator, `#/cases/${caseA}`);
    const letters = creator.locator('ul.letters');
    await letters.waitFor();
    const [download] = await Promise.all([creator.waitForEvent('download'), letters.getByRole('link').first().click()]);
    expect(download.suggestedFilename()).toMatch(/决定书.*\.pdf$/);
    const pdf = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(creator, 'decision-letter', creator.locator('[aria-labelledby="letters-h"]'));
  });
});
