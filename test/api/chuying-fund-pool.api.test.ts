import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
