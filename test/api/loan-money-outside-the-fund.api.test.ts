import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * 网信 sees a 雏鹰 loan for its content review. What the fund lends and is repaid (the bank
 * references, the schedule, the borrower's reports, what is left owing) is the fund's: 网信's
 * officials read that the fund recorded something, not what. The fund, the auditor and the borrower
 * read it all, as before.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let auditor: ApiCaller;
let caseId: string;
const bankReference = 'BOC-FUND-ONLY-001';
const repaymentReference = 'ICBC-REPAID-001';
const declaredReference = 'ICBC-DECLARED-002';

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  auditor = await harness.as('auditor');
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(opened.statusCode, opened.body).toBe(201);
  caseId = opened.json().caseId;
  const today = shanghaiDateOf(await harness.env.currentTimeMs());
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    [fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }],
    [fundReviewer, 'record-disbursement', { disbursedOn: today, bankReference }],
    [fundReviewer, 'record-repayment', { amountFen: 1_000_000, paidOn: today, reference: repaymentReference }],
    [creator, 'declare-repayment', { amountFen: 1_000_000, paidOn: today, reference: declaredReference, note: '第 2 期' }],
  ] as const) {
    const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
});
afterAll(() => harness?.close());

describe('a loan in repayment as 网信 reads it', () => {
  it('shows the company, the project and the decision, not the disbursement, the schedule, the reports or what is owed', async () => {
    const response = await cacReviewer('GET', `/api/cases/${caseId}`);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.company.name).toBeTruthy();
    expect(view.approvedAmountFen).toBe(36_000_000);
    expect(view.disbursement).toBeNull();
    expect(view.schedule).toEqual([]);
    expect(view.repaymentDeclarations).toBeUndefined();
    expect(view.outstandingFen).toBeNull();
    expect(view.overview).toContainEqual({ label: '放款与还款', value: '由杨浦区 V聚场基金办理，明细仅基金工作人员和审计人员可见' });
    expect(view.overview.map((line: { label: string }) => line.label)).not.toContain('放款');
    // Nothing of the money anywhere in the answer.
    for (const secret of [bankReference, repaymentReference, declaredReference]) expect(response.body).not.toContain(secret);
  });

  it('reads the money events of the timeline as recorded by the fund, without what they say', async () => {
    const response = await cacReviewer('GET', `/api/cases/${caseId}/events`);
    expect(response.statusCode, response.body).toBe(200);
    const events = response.json().events as { type: string; data: Record<string, unknown>; hash: string }[];
    const byType = (type: string) => events.find((e) => e.type === type)!;
    for (const type of ['LoanDisbursed', 'RepaymentRecorded', 'RepaymentDeclared']) expect(byType(type).data).toEqual({ withheld: 'fund-business' });
    // Its own review and the decision are read whole, and every event keeps its place and hash.
    expect(byType('ComplianceReviewPassed').data).toMatchObject({ notes: '内容积极健康' });
    expect(byType('FundingApproved').data).toMatchObject({ approvedAmountFen: 36_000_000 });
    const whole = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events as { hash: string }[];
    expect(events.map((e) => e.hash)).toEqual(whole.map((e) => e.hash));
    for (const secret of [bankReference, repaymentReference, declaredReference]) expect(response.body).not.toContain(secret);
  });

  it('lists the loan without what is owed', async () => {
    const listed = (await cacReviewer('GET', '/api/cases?limit=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    expect(listed).toMatchObject({ caseId, outstandingFen: null });
    const queued = (await cacReviewer('GET', '/api/worklist?pageSize=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    if (queued) expect(queued.outstandingFen).toBeNull();
  });
});

describe('the same loan as the fund, the auditor and the borrower read it', () => {
  it('shows them the disbursement, the schedule, the reports and what is owed', async () => {
    for (const caller of [fundReviewer, auditor, creator]) {
      const response = await caller('GET', `/api/cases/${caseId}`);
      const view = response.json();
      expect(view.disbursement).toMatchObject({ bankReference });
      expect(view.schedule).toHaveLength(36);
      expect(view.repaymentDeclarations).toHaveLength(1);
      expect(view.outstandingFen).toBe(35_000_000);
      expect(view.overview.map((line: { label: string }) => line.label)).not.toContain('放款与还款');
      const events = (await caller('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      expect(events.find((e) => e.type === 'RepaymentRecorded')!.data).toMatchObject({ reference: repaymentReference });
    }
    const listed = (await fundReviewer('GET', '/api/cases?limit=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    expect(listed.outstandingFen).toBe(35_000_000);
  });
});
