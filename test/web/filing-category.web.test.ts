import { describe, expect, it } from 'vitest';
import { browserSuite, fillInSteps, screenshotOnFailure, stepShots } from './browser.js';

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
