import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * An award approved is not an award paid: an outsider's programme office read 已发放 on an award
 * nobody had paid. The case waits as 待拨付 for its department, the approver is told why they may not
 * record it, and another official records the payment (登记拨付) on the generic action form: the day,
 * the bank reference, the amount (filled in with the amount due). Only then does it read 已发放.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('登记拨付 on the case page', () => {
  it('waits as 待拨付, refuses the approver with the reason beside the form, and is recorded by another official of the department', async () => {
    screenshotOnFailure(() => suite.pages(), 'record-payout');
    const shot = stepShots('record-payout');
    const [creator, reviewer, approver, cac] = await Promise.all(['creator', 'xuhui-reviewer', 'xuhui-approver', 'cac-reviewer'].map((u) => suite.harness.as(u)));
    const opened = await creator!('POST', '/api/applications/xuhui-quality-works', {
      title: '优质短剧',
      summary: '获奖作品',
      facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;
    for (const [caller, action, body] of [[reviewer, 'accept-materials', {}], [cac, 'pass-compliance-review', { notes: '' }], [reviewer, 'score-application', { score: 80 }]] as const) {
      const done = await caller!('POST', `/api/cases/${caseId}/${action}`, body);
      expect(done.statusCode, done.body).toBe(200);
    }
    await verifyClaims(reviewer!, caseId);
    const approved = await approver!('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const dueOn = approved.json<{ case: { duePayouts: { dueOn: string }[] } }>().case.duePayouts[0]!.dueOn;

    // The applicant reads 待拨付, not 已发放.
    const applicantPage = await signedIn('creator');
    await applicantPage.goto(`${suite.base}#/cases/${caseId}`);
    await applicantPage.locator('.progress .status').filter({ hasText: '待拨付' }).first().waitFor();
    await applicantPage.getByText(/已发放 0\.00 元；待拨付 10,000\.00 元/).first().waitFor();
    await shot(applicantPage, 'applicant-reads-due');

    // The approver is told why not, beside the form.
    const approverPage = await signedIn('xuhui-approver');
    await approverPage.goto(`${suite.base}#/cases/${caseId}`);
    const refused = approverPage.locator('[data-action="record-payout"]');
    await refused.getByText('四眼原则：您批准了本案的资助，不能再登记拨付').waitFor();
    await shot(approverPage, 'approver-refused');

    // Another official of 徐汇 records it on the form: the amount due is filled in already.
    const page = await signedIn('xuhui-reviewer');
    await page.goto(`${suite.base}#/cases/${caseId}`);
    const box = page.locator('[data-action="record-payout"]');
    await box.getByRole('heading', { name: '登记拨付' }).waitFor();
    expect(await box.getByLabel('拨付金额（元）').inputValue()).toMatch(/^10,?000(\.00)?$/);
    await box.getByLabel('拨付日期').fill(dueOn);
    await box.getByLabel('银行流水号（转账凭证号）').fill(`XH-${caseId.slice(0, 8)}`);
    await box.getByRole('button').first().click();
    // Asked first: money recorded as moved cannot be taken back.
    await box.getByRole('group').filter({ hasText: '确认“登记拨付”？' }).getByRole('button', { name: '确认', exact: true }).click();
    await page.locator('.notice-ok').first().waitFor();
    await page.locator('.progress .status').filter({ hasText: '已办结' }).first().waitFor();
    await page.locator('[data-event="PayoutRecorded"]').filter({ hasText: '登记拨付' }).first().waitFor();
    await page.getByText(/已发放 10,000\.00 元/).first().waitFor();
    await shot(page, 'recorded');
    // No Latin letters in what the page says of it, save the bank reference as typed.
    const said = (await page.locator('[data-event="PayoutRecorded"]').first().innerText()).replace(`XH-${caseId.slice(0, 8)}`, '');
    expect(said).not.toMatch(/[A-Za-z]/);
  });
});
