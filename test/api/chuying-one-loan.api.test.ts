import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCreditCode } from '../support/actors.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * Issue 14 part 5: one 雏鹰 loan per company (统一社会信用代码), through the API. A second
 * application while the first is open or granted is refused naming the first; one refused or
 * withdrawn does not block; openings at the same moment make one case; an approved loan is in the
 * awards ledger under the company.
 */

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
});
afterAll(() => harness?.close());

const applicationOf = (unifiedSocialCreditCode: string) => ({ ...validApplication(), company: { ...validApplication().company, unifiedSocialCreditCode } });

async function open(caller: ApiCaller, code: string): Promise<{ caseId: string; referenceNo: string }> {
  const response = await caller('POST', '/api/cases/chuying-loan', applicationOf(code));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function act(caller: ApiCaller, caseId: string, action: string, body: unknown = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBeLessThan(300);
}

async function loansOf(code: string) {
  return harness.database.db
    .selectFrom('cases')
    .select(['case_id', 'reference_no', 'status'])
    .where('case_type', '=', 'chuying-loan')
    .where(sql<string>`state->'company'->>'unifiedSocialCreditCode'`, '=', code)
    .execute();
}

describe('one 雏鹰 loan per company (issue 14, source 003)', () => {
  it('refuses a second application while the first is open: naming the first case to its own applicant, and to no one else', async () => {
    const code = freshCreditCode();
    const first = await open(creator, code);
    const again = await creator('POST', '/api/cases/chuying-loan', applicationOf(code));
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain(first.referenceNo);
    expect(again.json().message).toContain('每家企业限借一笔');
    // Another account is told the company's loan is taken, and where to ask; not whose case holds it.
    const stranger = await otherCreator('POST', '/api/cases/chuying-loan', applicationOf(code));
    expect(stranger.statusCode).toBe(409);
    expect(stranger.json()).toMatchObject({ error: 'conflict', code: 'one-loan-per-company' });
    expect(stranger.json().message).toContain('您本人提交的申请可在“我的办件”中查看');
    expect(stranger.json().message).toContain('每家企业限借一笔');
    expect(stranger.body).not.toContain(first.referenceNo);
    expect(stranger.body).not.toContain(first.caseId);
    expect(await loansOf(code)).toHaveLength(1);
    // Another company is not affected.
    await open(creator, freshCreditCode());
  });

  it('allows a new application once the first was refused, and once it was withdrawn', async () => {
    const code = freshCreditCode();
    const refused = await open(creator, code);
    await act(fundReviewer, refused.caseId, 'accept-materials');
    await act(cacReviewer, refused.caseId, 'fail-compliance-review', { reasons: ['内容不符合要求'] });
    const again = await open(creator, code);
    expect(again.referenceNo).not.toBe(refused.referenceNo);

    await act(creator, again.caseId, 'withdraw', { reason: '重新准备材料' });
    const third = await open(creator, code);
    expect((await loansOf(code)).map((c) => c.status).sort()).toEqual(['completeness-check', 'rejected', 'withdrawn']);
    expect(third.caseId).not.toBe(again.caseId);
  });

  it('refuses a second application once the first was granted, and puts the loan in the awards ledger under the company', async () => {
    const code = freshCreditCode();
    const granted = await open(creator, code);
    await act(fundReviewer, granted.caseId, 'accept-materials');
    await act(cacReviewer, granted.caseId, 'pass-compliance-review', { notes: '' });
    await act(fundApprover, granted.caseId, 'approve-funding', { approvedAmountFen: 30_000_000, notes: '核减至 30 万元' });

    const award = await harness.database.db.selectFrom('awards').selectAll().where('case_id', '=', granted.caseId).executeTakeFirstOrThrow();
    expect(award).toMatchObject({ programme_id: 'chuying-loan', item_id: `company:${code}`, amount_fen: 30_000_000 });
    // The lists carry what was granted beside what was asked for (400,000.00 asked, 300,000.00 granted).
    for (const [caller, view] of [[creator, 'all'], [fundReviewer, 'all']] as const) {
      const list = await caller('GET', `/api/worklist?view=${view}&q=${encodeURIComponent(granted.referenceNo)}`);
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().cases).toEqual([expect.objectContaining({ referenceNo: granted.referenceNo, requestedAmountFen: 40_000_000, approvedAmountFen: 30_000_000 })]);
    }

    const second = await creator('POST', '/api/cases/chuying-loan', applicationOf(code));
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toContain(granted.referenceNo);
  });

  it('makes exactly one case of 30 openings at once for one company', async () => {
    const code = freshCreditCode();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? creator : otherCreator)('POST', '/api/cases/chuying-loan', applicationOf(code))));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    const cases = await loansOf(code);
    expect(cases).toHaveLength(1);
    // No refusal names the case to the account that did not open it (its own may or may not be named: the race can answer before the case is recorded).
    const { username: opener } = await harness.database.db
      .selectFrom('cases')
      .innerJoin('accounts', 'accounts.account_id', 'cases.applicant_account_id')
      .select('accounts.username')
      .where('cases.case_id', '=', cases[0]!.case_id)
      .executeTakeFirstOrThrow();
    answers.forEach((answer, i) => {
      if (answer.statusCode !== 409) return;
      const sameAccount = (i % 2 === 0 ? 'creator' : 'other-creator') === opener;
      if (!sameAccount) expect(answer.body).not.toContain(cases[0]!.reference_no);
      expect(answer.json().message).toContain('每家企业限借一笔');
    });
  }, 120_000);
});
