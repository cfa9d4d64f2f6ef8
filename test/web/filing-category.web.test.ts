import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dramaSubmission } from '../support/filings.js';
import { SAMPLES } from '../support/document-samples.js';
import { browserSuite, checkPage, fillInSteps, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Source 004 in the browser: the producer files a 重点 micro-drama; the form and the case page say
 * that 沪8条 promises its working days for 普通 dramas only, and the case shows no deadline.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('普通 or 重点 micro-drama filing in the browser', () => {
  it('files a 重点 drama and shows that no review time is promised', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'filing-category');
    const shot = stepShots('filing-category');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    expect(await creator.getByLabel('微短剧类别').inputValue()).toBe('ordinary');
    await fillInSteps(creator, { 微短剧类别: 'key', 剧名: '申城记忆', 集数: '60', '单集时长（分钟）': '3', 播出平台: '抖音', 剧情梗概: '三代上海人的城市记忆' });
    await creator.getByRole('heading', { level: 1, name: '备案已提交' }).waitFor();
    // A filing's number is its 备案编号, as an award application quotes it; not an application's 申请编号.
    expect(await creator.locator('.panel-reference').innerText()).toMatch(/^备案编号\s*BA-/);
    await creator.locator('.next-steps li').filter({ hasText: '重点微短剧沪8条未承诺审查时限' }).waitFor();
    await shot(creator, 'key-drama-confirmation');
    await creator.getByRole('link', { name: '查看办件' }).click();
    await creator.getByRole('heading', { level: 1, name: /备案编号 BA-/ }).waitFor();
    const facts = creator.locator('dl.facts');
    await facts.locator('dd', { hasText: '重点微短剧' }).first().waitFor();
    await facts.locator('dd', { hasText: '无承诺审查时限' }).waitFor();
    expect((await facts.allInnerTexts()).join('\n')).not.toContain('24:00 前');
    await shot(creator, 'key-drama-filed');
  }, 120_000);
});

describe('a second filing of a title still open, in the browser', () => {
  it('is refused on the form in Chinese, naming the open filing’s 备案编号 and its status; nothing more is filed', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'filing-same-title');
    const shot = stepShots('filing-same-title');
    const api = await suite.harness.as('creator');
    const first = await api('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '石库门 往事' }));
    expect(first.statusCode, first.body).toBe(201);
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-release-filing`);
    // The same title typed otherwise: one drama.
    await fillInSteps(creator, { 剧名: '石库门·往事', 集数: '60', '单集时长（分钟）': '3', 播出平台: '抖音', 剧情梗概: '弄堂里三代人的故事' });
    const said = `您已有同名的完成片上线备案 ${first.json().referenceNo}（待认领审查），请勿重复提交；如需修改，请在该备案页面办理。`;
    await creator.locator('.form-summary [role=alert]').filter({ hasText: said }).waitFor();
    // Still on the form, with what was typed: not sent on to a confirmation.
    expect(await creator.getByRole('heading', { level: 1 }).innerText()).toBe('微短剧完成片上线备案');
    await checkPage(creator);
    await shot(creator, 'same-title-refused');
    const filed = await suite.harness.database.db
      .selectFrom('cases')
      .select('case_id')
      .where('case_type', '=', 'drama-release-filing')
      .where(sql<string>`state->'submission'->>'title'`, 'in', ['石库门 往事', '石库门·往事'])
      .execute();
    expect(filed).toEqual([{ case_id: first.json().caseId }]);
  }, 120_000);
});

describe('a filing’s files, in the browser', () => {
  it('are uploaded on the filing’s second step, go with it, and are listed on its case page under 材料', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'filing-documents');
    const shot = stepShots('filing-documents');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillInSteps(creator, { 剧名: '带剧本的剧', 集数: '24', '单集时长（分钟）': '2', 播出平台: '快手', 剧情梗概: '一部带着剧本报送的微短剧' }, { submit: false });
    await creator.locator('.check-answers').getByRole('button', { name: '修改' }).last().click();
    const picker = creator.locator('[data-field="filing.documents"]');
    await picker.locator('input[type=file]').setInputFiles({ name: '剧本.pdf', mimeType: 'application/pdf', buffer: SAMPLES.pdf });
    await picker.locator('li[data-document-id]').filter({ hasText: '已上传' }).waitFor();
    await shot(creator, 'filing-with-script', picker);
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.check-answers').waitFor();
    await creator.getByRole('button', { name: '确认提交' }).click();
    await creator.getByRole('heading', { level: 1, name: '备案已提交' }).waitFor();
    await creator.getByRole('link', { name: '查看办件' }).click();
    const documents = creator.locator('section[aria-labelledby="documents-h"]');
    await documents.getByText('剧本.pdf').waitFor();
    await checkPage(creator);
    await shot(creator, 'filed-with-script', documents);
  }, 120_000);
  it('are told at their own step when there are more than twenty, not first at 确认提交', async () => {
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillInSteps(creator, { 剧名: '材料太多的剧', 集数: '12', '单集时长（分钟）': '2', 播出平台: '快手', 剧情梗概: '一部材料太多的微短剧' }, { submit: false });
    await creator.locator('.check-answers').getByRole('button', { name: '修改' }).last().click();
    const picker = creator.locator('[data-field="filing.documents"]');
    await picker.locator('input[type=file]').setInputFiles(Array.from({ length: 21 }, (_, i) => ({ name: `第${i + 1}集.pdf`, mimeType: 'application/pdf', buffer: SAMPLES.pdf })));
    await expect.poll(() => picker.locator('li[data-document-id]').filter({ hasText: '已上传' }).count(), { timeout: 30_000 }).toBe(21);
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.error-summary').filter({ hasText: '最多附上 20 个文件' }).waitFor();
    expect(await creator.locator('.check-answers').isVisible()).toBe(false);
  }, 120_000);
});
