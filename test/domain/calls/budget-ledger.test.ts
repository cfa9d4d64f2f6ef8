import { describe, expect, it } from 'vitest';
import { applyMovement, CHUYING_FUND_CALL_ID, recomputeLedger, type CallLedger } from '../../../domain/calls/ledger.js';
import { DomainError } from '../../../domain/errors.js';

const call = (overrides: Partial<CallLedger> = {}): CallLedger => ({ callId: 'c1', budgetFen: 5_000_000, budgetApproved: true, revolving: false, committedFen: 3_800_000, paidFen: 0, recoveredFen: 0, ...overrides });

describe('the budget ledger, pure', () => {
  it('refuses a commitment beyond what remains, naming the remaining amount', () => {
    let error: unknown;
    try {
      applyMovement(call(), { callId: 'c1', kind: 'commit', amountFen: 5_000_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect((error as DomainError).message).toBe('本批次预算剩余 12,000.00 元，不足以核定 50,000.00 元');
  });

  it('commits exactly what remains; nothing on a budget not yet approved', () => {
    expect(applyMovement(call(), { callId: 'c1', kind: 'commit', amountFen: 1_200_000 }).committedFen).toBe(5_000_000);
    expect(() => applyMovement(call({ budgetApproved: false }), { callId: 'c1', kind: 'commit', amountFen: 1 })).toThrow('尚未批准');
  });

  it('a revolving pool is refilled by what is paid back; a call only records it', () => {
    const pool = call({ callId: CHUYING_FUND_CALL_ID, revolving: true });
    expect(applyMovement(pool, { callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 800_000 })).toMatchObject({ committedFen: 3_000_000, recoveredFen: 800_000 });
    expect(applyMovement(call(), { callId: 'c1', kind: 'recover', amountFen: 800_000 })).toMatchObject({ committedFen: 3_800_000, recoveredFen: 800_000 });
  });

  it('recomputes from the log: the call sets its budget, other events move money on it', () => {
    const start = call({ budgetFen: 0, budgetApproved: false, committedFen: 0 });
    const ledger = recomputeLedger(start, [
      { streamType: 'call', type: 'CallOpened', data: { budgetFen: 1_000_000 } },
      { streamType: 'call', type: 'CallBudgetApproved', data: { budgetFen: 1_000_000 } },
      { streamType: 'application', type: 'AwardGranted', data: { budgetMovements: [{ callId: 'c1', kind: 'commit', amountFen: 600_000 }] } },
      { streamType: 'application', type: 'AwardGranted', data: { budgetMovements: [{ callId: 'other', kind: 'commit', amountFen: 900_000 }] } },
      { streamType: 'application', type: 'PayoutIssued', data: { budgetMovements: [{ callId: 'c1', kind: 'pay', amountFen: 600_000 }] } },
      { streamType: 'call', type: 'CallChanged', data: { changes: { budgetFen: 2_000_000 } } },
    ]);
    expect(ledger).toMatchObject({ budgetFen: 2_000_000, budgetApproved: false, committedFen: 600_000, paidFen: 600_000 });
  });
});
