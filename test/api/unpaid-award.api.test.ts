import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsClamped, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { individualApplicant } from '../support/accounts.js';
import { verifyClaims } from '../support/verify-claims.js';
import { sleepUntil } from '../support/workflow-updates.js';

/**
 * An outside tester, as `individual-creator`: 杨浦人才租房补贴 approved, a move out of 杨浦 reported the
 * same day before any payment (PayoutsStopped, paidFen 0), and a new application was refused:
 * 本申请人已于…获杨浦人才租房补贴资助 0.00 元（AW-…），同一事项不重复资助. An award that paid nothing funds nothing.
 */

let harness: ApiHarness;
let yangpuReviewer: ApiCaller;
let yangpuApprover: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  yangpuReviewer = await harness.as('yangpu-reviewer');
  yangpuApprover = await harness.as('yangpu-approver');
});
afterAll(() => harness?.close());

const rentSubsidy = { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } };

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

/** The subsidy applied for and approved: the case and the day of the award. */
async function approvedSubsidy(applicant: ApiCaller): Promise<{ caseId: string; awardedOn: LocalDate }> {
  const caseId = (await ok(applicant, 'POST', '/api/applications/yangpu-talent-rent', rentSubsidy)).caseId as string;
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 80 });
  await verifyClaims(yangpuReviewer, caseId);
  const approved = (await ok(yangpuApprover, 'POST', `/api/cases/${caseId}/approve-application`, {})).case;
  return { caseId, awardedOn: approved.award.awardedOn as LocalDate };
}

describe('an award that paid nothing', () => {
  it('does not bar the person: the rent subsidy stopped the day it was approved, before any payment, may be applied for again', async () => {
    const tenant = await harness.as('individual-creator');
    const { caseId, awardedOn } = await approvedSubsidy(tenant);
    const stopped = await ok(tenant, 'POST', `/api/cases/${caseId}/report-left-yangpu`, { leftOn: awardedOn, note: '迁往浦东' });
    expect(stopped.result.events).toEqual(['LeftYangpuReported', 'PayoutsStopped', 'ApplicationCompleted']);
    expect(stopped.case).toMatchObject({ totalPaidFen: 0, payouts: [] });

    const again = await tenant('POST', '/api/applications/yangpu-talent-rent', rentSubsidy);
    expect(again.statusCode, again.body).toBe(201);
  });

  it('is not support received: 已获资助 lists it marked 已停止，未发放, out of the count and the total, for the applicant and the department alike', async () => {
    const tenant = await harness.as('individual-creator');
    const { cases } = await ok(tenant, 'GET', '/api/cases');
    const stoppedCase = (cases as { caseId: string; status: string }[]).find((c) => c.status === 'completed')!;
    for (const reader of [tenant, yangpuReviewer]) {
      const held = (await ok(reader, 'GET', `/api/cases/${stoppedCase.caseId}`)).applicantAwards;
      expect(held).toMatchObject({ totalFen: 0, count: 0, onNoticeTotalFen: 0, onNoticeCount: 0, stoppedUnpaidCount: 1 });
      expect(held.awards).toEqual([expect.objectContaining({ caseId: stoppedCase.caseId, amountFen: 0, publicity: null, stopped: { label: '已停止，未发放', stoppedAt: expect.any(String) } })]);
    }
  });

  it('still bars one that paid: a subsidy paid for a month before the move is the person’s funding under the measure', async () => {
    // What the code does for a person paid some months who left: the ledger keeps what they were entitled to, and that funds the person.
    // A creator of their own: the test above's 林小创 may hold a subsidy again.
    const renter = await individualApplicant(harness, 'second-individual', '沈小映');
    const { caseId, awardedOn } = await approvedSubsidy(renter);
    await sleepUntil(harness.env, startOfShanghaiDay(addMonthsClamped(awardedOn, 1)) + 12 * 3600_000);
    // The month fell due and the department recorded its payment (登记拨付).
    const firstDue = addMonthsClamped(awardedOn, 1);
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/record-payout`, { paidOn: firstDue, bankReference: `YP-${caseId.slice(0, 8)}-1`, amountFen: 800_000 });
    await ok(renter, 'POST', `/api/cases/${caseId}/report-left-yangpu`, { leftOn: addMonthsClamped(awardedOn, 1), note: '迁往浦东' });
    // Paid a month: support received, counted in 已获资助 (not marked stopped unpaid).
    const held = (await ok(renter, 'GET', `/api/cases/${caseId}`)).applicantAwards;
    expect(held).toMatchObject({ count: 1, stoppedUnpaidCount: 0, awards: [{ stopped: null }] });
    expect(held.totalFen).toBeGreaterThan(0);
    const again = await renter('POST', '/api/applications/yangpu-talent-rent', rentSubsidy);
    expect(again.statusCode, again.body).toBe(400);
    expect(again.json().message).toMatch(/资助 [1-9][\d,]*\.\d{2} 元（申请编号 AP-\d{4}-\d{6}），同一事项不重复资助$/);
  });
});
