import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { repayingLoan, validApplication } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';
import { dateInWords } from '../../web/src/format.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 办件进度查询 in a real browser: the applicant reads the case's 查询码 on the case page; an anonymous
 * visitor on a 390 px phone looks the case up with it, and reads the step in Chinese, with nothing
 * wider than the screen.
 */
const suite = browserSuite();
/** A date as machines write it (2026-12-10), which people should not read on a page; CY-2026-000031 is not one. */
const ISO_DATE = /(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])/;
/** The one wording of a deadline: its last day, plainly included. */
const DUE_BY = /\d{4}年\d{1,2}月\d{1,2}日（含）前/;
const { signedIn } = suite;

/**
 * Latin-script words in the page's content and menu, once the reference numbers and the 查询码
 * (which suite.people copy as they are) are taken out. The site footer is left out: it names the brand,
 * the time zone and the API document, which are not this page's (reported, issue 15).
 */
async function latinWords(page: Page, allowed: string[]): Promise<string[]> {
  let text = `${await page.locator('#site-header').innerText()}\n${await page.locator('#main').innerText()}`;
  for (const word of allowed) text = text.split(word).join(' ');
  return text.replace(/\b[A-Z]{2,4}-\d{4}-\d{6,10}\b/g, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}

describe('办件进度查询 in the browser', () => {
  it('the applicant reads the 查询码 on the case page; an anonymous visitor on a phone looks the case up with it', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'progress');
    const shot = stepShots('progress');
    const creatorApi = await suite.harness.as('creator');
    const opened = await creatorApi('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();

    // The applicant finds the code among the case's facts.
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/cases/${caseId}`);
    const codeLine = creator.locator('dl.facts dt', { hasText: /^查询码$/ }).locator('xpath=following-sibling::dd[1]');
    await codeLine.waitFor();
    const code = ((await codeLine.textContent()) ?? '').trim();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    // Dates in Chinese form, the deadline worded as an inclusive last day wherever it is shown (issue 15).
    await creator.locator('.countdown-date').filter({ hasText: DUE_BY }).waitFor();
    await creator.locator('dl.facts dd').filter({ hasText: DUE_BY }).first().waitFor();
    expect(await creator.locator('#main').innerText()).not.toMatch(ISO_DATE);
    await shot(creator, 'applicant-sees-code', creator.locator('section[aria-labelledby="facts-h"]'));

    // Anonymous, on a phone: every problem of the form at once, in Chinese.
    const phone = await suite.visitor({ phone: true });
    await phone.goto(`${suite.base}#/progress`);
    await phone.getByRole('heading', { level: 1, name: '办件进度查询' }).waitFor();
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('[data-field="referenceNo"] .field-error').filter({ hasText: '请填写申请编号' }).waitFor();
    await phone.locator('[data-field="code"] .field-error').filter({ hasText: '请填写查询码' }).waitFor();
    await phone.getByLabel('申请编号').fill('CY2026');
    await phone.getByLabel('查询码').fill('ABC');
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('[data-field="referenceNo"] .field-error').filter({ hasText: '格式' }).waitFor();
    await phone.locator('[data-field="code"] .field-error').filter({ hasText: '8 位' }).waitFor();
    await fitsTheScreen(phone);
    await shot(phone, 'phone-all-errors');

    // A wrong code: told in Chinese, nothing about whether the reference exists.
    await phone.getByLabel('申请编号').fill(referenceNo);
    await phone.getByLabel('查询码').fill(code === '22222222' ? '33333333' : '22222222');
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('.form-summary').filter({ hasText: '没有查到这件办件' }).waitFor();

    // The right code, typed as suite.people do (lower case, a space in the middle): the status card.
    await phone.getByLabel('查询码').fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`);
    await phone.getByRole('button', { name: '查询' }).click();
    const card = phone.locator('.progress-card');
    await card.filter({ hasText: '雏鹰计划（V聚场基金）创业借款' }).waitFor();
    await card.locator('.progress-now').filter({ hasText: '材料审查' }).waitFor();
    await card.filter({ hasText: '杨浦区 V聚场基金' }).waitFor();
    expect(await card.locator('.progress-steps li').count()).toBe(1);
    await card.locator('dd').filter({ hasText: new RegExp(`^${DUE_BY.source}$`) }).waitFor();
    expect(await card.innerText()).not.toMatch(ISO_DATE);
    const cardText = await card.innerText();
    for (const personal of [validApplication().company.name, validApplication().project.name, '400,000', ' 元']) expect(cardText).not.toContain(personal);
    await fitsTheScreen(phone);
    expect(await latinWords(phone, [code])).toEqual([]);
    await shot(phone, 'phone-status-card');

    // Eight letters with an O (not in the codes' alphabet) are told why; the last case's card goes with the new query.
    await phone.getByLabel('查询码').fill('WRONGCOD');
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('[data-field="code"] .field-error').filter({ hasText: '不含 0、1 及与之相似的字母' }).waitFor();
    expect(await card.count()).toBe(0);
    await phone.getByLabel('查询码').fill(code);
    await phone.getByRole('button', { name: '查询' }).click();
    await card.waitFor();
    await phone.getByLabel('查询码').fill(code === '22222222' ? '33333333' : '22222222');
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.locator('.form-summary').filter({ hasText: '没有查到这件办件' }).waitFor();
    expect(await card.count()).toBe(0);

    // A link with the reference fills it in; the code is never put in the address.
    await phone.goto(`${suite.base}#/progress?ref=${referenceNo}`);
    await phone.getByRole('heading', { level: 1, name: '办件进度查询' }).waitFor();
    expect(await phone.getByLabel('申请编号').inputValue()).toBe(referenceNo);
    expect(phone.url()).not.toContain(code);
  }, 180_000);
});

describe('数据看板 in the browser', () => {
  it('shows 本月已收回 as recorded, tells the two 微短剧 programmes apart, keeps every value inside its chart, and filters through the address', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'dashboard');
    const shot = stepShots('dashboard');
    const creatorApi = await suite.harness.as('creator');
    for (const type of ['drama-planning-filing', 'drama-release-filing']) expect((await creatorApi('POST', `/api/cases/${type}`, dramaSubmission())).statusCode).toBe(201);
    await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());

    // The 文旅局's supervisor sees the filings; an auditor every programme.
    const auditorPage = await signedIn('auditor');
    await auditorPage.goto(`${suite.base}#/dashboard`);
    await auditorPage.locator('#book-h').waitFor();
    // Paid today, settling an instalment due next month: still 本月已收回.
    await auditorPage.locator('.stat.recovered').filter({ hasText: '10,000.00 元' }).waitFor();
    const byProgramme = auditorPage.locator('figure').filter({ hasText: '按政策' }).locator('svg');
    const labels = await byProgramme.locator('.bar-label').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(labels.filter((l) => l.includes('微短剧'))).toHaveLength(2);
    expect(new Set(labels).size).toBe(labels.length);
    // Every bar's value ends inside the chart: nothing is cut off at its right edge.
    for (const chart of await auditorPage.locator('svg.chart').all()) {
      const overflow = await chart.evaluate((element) => {
        // The tests compile without the DOM's types: the little of an SVG element this reads.
        type Box = { x: number; width: number };
        const svg = element as unknown as { viewBox: { baseVal: { width: number } }; querySelectorAll(selector: string): ArrayLike<{ getBBox(): Box; textContent: string | null }> };
        const width = svg.viewBox.baseVal.width;
        return Array.from(svg.querySelectorAll('text'))
          .filter((t) => t.getBBox().x + t.getBBox().width > width + 0.5)
          .map((t) => t.textContent);
      });
      expect(overflow).toEqual([]);
    }
    await auditorPage.locator('#book-h').filter({ hasText: `截至 ${dateInWords(today)}` }).waitFor();
    expect(await auditorPage.locator('#main').innerText()).not.toMatch(ISO_DATE);
    await shot(auditorPage, 'dashboard');

    // On a phone: the filters stack, the charts shrink to the screen, nothing scrolls sideways.
    const phone = await signedIn('auditor', { phone: true });
    await phone.goto(`${suite.base}#/dashboard`);
    await phone.locator('.stat.recovered').filter({ hasText: '10,000.00 元' }).waitFor();
    await fitsTheScreen(phone);
    await shot(phone, 'dashboard-phone');

    // The filters go into the address, so a filtered view can be bookmarked.
    await auditorPage.getByLabel('月份', { exact: true }).selectOption(today.slice(0, 7));
    await auditorPage.getByLabel('政策', { exact: true }).selectOption('chuying-loan');
    await auditorPage.getByRole('button', { name: '筛选' }).click();
    await auditorPage.waitForURL((url) => url.hash === `#/dashboard?month=${today.slice(0, 7)}&programme=chuying-loan`);
    // The filtered page: the loans of the month only, the filings' section gone, the filters kept in the form.
    const month = `${Number(today.slice(0, 4))}年${Number(today.slice(5, 7))}月`;
    await auditorPage.locator('#cases-h').filter({ hasText: new RegExp(`${month} · 雏鹰计划（V聚场基金）创业借款，共 \\d+ 件`) }).waitFor();
    expect(await auditorPage.locator('figure').filter({ hasText: '按政策' }).locator('.bar-label').count()).toBe(1);
    expect(await auditorPage.locator('#sla-h').count()).toBe(0);
    expect(await auditorPage.getByLabel('政策', { exact: true }).inputValue()).toBe('chuying-loan');
    await auditorPage.locator('.stat.recovered').filter({ hasText: '10,000.00 元' }).waitFor();
    await shot(auditorPage, 'dashboard-filtered');
    // Every case is this month's: the month list offers this month alone, not two years back.
    const monthOptions = await auditorPage.getByLabel('月份', { exact: true }).locator('option').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(monthOptions).toEqual(['全部月份', month]);

    // Each department its own business, and the page asks for nothing it may not see.
    for (const [username, book, sla] of [
      ['filing-reviewer', false, true],
      ['fund-reviewer', true, false],
    ] as const) {
      const page = await signedIn(username);
      const refused: string[] = [];
      page.on('response', (response) => {
        if (response.status() === 403) refused.push(response.url());
      });
      await page.goto(`${suite.base}#/dashboard`);
      await page.locator('#cases-h').waitFor();
      await page.locator(sla ? '#sla-h' : '#book-h').waitFor();
      expect(await page.locator('#book-h').count(), username).toBe(book ? 1 : 0);
      expect(await page.locator('#sla-h').count(), username).toBe(sla ? 1 : 0);
      expect(await page.locator('#main').innerText()).not.toContain('仅对市文旅局和审计开放');
      expect(refused, username).toEqual([]);
      // The two lists and the button stand on one line, their tops level.
      const tops = await Promise.all(['#dashboard-month', '#dashboard-programme'].map(async (s) => (await page.locator(s).boundingBox())!.y));
      expect(Math.abs(tops[0]! - tops[1]!)).toBeLessThan(1);
      await shot(page, `dashboard-${username}`);
    }
  }, 180_000);
});

// Last in the file: its repayment would count in the 数据看板's 本月已收回 above.
describe('办件进度查询 of a provisional deadline in the browser', () => {
  it('shows 暂定 beside a deadline in a year whose holiday arrangement is not loaded, on a phone', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'progress-provisional');
    const shot = stepShots('progress-provisional');
    const caseId = await repayingLoan(suite.harness);
    const view = (await (await suite.harness.as('creator'))('GET', `/api/cases/${caseId}`)).json<{ referenceNo: string; progressCode: string; schedule: { dueOn: string; amountFen: number; paidFen: number; provisional: boolean }[] }>();
    const next = view.schedule.find((i) => i.paidFen < i.amountFen)!;
    expect(next.provisional).toBe(true);

    const phone = await suite.visitor({ phone: true });
    await phone.goto(`${suite.base}#/progress?ref=${view.referenceNo}`);
    await phone.getByLabel('查询码').fill(view.progressCode);
    await phone.getByRole('button', { name: '查询' }).click();
    const card = phone.locator('.progress-card');
    await card.locator('.progress-now').filter({ hasText: '还款中' }).waitFor();
    const deadline = card.locator('dt', { hasText: /^下一期应还日$/ }).locator('xpath=following-sibling::dd[1]');
    await deadline.locator('.tag').filter({ hasText: /^暂定$/ }).waitFor();
    const words = await deadline.innerText();
    expect(words).toContain(`${dateInWords(next.dueOn)}（含）前`);
    expect(words).toContain('暂定：所在年度的国务院节假日安排尚未公布，暂按周末和元旦、劳动节、国庆节计算，公布后重新确定。');
    expect(await card.innerText()).not.toMatch(ISO_DATE);
    await fitsTheScreen(phone);
    expect(await latinWords(phone, [view.progressCode])).toEqual([]);
    await shot(phone, 'phone-provisional-deadline');
  }, 180_000);
});
