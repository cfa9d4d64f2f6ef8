import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 叠加资助待审核 on the case page: an application whose item was already funded under a measure the
 * sources say nothing of stacking with. An outsider had one work paid by two 徐汇 measures with
 * nobody told; the officials now see it above the actions, the applicant does not.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('an item already funded under another measure', () => {
  it('is shown to the officials above the actions, and not to the applicant', async () => {
    screenshotOnFailure(() => suite.pages(), 'stacking-review');
    const shot = stepShots('stacking-review');
    const itemId = `drama-${randomUUID().slice(0, 8)}`;
    const awardId = `AW-${randomUUID()}`;
    await suite.harness.database.db
      .insertInto('awards')
      .values({ award_id: awardId, case_id: randomUUID(), applicant_account_id: 'someone', programme_id: 'xuhui-culture-commerce-tourism', catalogue_version: '2026-11-23', item_id: itemId, amount_fen: 10_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const creator = await suite.harness.as('creator');
    const opened = await creator('POST', '/api/applications/xuhui-quality-works', { title: '优质短剧', summary: '城市之光', facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId, registeredDistrict: '徐汇区' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;

    const reviewer = await signedIn('xuhui-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${caseId}`);
    const card = reviewer.getByRole('region', { name: '叠加资助待审核' });
    await card.getByText(`已于2026年6月1日获徐汇 文商旅融合作品资助 100,000.00 元（${awardId}）`, { exact: false }).waitFor();
    // Above the actions, where the decision is taken.
    const [cardTop, actionsTop] = await Promise.all([card.boundingBox(), reviewer.locator('[data-action]').first().boundingBox()]);
    expect(cardTop!.y).toBeLessThan(actionsTop!.y);
    await shot(reviewer, 'official', card);

    const applicant = await signedIn('creator', { phone: true });
    await applicant.goto(`${suite.base}#/cases/${caseId}`);
    await applicant.getByRole('heading', { name: '申请信息' }).waitFor();
    expect(await applicant.getByRole('region', { name: '叠加资助待审核' }).count()).toBe(0);
  });
});
