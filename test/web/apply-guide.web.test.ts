import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { freshCreditCode } from '../support/actors.js';
import { SAMPLES } from '../support/document-samples.js';
import { browserSuite, checkPage, fillInSteps, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Apply like 一网通办 (issue 15): 办事指南 per measure → the form one question group a page → 核对信息
 * with 修改 → 确认提交 → a confirmation with the 申请编号, what happens next and by when. A problem the
 * API finds after 确认提交 is listed in the error summary, and its link shows the step holding the field.
 */
const suite = browserSuite();
const { signedIn } = suite;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const progress = (page: Page) => page.locator('.step-progress');
async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

describe('applying like 一网通办', () => {
  it('guide → steps (a rule told at its step, put right) → 核对信息 → 修改 → 确认提交 → confirmation, on a laptop and a phone', async () => {
    screenshotOnFailure(() => suite.pages(), 'apply-guide');
    for (const phone of [false, true]) {
      const shot = stepShots(phone ? 'apply-guide-phone' : 'apply-guide');
      const creator = await signedIn('creator', { phone });

      // The catalogue's entry leads to its 办事指南: conditions, materials, time limits, department, basis.
      await creator.goto(`${suite.base}#/catalogue`);
      await creator.locator('[data-programme="chuying-loan"]').first().getByRole('link', { name: /办事指南/ }).click();
      await shows(h1(creator), '雏鹰计划');
      for (const heading of ['申请条件', '所需材料', '办理时限', '受理部门和咨询方式', '政策依据']) await creator.getByRole('heading', { level: 2, name: heading }).waitFor();
      await shows(creator.locator('#guide-department').locator('..'), '杨浦区 V聚场基金');
      await shows(creator.locator('#guide-conditions').locator('..'), '杨浦区');
      await shows(creator.locator('#guide-basis').locator('..'), '杨浦区改革案例');
      await shows(creator.locator('#guide-time-limits').locator('..'), '材料审查：受理部门收到申请后 5 个工作日内审查材料');
      await shows(creator.locator('#guide-time-limits').locator('..'), '补正：申请人自补正告知之日起 30 日内一次提交；期限最后一日为周末或法定节假日的，顺延至其后第一个工作日');
      expect(await creator.title()).toBe('办事指南：雏鹰计划（V聚场基金）创业借款 · 优创');
      await shot(creator, 'guide');

      // 开始申请: one question group a page, and back to the guide from there.
      await creator.getByRole('link', { name: '开始申请' }).click();
      await shows(h1(creator), '申请雏鹰计划');
      expect(await creator.getByRole('link', { name: '← 办事指南' }).getAttribute('href')).toBe('#/guide/chuying-loan');
      await shows(progress(creator), '第 1 步，共 4 步');
      expect(await creator.getByLabel('项目名称').isVisible()).toBe(false);
      // 继续 with a required field empty: this step's problems, at once, and no further.
      await creator.getByLabel('企业名称').fill('');
      await creator.getByRole('button', { name: '继续' }).click();
      const summary = creator.locator('.error-summary');
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['请填写企业名称', '请填写统一社会信用代码']);
      await shows(progress(creator), '第 1 步，共 4 步');
      await shot(creator, 'step-1-problems');
      const creditCode = freshCreditCode();
      await creator.getByLabel('企业名称').fill('上海星河文化传媒有限公司');
      await creator.getByLabel('统一社会信用代码').fill(creditCode);
      // 徐汇区: told on 继续, at its field, in the loan's own words; the step stays (it was told only after 确认提交).
      await creator.getByLabel('注册区').selectOption('徐汇区');
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('link', { name: '雏鹰计划只面向注册在杨浦区的企业；本企业注册在徐汇区。' }).waitFor();
      await shows(progress(creator), '第 1 步，共 4 步');
      expect(await creator.getByLabel('注册区').getAttribute('aria-invalid')).toBe('true');
      await shot(creator, 'district-at-the-step');
      await creator.getByLabel('注册区').selectOption('杨浦区');
      await creator.getByRole('button', { name: '继续' }).click();
      await shows(progress(creator), '第 2 步，共 4 步');
      expect(await summary.count()).toBe(0);
      await creator.getByRole('button', { name: '上一步' }).click();
      await shows(progress(creator), '第 1 步，共 4 步');
      expect(await creator.getByLabel('统一社会信用代码').inputValue()).toBe(creditCode);
      await fillInSteps(creator, { 项目名称: '城市漫游短视频', 内容赛道: '直播', 项目简介: '记录杨浦滨江的城市更新', '申请金额（元）': '300,000' }, { submit: false });

      // 核对信息: every answer in words, a 修改 per group.
      await shows(progress(creator), '第 4 步，共 4 步');
      const check = creator.locator('.check-answers');
      await shows(check.locator('[data-step="1"]'), '杨浦区');
      await shows(check.locator('[data-step="2"]'), '城市漫游短视频');
      await shows(check.locator('[data-step="2"]'), '直播');
      await shows(check.locator('[data-step="3"]'), '300,000.00 元');
      await shot(creator, 'check-answers');
      // 修改 goes to the group; 继续 comes straight back to 核对信息 with the change.
      await check.getByRole('button', { name: /修改\s*创业项目/ }).click();
      await shows(progress(creator), '第 2 步，共 4 步');
      await creator.getByLabel('项目名称').fill('滨江漫游短视频');
      await creator.getByRole('button', { name: '继续' }).click();
      await shows(progress(creator), '第 4 步，共 4 步');
      await shows(check.locator('[data-step="2"]'), '滨江漫游短视频');
      // A reload returns to the step, with every answer.
      await creator.reload();
      await shows(progress(creator), '第 4 步，共 4 步');
      await shows(check.locator('[data-step="2"]'), '滨江漫游短视频');
      await shows(check.locator('[data-step="1"]'), creditCode);

      // 修改 from 核对信息 to a district the loan is not for: told at the step again, and once put right 继续 returns to 核对信息.
      await check.getByRole('button', { name: /修改\s*申请企业/ }).click();
      await creator.getByLabel('注册区').selectOption('徐汇区');
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('link', { name: /只面向注册在杨浦区/ }).click();
      await shows(progress(creator), '第 1 步，共 4 步');
      expect(await creator.evaluate('document.activeElement?.name')).toBe('company.registeredDistrict');
      await creator.getByLabel('注册区').selectOption('杨浦区');
      await creator.getByRole('button', { name: '继续' }).click();
      await shows(progress(creator), '第 4 步，共 4 步');
      expect(await summary.count()).toBe(0);
      await creator.getByRole('button', { name: '确认提交' }).click();

      // The confirmation: 申请编号 (not 受理编号), what happens next and by when, and the way on.
      await shows(h1(creator), '申请已提交');
      const reference = (await creator.locator('.reference-no').innerText()).trim();
      expect(reference).toMatch(/^CY-\d{4}-\d{6}$/);
      const page = await creator.locator('main').innerText();
      expect(page).toContain('申请编号');
      expect(page).not.toContain('受理编号 ');
      expect(page).toContain('接下来会怎样');
      expect(page).toContain('杨浦区 V聚场基金');
      expect(page).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
      await shot(creator, 'confirmation');
      await creator.getByRole('link', { name: '我的办件' }).last().click();
      await creator.locator(`tr[data-reference="${reference}"]`).waitFor();
      await creator.goBack();
      await creator.getByRole('link', { name: '查看办件' }).click();
      await shows(h1(creator), reference);
      await shows(creator.locator('.progress'), '材料审查');
      // Back past the confirmation: the guide the application started from, not an emptied form inviting a second one.
      await creator.goBack();
      await shows(h1(creator), '申请已提交');
      await creator.goBack();
      await shows(h1(creator), '办事指南');
    }
  }, 240_000);

  it('a guide says the terms the department approved for a later day, what changes and from when, before anyone prepares under the old ones', async () => {
    screenshotOnFailure(() => suite.pages(), 'guide-scheduled-terms');
    const shot = stepShots('guide-scheduled-terms');
    const [drafter, approver] = await Promise.all(['yangpu-reviewer', 'yangpu-approver'].map((u) => suite.harness.as(u)));
    const from = new Date(Date.now() + 40 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const drafted = await drafter!('POST', '/api/programme-terms/yangpu-content-award/drafts', { amount: { capFen: 8_000_000 }, requiredDocuments: ['作品授权书', '播放数据截图'], effectiveFrom: from, reason: '区财政预算调整' });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const approved = await approver!('POST', `/api/programme-terms/yangpu-content-award/versions/${drafted.json<{ version: number }>().version}/approve`, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);

    const visitor = await suite.visitor();
    await visitor.goto(`${suite.base}#/guide/yangpu-content-award`);
    const scheduled = visitor.locator(`[data-scheduled-terms="${from}"]`);
    const [year, month, day] = from.split('-').map(Number);
    await shows(scheduled.getByRole('heading'), `自${year}年${month}月${day}日起施行调整后的标准`);
    const said = await scheduled.innerText();
    expect(said).toContain('80,000');
    expect(said).toContain('作品授权书、播放数据截图');
    expect(said).toContain('前提交的申请，按提交时施行的标准');
    // The terms in force stay below, as they are until that day.
    await shows(visitor.locator('#guide-documents').locator('..'), '本事项未列明须另交的材料');
    await checkPage(visitor);
    await shot(visitor, 'scheduled-terms', scheduled);
  });

  it('an award applied for in steps; its guide is public, and a filing has one too', async () => {
    screenshotOnFailure(() => suite.pages(), 'apply-guide-award');
    const shot = stepShots('apply-guide-award');
    // Anyone reads a guide; 开始申请 asks them to sign in first.
    const visitor = await suite.visitor();
    await visitor.goto(`${suite.base}#/guide/huangpu-platform-subsidy`);
    await shows(h1(visitor), '黄浦');
    // 政策依据 as the API words it (domain/programmes/sources.ts): the document and the heading the measure stands under.
    await shows(visitor.locator('#guide-basis').locator('..'), '黄浦区支持互联网优质内容创作四大维度举措“聚企聚才强根基”');
    await visitor.getByRole('link', { name: '登录后开始申请' }).waitFor();
    await shot(visitor, 'award-guide-public');
    // An address no page answers: its own title, and no menu entry marked as the one shown.
    await visitor.goto(`${suite.base}#/no-such-page`);
    await shows(h1(visitor), '找不到这个页面');
    expect(await visitor.title()).toBe('找不到这个页面 · 优创');
    expect(await visitor.locator('nav [aria-current="page"]').count()).toBe(0);
    await visitor.goto(`${suite.base}#/guide/drama-planning-filing`);
    await shows(visitor.locator('#guide-time-limits').locator('..'), '2 个工作日');
    await checkPage(visitor);
    // 杨浦's policy by the title it was issued under, the same the decision letters cite.
    await visitor.goto(`${suite.base}#/guide/yangpu-content-award`);
    await shows(visitor.locator('#guide-basis').locator('..'), '《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）“奖”维度');
    await checkPage(visitor);

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/guide/huangpu-platform-subsidy`);
    await creator.getByRole('link', { name: '开始申请' }).click();
    await shows(progress(creator), '第 1 步，共 4 步');
    // A figure that is no amount is told on 继续, with the step's other problems.
    await creator.getByLabel('申请事项').fill('短视频平台创作者扶持计划');
    await creator.getByLabel('情况说明').fill('聚集 300 位黄浦创作者');
    await creator.getByRole('button', { name: '继续' }).click();
    await shows(progress(creator), '第 2 步，共 4 步');
    await creator.getByLabel('申请金额（元）').fill('一百万');
    await creator.getByRole('button', { name: '继续' }).click();
    await shows(creator.locator('.error-summary'), '金额只能用数字填写');
    await shows(progress(creator), '第 2 步，共 4 步');
    await shot(creator, 'award-step-problem');
    // The materials go with the application: a file uploaded on its own step, named on 核对信息.
    await fillInSteps(creator, { 申请主体类型: 'mcn', '申请金额（元）': '1,000,000', 注册区: '黄浦区' }, { submit: false });
    await creator.locator('.check-answers').getByRole('button', { name: '修改' }).last().click();
    await shows(progress(creator), '第 3 步，共 4 步');
    const picker = creator.locator('[data-field="documents"]');
    // A file the server refuses holds the step, in the summary; once it is removed, the step goes on with no summary left.
    await picker.locator('input[type=file]').setInputFiles({ name: '预算表.pdf', mimeType: 'application/pdf', buffer: SAMPLES.exe });
    await picker.locator('.document-refused').waitFor();
    await picker.locator('input[type=file]').setInputFiles({ name: '平台集聚情况说明.pdf', mimeType: 'application/pdf', buffer: SAMPLES.pdf });
    await picker.locator('li[data-document-id]').filter({ hasText: '已上传' }).waitFor();
    await creator.getByRole('button', { name: '继续' }).click();
    const summary = creator.locator('.error-summary');
    await shows(summary, '有 1 个文件没有上传成功');
    await shows(progress(creator), '第 3 步，共 4 步');
    await picker.locator('.document-refused').getByRole('button', { name: '移除' }).click();
    await creator.getByRole('button', { name: '继续' }).click();
    await shows(creator.locator('.check-answers'), '平台集聚情况说明.pdf');
    expect(await summary.count()).toBe(0);
    expect(await creator.locator('.check-answers').innerText()).not.toContain('预算表.pdf');
    await shot(creator, 'award-materials-checked');
    await creator.getByRole('button', { name: '确认提交' }).click();
    await shows(h1(creator), '申请已提交');
    await shows(creator.locator('main'), '作出决定');
    await shot(creator, 'award-confirmation');
    // On the case, with the application: the reviewer finds the file among its materials.
    const caseId = /submitted\/([0-9a-f-]{36})/.exec(creator.url())![1]!;
    const details = await (await suite.harness.as('creator'))('GET', `/api/cases/${caseId}`);
    expect(JSON.stringify(details.json())).toContain('平台集聚情况说明.pdf');
  }, 180_000);
});
