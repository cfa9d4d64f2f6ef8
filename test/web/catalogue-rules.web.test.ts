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
});
