import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiCaller } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 申报内容不一致 on the case page: the city's interest subsidy of a loan whose 杨浦 subsidy was
 * granted on another figure for the interest paid. The two subsidies together stay within the
 * interest paid, read from the application being decided; an outsider stated 100,000.00 to one
 * office and 200,000.00 to the other and each was checked alone. The officials now see both.
 */
const suite = browserSuite();
const { signedIn } = suite;

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
}

describe('one loan’s interest stated otherwise to two offices', () => {
  it('is shown to the officials deciding the second above the actions, and not to the applicant', async () => {
    screenshotOnFailure(() => suite.pages(), 'fact-conflicts');
    const shot = stepShots('fact-conflicts');
    const loan = { applicantKind: 'company', loanLender: '上海银行杨浦支行', loanContractNo: `JK-${randomUUID().slice(0, 8)}`, interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30' };
    const creator = await suite.harness.as('creator');
    const apply = async (programmeId: string, facts: object) => {
      const response = await creator('POST', `/api/applications/${programmeId}`, { title: '贷款贴息', summary: '上半年付息', facts });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ caseId: string; referenceNo: string }>();
    };
    const district = await apply('yangpu-loan-interest-subsidy', { ...loan, interestPaidFen: 10_000_000, requestedAmountFen: 5_000_000 });
    const yangpu = await suite.harness.as('yangpu-reviewer');
    await verifyClaims(yangpu, district.caseId);
    await act(yangpu, district.caseId, 'accept-materials');
    await act(yangpu, district.caseId, 'score-application', { score: 90, comments: '按期付息' });
    await act(await suite.harness.as('yangpu-approver'), district.caseId, 'approve-application');
    const city = await apply('hu9-loan-interest-subsidy', { ...loan, interestPaidFen: 20_000_000, loanRateBasisPoints: 200, lprBasisPoints: 300 });

    const reviewer = await signedIn('cac-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${city.caseId}`);
    const card = reviewer.getByRole('region', { name: '申报内容不一致' });
    await card.getByText(`同一笔贷款已获杨浦银行贷款贴息 50%（${district.referenceNo}），该申请所报实际支付利息 100,000.00 元`, { exact: false }).waitFor();
    expect(await card.textContent()).toContain('与本申请所报实际支付利息 200,000.00 元');
    const [cardTop, actionsTop] = await Promise.all([card.boundingBox(), reviewer.locator('[data-action]').first().boundingBox()]);
    expect(cardTop!.y).toBeLessThan(actionsTop!.y);
    await shot(reviewer, 'official', card);

    const applicant = await signedIn('creator', { phone: true });
    await applicant.goto(`${suite.base}#/cases/${city.caseId}`);
    await applicant.getByRole('heading', { name: '申请信息' }).waitFor();
    expect(await applicant.getByRole('region', { name: '申报内容不一致' }).count()).toBe(0);
  });
});
