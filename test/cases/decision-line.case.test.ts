/**
 * The 决定 line of an application's page joins who decided, the decider's notes (决定意见) and who
 * lowered the amount answering an objection. Notes end in 。 (a batch's: …列入资助名单，经处长批准。):
 * the applicant's phone read …经处长批准。；钱审批于2026年12月5日答复异议.
 */
import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../../cases/case-module.js';
import { applicationCaseView } from '../../cases/application.case.js';

const NOTES = '经评审委员会评审，排名第 15 位（共 40 位），列入资助名单，经处长批准。';

const decisionLine = (details: Record<string, unknown>, status = 'publicity') => {
  const view = applicationCaseView({ status, details: { scores: [], ...details } } as unknown as CaseRow) as { overview: { label: string; value: string }[] };
  return view.overview.find((line) => line.label === '决定')?.value;
};

describe('the 决定 line', () => {
  const decision = { by: '郑处长', on: '2026-12-03', approvedAmountFen: 1_000_000, byDirector: true, notes: NOTES };
  const upheld = { objectionId: 'o-1', reasons: '金额偏高', lodgedAt: '2026-12-04T02:00:00.000Z', answer: { outcome: 'upheld', by: '钱审批', text: '调减', answeredAt: '2026-12-05T02:00:00.000Z' } };

  it('after an objection answered by lowering the amount: the notes run into the answer without 。；', () => {
    const line = decisionLine({ decision: { ...decision, approvedAmountFen: 500_000 }, objections: [upheld], call: { title: '批次', mode: 'competitive', publicityWorkingDays: 5 } })!;
    expect(line).toBe('郑处长，2026年12月3日批准（处长审批）；决定意见：经评审委员会评审，排名第 15 位（共 40 位），列入资助名单，经处长批准；钱审批于2026年12月5日答复异议，核定金额调减为 5,000.00 元');
    expect(line).not.toContain('。；');
  });

  it('without an objection the notes end the line with their own 。', () => {
    expect(decisionLine({ decision })).toBe(`郑处长，2026年12月3日 核定 10,000.00 元（处长审批）；决定意见：${NOTES}`);
    expect(decisionLine({ decision: { ...decision, notes: undefined } })).toBe('郑处长，2026年12月3日 核定 10,000.00 元（处长审批）');
  });
});
