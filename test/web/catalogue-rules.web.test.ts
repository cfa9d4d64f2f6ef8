import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The corrected catalogue (2026-12-03, issue 14) in a real browser: an open list's 其他 is asked
 * with its description and passes the self-check with a note for the official; services in kind
 * say they pay no cash; the training award says it scales with the trainees.
 */
const suite = browserSuite();

describe('the corrected catalogue in the browser', () => {
  it('002 Q6–7 盾牌行动: 其他 with a description passes the self-check, flagged for the official; 001 黄浦 ③ 共享服务 pays no cash', async () => {
    screenshotOnFailure(() => suite.pages(), 'catalogue-rules');
    const page = await suite.visitor();
    await page.goto(`${suite.base}#/catalogue`);
    const shield = page.locator('article[data-programme="hu9-shield"]');
    await shield.waitFor();
    await shield.locator('summary', { hasText: '资格自查' }).click();
    await shield.getByLabel('申请主体类型').selectOption('individual-creator');
    await shield.getByLabel('维权类别').fill('其他');
    await shield.getByLabel('其他侵权行为的说明').fill('有人冒用我的声音做 AI 配音');
    await shield.getByRole('button', { name: '自查' }).click();
    const result = shield.locator('.check-result');
    await result.getByText('符合条件').waitFor();
    await result.getByText('以下事项由经办人审核，不影响提交').waitFor();
    expect(await result.locator('ul.notes li').innerText()).toContain('其他');
    await stepShots('catalogue-rules')(page, 'self-check-other', shield);

    // Without the description it is refused, in Chinese.
    await shield.getByLabel('其他侵权行为的说明').fill('');
    await shield.getByRole('button', { name: '自查' }).click();
    await result.getByText('暂不符合条件').waitFor();
    expect(await result.locator('ul.violations').innerText()).toContain('选择“其他”时须填写其他侵权行为的说明');

    await expect(page.locator('article[data-programme="huangpu-carrier-shared-services"] .amount').innerText()).resolves.toContain('不发放现金');
    await expect(page.locator('article[data-programme="drama-training-course"] .amount').innerText()).resolves.toContain('按参训规模核定');
    // 政策依据 by the documents' titles (the API's sourceInWords), never the catalogue's code 002 Q6–7; in the folded 详细规则.
    await shield.locator('summary', { hasText: '详细规则' }).click();
    await expect(shield.innerText()).resolves.toContain('政策依据：《上海市关于支持互联网优质内容创作的若干举措》（沪九条）政策问答第 6–7 问');
  });

  it('money in the words the self-check and the case use: 每年最高 for per-year caps, one-off subsidies and vouchers described as paid; the self-check asks no 项目或作品编号 where the application asks none', async () => {
    screenshotOnFailure(() => suite.pages(), 'catalogue-money-words');
    const page = await suite.visitor();
    await page.goto(`${suite.base}#/catalogue`);
    const card = (id: string) => page.locator(`article[data-programme="${id}"]`);
    const settling = card('xuhui-company-settling');
    await settling.waitFor();
    await expect(settling.locator('.amount').innerText()).resolves.toBe('支持标准：每年最高 30,000,000.00 元');
    await expect(card('xuhui-base-operator').locator('.amount').innerText()).resolves.toBe('支持标准：每年最高 3,000,000.00 元');
    await expect(card('xuhui-compute-voucher').locator('.amount').innerText()).resolves.toBe('支持标准：每项每年最高 1,000,000.00 元，以券的形式发放');
    await expect(card('yangpu-first-home-subsidy').locator('.amount').innerText()).resolves.toBe('支持标准：一次性补贴，政策原文未列最高额，金额由评审核定');
    await expect(card('yangpu-event-support').locator('.amount').innerText()).resolves.toBe('支持标准：一次性补贴，政策原文未列最高额，金额由评审核定');
    await expect(card('yangpu-live-stream-vouchers').locator('.amount').innerText()).resolves.toBe('支持标准：以券的形式发放，政策原文未列面额，金额由评审核定');

    // 徐汇 企业落户 funds the company itself: no 项目或作品编号 asked, and a company that fits is told so, per year.
    await settling.locator('summary', { hasText: '资格自查' }).click();
    expect(await settling.getByLabel('项目或作品编号').count()).toBe(0);
    await settling.getByLabel('申请主体类型').selectOption('company');
    await settling.getByLabel('注册区').selectOption('徐汇区');
    await settling.getByLabel('申请金额（元）').fill('10000000');
    await settling.getByRole('button', { name: '自查' }).click();
    const result = settling.locator('.check-result');
    await result.getByText('符合条件', { exact: true }).waitFor();
    const answer = await result.innerText();
    expect(answer).toContain('最多可获支持：每年最高 30,000,000.00 元');
    expect(answer).toContain('计算方式：每年最高 30,000,000.00 元');
    expect(answer).not.toContain('项目或作品编号');
    // Checked again with an amount that is no amount: the error stands alone, not beside the last verdict.
    await settling.getByLabel('申请金额（元）').fill('一千万');
    await settling.getByRole('button', { name: '自查' }).click();
    await settling.locator('[aria-invalid="true"]').first().waitFor();
    expect(await result.innerText()).toBe('');

    // The 办事指南 of a one-off subsidy states it too.
    await page.goto(`${suite.base}#/guide/yangpu-first-home-subsidy`);
    await expect(page.locator('section.guide-section', { hasText: '申请条件' }).innerText()).resolves.toContain('支持标准：一次性补贴，政策原文未列最高额，金额由评审核定');
  });
});
