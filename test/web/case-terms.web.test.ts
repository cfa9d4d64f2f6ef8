import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserSuite, checkPage, screenshotOnFailure } from './browser.js';

/**
 * The case page names the version of its programme's terms the case opened under (issue 14 part 4,
 * shown since issue 15): an official can open the terms' page from it; the applicant is told only
 * that a later change does not touch their case, once there is one.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('the terms a case opened under', () => {
  it('are named on the case page, and an official can open them', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-terms');
    const api = await suite.harness.as('creator');
    const opened = await api('POST', '/api/applications/xuhui-quality-works', {
      title: '《弄堂里的光》',
      summary: '以徐汇老弄堂为背景的微短剧',
      facts: { applicantKind: 'company', registeredDistrict: '徐汇区', requestedAmountFen: 80_000_000, itemId: `drama-${randomUUID()}` },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;

    const applicant = await signedIn('creator');
    await applicant.goto(`${suite.base}#/cases/${caseId}`);
    await applicant.locator('section[aria-labelledby="facts-h"] dt').filter({ hasText: '提交时间' }).waitFor();
    // Under the catalogue as published the applicant has nothing to be told: no officials' jargon (an outside tester read
    // 适用条款 政策目录原文（申请时尚未调整） and asked what it meant). The officials' line follows.
    expect(await applicant.locator('dd[data-terms-version]').count()).toBe(0);
    expect(await applicant.locator('main').innerText()).not.toContain('政策目录原文');
    await checkPage(applicant);

    const official = await signedIn('xuhui-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const link = official.locator('dd[data-terms-version="0"] a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('#/programme-terms/xuhui-quality-works');
    // In words, as the catalogue page says it: an outsider read 第 0 版 as missing.
    expect(await link.textContent()).toBe('政策目录原文（申请时尚未调整）');
  });
});
