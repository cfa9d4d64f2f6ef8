import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

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
    await creator.getByLabel('微短剧类别').selectOption('key');
    await creator.getByLabel('剧名').fill('申城记忆');
    await creator.getByLabel('集数').fill('60');
    await creator.getByLabel('单集时长（分钟）').fill('3');
    await creator.getByLabel('播出平台').fill('抖音');
    await creator.getByLabel('剧情梗概').fill('三代上海人的城市记忆');
    await creator.getByRole('button', { name: '提交备案' }).click();
    await creator.locator('.notice-ok').filter({ hasText: '重点微短剧沪8条未承诺审查时限' }).waitFor();
    const facts = creator.locator('dl.facts');
    await facts.locator('dd', { hasText: '重点微短剧' }).first().waitFor();
    await facts.locator('dd', { hasText: '无承诺审查时限' }).waitFor();
    expect((await facts.allInnerTexts()).join('\n')).not.toContain('24:00 前');
    await shot(creator, 'key-drama-filed');
  }, 120_000);
});
