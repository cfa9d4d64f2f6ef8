import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { validApplication } from '../support/api-harness.js';
import { eventually } from '../support/filings.js';
import { browserSuite, fillInSteps, person, screenshotOnFailure, signIn, stepShots, type Person } from './browser.js';

/**
 * Sessions that behave (issue 15): the cookie session works in every tab of the browser until
 * sign-out or expiry; what is typed into a form survives a reload; back goes back to where the page
 * was scrolled. Tabs are pages of one browser context: they share its cookies, each has its own
 * sessionStorage — as a case link opened in a new tab does.
 */
const suite = browserSuite(async () => {
  const creator = await suite.harness.as('creator');
  for (const name of ['城市漫游短视频', '弄堂美食纪录']) {
    const opened = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), project: { ...validApplication().project, name } });
    if (opened.statusCode !== 201) throw new Error(opened.body);
    const loan = opened.json<{ caseId: string; referenceNo: string }>();
    await eventually(async () => ((await creator('GET', `/api/cases/${loan.caseId}`)).statusCode === 200 ? true : undefined), 'the application in the read model');
    loans.push(loan);
  }
});
/** Two loan applications of `creator`, at 材料审查. */
const loans: { caseId: string; referenceNo: string }[] = [];

async function signedIn(username: string): Promise<Person> {
  const p = await person(suite.browser);
  suite.people.push(p);
  await p.page.goto(`${suite.base}#/login`);
  await signIn(p.page, username);
  return p;
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash);
const allPages = suite.pages;

/** Fills the planning-filing form (web/src/views/apply-filing.ts, in steps) with a drama of this title, up to 核对信息. */
async function fillFiling(page: Page, title: string): Promise<void> {
  await fillInSteps(page, { 剧名: title, 集数: '24', '单集时长（分钟）': '2.5', 播出平台: '抖音', 使用生成式人工智能制作: true, 剧情梗概: '一只猫在石库门弄堂里长大' }, { submit: false });
}

/** Sends the filing from 核对信息 and waits for the confirmation it leads to. */
async function submitFiling(page: Page): Promise<void> {
  await page.getByRole('button', { name: '确认提交' }).click();
  await h1(page).filter({ hasText: '备案已提交' }).waitFor();
  expect(hashOf(page)).toMatch(/^#\/submitted\/[0-9a-f-]{36}$/);
}

describe('sessions, drafts and the way back in a real browser', () => {
  it('a case link opened in a new tab shows the case; signing out in one tab signs out the others', async () => {
    screenshotOnFailure(allPages, 'sessions-tabs');
    const shot = stepShots('sessions-tabs');
    const { context, page: first } = await signedIn('creator');
    const [loan] = loans;

    // A second tab of the same browser: the cookie, but nothing in its own sessionStorage.
    const second = await context.newPage();
    await second.goto(`${suite.base}#/cases/${loan!.caseId}`);
    await h1(second).filter({ hasText: loan!.referenceNo }).waitFor();
    expect(hashOf(second)).toBe(`#/cases/${loan!.caseId}`);
    await second.getByRole('button', { name: '退出' }).waitFor();
    expect(await second.locator('.who-name').textContent()).toBe('上海星河文化传媒有限公司');
    await shot(second, 'case-in-new-tab');
    // And it may write: the CSRF token came with the restored session.
    await second.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillFiling(second, '新标签页里的备案');
    await submitFiling(second);

    // The second tab opens the form while signed in. Each page asks for the unread count (消息), so
    // the form is opened before the sign-out: a page opened after it would meet the 401 at once.
    const counted = second.waitForResponse((r) => r.url().includes('/api/inbox'));
    await second.goto(`${suite.base}#/apply/drama-planning-filing`);
    await h1(second).filter({ hasText: '微短剧规划备案' }).waitFor();
    await counted;
    // Signed out in the first tab: the session ends on the server, for every tab.
    await first.getByRole('button', { name: '退出' }).click();
    await h1(first).filter({ hasText: '登录' }).waitFor();
    // The second tab still shows a signed-in page; its next request finds the session gone.
    await fillFiling(second, '退出之后才提交');
    await second.getByRole('button', { name: '确认提交' }).click();
    await h1(second).filter({ hasText: '登录' }).waitFor();
    expect(hashOf(second)).toBe('#/login');
    // It says why it is asking again; the tab that signed out itself is not told so.
    await second.locator('.notice').filter({ hasText: '您的登录已结束' }).waitFor();
    expect(await first.locator('main').innerText()).not.toContain('您的登录已结束');
    await shot(second, 'other-tab-signed-out');

    // Signed in again, the person is back at the form, with what they had typed.
    await signIn(second, 'creator');
    await h1(second).filter({ hasText: '微短剧规划备案' }).waitFor();
    expect(await second.getByLabel('剧名').inputValue()).toBe('退出之后才提交');
    await second.locator('.draft-notice').filter({ hasText: '已恢复' }).waitFor();
    await submitFiling(second);

    // A new tab without any session is sent to sign in, and back to the case after it.
    await second.getByRole('button', { name: '退出' }).click();
    await h1(second).filter({ hasText: '登录' }).waitFor();
    const third = await context.newPage();
    await third.goto(`${suite.base}#/cases/${loan!.caseId}`);
    await h1(third).filter({ hasText: '登录' }).waitFor();
    await signIn(third, 'creator');
    await h1(third).filter({ hasText: loan!.referenceNo }).waitFor();
  }, 180_000);

  it('a half-filled application form keeps its answers across a reload, until sent, discarded or signed out', async () => {
    screenshotOnFailure(allPages, 'sessions-drafts');
    const shot = stepShots('sessions-drafts');
    const { page } = await signedIn('creator');
    const form = `${suite.base}#/apply/drama-planning-filing`;
    await page.goto(form);
    await h1(page).filter({ hasText: '微短剧规划备案' }).waitFor();
    // Where the draft is kept is said before anything is typed: this tab only.
    await page.locator('.draft-hint').filter({ hasText: '只保存在本浏览器的这个标签页中' }).waitFor();
    await page.getByLabel('剧名').fill('弄堂里的猫');
    await page.getByLabel('集数').fill('24');
    await page.getByLabel('单集时长（分钟）').fill('2.5');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('使用生成式人工智能制作').check();
    await page.getByLabel('剧情梗概').fill('一只猫在石库门弄堂里长大');

    await page.reload();
    await h1(page).filter({ hasText: '微短剧规划备案' }).waitFor();
    const notice = page.locator('.draft-notice');
    await notice.filter({ hasText: '已恢复您上次未提交的填写内容' }).waitFor();
    // Back at the step the person was on (the form is in steps), every answer of every step kept.
    await page.locator('.step-progress').filter({ hasText: '第 2 步，共 3 步' }).waitFor();
    expect(await page.getByLabel('剧名').inputValue()).toBe('弄堂里的猫');
    expect(await page.getByLabel('集数').inputValue()).toBe('24');
    expect(await page.getByLabel('使用生成式人工智能制作').isChecked()).toBe(true);
    expect(await page.getByLabel('剧情梗概').inputValue()).toBe('一只猫在石库门弄堂里长大');
    expect(await page.getByLabel('制作机构').inputValue()).toBe('上海星河文化传媒有限公司');
    // Kept in this tab only, under the account, and never with the password typed at sign-in.
    const stored = (await page.evaluate('JSON.stringify(sessionStorage)')) as string;
    expect(stored).toContain('弄堂里的猫');
    expect(stored).not.toContain(DEMO_PASSWORD);
    await shot(page, 'draft-restored');

    // Discarded: the form as it was first drawn, and nothing left to restore.
    await notice.getByRole('button', { name: '放弃草稿，重新填写' }).click();
    expect(await page.getByLabel('剧名').inputValue()).toBe('');
    expect(await page.getByLabel('使用生成式人工智能制作').isChecked()).toBe(false);
    expect(await page.getByLabel('制作机构').inputValue()).toBe('上海星河文化传媒有限公司');
    await page.locator('.step-progress').filter({ hasText: '第 1 步，共 3 步' }).waitFor();
    await page.reload();
    await h1(page).filter({ hasText: '微短剧规划备案' }).waitFor();
    expect(await page.getByLabel('剧名').inputValue()).toBe('');
    expect(await notice.count()).toBe(0);

    // Sent: the next visit to the form starts empty.
    await fillFiling(page, '弄堂里的猫');
    await page.reload();
    await notice.waitFor();
    await submitFiling(page);
    await page.goto(form);
    await page.reload();
    await h1(page).filter({ hasText: '微短剧规划备案' }).waitFor();
    expect(await page.getByLabel('剧名').inputValue()).toBe('');
    expect(await page.getByLabel('剧情梗概').inputValue()).toBe('');
    expect(await notice.count()).toBe(0);

    // Signed out: the draft goes with the session.
    await page.getByLabel('剧名').fill('写了一半就退出');
    await page.getByRole('button', { name: '退出' }).click();
    await h1(page).filter({ hasText: '登录' }).waitFor();
    expect((await page.evaluate('JSON.stringify(sessionStorage)')) as string).not.toContain('写了一半就退出');
    await signIn(page, 'creator');
    await page.goto(form);
    await h1(page).filter({ hasText: '微短剧规划备案' }).waitFor();
    expect(await page.getByLabel('剧名').inputValue()).toBe('');
    expect(await notice.count()).toBe(0);
  }, 180_000);

  it('an action form on a case page keeps its draft per case, and drops it once the action is taken', async () => {
    screenshotOnFailure(allPages, 'sessions-action-drafts');
    const { page } = await signedIn('fund-reviewer');
    const [first, other] = loans;
    const box = page.locator('[data-action="request-supplement"]');
    await page.goto(`${suite.base}#/cases/${first!.caseId}`);
    await h1(page).filter({ hasText: first!.referenceNo }).waitFor();
    await box.getByLabel('需补正的材料').fill('营业执照副本\n项目预算表');

    await page.reload();
    await h1(page).filter({ hasText: first!.referenceNo }).waitFor();
    expect(await box.getByLabel('需补正的材料').inputValue()).toBe('营业执照副本\n项目预算表');
    await box.locator('.draft-notice').waitFor();

    // Another case: its own form, empty.
    await page.goto(`${suite.base}#/cases/${other!.caseId}`);
    await h1(page).filter({ hasText: other!.referenceNo }).waitFor();
    expect(await box.getByLabel('需补正的材料').inputValue()).toBe('');
    expect(await page.locator('.draft-notice').count()).toBe(0);

    await page.goto(`${suite.base}#/cases/${first!.caseId}`);
    await h1(page).filter({ hasText: first!.referenceNo }).waitFor();
    await box.locator('button[type="submit"]').click();
    await page.locator('.notice-ok').first().waitFor();
    await page.locator('.progress .status').filter({ hasText: '待补正' }).waitFor();
    await page.reload();
    await page.locator('.progress .status').filter({ hasText: '待补正' }).waitFor();
    expect(await page.locator('.draft-notice').count()).toBe(0);
    expect((await page.evaluate('JSON.stringify(sessionStorage)')) as string).not.toContain('项目预算表');
  }, 180_000);

  it('back (and a reload) returns a long page to where it was scrolled', async () => {
    screenshotOnFailure(allPages, 'sessions-scroll');
    // On a phone: the catalogue's cards fold their rules, so on a laptop it is no longer long.
    const p = await person(suite.browser, { phone: true });
    suite.people.push(p);
    const { page } = p;
    await page.goto(`${suite.base}#/catalogue`);
    await page.locator('article.programme').nth(20).waitFor();
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    expect(height, 'the catalogue is a long page').toBeGreaterThan(5000);
    await page.evaluate('window.scrollTo(0, 3000)');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(3000);

    // Following a link from there (the hash changes as a link's click changes it, without scrolling first).
    await page.evaluate("location.hash = '#/publicity'");
    await h1(page).filter({ hasText: '公示' }).waitFor();
    await page.goBack();
    await page.locator('article.programme').nth(20).waitFor();
    expect(hashOf(page)).toBe('#/catalogue');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(3000);

    // Forward to a page first seen at its top, then back again.
    await page.goForward();
    await h1(page).filter({ hasText: '公示' }).waitFor();
    expect(await page.evaluate('window.scrollY')).toBe(0);
    await page.goBack();
    await page.locator('article.programme').nth(20).waitFor();
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(3000);

    await page.evaluate('window.scrollTo(0, 4200)');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(4200);
    await page.reload();
    await page.locator('article.programme').nth(20).waitFor();
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(4200);
  }, 120_000);
});
