import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { recomputeCallLedger } from '../../db/budget-ledger.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * The 雏鹰 fund is a revolving pool (issue 13): an approval draws it down, the disbursement is paid
 * from it, repayments refill it, and an approval beyond what remains is refused naming the amount.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

async function loanAtFundingDecision(): Promise<string> {
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(opened.statusCode, opened.body).toBe(201);
  const caseId = opened.json<{ caseId: string }>().caseId;
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
  ] as const) {
    const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
  return caseId;
}

const pool = async () => (await auditor('GET', '/api/calls/chuying-fund/budget')).json<{ budgetFen: number; committedFen: number; paidFen: number; recoveredFen: number; remainingFen: number }>();

describe('the 雏鹰 fund as a revolving pool', () => {
  it('is drawn by an approval, paid by the disbursement and refilled by repayments; its ledger is the sum of the events', async () => {
    const before = await pool();
    const caseId = await loanAtFundingDecision();
    expect((await fundApprover('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })).statusCode).toBe(200);
    expect(await pool()).toMatchObject({ committedFen: before.committedFen + 36_000_000, remainingFen: before.remainingFen - 36_000_000, paidFen: before.paidFen });

    const today = shanghaiDateOf(await harness.env.currentTimeMs());
    expect((await fundReviewer('POST', `/api/cases/${caseId}/record-disbursement`, { disbursedOn: today, bankReference: 'POOL-001' })).statusCode).toBe(200);
    expect(await pool()).toMatchObject({ committedFen: before.committedFen + 36_000_000, paidFen: before.paidFen + 36_000_000 });

    // A repayment is lent again: it leaves the commitment and counts as recovered; sent twice, it moves the pool once.
    for (let i = 0; i < 2; i++) {
      const repaid = await fundReviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 1_000_000, paidOn: today, reference: 'POOL-R1' });
      expect(repaid.statusCode, repaid.body).toBe(200);
    }
    expect(await pool()).toMatchObject({
      committedFen: before.committedFen + 35_000_000,
      recoveredFen: before.recoveredFen + 1_000_000,
      remainingFen: before.remainingFen - 35_000_000,
    });

    const recomputed = await recomputeCallLedger(harness.database.db, 'chuying-fund');
    expect(recomputed).toMatchObject({ committedFen: (await pool()).committedFen, paidFen: (await pool()).paidFen, recoveredFen: (await pool()).recoveredFen });
  });

  it('refuses an approval beyond what remains in the pool, naming the remaining amount, and records nothing', async () => {
    const caseId = await loanAtFundingDecision();
    // A small pool, as a fund nearly lent out would be: 100,000.00 left.
    await harness.database.db.updateTable('calls').set({ budget_fen: (await pool()).committedFen + 10_000_000 }).where('call_id', '=', 'chuying-fund').execute();
    const versionBefore = (await fundApprover('GET', `/api/cases/${caseId}`)).json<{ version: number }>().version;

    const refused = await fundApprover('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 20_000_000, notes: '核减至 20 万元' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('雏鹰计划资金池可用余额 100,000.00 元，不足以核定 200,000.00 元');
    const after = (await fundApprover('GET', `/api/cases/${caseId}`)).json<{ version: number; status: string }>();
    expect(after).toMatchObject({ version: versionBefore, status: 'funding-decision' });

    // What fits is approved.
    expect((await fundApprover('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 10_000_000, notes: '核减至 10 万元' })).statusCode).toBe(200);
    expect((await pool()).remainingFen).toBe(0);
  });

  it('gives back an approval undone before the money goes out: cancelled by the fund (撤销资助决定), or declined by the borrower; the ledger rows and the company’s one loan follow', async () => {
    // Room for two loans, whatever the tests before left of the pool.
    await harness.database.db.updateTable('calls').set({ budget_fen: (await pool()).committedFen + 100_000_000 }).where('call_id', '=', 'chuying-fund').execute();
    const before = await pool();
    const cancelledId = await loanAtFundingDecision();
    expect((await fundApprover('POST', `/api/cases/${cancelledId}/approve-funding`, { approvedAmountFen: 36_000_000, notes: '核减至 36 万元' })).statusCode).toBe(200);
    expect((await pool()).committedFen).toBe(before.committedFen + 36_000_000);

    // The borrower cannot cancel it (they decline it, below), nor can a reviewer; the approver can, with reasons.
    expect((await creator('POST', `/api/cases/${cancelledId}/cancel-funding`, { reasons: ['x'] })).statusCode).toBe(403);
    expect((await fundReviewer('POST', `/api/cases/${cancelledId}/cancel-funding`, { reasons: ['x'] })).statusCode).toBe(403);
    expect((await fundApprover('POST', `/api/cases/${cancelledId}/cancel-funding`, { reasons: [] })).statusCode).toBe(400);
    const cancelled = await fundApprover('POST', `/api/cases/${cancelledId}/cancel-funding`, { reasons: ['企业已迁出杨浦区，不再符合申请条件'] });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().case).toMatchObject({ status: 'cancelled', statusLabel: '已撤销资助', finished: true });
    expect((await pool()).committedFen).toBe(before.committedFen);
    const award = async (caseId: string) => (await harness.database.db.selectFrom('awards').select('amount_fen').where('case_id', '=', caseId).executeTakeFirstOrThrow()).amount_fen;
    expect(await award(cancelledId)).toBe(0);
    // The applicant is told why, with the letter.
    const told = (await creator('GET', '/api/inbox')).json<{ notices: { kind: string; caseId: string; title: string; body: string }[] }>().notices.filter((n) => n.caseId === cancelledId && n.kind === 'decision');
    expect(told.map((n) => n.title)).toContain(`资助决定已撤销：雏鹰计划借款申请（${cancelled.json().case.referenceNo}）`);
    expect(told.find((n) => n.title.startsWith('资助决定已撤销'))!.body).toContain('企业已迁出杨浦区，不再符合申请条件');
    const letters = (await creator('GET', `/api/cases/${cancelledId}/decision-letters`)).json<{ letters: { title: string }[] }>().letters;
    expect(letters.map((l) => l.title)).toEqual(['资助决定书', '撤销资助决定书']);
    // A reviewer about to pay it out is refused with when and why it ended, not only that it did.
    const paidOut = await fundReviewer('POST', `/api/cases/${cancelledId}/record-disbursement`, { disbursedOn: shanghaiDateOf(Date.now()), bankReference: 'BOC-CANCELLED-1' });
    expect(paidOut.statusCode, paidOut.body).toBe(409);
    expect(paidOut.json()).toMatchObject({
      code: 'case-closed',
      message: expect.stringMatching(new RegExp(`^办件 ${cancelled.json().case.referenceNo} 已于\\d{4}年\\d{1,2}月\\d{1,2}日办结（已撤销资助，理由：企业已迁出杨浦区，不再符合申请条件），不能再办理“登记放款”。$`)),
    });

    // The borrower declining it now is refused by the name of what they would do at an approved loan (放弃借款), not 撤回申请.
    const declinedAfterCancelling = await creator('POST', `/api/cases/${cancelledId}/withdraw`, { reason: '已获银行贷款' });
    expect(declinedAfterCancelling.statusCode, declinedAfterCancelling.body).toBe(409);
    expect(declinedAfterCancelling.json()).toMatchObject({ code: 'case-closed', message: expect.stringMatching(/（已撤销资助，理由：企业已迁出杨浦区，不再符合申请条件），不能再办理“放弃借款”。$/) });

    // Nor is it listed among the company's loans: it lent nothing.
    const listed = (await creator('GET', `/api/cases/${cancelledId}`)).json<{ applicantAwards: { loans: { caseId: string }[] } }>().applicantAwards.loans;
    expect(listed.map((l) => l.caseId)).not.toContain(cancelledId);

    // The company holds no loan now: it may apply again.
    const again = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(again.statusCode, again.body).toBe(201);
    const declinedId = again.json<{ caseId: string }>().caseId;
    for (const [caller, action, body] of [
      [fundReviewer, 'accept-materials', {}],
      [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
      [fundApprover, 'approve-funding', { approvedAmountFen: 20_000_000, notes: '核减至 20 万元' }],
    ] as const) {
      expect((await caller('POST', `/api/cases/${declinedId}/${action}`, body)).statusCode).toBe(200);
    }
    const offered = (await creator('GET', `/api/cases/${declinedId}`)).json<{ availableActions: { name: string; enabled: boolean; explain?: string }[] }>().availableActions.find((a) => a.name === 'withdraw');
    // Approved, the borrower's withdrawal is a decline of the loan, and the page calls it so.
    expect(offered).toMatchObject({ enabled: true, label: '放弃借款', submit: '确认放弃本笔借款', done: expect.stringContaining('不再放款'), explain: expect.stringContaining('放弃后本案办结，不再放款') });
    // Its field too: the reason for declining, not 撤回原因.
    expect((offered as unknown as { bodySchema: { properties: { reason: { title: string } } } }).bodySchema.properties.reason.title).toBe('放弃原因（可选）');
    const declined = await creator('POST', `/api/cases/${declinedId}/withdraw`, { reason: '已获银行贷款' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().case).toMatchObject({ status: 'withdrawn' });
    expect((await pool()).committedFen).toBe(before.committedFen);
    expect(await award(declinedId)).toBe(0);
    const fundTold = (await fundReviewer('GET', '/api/inbox')).json<{ notices: { kind: string; caseId: string; body: string }[] }>().notices.filter((n) => n.caseId === declinedId && n.kind === 'loan-declined');
    expect(fundTold).toEqual([expect.objectContaining({ body: expect.stringContaining('借款人放弃借款，理由：已获银行贷款。无需放款') })]);

    const recomputed = await recomputeCallLedger(harness.database.db, 'chuying-fund');
    expect(recomputed.committedFen).toBe((await pool()).committedFen);
    // The pool's budget was set by hand above (no event sets it so): every other read model is what the events rebuild.
    expect((await rebuildAndCompare(harness.database.db)).drift.filter((d) => d.table !== 'calls')).toEqual([]);
  });
});
