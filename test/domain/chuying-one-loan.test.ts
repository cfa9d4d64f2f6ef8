import { describe, expect, it } from 'vitest';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import { holdsTheCompanysLoan, loanLedgerItemId, ONE_LOAN_PER_COMPANY_PATCH, type LoanClaimAnswer } from '../../domain/chuying/one-loan.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { DomainError } from '../../domain/errors.js';
import { loanApplication } from '../support/actors.js';

/** Issue 14 part 5 (source 003, 雏鹰计划): one loan per company, decided at the opening. */

const NOW = Date.parse('2026-12-07T02:00:00Z');

function support(answer: LoanClaimAnswer, patches: readonly string[]): { ask: DecisionSupport; claims: unknown[] } {
  const claims: unknown[] = [];
  const lookups = {
    async claimChuyingLoan(input: unknown) {
      claims.push(input);
      return answer;
    },
    async computeWorkingDayWindow(input: { startedOn: string; workingDays: number }) {
      return { ...input, lastWorkingDay: '2026-12-14', deadlineAt: '2026-12-14T16:00:00.000Z', provisional: false };
    },
  } as unknown as CaseLookups;
  return { claims, ask: { lookups, caseId: 'c-1', now: () => NOW, uuid: () => 'u', patched: (id) => patches.includes(id) } };
}

describe('one 雏鹰 loan per company', () => {
  const held: LoanClaimAnswer = { granted: false, heldBy: { caseId: 'c-0', referenceNo: 'CY-2026-000007' } };

  it('refuses the opening when another case holds the company’s loan, naming that case in Chinese', async () => {
    const input = loanApplication({ caseId: 'c-1', terms: CHUYING_LOAN_TERMS });
    const { ask, claims } = support(held, [ONE_LOAN_PER_COMPANY_PATCH, 'step-time-limits']);
    const refusal = await chuyingLoanCase.open(input, ask).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).kind).toBe('conflict');
    expect((refusal as DomainError).message).toContain('CY-2026-000007');
    expect((refusal as DomainError).message).toContain(input.company.unifiedSocialCreditCode);
    // What frees the company, said as it is: a loan already lent never becomes 未通过 or 已撤回 (an outsider was told to wait for that).
    expect((refusal as DomainError).message).toContain('该申请未通过、已撤回或资助决定被撤销的，方可重新申请；已获借款的，不能再申请。');
    expect(claims).toEqual([{ companyCode: input.company.unifiedSocialCreditCode, caseId: 'c-1', referenceNo: input.referenceNo }]);
  });

  it('opens the case when the company’s loan is claimed for it', async () => {
    const { ask } = support({ granted: true }, [ONE_LOAN_PER_COMPANY_PATCH]);
    const events = await chuyingLoanCase.open(loanApplication({ caseId: 'c-1' }), ask);
    expect(events.map((e) => e.type)).toContain('LoanApplicationSubmitted');
  });

  it('asks nothing while a history recorded before the rule replays', async () => {
    const { ask, claims } = support(held, []);
    const events = await chuyingLoanCase.open(loanApplication({ caseId: 'c-1' }), ask);
    expect(events.map((e) => e.type)).toEqual(['LoanApplicationSubmitted']);
    expect(claims).toEqual([]);
  });

  it('checks the programme’s own rules before claiming the company', async () => {
    const { ask, claims } = support({ granted: true }, [ONE_LOAN_PER_COMPANY_PATCH]);
    const overCap = loanApplication({ requestedAmountFen: CHUYING_LOAN_TERMS.capFen + 1 });
    await expect(chuyingLoanCase.open(overCap, ask)).rejects.toThrow(/上限/);
    expect(claims).toEqual([]);
  });

  it('counts open and granted loans, not refused or withdrawn ones; the ledger keys a loan on its company', () => {
    for (const status of ['completeness-check', 'awaiting-supplement', 'compliance-review', 'funding-decision', 'awaiting-disbursement', 'repaying', 'completed']) {
      expect(holdsTheCompanysLoan(status), status).toBe(true);
    }
    for (const status of ['rejected', 'withdrawn']) expect(holdsTheCompanysLoan(status), status).toBe(false);
    expect(loanLedgerItemId({ unifiedSocialCreditCode: '91310110MA1G8XXXXA' })).toBe('company:91310110MA1G8XXXXA');
  });
});
