import { describe, expect, it } from 'vitest';
import { validApplication } from '../support/api-harness.js';
import { browserSuite, checkPage, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 消息 in a real browser (issue 14): a 补正 request reaches the applicant, who sees the unread count
 * in the menu on a 390 px phone, reads the notice in Chinese and marks it read.
 */
const suite = browserSuite();

describe('消息 in the browser', () => {
  it('the applicant on a phone sees the unread count, reads the 补正 notice and marks it read', async () => {
    screenshotOnFailure(() => suite.pages(), 'inbox');
    const opened = await (await suite.harness.as('creator'))('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const supplement = await (await suite.harness.as('fund-reviewer'))('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'] });
    expect(supplement.statusCode, supplement.body).toBe(200);

    const phone = await suite.signedIn('creator', { phone: true });
    const menuLink = phone.locator('#site-header a[href="#/inbox"]');
    await expect.poll(async () => menuLink.textContent()).toMatch(/^消息（\d+条未读）$/);
    const unreadBefore = Number(/（(\d+)条未读）/.exec((await menuLink.textContent()) ?? '')![1]);

    await menuLink.click();
    await phone.getByRole('heading', { level: 1, name: '消息' }).waitFor();
    const card = phone.locator('li.card', { hasText: referenceNo }).filter({ hasText: '需补正' });
    await card.waitFor();
    await expect.poll(async () => card.innerText()).toContain('营业执照副本');
    expect(await card.innerText()).toContain('未读');
    // Which case, by its 申请编号 and its project's name: fifty notices about 雏鹰 loans do not look alike.
    expect(await card.getByRole('heading', { level: 2 }).innerText()).toBe(`请补正材料：${referenceNo} · 城市漫游短视频`);
    await fitsTheScreen(phone);
    await stepShots('inbox')(phone, 'phone-notice');

    await card.getByRole('button', { name: '标为已读' }).click();
    await card.getByText('已读', { exact: true }).waitFor();
    // The counts follow at once, on the page and in the menu, without leaving the page.
    const unreadAfter = unreadBefore > 1 ? `消息（${unreadBefore - 1}条未读）` : '消息';
    await expect.poll(async () => menuLink.textContent()).toBe(unreadAfter);
    await expect.poll(async () => phone.locator('[data-unread-sentence]').textContent()).toBe(unreadBefore > 1 ? ` 您有${unreadBefore - 1}条未读消息。` : ' 没有未读消息。');
    await phone.reload();
    await expect.poll(async () => phone.locator('#site-header a[href="#/inbox"]').textContent()).toBe(unreadAfter);
    // Nothing of it reaches another applicant.
    const other = await suite.signedIn('other-creator');
    await other.goto(`${suite.base}#/inbox`);
    await other.getByRole('heading', { level: 1, name: '消息' }).waitFor();
    expect(await other.locator('#main').innerText()).not.toContain(referenceNo);
    await checkPage(other);
  });
});
