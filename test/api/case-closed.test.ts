import { describe, expect, it } from 'vitest';
import { caseClosed } from '../../api/recorded-money.js';

describe('the refusal of an action on a closed case', () => {
  it('says when the case ended, its final status and why, where its state keeps them', () => {
    const refusal = caseClosed({ referenceNo: 'CY-2026-000009', statusLabel: '已撤销资助', state: { closedAt: '2026-12-06T03:00:00.000Z', closingReasons: ['企业已迁出杨浦区'] } }, 'RecordDisbursement', '登记放款');
    expect(refusal.status).toBe(409);
    expect(refusal.message).toBe('办件 CY-2026-000009 已于2026年12月6日办结（已撤销资助，理由：企业已迁出杨浦区），不能再办理“登记放款”。');
  });

  it('does not say 已办结 twice for a case whose final status is that, nor give an empty bracket', () => {
    const completed = caseClosed({ referenceNo: 'AP-2026-000003', statusLabel: '已办结', state: { closedAt: '2026-12-05T16:30:00.000Z', closingReasons: [] } }, 'ApproveApplication', '给予支持');
    expect(completed.message).toBe('办件 AP-2026-000003 已于2026年12月6日办结，不能再办理“给予支持”。');
    // Approved and paid out: what it ended in, not 已办结 again.
    const approved = caseClosed({ referenceNo: 'AP-2026-000013', statusLabel: '已办结', state: { closedAt: '2026-12-06T03:00:00.000Z', closingReasons: [], approvedAmountFen: 80_000_000 } }, 'Withdraw', '撤回申请');
    expect(approved.message).toBe('办件 AP-2026-000013 已于2026年12月6日办结（已批准，核定金额 800,000.00 元），不能再办理“撤回申请”。');
    // A state that keeps neither: the status alone.
    expect(caseClosed({ referenceNo: 'BA-2026-000001', statusLabel: '已通过备案', state: {} }, 'ApproveFiling', '通过备案').message).toBe('办件 BA-2026-000001 已办结（已通过备案），不能再办理“通过备案”。');
  });
});
