import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The 政策目录 on a 390 px phone (issue 15, the outsider's walk items 6, 8 and 15): a search by name
 * or rule words kept in the history entry, compact cards with the detail folded, a self-check that
 * does not promise a sum it refuses, 注册区 chosen from the districts, and version 0 in words.
 */
const suite = browserSuite();

const totalOf = async (text: string) => Number(/共 (\d+) 项/.exec(text)?.[1]);

describe('the catalogue on a phone', () => {
  it('is one screenful of cards, not tens of thousands of pixels; a search narrows it and back returns to it', async () => {
    screenshotOnFailure(() => suite.pages(), 'catalogue-phone');
    const shot = stepShots('catalogue-phone');
    const page = await suite.visitor({ phone: true });
    await page.goto(`${suite.base}#/catalogue`);
    const cards = page.locator('article.programme');
    const count = page.locator('.catalogue-count');
    await count.getByText('共').waitFor();
    const total = await totalOf(await count.innerText());
    expect(total).toBeGreaterThan(50);
    await expect.poll(() => cards.count()).toBe(total);
    // The walk measured 55,755 px for the full catalogue on a phone.
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    expect(height, `the full catalogue is ${height} px tall on a phone`).toBeLessThan(12_500);
    // The detail is folded: the conditions are not on the page until asked for.
    const loan = page.locator('article[data-programme="chuying-loan"]');
    await expect(loan.locator('details.programme-more').getAttribute('open')).resolves.toBeNull();
    expect(await loan.getByRole('heading', { name: '申请条件' }).isVisible()).toBe(false);
    await expect(loan.locator('.amount').innerText()).resolves.toBe('支持标准：最高 500,000.00 元');
    await shot(page, 'full-catalogue');

    // Words of a rule, not only of a name: 租户 occurs only in the rent waiver's rules.
    await page.getByLabel('搜索政策').fill('房租');
    await expect.poll(() => cards.count()).toBeLessThan(total);
    const found = await cards.count();
    expect(found).toBeGreaterThan(0);
    await page.locator('article[data-programme="yangpu-rent-waiver"]').waitFor();
    await expect(count.innerText()).resolves.toBe(`找到 ${found} 项（共 ${total} 项）`);
    await page.getByLabel('搜索政策').fill('租户 减免');
    await expect.poll(() => cards.count()).toBe(1);
    await page.getByLabel('搜索政策').fill('房租');
    await expect.poll(() => cards.count()).toBe(found);
    await shot(page, 'search-rent');

    // Filter and search together; nothing found says so, and 清除条件 brings back everything.
    await page.getByLabel('按政策筛选').selectOption('hu9');
    await expect.poll(() => count.innerText()).toContain('没有找到符合条件的政策');
    await page.getByRole('button', { name: '清除条件' }).click();
    await expect.poll(() => cards.count()).toBe(total);

    // The query survives a visit to a 办事指南 and back.
    await page.getByLabel('搜索政策').fill('房租');
    await expect.poll(() => cards.count()).toBe(found);
    await page.locator('article[data-programme="yangpu-rent-waiver"]').getByRole('link', { name: /办事指南/ }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: '房租减免' }).waitFor();
    await page.goBack();
    await page.locator('article.programme').first().waitFor();
    expect(await page.getByLabel('搜索政策').inputValue()).toBe('房租');
    await expect.poll(() => cards.count()).toBe(found);
    // And a reload of the tab.
    await page.reload();
    await page.locator('article.programme').first().waitFor();
    expect(await page.getByLabel('搜索政策').inputValue()).toBe('房租');
    await expect.poll(() => cards.count()).toBe(found);

    // The search is in the address: sent as a link, it opens the same search in another browser.
    await page.getByLabel('按政策筛选').selectOption('yangpu');
    await expect.poll(() => page.evaluate('location.hash')).toBe(`#/catalogue?q=${encodeURIComponent('房租')}&family=yangpu`);
    const link = page.url();
    const filtered = await cards.count();
    const other = await suite.visitor({ phone: false });
    await other.goto(link);
    await other.locator('article.programme').first().waitFor();
    expect(await other.getByLabel('搜索政策').inputValue()).toBe('房租');
    expect(await other.getByLabel('按政策筛选').inputValue()).toBe('yangpu');
    await expect.poll(() => other.locator('article.programme').count()).toBe(filtered);
    await expect(other.getByRole('link', { name: '政策目录', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    // 清除条件 takes the search out of the address.
    await page.getByRole('button', { name: '清除条件' }).click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/catalogue');
  });

  it('the self-check leads with what to fix and promises no sum when not eligible; 注册区 is a select; version 0 in words', async () => {
    screenshotOnFailure(() => suite.pages(), 'catalogue-self-check');
    const shot = stepShots('catalogue-self-check');
    const page = await suite.visitor({ phone: true });
    await page.goto(`${suite.base}#/catalogue`);
    await page.getByLabel('搜索政策').fill('雏鹰');
    // The search applies 200 ms after typing: wait for it, so the list is not re-laid under the form being filled.
    await page.locator('.catalogue-count', { hasText: '找到' }).waitFor();
    const loan = page.locator('article[data-programme="chuying-loan"]');
    await loan.waitFor();
    await loan.locator('summary', { hasText: '资格自查' }).click();
    // The districts of the 雏鹰 form, chosen, not typed.
    const district = loan.getByLabel('注册区');
    expect(await district.evaluate((e) => e.tagName)).toBe('SELECT');
    expect(await district.locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['请选择', '杨浦区', '徐汇区', '浦东新区']));

    // The loan form asks no 申请主体类型 and no 项目或作品编号: neither does its self-check.
    expect(await loan.getByLabel('申请主体类型').count()).toBe(0);
    expect(await loan.getByLabel('项目或作品编号').count()).toBe(0);
    await district.selectOption('徐汇区');
    await loan.getByLabel('申请金额（元）').fill('300000');
    await loan.getByRole('button', { name: '自查' }).click();
    const result = loan.locator('.check-result');
    await result.getByText('暂不符合条件').waitFor();
    const refused = await result.innerText();
    expect(refused).not.toContain('最多可获支持');
    expect(refused).not.toContain('计算方式');
    expect(refused).toContain('需要处理的事项');
    expect(refused).toContain('杨浦区');
    // What to fix comes before the measure's cap.
    expect(refused.indexOf('需要处理')).toBeLessThan(refused.indexOf('本措施上限：最高 500,000.00 元'));
    await shot(page, 'not-eligible', loan);

    await district.selectOption('杨浦区');
    await loan.getByRole('button', { name: '自查' }).click();
    await result.getByText('符合条件', { exact: true }).waitFor();
    const accepted = await result.innerText();
    expect(accepted).toContain('最多可获支持：500,000.00 元');
    expect(accepted).not.toContain('本措施上限');
    await shot(page, 'eligible', loan);

    // The version in force of a measure never adjusted: in words, not "第 0 版".
    await loan.locator('summary', { hasText: '详细规则' }).click();
    await loan.getByRole('heading', { name: '申请条件' }).waitFor();
    const terms = await loan.locator('.terms').innerText();
    expect(terms).toContain('现行条款：政策目录原文（尚未调整）');
    expect(terms).not.toContain('第 0 版');
    await shot(page, 'detail-open', loan);
  });
});
