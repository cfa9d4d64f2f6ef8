import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * A monthly subsidy's next payout is a calendar date by the award's schedule, not a working-day time
 * limit: an outsider read 剩余 N 个工作日（暂定） beside it. The case page and 我的办件 give the date it is
 * paid on (2027年3月15日发放), with no countdown and no 暂定.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('the next payout of a monthly subsidy', () => {
  it('is shown as the date it is paid on, without a working-day countdown or 暂定, on the case page and in 我的办件', async () => {
    screenshotOnFailure(() => suite.pages(), 'payout-date');
    const shot = stepShots('payout-date');
    const [tenant, reviewer, approver] = await Promise.all(['individual-creator', 'yangpu-reviewer', 'yangpu-approver'].map((u) => suite.harness.as(u)));
    const opened = await tenant!('POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;
    for (const [caller, action, body] of [[reviewer, 'accept-materials', {}], [reviewer, 'score-application', { score: 80 }]] as const) {
      const done = await caller!('POST', `/api/cases/${caseId}/${action}`, body);
      expect(done.statusCode, done.body).toBe(200);
    }
    await verifyClaims(reviewer!, caseId);
    const approved = await approver!('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const dueOn = approved.json<{ case: { deadline: { kind: string; dueOn: string } } }>().case.deadline;
    expect(dueOn.kind).toBe('next-payout');
    const [y, m, d] = dueOn.dueOn.split('-').map(Number);
    const paidOn = `${y}年${m}月${d}日发放`;

    const page = await signedIn('individual-creator', { phone: true });
    await page.goto(`${suite.base}#/cases/${caseId}`);
    const progress = page.getByRole('region', { name: '办理进度' });
    await progress.getByText(paidOn).waitFor();
    const progressText = await progress.innerText();
    expect(progressText).toContain(`下一笔发放\n${paidOn}`);
    expect(progressText).not.toMatch(/剩余|工作日|暂定|（含）前/);
    const facts = page.getByRole('region', { name: '申请信息' });
    expect(await facts.innerText()).toContain(`下一笔发放\n${paidOn}`);
    expect(await facts.innerText()).not.toMatch(/办理时限|暂定/);
    await shot(page, 'case-page', progress);

    await page.goto(`${suite.base}#/cases`);
    const row = page.locator(`tr[data-case="${caseId}"]`);
    await row.getByText(paidOn).waitFor();
    expect(await row.innerText()).not.toMatch(/剩余|工作日|暂定|（含）前/);
    await shot(page, 'my-cases', row);
  });
});
