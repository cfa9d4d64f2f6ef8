import { describe, expect, it } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ActionContext, ChuyingLoanAction, ChuyingLoanActionType } from '../../domain/chuying/commands.js';
import {
  allocateRepayment,
  checkLoanApplication,
  decideAction,
  decideSubmission,
  DISBURSEMENT_APART_FROM_APPROVAL,
  REPAYMENTS_APART_FROM_APPROVAL,
  ensureActionAllowed,
  LOAN_ACTION_LABELS,
  loanUnavailableNow,
  nextStep,
  nextTimeThreshold,
  PRINCIPAL_REPAYABLE_PATCH,
  CUT_GIVES_REASONS_PATCH,
  STATUS_LABELS,
  type LoanApplication,
} from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { alreadyRecordedMoney, MoneyAlreadyRecordedError } from '../../domain/chuying/money.js';
import { declaredAgain, declaredBeyondOwed, recordedAlikeReport, rejectedAgain, unconfirmedDeclarations, withdrawnAgain } from '../../domain/chuying/declarations.js';
import { evolveChuyingLoan, foldChuyingLoan, outstandingFen, type ChuyingLoanStatus } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { holdsTheCompanysLoan } from '../../domain/chuying/one-loan.js';
import { DomainError } from '../../domain/errors.js';
import { applicant, auditor, cacReviewer, fundApprover, fundReviewer, otherApplicant } from '../support/actors.js';
import { given } from '../support/decider-spec.js';
import { chuyingLoanReadModel } from '../../cases/chuying-loan.case.js';
import {
  CASE_ID,
  COMPANY,
  d,
  DISBURSED_ON,
  event,
  fundDirector,
  history,
  MISSING_ITEMS,
  PRINCIPAL,
  PROJECT,
  REFERENCE_NO,
  ref,
  SCHEDULE,
} from './chuying-loan.fixtures.js';

/** The approval draws the 雏鹰 fund's revolving pool by the amount approved (issue 13). */
const fromPool = (amountFen: number) => ({ callId: 'chuying-fund', kind: 'commit' as const, amountFen });

/** 10:00 on Mon 2 Mar 2026, Shanghai time. */
const NOW = Date.parse('2026-03-02T02:00:00Z');
const AT = '2026-03-02T02:00:00.000Z';
const as = (actor: Actor, extra: Partial<ActionContext> = {}): ActionContext => ({ actor, now: NOW, ...extra });
const calendar = packagedCalendar();
const REGULAR = 1_388_889; // 500,000.00 / 36 rounded half up
const LAST = 50_000_000 - 35 * REGULAR; // 1,388,885

function expectRefusal(run: () => unknown, kind: DomainError['kind'], ...parts: string[]) {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).kind, (thrown as DomainError).message).toBe(kind);
  for (const part of parts) expect((thrown as DomainError).message).toContain(part);
  return thrown as DomainError;
}

// ---------------------------------------------------------------------------------------------
describe('submission: the 雏鹰计划 rules on an application', () => {
  const application = (overrides: Partial<LoanApplication> = {}): LoanApplication => ({
    caseId: CASE_ID,
    referenceNo: REFERENCE_NO,
    applicant: ref(applicant),
    company: COMPANY,
    project: PROJECT,
    requestedAmountFen: PRINCIPAL,
    ...overrides,
  });

  it('records the submission on its Asia/Shanghai date, with the terms it opened under', () => {
    const now = Date.parse('2026-10-09T16:30:00Z'); // 00:30 on 10 Oct in Shanghai
    expect(decideSubmission(application(), CHUYING_LOAN_TERMS, now)).toEqual([
      {
        type: 'LoanApplicationSubmitted',
        data: {
          caseId: CASE_ID,
          referenceNo: REFERENCE_NO,
          applicant: ref(applicant),
          company: COMPANY,
          project: PROJECT,
          requestedAmountFen: PRINCIPAL,
          submittedAt: '2026-10-09T16:30:00.000Z',
          submittedOn: '2026-10-10',
          terms: CHUYING_LOAN_TERMS,
        },
      },
    ]);
  });

  it('accepts exactly the cap, 500,000.00', () => {
    expect(() => checkLoanApplication(application({ requestedAmountFen: 50_000_000 }), CHUYING_LOAN_TERMS)).not.toThrow();
    expect(() => checkLoanApplication(application({ requestedAmountFen: 1 }), CHUYING_LOAN_TERMS)).not.toThrow();
  });

  it('refuses a company not registered in 杨浦区, naming the required district', () => {
    const error = expectRefusal(
      () => decideSubmission(application({ company: { ...COMPANY, registeredDistrict: '黄浦区' } }), CHUYING_LOAN_TERMS, NOW),
      'validation',
      '杨浦区',
      '黄浦区',
    );
    expect(error.issues).toEqual([expect.objectContaining({ field: 'company.registeredDistrict' })]);
  });

  it('refuses more than 500,000.00 with the amounts written in yuan', () => {
    const error = expectRefusal(
      () => decideSubmission(application({ requestedAmountFen: 50_000_001 }), CHUYING_LOAN_TERMS, NOW),
      'validation',
    );
    expect(error.message).toBe('申请金额 500,000.01元超过雏鹰计划的上限 500,000.00元。');
    expect(error.code).toBe('above-cap');
    expect(error.english).toBe('requested 500,000.01 exceeds the 雏鹰计划 cap of 500,000.00');
    expect(error.params).toEqual({ requestedAmountFen: 50_000_001, capFen: 50_000_000 });
    expect(error.issues).toEqual([expect.objectContaining({ field: 'requestedAmountFen' })]);
  });

  it.each([0, -1, -50_000_000, 1.5, 0.01, Number.NaN])('refuses a requested amount of %s fen', (requestedAmountFen) => {
    const error = expectRefusal(() => decideSubmission(application({ requestedAmountFen }), CHUYING_LOAN_TERMS, NOW), 'validation', '申请金额须大于 0 元');
    expect(error.code).toBe('requested-amount-invalid');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'requestedAmountFen' })]);
  });

  it('takes the cap and the district from the terms, not from constants', () => {
    const terms = { ...CHUYING_LOAN_TERMS, capFen: 30_000_000, requiredDistrict: '黄浦区' };
    expectRefusal(() => checkLoanApplication(application({ requestedAmountFen: 30_000_001 }), { ...terms, requiredDistrict: '杨浦区' }), 'validation', '上限 300,000.00元');
    expectRefusal(() => checkLoanApplication(application(), terms), 'validation', '黄浦区');
    expect(() => checkLoanApplication(application({ company: { ...COMPANY, registeredDistrict: '黄浦区' }, requestedAmountFen: 30_000_000 }), terms)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
describe('steps: each action only at its step', () => {
  const histories: Record<string, { events: ChuyingLoanEvent[]; status: ChuyingLoanStatus }> = {
    'not submitted': { events: history.notSubmitted, status: 'not-submitted' },
    'completeness check': { events: history.completenessCheck, status: 'completeness-check' },
    'awaiting supplement': { events: history.awaitingSupplement, status: 'awaiting-supplement' },
    'compliance review': { events: history.complianceReview, status: 'compliance-review' },
    'funding decision': { events: history.fundingDecision, status: 'funding-decision' },
    'awaiting disbursement': { events: history.awaitingDisbursement, status: 'awaiting-disbursement' },
    repaying: { events: history.repaying, status: 'repaying' },
    completed: { events: history.completed, status: 'completed' },
    withdrawn: { events: history.withdrawn, status: 'withdrawn' },
    'rejected by compliance': { events: history.rejectedByCompliance, status: 'rejected' },
    'rejected by the fund': { events: history.rejectedByFund, status: 'rejected' },
  };

  it('the fixture histories reach the steps they are named after', () => {
    for (const [name, { events, status }] of Object.entries(histories)) expect(foldChuyingLoan(events).status, name).toBe(status);
  });

  const disbursedToday = d('2026-03-02');
  /** Each action done by someone entitled to it, with valid content: only the step can be wrong. */
  const proper: Record<ChuyingLoanActionType, { action: ChuyingLoanAction; context: ActionContext; produces: ChuyingLoanEvent['type'] }> = {
    RequestSupplement: { action: { type: 'RequestSupplement', missingItems: ['营业执照副本'] }, context: as(fundReviewer), produces: 'SupplementRequested' },
    AcceptMaterials: { action: { type: 'AcceptMaterials' }, context: as(fundReviewer), produces: 'MaterialsAccepted' },
    ProvideSupplement: {
      action: { type: 'ProvideSupplement', responses: MISSING_ITEMS.map((item) => ({ item, response: '已上传' })) },
      context: as(applicant),
      produces: 'SupplementProvided',
    },
    PassComplianceReview: { action: { type: 'PassComplianceReview', notes: '通过' }, context: as(cacReviewer), produces: 'ComplianceReviewPassed' },
    FailComplianceReview: { action: { type: 'FailComplianceReview', reasons: ['不合规'] }, context: as(cacReviewer), produces: 'ComplianceReviewFailed' },
    ApproveFunding: { action: { type: 'ApproveFunding', approvedAmountFen: 30_000_000, notes: '核减' }, context: as(fundDirector), produces: 'FundingApproved' },
    RejectFunding: { action: { type: 'RejectFunding', reasons: ['不成熟'] }, context: as(fundDirector), produces: 'FundingRejected' },
    RecordDisbursement: {
      action: { type: 'RecordDisbursement', disbursedOn: disbursedToday, bankReference: 'BANK-0002' },
      context: as(fundReviewer, { schedule: repaymentSchedule(calendar, PRINCIPAL, disbursedToday, 36) }),
      produces: 'LoanDisbursed',
    },
    RecordRepayment: { action: { type: 'RecordRepayment', amountFen: 100, paidOn: d('2026-03-02'), reference: 'PAY-1' }, context: as(fundReviewer), produces: 'RepaymentRecorded' },
    DeclareRepayment: { action: { type: 'DeclareRepayment', amountFen: 100, paidOn: d('2026-03-02'), reference: 'TR-1', note: '' }, context: as(applicant), produces: 'RepaymentDeclared' },
    // At its step only where a report waits (below): the fixture's repaying loan has none.
    WithdrawRepaymentDeclaration: { action: { type: 'WithdrawRepaymentDeclaration', reference: 'TR-1', reason: '' }, context: as(applicant), produces: 'RepaymentDeclarationWithdrawn' },
    RejectRepaymentDeclaration: { action: { type: 'RejectRepaymentDeclaration', reference: 'TR-1', reason: '未查到到账' }, context: as(fundReviewer), produces: 'RepaymentDeclarationRejected' },
    CancelFunding: { action: { type: 'CancelFunding', reasons: ['企业已迁出杨浦'] }, context: as(fundDirector), produces: 'FundingCancelled' },
    Withdraw: { action: { type: 'Withdraw', reason: '不再需要' }, context: as(applicant), produces: 'ApplicationWithdrawn' },
  };

  /**
   * The case's process: materials are checked (and 补正 may be requested and answered), then 网信
   * compliance, then the fund's decision, disbursement and repayment. An application can be
   * withdrawn while it is still being decided; once funded (or closed) it cannot.
   */
  const allowedAt: Record<ChuyingLoanActionType, readonly ChuyingLoanStatus[]> = {
    RequestSupplement: ['completeness-check'],
    AcceptMaterials: ['completeness-check'],
    ProvideSupplement: ['awaiting-supplement'],
    PassComplianceReview: ['compliance-review'],
    FailComplianceReview: ['compliance-review'],
    ApproveFunding: ['funding-decision'],
    RejectFunding: ['funding-decision'],
    RecordDisbursement: ['awaiting-disbursement'],
    RecordRepayment: ['repaying'],
    DeclareRepayment: ['repaying'],
    WithdrawRepaymentDeclaration: ['repaying'],
    RejectRepaymentDeclaration: ['repaying'],
    CancelFunding: ['awaiting-disbursement'],
    Withdraw: ['completeness-check', 'awaiting-supplement', 'compliance-review', 'funding-decision', 'awaiting-disbursement'],
  };

  const cases = Object.entries(proper).flatMap(([type, spec]) =>
    Object.entries(histories).map(([step, h]) => ({ type: type as ChuyingLoanActionType, step, ...h, ...spec })),
  );

  it.each(cases)('$type at "$step"', ({ type, events, status, action, context, produces }) => {
    const spec = given(events).when(action, context);
    if (allowedAt[type].includes(status) && (type === 'WithdrawRepaymentDeclaration' || type === 'RejectRepaymentDeclaration')) {
      // At its step, with nothing reported to withdraw or return: told so; with a report under the reference, done.
      const nothing = type === 'WithdrawRepaymentDeclaration' ? 'no-declaration-to-withdraw' : 'no-declaration-to-reject';
      expect(spec.thenThrows('conflict', `没有银行流水号为 TR-1 的待核对还款申报可${type === 'WithdrawRepaymentDeclaration' ? '撤回' : '退回'}`).code).toBe(nothing);
      const reported: ChuyingLoanEvent = { type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: 100, paidOn: d('2026-03-02'), reference: 'TR-1', note: '', declaredAt: AT } };
      expect(given([...events, reported]).when(action, context).events()[0]?.type).toBe(produces);
    } else if (allowedAt[type].includes(status)) {
      expect(spec.events()[0]?.type).toBe(produces);
    } else if (type === 'RecordDisbursement' && events.some((e) => e.type === 'LoanDisbursed')) {
      // Once disbursed, another disbursement is refused naming the first, whatever the step.
      spec.thenThrows('conflict', 'BANK-0001', '一笔贷款只放款一次');
    } else {
      const refusal = spec.thenThrows('illegal-state', `“${LOAN_ACTION_LABELS[type]}”`, `目前处于“${STATUS_LABELS[status]}”`);
      expect(refusal.code).toBe('not-at-this-step');
      expect(refusal.english).toContain(type);
      expectRefusal(() => ensureActionAllowed(foldChuyingLoan(events), action, context), 'illegal-state');
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('who may act', () => {
  const table: { action: ChuyingLoanAction; at: ChuyingLoanEvent[]; allowed: Actor[]; refused: [Actor, string][]; context?: Partial<ActionContext> }[] = [
    {
      action: { type: 'RequestSupplement', missingItems: ['项目计划书'] },
      at: history.completenessCheck,
      allowed: [fundReviewer, fundApprover],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金'], [otherApplicant, '杨浦区 V聚场基金']],
    },
    {
      action: { type: 'AcceptMaterials' },
      at: history.completenessCheck,
      allowed: [fundReviewer, fundApprover],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金']],
    },
    {
      action: { type: 'ProvideSupplement', responses: MISSING_ITEMS.map((item) => ({ item, response: '已上传' })) },
      at: history.awaitingSupplement,
      allowed: [applicant],
      refused: [[otherApplicant, '只有本案申请人可以答复补正'], [fundReviewer, '只有本案申请人可以答复补正'], [cacReviewer, '只有本案申请人可以答复补正']],
    },
    {
      action: { type: 'Withdraw', reason: '不再需要' },
      at: history.complianceReview,
      allowed: [applicant],
      refused: [[otherApplicant, '只有本案申请人可以撤回申请'], [fundReviewer, '只有本案申请人可以撤回申请'], [fundDirector, '只有本案申请人可以撤回申请'], [cacReviewer, '只有本案申请人可以撤回申请']],
    },
    {
      action: { type: 'PassComplianceReview', notes: '通过' },
      at: history.complianceReview,
      allowed: [cacReviewer],
      refused: [[fundReviewer, '市委网信办'], [fundDirector, '市委网信办'], [applicant, '市委网信办']],
    },
    {
      action: { type: 'FailComplianceReview', reasons: ['不合规'] },
      at: history.complianceReview,
      allowed: [cacReviewer],
      refused: [[fundReviewer, '市委网信办'], [applicant, '市委网信办']],
    },
    {
      action: { type: 'ApproveFunding', approvedAmountFen: PRINCIPAL, notes: '同意' },
      at: history.fundingDecision,
      allowed: [fundApprover, fundDirector],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金']],
    },
    {
      action: { type: 'RejectFunding', reasons: ['不成熟'] },
      at: history.fundingDecision,
      allowed: [fundApprover, fundDirector],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金']],
    },
    {
      action: { type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-0002' },
      at: history.awaitingDisbursement,
      context: { schedule: repaymentSchedule(calendar, PRINCIPAL, d('2026-03-02'), 36) },
      // fundApprover approved this loan (four-eyes, below).
      allowed: [fundReviewer, fundDirector],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金'], [fundApprover, '四眼原则：您批准了本案的资助']],
    },
    {
      action: { type: 'RecordRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'PAY-1' },
      at: history.repaying,
      allowed: [fundReviewer],
      refused: [[cacReviewer, '杨浦区 V聚场基金'], [applicant, '杨浦区 V聚场基金']],
    },
    {
      action: { type: 'DeclareRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-1', note: '' },
      at: history.repaying,
      allowed: [applicant],
      refused: [[otherApplicant, '只有本案申请人可以报告本案的还款'], [fundReviewer, '基金工作人员核对到账后请用“登记还款”'], [fundApprover, '登记还款'], [cacReviewer, '由本案借款人（申请人）办理']],
    },
    {
      action: { type: 'WithdrawRepaymentDeclaration', reference: 'TR-1', reason: '金额填错' },
      at: [...history.repaying, { type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-1', note: '', declaredAt: AT } }],
      allowed: [applicant],
      refused: [[otherApplicant, '只有本案申请人可以撤回本案的还款申报'], [fundReviewer, '基金工作人员不代为撤回'], [fundApprover, '由本案借款人（申请人）办理'], [cacReviewer, '由本案借款人（申请人）办理']],
    },
    {
      action: { type: 'RejectRepaymentDeclaration', reference: 'TR-1', reason: '未查到到账' },
      at: [...history.repaying, { type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-1', note: '', declaredAt: AT } }],
      allowed: [fundReviewer, fundApprover],
      refused: [[applicant, '杨浦区 V聚场基金'], [otherApplicant, '杨浦区 V聚场基金'], [cacReviewer, '杨浦区 V聚场基金']],
    },
  ];

  describe.each(table)('$action.type', ({ action, at, allowed, refused, context }) => {
    it.each(allowed.map((actor) => [actor.displayName, actor] as const))('%s may', (_name, actor) => {
      expect(given(at).when(action, { ...as(actor), ...context }).events()).not.toHaveLength(0);
    });
    it.each(refused.map(([actor, part]) => [actor.displayName, actor, part] as const))('%s may not', (_name, actor, part) => {
      given(at).when(action, { ...as(actor), ...context }).thenThrows('forbidden', part);
      expectRefusal(() => ensureActionAllowed(foldChuyingLoan(at), action, as(actor)), 'forbidden');
    });
    it('an auditor reads and changes nothing', () => {
      expect(given(at).when(action, { ...as(auditor), ...context }).thenThrows('forbidden', '审计人员只能查看').code).toBe('auditor-read-only');
    });
  });

  it('an auditor is refused even at a closed case (before any step check)', () => {
    given(history.completed).when({ type: 'Withdraw', reason: 'x' }, as(auditor)).thenThrows('forbidden');
  });
});

// ---------------------------------------------------------------------------------------------
describe('four-eyes: whoever reviewed the case does not decide its funding', () => {
  // fundApprover requested 补正, fundReviewer accepted the materials, cacReviewer passed compliance.
  const reviewedByBoth = [
    event.submitted(),
    event.supplementRequested(fundApprover),
    event.supplementProvided(),
    event.materialsAccepted(fundReviewer),
    event.compliancePassed(),
  ];
  const approve: ChuyingLoanAction = { type: 'ApproveFunding', approvedAmountFen: PRINCIPAL, notes: '同意' };
  const reject: ChuyingLoanAction = { type: 'RejectFunding', reasons: ['不成熟'] };

  it.each([
    ['who requested 补正', fundApprover],
    ['who accepted the materials', fundReviewer],
  ] as const)('the official %s may not approve or reject', (_who, official) => {
    const fourEyes = given(reviewedByBoth).when(approve, as(official)).thenThrows('forbidden', '四眼原则：您审查过本案');
    expect(fourEyes.code).toBe('four-eyes');
    expect(fourEyes.english).toContain(official.displayName);
    expect(fourEyes.english).toContain(REFERENCE_NO);
    expect(given(reviewedByBoth).when(reject, as(official)).thenThrows('forbidden', '四眼原则').code).toBe('four-eyes');
  });

  it('another fund official may', () => {
    given(reviewedByBoth)
      .when(approve, as(fundDirector))
      .then([{ type: 'FundingApproved', data: { by: ref(fundDirector), approvedAmountFen: PRINCIPAL, notes: '同意', decidedAt: AT, budgetMovements: [fromPool(PRINCIPAL)] } }]);
    given(reviewedByBoth)
      .when(reject, as(fundDirector))
      .then([{ type: 'FundingRejected', data: { by: ref(fundDirector), reasons: ['不成熟'], decidedAt: AT } }]);
  });

  it('a reviewer may still do the steps that are not the decision (recording the disbursement)', () => {
    const schedule = repaymentSchedule(calendar, PRINCIPAL, d('2026-03-02'), 36);
    const events = given([...reviewedByBoth, event.fundingApproved(PRINCIPAL, fundDirector)])
      .when({ type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-9' }, as(fundReviewer, { schedule }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['LoanDisbursed']);
  });
});

describe('four-eyes: whoever approved the funding does not record its disbursement', () => {
  const schedule = repaymentSchedule(calendar, PRINCIPAL, d('2026-03-02'), 36);
  const disburse: ChuyingLoanAction = { type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-9' };
  const approvedBy = (approver: Actor) => [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed(), event.fundingApproved(PRINCIPAL, approver)];

  it('the approver is refused, told why and by whom it is done instead; the UI says the same beside the action', () => {
    const refused = given(approvedBy(fundDirector)).when(disburse, as(fundDirector, { schedule })).thenThrows('forbidden', '四眼原则：您批准了本案的资助，不能再登记本案的放款');
    expect(refused.code).toBe('four-eyes');
    expect(refused.english).toContain(fundDirector.displayName);
    expect(loanUnavailableNow(foldChuyingLoan(approvedBy(fundDirector)), 'RecordDisbursement', fundDirector, NOW)).toContain('请由基金其他工作人员办理');
    expect(loanUnavailableNow(foldChuyingLoan(approvedBy(fundDirector)), 'RecordDisbursement', fundApprover, NOW)).toBeUndefined();
  });

  it('an official who approved another loan may record this one’s', () => {
    expect(given(approvedBy(fundDirector)).when(disburse, as(fundApprover, { schedule })).events().map((e) => e.type)).toEqual(['LoanDisbursed']);
  });

  it('a history recorded before the rule (its change not taken) replays as it was decided; the change is asked only of the approver', () => {
    const asked: string[] = [];
    const before = (changeId: string) => (asked.push(changeId), false);
    expect(given(approvedBy(fundDirector)).when(disburse, as(fundDirector, { schedule, patched: before })).events().map((e) => e.type)).toEqual(['LoanDisbursed']);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([DISBURSEMENT_APART_FROM_APPROVAL]));
    asked.length = 0;
    given(approvedBy(fundDirector)).when(disburse, as(fundReviewer, { schedule, patched: before })).events();
    expect(asked).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('content of each action', () => {
  describe('补正 request', () => {
    it('gives the applicant the configured number of calendar days from today (Shanghai) to reply', () => {
      given(history.completenessCheck)
        .when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer))
        .then([{ type: 'SupplementRequested', data: { by: ref(fundReviewer), missingItems: MISSING_ITEMS, requestedAt: AT, replyDueOn: d('2026-04-01') } }]);
      // At 00:30 on 10 Oct in Shanghai (16:30Z on the 9th), "today" is 10 Oct: due 9 Nov.
      const lateNight = Date.parse('2026-10-09T16:30:00Z');
      const [requested] = given(history.completenessCheck).when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer, { now: lateNight })).events();
      expect(requested).toMatchObject({ type: 'SupplementRequested', data: { replyDueOn: '2026-11-09' } });
      // The number of days is a term of the case.
      const tenDays = [event.submitted({ terms: { ...CHUYING_LOAN_TERMS, supplementReplyDays: 10 } })];
      expect(given(tenDays).when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer)).events()[0]).toMatchObject({
        data: { replyDueOn: '2026-03-12' },
      });
    });

    it('ends the reply period on the working day the calendar look-up moved it to, and refuses a look-up of another period', () => {
      // 30 days from Thu 3 Dec 2026 reach Sat 2 Jan 2027; the look-up moved the last day to Mon 4 Jan (民法典 第二百零三条).
      const thirdOfDecember = Date.parse('2026-12-03T02:00:00Z');
      const moved = { countedFrom: d('2026-12-03'), days: 30, endsOn: d('2027-01-04') };
      const [requested] = given(history.completenessCheck)
        .when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer, { now: thirdOfDecember, supplementReply: moved }))
        .events();
      expect(requested).toMatchObject({ type: 'SupplementRequested', data: { replyDueOn: '2027-01-04' } });
      for (const wrong of [{ ...moved, days: 10 }, { ...moved, countedFrom: d('2026-12-04') }, { ...moved, endsOn: d('2027-01-01') }]) {
        given(history.completenessCheck)
          .when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer, { now: thirdOfDecember, supplementReply: wrong }))
          .thenThrows('illegal-state');
      }
    });

    it.each([[[]], [['营业执照副本', '  ']]])('must list every missing item, none blank: %j', (missingItems) => {
      given(history.completenessCheck).when({ type: 'RequestSupplement', missingItems }, as(fundReviewer)).thenThrows('validation');
    });
  });

  describe('补正 reply', () => {
    const items = ['营业执照副本', '项目计划书', '财务报表'];
    const waiting = [event.submitted(), event.supplementRequested(fundReviewer, items)];

    it('must answer every requested item; the message lists the unanswered ones', () => {
      const error = given(waiting)
        .when({ type: 'ProvideSupplement', responses: [{ item: '营业执照副本', response: '已上传' }] }, as(applicant))
        .thenThrows('validation', '项目计划书', '财务报表');
      expect(error.message).not.toContain('营业执照副本');
    });

    it('answers only the items the request listed: another item is refused at its own answer; a replay from before the change takes it', () => {
      const responses = [...items.map((item) => ({ item, response: '已上传' })), { item: '营业执照正本', response: '也一并上传' }];
      const error = given(waiting).when({ type: 'ProvideSupplement', responses }, as(applicant)).thenThrows('validation', '补正通知没有要求：“营业执照正本”');
      expect(error.issues).toEqual([expect.objectContaining({ field: 'responses.3.item', code: 'supplement-item-not-requested' })]);
      expect(given(waiting).when({ type: 'ProvideSupplement', responses }, as(applicant, { legacy: true })).events().map((e) => e.type)).toContain('SupplementProvided');
    });

    it('a blank answer is no answer', () => {
      const responses = items.map((item) => ({ item, response: item === '财务报表' ? '   ' : '已上传' }));
      const error = given(waiting).when({ type: 'ProvideSupplement', responses }, as(applicant)).thenThrows('validation', '财务报表');
      expect(error.message).not.toContain('项目计划书');
    });

    it('tells every problem at once, each at its field: an item not answered, a blank answer and an item not asked for', () => {
      const responses = [{ item: '营业执照副本', response: '   ' }, { item: '营业执照正本', response: '也一并上传' }];
      const error = given(waiting).when({ type: 'ProvideSupplement', responses }, as(applicant)).thenThrows('validation', '项目计划书', '财务报表', '营业执照副本', '“营业执照正本”');
      expect(error.issues.map((i) => [i.field, i.code, i.message])).toEqual([
        ['responses.0.response', 'supplement-reply-incomplete', '尚未答复“营业执照副本”'],
        ['responses', 'supplement-reply-incomplete', '尚未答复“项目计划书”'],
        ['responses', 'supplement-reply-incomplete', '尚未答复“财务报表”'],
        ['responses.1.item', 'supplement-item-not-requested', '补正通知没有要求“营业执照正本”'],
      ]);
      expect(error.message).toMatch(/^补正答复有 4 处需要修改：/);
    });

    it('a complete reply is recorded and returns the case to the completeness check', () => {
      const responses = items.map((item) => ({ item, response: `${item}已上传` }));
      given(waiting)
        .when({ type: 'ProvideSupplement', responses }, as(applicant))
        .then([{ type: 'SupplementProvided', data: { by: ref(applicant), responses, providedAt: AT } }]);
      const after = foldChuyingLoan([...waiting, event.supplementProvided(responses)]);
      expect(after.status).toBe('completeness-check');
      expect(after.supplement).toBeUndefined();
      // A second round of 补正 may follow.
      const again = given([...waiting, event.supplementProvided(responses)]).when({ type: 'RequestSupplement', missingItems: ['补充说明'] }, as(fundReviewer)).events();
      expect(foldChuyingLoan([...waiting, event.supplementProvided(responses), ...again]).supplement?.round).toBe(2);
    });
  });

  describe('compliance and funding decisions', () => {
    it('a failed compliance review gives its reasons and closes the case as rejected', () => {
      given(history.complianceReview).when({ type: 'FailComplianceReview', reasons: [] }, as(cacReviewer)).thenThrows('validation');
      given(history.complianceReview).when({ type: 'FailComplianceReview', reasons: [''] }, as(cacReviewer)).thenThrows('validation');
      const events = given(history.complianceReview).when({ type: 'FailComplianceReview', reasons: ['含不实信息'] }, as(cacReviewer)).events();
      expect(events).toEqual([{ type: 'ComplianceReviewFailed', data: { by: ref(cacReviewer), reasons: ['含不实信息'], reviewedAt: AT } }]);
      const state = foldChuyingLoan([...history.complianceReview, ...events]);
      expect(state.status).toBe('rejected');
      expect(state.closingReasons).toEqual(['含不实信息']);
    });

    it('a rejection gives its reasons', () => {
      given(history.fundingDecision).when({ type: 'RejectFunding', reasons: [] }, as(fundApprover)).thenThrows('validation');
    });

    it('the committee may approve the requested amount or less, never more', () => {
      const requested300k = [event.submitted({ requestedAmountFen: 30_000_000 }), event.materialsAccepted(fundReviewer), event.compliancePassed()];
      given(requested300k)
        .when({ type: 'ApproveFunding', approvedAmountFen: 30_000_001, notes: '' }, as(fundApprover))
        .thenThrows('validation', '批准金额 300,000.01元超过申请金额 300,000.00元');
      given(requested300k)
        .when({ type: 'ApproveFunding', approvedAmountFen: 30_000_000, notes: '全额' }, as(fundApprover))
        .then([{ type: 'FundingApproved', data: { by: ref(fundApprover), approvedAmountFen: 30_000_000, notes: '全额', decidedAt: AT, budgetMovements: [fromPool(30_000_000)] } }]);
      given(requested300k)
        .when({ type: 'ApproveFunding', approvedAmountFen: 12_345_600, notes: '核减' }, as(fundApprover))
        .then([{ type: 'FundingApproved', data: { by: ref(fundApprover), approvedAmountFen: 12_345_600, notes: '核减', decidedAt: AT, budgetMovements: [fromPool(12_345_600)] } }]);
    });

    it('an amount that cannot be split into the 36 instalments is refused (it could never be disbursed); an approval recorded before, replayed, decides as it did', () => {
      for (const approvedAmountFen of [35, 54, 70]) {
        given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen, notes: '核减' }, as(fundApprover)).thenThrows('validation', `太少，不能分 36 期偿还`);
      }
      for (const approvedAmountFen of [36, 53, 71]) {
        given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen, notes: '核减' }, as(fundApprover)).then([expect.objectContaining({ type: 'FundingApproved' })]);
      }
      const before = (changeId: string) => changeId !== PRINCIPAL_REPAYABLE_PATCH;
      given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen: 35, notes: '核减' }, as(fundApprover, { patched: before })).then([expect.objectContaining({ type: 'FundingApproved' })]);
    });

    it('an approval of less than was asked says why (the 决定书 gives its notes as the reasons); one recorded before without them replays as it was decided', () => {
      given(history.fundingDecision)
        .when({ type: 'ApproveFunding', approvedAmountFen: 45_000_000, notes: ' ' }, as(fundApprover))
        .thenThrows('validation', '批准金额少于申请金额（核减 50,000.00元），请在决定意见中写明核减的理由');
      given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen: 45_000_000, notes: '项目预算中设备采购部分不予支持' }, as(fundApprover)).then([expect.objectContaining({ type: 'FundingApproved' })]);
      given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen: 50_000_000, notes: '' }, as(fundApprover)).then([expect.objectContaining({ type: 'FundingApproved' })]);
      const before = (changeId: string) => changeId !== CUT_GIVES_REASONS_PATCH;
      given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen: 45_000_000, notes: '' }, as(fundApprover, { patched: before })).then([expect.objectContaining({ type: 'FundingApproved' })]);
    });

    it.each([0, -1, 1.5, Number.NaN])('an approved amount of %s fen is refused', (approvedAmountFen) => {
      given(history.fundingDecision).when({ type: 'ApproveFunding', approvedAmountFen, notes: '' }, as(fundApprover)).thenThrows('validation');
    });
  });

  describe('withdrawal', () => {
    it('the applicant withdraws with a reason', () => {
      given(history.awaitingSupplement)
        .when({ type: 'Withdraw', reason: '项目取消' }, as(applicant))
        .then([{ type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: '项目取消', withdrawnAt: AT } }]);
    });
  });

  describe('disbursement', () => {
    const schedule = repaymentSchedule(calendar, PRINCIPAL, d('2026-03-02'), 36);

    it('records the disbursement with the schedule for the approved amount', () => {
      given(history.awaitingDisbursement)
        .when({ type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-0002' }, as(fundReviewer, { schedule }))
        .then([
          { type: 'LoanDisbursed', data: { by: ref(fundReviewer), amountFen: PRINCIPAL, disbursedOn: d('2026-03-02'), bankReference: 'BANK-0002', schedule, recordedAt: AT } },
        ]);
    });

    it('pays from the 雏鹰 pool, and a repayment refills it, when the approval drew the pool; an approval before the pool moves nothing', () => {
      const drawn = history.awaitingDisbursement.map((e) => (e.type === 'FundingApproved' ? { ...e, data: { ...e.data, budgetMovements: [fromPool(PRINCIPAL)] } } : e));
      const disbursed = given(drawn).when({ type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-0002' }, as(fundReviewer, { schedule })).events();
      expect(disbursed[0]!.data).toMatchObject({ budgetMovements: [{ callId: 'chuying-fund', kind: 'pay', amountFen: PRINCIPAL }] });
      const repaid = given([...drawn, ...disbursed]).when({ type: 'RecordRepayment', amountFen: 1_000_000, paidOn: d('2026-03-02'), reference: 'R-1' }, as(fundReviewer)).events();
      expect(repaid[0]!.data).toMatchObject({ budgetMovements: [{ callId: 'chuying-fund', kind: 'recover', amountFen: 1_000_000 }] });
      // The fixture's approval predates the pool: its disbursement (above) and repayments carry no movement.
      const older = given([...history.awaitingDisbursement, event.disbursed()]).when({ type: 'RecordRepayment', amountFen: 1_000_000, paidOn: d('2026-03-02'), reference: 'R-1' }, as(fundReviewer)).events();
      expect(older[0]!.data).not.toHaveProperty('budgetMovements');
    });

    it('refuses a date after today in Shanghai, and takes today as the Shanghai date', () => {
      given(history.awaitingDisbursement)
        .when({ type: 'RecordDisbursement', disbursedOn: d('2026-03-03'), bankReference: 'BANK-0002' }, as(fundReviewer, { schedule }))
        .thenThrows('validation', '2026年3月3日');
      const lateNight = Date.parse('2026-10-09T16:30:00Z'); // already 10 Oct in Shanghai
      const october = repaymentSchedule(calendar, PRINCIPAL, d('2026-10-10'), 36);
      expect(
        given(history.awaitingDisbursement)
          .when({ type: 'RecordDisbursement', disbursedOn: d('2026-10-10'), bankReference: 'B' }, { actor: fundReviewer, now: lateNight, schedule: october })
          .events(),
      ).toHaveLength(1);
    });

    it('needs a schedule that sums to the approved amount, and a bank reference', () => {
      const action: ChuyingLoanAction = { type: 'RecordDisbursement', disbursedOn: d('2026-03-02'), bankReference: 'BANK-0002' };
      expect(given(history.awaitingDisbursement).when(action, as(fundReviewer)).thenThrows('illegal-state', 'schedule').message).toContain('系统内部核对未通过');
      const wrongAmount = repaymentSchedule(calendar, 30_000_000, d('2026-03-02'), 36);
      expect(given(history.awaitingDisbursement).when(action, as(fundReviewer, { schedule: wrongAmount })).thenThrows('illegal-state').code).toBe('internal-check-failed');
      given(history.awaitingDisbursement).when({ ...action, bankReference: '  ' }, as(fundReviewer, { schedule })).thenThrows('validation', '银行流水号');
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('repayments: oldest instalment first', () => {
  const repay = (amountFen: number): ChuyingLoanAction => ({ type: 'RecordRepayment', amountFen, paidOn: d('2026-03-02'), reference: 'PAY-X' });
  const recorded = (amountFen: number, allocations: { number: number; amountFen: number }[]): ChuyingLoanEvent => ({
    type: 'RepaymentRecorded',
    data: { by: ref(fundReviewer), amountFen, paidOn: d('2026-03-02'), reference: 'PAY-X', allocations, recordedAt: AT },
  });
  const partlyPaid = [...history.repaying, event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }])];

  it('the fixture schedule is 35 × 13,888.89 + 13,888.85', () => {
    expect(SCHEDULE.map((i) => i.amountFen)).toEqual([...Array<number>(35).fill(REGULAR), LAST]);
  });

  it('a payment settles instalment 1, then puts the rest on instalment 2', () => {
    given(history.repaying)
      .when(repay(REGULAR + 500_000), as(fundReviewer))
      .then([recorded(REGULAR + 500_000, [{ number: 1, amountFen: REGULAR }, { number: 2, amountFen: 500_000 }])]);
  });

  it('a partial payment stays on the oldest open instalment, and the next payment finishes it first', () => {
    given(history.repaying).when(repay(100_000), as(fundReviewer)).then([recorded(100_000, [{ number: 1, amountFen: 100_000 }])]);
    given(partlyPaid)
      .when(repay(REGULAR), as(fundReviewer))
      .then([recorded(REGULAR, [{ number: 1, amountFen: REGULAR - 100_000 }, { number: 2, amountFen: 100_000 }])]);
    expect(allocateRepayment(foldChuyingLoan(partlyPaid), 50_000)).toEqual([{ number: 1, amountFen: 50_000 }]);
    expect(allocateRepayment(foldChuyingLoan(partlyPaid), REGULAR - 100_000)).toEqual([{ number: 1, amountFen: REGULAR - 100_000 }]);
  });

  it('the allocations always add up to the payment and never exceed an instalment', () => {
    const state = foldChuyingLoan(partlyPaid);
    for (const amount of [1, 99_999, 1_288_889, 1_288_890, 5_000_000, 49_899_999]) {
      const allocations = allocateRepayment(state, amount);
      expect(allocations.reduce((sum, a) => sum + a.amountFen, 0)).toBe(amount);
      expect(allocations.map((a) => a.number)).toEqual(Array.from({ length: allocations.length }, (_, i) => i + 1));
      for (const a of allocations) {
        const i = state.instalments[a.number - 1]!;
        expect(a.amountFen).toBeGreaterThan(0);
        expect(a.amountFen).toBeLessThanOrEqual(i.amountFen - i.paidFen);
      }
    }
  });

  it('refuses more than is outstanding', () => {
    given(history.repaying).when(repay(PRINCIPAL + 1), as(fundReviewer)).thenThrows('validation', '还款金额 500,000.01元超过尚欠的 500,000.00元');
    given(partlyPaid).when(repay(PRINCIPAL - 100_000 + 1), as(fundReviewer)).thenThrows('validation', '超过尚欠的 499,000.00元');
  });

  it.each([0, -100, 0.5, Number.NaN])('refuses a repayment of %s fen', (amountFen) => {
    given(history.repaying).when(repay(amountFen), as(fundReviewer)).thenThrows('validation');
  });

  it('the payment that clears the outstanding balance repays the loan', () => {
    const allocations = [
      { number: 1, amountFen: REGULAR - 100_000 },
      ...Array.from({ length: 34 }, (_, i) => ({ number: i + 2, amountFen: REGULAR })),
      { number: 36, amountFen: LAST },
    ];
    given(partlyPaid)
      .when(repay(PRINCIPAL - 100_000), as(fundReviewer))
      .then([recorded(PRINCIPAL - 100_000, allocations), { type: 'LoanRepaid', data: { totalRepaidFen: PRINCIPAL, completedAt: AT } }]);
    const after = foldChuyingLoan([...partlyPaid, recorded(PRINCIPAL - 100_000, allocations), { type: 'LoanRepaid', data: { totalRepaidFen: PRINCIPAL, completedAt: AT } }]);
    expect(after.status).toBe('completed');
    expect(after.repaidFen).toBe(PRINCIPAL);
    expect(after.instalments.every((i) => i.paidFen === i.amountFen && i.paidOffAt !== undefined)).toBe(true);
  });

  it('a payment short of the balance by one fen does not', () => {
    const events = given(partlyPaid).when(repay(PRINCIPAL - 100_000 - 1), as(fundReviewer)).events();
    expect(events.map((e) => e.type)).toEqual(['RepaymentRecorded']);
    expect(foldChuyingLoan([...partlyPaid, ...events]).instalments.at(-1)).toMatchObject({ paidFen: LAST - 1 });
  });
});

// ---------------------------------------------------------------------------------------------
describe('time: what the passing of time does to a case', () => {
  const endOf = (date: string) => Date.parse(`${date}T16:00:00Z`); // 24:00 Shanghai, computed independently
  const iso = (ms: number) => new Date(ms).toISOString();
  const overdue1 = event.instalmentOverdue(1, d('2026-02-28'), REGULAR);
  const reminded1 = event.reminderSent(1, d('2026-02-28'), REGULAR);

  describe('instalments (first due Sat 28 Feb 2026, a make-up working day)', () => {
    it('an instalment is overdue exactly at the end of its due date, not a millisecond earlier', () => {
      given(history.repaying).whenTimeIs(endOf('2026-02-28') - 1).then([]);
      given(history.repaying)
        .whenTimeIs(endOf('2026-02-28'))
        .then([{ type: 'InstalmentOverdue', data: { number: 1, dueOn: d('2026-02-28'), outstandingFen: REGULAR, at: '2026-02-28T16:00:00.000Z' } }]);
    });

    it('a reminder follows 3 days after the due date (end of 3 Mar)', () => {
      given([...history.repaying, overdue1]).whenTimeIs(endOf('2026-03-03') - 1).then([]);
      given([...history.repaying, overdue1])
        .whenTimeIs(endOf('2026-03-03'))
        .then([{ type: 'RepaymentReminderSent', data: { number: 1, dueOn: d('2026-02-28'), outstandingFen: REGULAR, at: iso(endOf('2026-03-03')) } }]);
    });

    it('the instalment is delinquent 30 days after the due date (end of 30 Mar)', () => {
      const h = [...history.repaying, overdue1, reminded1];
      given(h).whenTimeIs(endOf('2026-03-30') - 1).then([]);
      given(h)
        .whenTimeIs(endOf('2026-03-30'))
        .then([{ type: 'InstalmentDelinquent', data: { number: 1, dueOn: d('2026-02-28'), outstandingFen: REGULAR, at: iso(endOf('2026-03-30')) } }]);
    });

    it('after a long pause, every passed threshold is decided, in the order they passed', () => {
      const now = Date.parse('2026-04-01T00:00:00Z'); // after the end of 31 Mar (instalment 2's due date)
      const events = given(history.repaying).whenTimeIs(now).events();
      expect(events.map((e) => [e.type, 'number' in e.data ? e.data.number : undefined])).toEqual([
        ['InstalmentOverdue', 1],
        ['RepaymentReminderSent', 1],
        ['InstalmentDelinquent', 1],
        ['InstalmentOverdue', 2],
      ]);
      expect(events.every((e) => 'at' in e.data && e.data.at === iso(now))).toBe(true);
    });

    it('nothing is decided twice', () => {
      const h = [...history.repaying, overdue1];
      expect(given(h).whenTimeIs(endOf('2026-03-03')).events().map((e) => e.type)).toEqual(['RepaymentReminderSent']);
    });

    it('reports what is still outstanding on a part-paid instalment', () => {
      const partlyPaid = [...history.repaying, event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }])];
      given(partlyPaid)
        .whenTimeIs(endOf('2026-02-28'))
        .then([{ type: 'InstalmentOverdue', data: { number: 1, dueOn: d('2026-02-28'), outstandingFen: REGULAR - 100_000, at: '2026-02-28T16:00:00.000Z' } }]);
    });

    it('a paid instalment is never overdue, reminded or delinquent', () => {
      const paid = [...history.repaying, event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }])];
      given(paid).whenTimeIs(endOf('2026-03-30')).then([]);
      expect(nextTimeThreshold(foldChuyingLoan(paid))).toBe(endOf('2026-03-31'));
      // …and paying after it went overdue stops the reminder and delinquency.
      const paidLate = [...history.repaying, overdue1, event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }], d('2026-03-01'))];
      given(paidLate).whenTimeIs(endOf('2026-03-30')).then([]);
    });

    it('a repaid loan has no thresholds', () => {
      given(history.completed).whenTimeIs(endOf('2029-12-31')).then([]);
      expect(nextTimeThreshold(foldChuyingLoan(history.completed))).toBeUndefined();
    });

    it('nextTimeThreshold is the earliest pending threshold', () => {
      expect(nextTimeThreshold(foldChuyingLoan(history.repaying))).toBe(endOf('2026-02-28'));
      expect(nextTimeThreshold(foldChuyingLoan([...history.repaying, overdue1]))).toBe(endOf('2026-03-03'));
      // Delinquency of instalment 1 (30 Mar) comes before instalment 2 is overdue (31 Mar).
      expect(nextTimeThreshold(foldChuyingLoan([...history.repaying, overdue1, reminded1]))).toBe(endOf('2026-03-30'));
    });
  });

  describe('补正 deadline', () => {
    // Requested at 00:30 on 10 Oct 2026 Shanghai time: reply due by the end of 9 Nov (10 Oct + 30 days).
    const requestedAt = Date.parse('2026-10-09T16:30:00Z');
    const request = given(history.completenessCheck).when({ type: 'RequestSupplement', missingItems: MISSING_ITEMS }, as(fundReviewer, { now: requestedAt })).events();
    const waiting = [...history.completenessCheck, ...request];

    it('an unanswered request withdraws the application at the end of the reply date', () => {
      expect(nextTimeThreshold(foldChuyingLoan(waiting))).toBe(endOf('2026-11-09'));
      given(waiting).whenTimeIs(endOf('2026-11-09') - 1).then([]);
      const [withdrawn, ...more] = given(waiting).whenTimeIs(endOf('2026-11-09')).events();
      expect(more).toEqual([]);
      expect(withdrawn).toMatchObject({ type: 'ApplicationWithdrawn', data: { reason: 'supplement-not-provided', withdrawnAt: '2026-11-09T16:00:00.000Z' } });
      expect(withdrawn?.type === 'ApplicationWithdrawn' && withdrawn.data.detail).toContain('2026-11-09');
      expect(foldChuyingLoan([...waiting, withdrawn!]).status).toBe('withdrawn');
    });

    it('an answered request has no deadline', () => {
      const answered = [...waiting, event.supplementProvided()];
      given(answered).whenTimeIs(endOf('2026-12-31')).then([]);
      expect(nextTimeThreshold(foldChuyingLoan(answered))).toBeUndefined();
    });
  });

  it('time alone never withdraws or rejects a case the officials are deciding (a late review is not the applicant’s fault)', () => {
    const yearLater = endOf('2027-03-02');
    for (const h of [history.completenessCheck, history.complianceReview, history.fundingDecision, history.awaitingDisbursement]) {
      given(h).whenTimeIs(yearLater).then([]);
    }
  });

  it('closed cases have no thresholds', () => {
    for (const h of [history.withdrawn, history.rejectedByCompliance, history.rejectedByFund]) {
      expect(nextTimeThreshold(foldChuyingLoan(h))).toBeUndefined();
      given(h).whenTimeIs(endOf('2030-01-01')).then([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('nextStep: whose move it is', () => {
  const step = (events: ChuyingLoanEvent[]) => nextStep(foldChuyingLoan(events));

  it.each([
    ['completeness check', history.completenessCheck, { role: 'official', department: 'yangpu-fund' }],
    ['compliance review', history.complianceReview, { role: 'official', department: 'cac' }],
    ['funding decision', history.fundingDecision, { role: 'official', department: 'yangpu-fund' }],
    ['awaiting disbursement', history.awaitingDisbursement, { role: 'official', department: 'yangpu-fund' }],
  ] as const)('%s: an official of the right department', (_name, events, waitingFor) => {
    const next = step(events);
    expect(next.status).toBe(foldChuyingLoan(events).status);
    expect(next.waitingFor).toMatchObject(waitingFor);
  });

  it('awaiting 补正: the applicant, by the end of the reply date', () => {
    const next = step(history.awaitingSupplement);
    expect(next.waitingFor).toMatchObject({ role: 'applicant' });
    expect(next.waitingFor?.department).toBeUndefined();
    expect(next.deadline).toMatchObject({ dueOn: '2026-02-05', at: '2026-02-05T16:00:00.000Z' });
  });

  it('repaying: the applicant, by the end of the oldest unpaid instalment’s due date', () => {
    expect(step(history.repaying).waitingFor).toMatchObject({ role: 'applicant' });
    expect(step(history.repaying).deadline).toMatchObject({ dueOn: '2026-02-28', at: '2026-02-28T16:00:00.000Z' });
    const partly = [...history.repaying, event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }])];
    expect(step(partly).deadline).toMatchObject({ dueOn: '2026-02-28' });
    const first = [...history.repaying, event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }])];
    expect(step(first).deadline).toMatchObject({ dueOn: '2026-03-31', at: '2026-03-31T16:00:00.000Z' });
  });

  it('repaying with a borrower’s report waiting: the fund, to check it (待核对还款申报), the instalment still the deadline; the borrower again once none waits', () => {
    const declared = (reference: string): ChuyingLoanEvent => ({ type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: REGULAR, paidOn: d('2026-02-27'), reference, note: '', declaredAt: AT } });
    const waiting = [...history.repaying, declared('TR-1'), declared('TR-2')];
    expect(step(waiting)).toMatchObject({
      status: 'repaying',
      label: '还款中，待核对还款申报',
      waitingFor: { role: 'official', department: 'yangpu-fund', note: '待核对还款申报 2 笔：与银行到账核对后登记还款（借款人下一期：第 1 期还款 13,888.89 元）' },
      deadline: { kind: 'instalment', dueOn: '2026-02-28', at: '2026-02-28T16:00:00.000Z' },
    });
    const withdrawn: ChuyingLoanEvent = { type: 'RepaymentDeclarationWithdrawn', data: { by: ref(applicant), reference: 'TR-2', amountFen: REGULAR, paidOn: d('2026-02-27'), reason: '', withdrawnAt: AT } };
    const paid = event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }]);
    const settled = [...waiting, withdrawn, { ...paid, data: { ...paid.data, reference: 'TR-1' } } as ChuyingLoanEvent];
    expect(step([...waiting, withdrawn]).waitingFor).toMatchObject({ role: 'official', note: expect.stringContaining('待核对还款申报 1 笔') });
    expect(step(settled)).toMatchObject({ label: '还款中', waitingFor: { role: 'applicant', note: '第 2 期还款 13,888.89 元' }, deadline: { kind: 'instalment', dueOn: '2026-03-31' } });
  });

  it.each([
    ['completed', history.completed],
    ['withdrawn', history.withdrawn],
    ['rejected by compliance', history.rejectedByCompliance],
    ['rejected by the fund', history.rejectedByFund],
  ] as const)('%s: nobody', (_name, events) => {
    const next = step(events);
    expect(next.waitingFor).toBeNull();
    expect(next.deadline).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
describe('evolve / fold', () => {
  it('counts events as the stream version and remembers every reviewer', () => {
    const h = [event.submitted(), event.supplementRequested(fundApprover), event.supplementProvided(), event.materialsAccepted(fundReviewer), event.compliancePassed()];
    const state = foldChuyingLoan(h);
    expect(state.version).toBe(5);
    expect(new Set(state.reviewerIds)).toEqual(new Set([fundApprover.accountId, fundReviewer.accountId, cacReviewer.accountId]));
  });

  it('folding event by event equals folding the whole history', () => {
    const h = history.completed;
    let state = foldChuyingLoan([]);
    for (const e of h) state = evolveChuyingLoan(state, e);
    expect(state).toEqual(foldChuyingLoan(h));
    expect(foldChuyingLoan(h.slice(3), foldChuyingLoan(h.slice(0, 3)))).toEqual(state);
  });

  it('the disbursement turns the schedule into instalments with nothing paid', () => {
    const state = foldChuyingLoan(history.repaying);
    expect(state.instalments).toHaveLength(36);
    expect(state.instalments.every((i) => i.paidFen === 0)).toBe(true);
    expect(state.instalments.reduce((sum, i) => sum + i.amountFen, 0)).toBe(PRINCIPAL);
  });
});

// ---------------------------------------------------------------------------------------------
describe('money is recorded once: a bank reference names one payment or disbursement', () => {
  const paid = event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }], d('2026-02-27')); // reference PAY-2026-02-27, version 6
  const partlyPaid = [...history.repaying, paid];
  const repeat: ChuyingLoanAction = { type: 'RecordRepayment', amountFen: 100_000, paidOn: d('2026-02-27'), reference: 'PAY-2026-02-27' };
  const firstPayment = {
    type: 'RepaymentRecorded',
    version: 6,
    reference: 'PAY-2026-02-27',
    amountFen: 100_000,
    date: d('2026-02-27'),
    recordedAt: '2026-02-27T02:00:00.000Z',
  };

  it('the same payment sent again records nothing, and names the first', () => {
    given(partlyPaid).when(repeat, as(fundReviewer)).then([]);
    expect(alreadyRecordedMoney(foldChuyingLoan(partlyPaid), repeat)).toEqual(firstPayment);
    // Sent with the reference typed differently (case, spaces, full-width): the same bank transfer.
    given(partlyPaid).when({ ...repeat, reference: ' ｐａｙ-2026-02-27 ' }, as(fundReviewer)).then([]);
  });

  it('a payment not yet recorded is recorded; afterwards the same one repeats it', () => {
    const first = given(history.repaying).when(repeat, as(fundReviewer)).events();
    expect(first.map((e) => e.type)).toEqual(['RepaymentRecorded']);
    expect(alreadyRecordedMoney(foldChuyingLoan(history.repaying), repeat)).toBeUndefined();
    given([...history.repaying, ...first]).when(repeat, as(fundReviewer)).then([]);
  });

  it('the same reference with another amount or date is refused (409), naming the first: its date, amount and when it was recorded', () => {
    for (const other of [{ ...repeat, amountFen: 100_001 }, { ...repeat, paidOn: d('2026-02-28') }]) {
      const error = given(partlyPaid).when(other, as(fundReviewer)).thenThrows('conflict', 'PAY-2026-02-27', '2026年2月27日还款', '1,000.00元', '登记于 2026年2月27日 10:00');
      expect(error).toBeInstanceOf(MoneyAlreadyRecordedError);
      expect(error.code).toBe('money-already-recorded');
      expect((error as MoneyAlreadyRecordedError).first).toEqual(firstPayment);
      expectRefusal(() => ensureActionAllowed(foldChuyingLoan(partlyPaid), other, as(fundReviewer)), 'conflict');
    }
  });

  it('a repeat is answered whatever the step: the last payment repeated after the loan is repaid', () => {
    const repeatLast: ChuyingLoanAction = { type: 'RecordRepayment', amountFen: PRINCIPAL, paidOn: d('2026-02-27'), reference: 'PAY-2026-02-27' };
    given(history.completed).when(repeatLast, as(fundReviewer)).then([]);
    given(history.completed).when({ ...repeatLast, reference: 'PAY-NEW' }, as(fundReviewer)).thenThrows('illegal-state', '已结清');
  });

  it('only whoever may record money is answered: an applicant or auditor repeating a payment is refused', () => {
    given(partlyPaid).when(repeat, as(applicant)).thenThrows('forbidden', '杨浦区 V聚场基金');
    given(partlyPaid).when(repeat, as(auditor)).thenThrows('forbidden', '审计人员');
  });

  it('the disbursement sent again once the case is 还款中 records nothing and names the first, not a wrong step', () => {
    const again: ChuyingLoanAction = { type: 'RecordDisbursement', disbursedOn: DISBURSED_ON, bankReference: 'BANK-0001' };
    given(history.repaying).when(again, as(fundReviewer)).then([]);
    expect(() => ensureActionAllowed(foldChuyingLoan(history.repaying), again, as(fundReviewer))).not.toThrow();
    expect(alreadyRecordedMoney(foldChuyingLoan(history.repaying), again)).toEqual({
      type: 'LoanDisbursed',
      version: 5,
      reference: 'BANK-0001',
      amountFen: PRINCIPAL,
      date: DISBURSED_ON,
      recordedAt: '2026-01-31T02:00:00.000Z',
    });
  });

  it('another disbursement, or the same reference on another date, is refused (409) naming the first', () => {
    const first = given(history.repaying)
      .when({ type: 'RecordDisbursement', disbursedOn: DISBURSED_ON, bankReference: 'BANK-0002' }, as(fundReviewer))
      .thenThrows('conflict', '一笔贷款只放款一次', 'BANK-0001', '2026年1月31日放款', '500,000.00元', '登记于 2026年1月31日 10:00');
    // Named by what the fund knows it by, not by the event's number in the store (an outsider read 第 8 号事件).
    expect(first.message).not.toContain('号事件');
    given(history.repaying)
      .when({ type: 'RecordDisbursement', disbursedOn: d('2026-02-01'), bankReference: 'BANK-0001' }, as(fundReviewer))
      .thenThrows('conflict', 'BANK-0001', '2026年1月31日', '2026年2月1日');
  });

  it('any interleaving of repeats leaves the amount outstanding at the principal less the distinct payments', () => {
    let state = foldChuyingLoan(history.repaying);
    const payments = [
      { reference: 'A', amountFen: 250_000 },
      { reference: 'B', amountFen: 1_000_000 },
    ];
    for (const p of [payments[0]!, payments[0]!, payments[1]!, payments[0]!, payments[1]!]) {
      const events = decideAction(state, { type: 'RecordRepayment', paidOn: d('2026-03-01'), ...p }, as(fundReviewer));
      state = events.reduce(evolveChuyingLoan, state);
    }
    expect(outstandingFen(state)).toBe(PRINCIPAL - 1_250_000);
    expect(state.repayments.map((r) => r.reference)).toEqual(['A', 'B']);
  });

  it('a history recorded before the rule (legacy rules, while replaying) records a repeat again, as it did then', () => {
    const events = given(partlyPaid).when(repeat, as(fundReviewer, { legacy: true })).events();
    expect(events.map((e) => e.type)).toEqual(['RepaymentRecorded']);
  });
});

describe('money dates are bounded by the case’s facts, in Shanghai dates', () => {
  // Approved on 22 Jan 2026 (10:00 Shanghai); disbursed 31 Jan; today is 2 Mar 2026.
  const schedule = (on: string) => repaymentSchedule(calendar, PRINCIPAL, d(on), 36);
  const disburse = (on: string): ChuyingLoanAction => ({ type: 'RecordDisbursement', disbursedOn: d(on), bankReference: 'BANK-0002' });
  const repay = (on: string): ChuyingLoanAction => ({ type: 'RecordRepayment', amountFen: 100_000, paidOn: d(on), reference: `PAY-${on}` });

  it('no disbursement before the approval: 1990-01-02 is refused (400) naming the approval date, with a field issue', () => {
    const error = given(history.awaitingDisbursement)
      .when(disburse('1990-01-02'), as(fundReviewer, { schedule: schedule('1990-01-02') }))
      .thenThrows('validation', '放款日期1990年1月2日早于批准日期2026年1月22日', '2026年1月22日至2026年3月2日');
    expect(error.code).toBe('date-out-of-range');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'disbursedOn', message: '须在2026年1月22日（批准日）至2026年3月2日（今天）之间' })]);
    // The validator refuses it too, before anything (the schedule) is computed.
    expectRefusal(() => ensureActionAllowed(foldChuyingLoan(history.awaitingDisbursement), disburse('1990-01-02'), as(fundReviewer)), 'validation', '早于批准日期');
    given(history.awaitingDisbursement).when(disburse('2026-01-21'), as(fundReviewer, { schedule: schedule('2026-01-21') })).thenThrows('validation', '早于批准日期2026年1月22日');
  });

  it('a disbursement on the approval day and on today are recorded; tomorrow is refused', () => {
    expect(given(history.awaitingDisbursement).when(disburse('2026-01-22'), as(fundReviewer, { schedule: schedule('2026-01-22') })).events()).toHaveLength(1);
    expect(given(history.awaitingDisbursement).when(disburse('2026-03-02'), as(fundReviewer, { schedule: schedule('2026-03-02') })).events()).toHaveLength(1);
    given(history.awaitingDisbursement).when(disburse('2026-03-03'), as(fundReviewer, { schedule: schedule('2026-03-03') })).thenThrows('validation', '晚于今天2026年3月2日');
  });

  it('the approval date is the Shanghai date of the decision (00:30 on 22 Jan in Shanghai is 21 Jan in UTC)', () => {
    const lateApproval = [...history.fundingDecision, { ...event.fundingApproved(), data: { ...event.fundingApproved().data, decidedAt: '2026-01-21T16:30:00.000Z' } }];
    given(lateApproval).when(disburse('2026-01-21'), as(fundReviewer, { schedule: schedule('2026-01-21') })).thenThrows('validation', '早于批准日期2026年1月22日');
    expect(given(lateApproval).when(disburse('2026-01-22'), as(fundReviewer, { schedule: schedule('2026-01-22') })).events()).toHaveLength(1);
  });

  it('no repayment before the disbursement or after today: 1990-01-01, 2026-01-30 and 2199-12-31 are refused naming the bound', () => {
    const early = given(history.repaying).when(repay('1990-01-01'), as(fundReviewer)).thenThrows('validation', '还款日期1990年1月1日早于放款日期2026年1月31日', '2026年1月31日至2026年3月2日');
    expect(early.issues).toEqual([expect.objectContaining({ field: 'paidOn', message: '须在2026年1月31日（放款日）至2026年3月2日（今天）之间' })]);
    given(history.repaying).when(repay('2026-01-30'), as(fundReviewer)).thenThrows('validation', '早于放款日期2026年1月31日');
    given(history.repaying).when(repay('2199-12-31'), as(fundReviewer)).thenThrows('validation', '还款日期2199年12月31日晚于今天2026年3月2日');
    given(history.repaying).when(repay('2026-03-03'), as(fundReviewer)).thenThrows('validation', '晚于今天2026年3月2日');
    expectRefusal(() => ensureActionAllowed(foldChuyingLoan(history.repaying), repay('2199-12-31'), as(fundReviewer)), 'validation', '晚于今天');
  });

  it('a repayment on the disbursement day and on today (Shanghai, just after midnight) is recorded', () => {
    expect(given(history.repaying).when(repay('2026-01-31'), as(fundReviewer)).events()).toHaveLength(1);
    const justAfterMidnight = Date.parse('2026-03-02T16:01:00Z'); // 00:01 on 3 Mar in Shanghai
    expect(given(history.repaying).when(repay('2026-03-03'), { actor: fundReviewer, now: justAfterMidnight }).events()).toHaveLength(1);
  });

  it('a history recorded before the bounds (legacy rules) decides as it did then', () => {
    expect(given(history.repaying).when(repay('1990-01-01'), as(fundReviewer, { legacy: true })).events()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('the borrower reports a repayment made by bank transfer (报告已还款)', () => {
  // Disbursed 31 Jan 2026; today is 2 Mar 2026 (Shanghai).
  const declare = (overrides: Partial<Extract<ChuyingLoanAction, { type: 'DeclareRepayment' }>> = {}): ChuyingLoanAction => ({
    type: 'DeclareRepayment',
    amountFen: REGULAR,
    paidOn: d('2026-02-27'),
    reference: 'TR-0227',
    note: '工商银行转账',
    ...overrides,
  });
  const declared = (amountFen = REGULAR, paidOn = d('2026-02-27'), reference = 'TR-0227'): ChuyingLoanEvent => ({
    type: 'RepaymentDeclared',
    data: { by: ref(applicant), amountFen, paidOn, reference, note: '工商银行转账', declaredAt: AT },
  });

  it('records what the borrower says, and settles nothing: the schedule and the amount owed stay as they were', () => {
    given(history.repaying).when(declare({ reference: ' TR-0227 ', note: ' 工商银行转账 ' }), as(applicant)).then([declared()]);
    const after = foldChuyingLoan([...history.repaying, declared()]);
    expect(outstandingFen(after)).toBe(PRINCIPAL);
    expect(after.instalments.every((i) => i.paidFen === 0)).toBe(true);
    expect(after.repayments).toEqual([]);
    expect(after.repaymentDeclarations).toEqual([{ reference: 'TR-0227', amountFen: REGULAR, paidOn: d('2026-02-27'), note: '工商银行转账', version: 6, declaredAt: AT }]);
    expect(after.status).toBe('repaying');
  });

  it('a loan without declarations folds as before: no declarations field at all (its stored state and row are what a rebuild writes)', () => {
    expect('repaymentDeclarations' in foldChuyingLoan(history.repaying)).toBe(false);
    expect('repaymentDeclarations' in foldChuyingLoan(history.completed)).toBe(false);
  });

  it('the same declaration sent again is answered with the first and records nothing; the same reference with another amount or day is refused at the reference', () => {
    const once = [...history.repaying, declared()];
    given(once).when(declare(), as(applicant)).then([]);
    // Typed differently (case, spaces, full-width): the same transfer.
    given(once).when(declare({ reference: ' ｔｒ-0227 ' }), as(applicant)).then([]);
    expect(declaredAgain(foldChuyingLoan(once), declare())).toEqual({ type: 'RepaymentDeclared', version: 6, reference: 'TR-0227', amountFen: REGULAR, date: d('2026-02-27'), recordedAt: AT });
    expect(declaredAgain(foldChuyingLoan(history.repaying), declare())).toBeUndefined();
    for (const other of [declare({ amountFen: REGULAR + 1 }), declare({ paidOn: d('2026-02-28') })]) {
      const error = given(once).when(other, as(applicant)).thenThrows('conflict', '您已于', '申报过银行流水号 TR-0227 的还款：2026年2月27日还款 13,888.89元', '同一笔转账只申报一次');
      expect(error.code).toBe('repayment-already-declared');
      expect(error.issues).toEqual([expect.objectContaining({ field: 'reference', message: '该流水号已申报为2026年2月27日还款 13,888.89元' })]);
    }
    // Another transfer is another declaration.
    expect(given(once).when(declare({ reference: 'TR-0301', paidOn: d('2026-03-01') }), as(applicant)).events().map((e) => e.type)).toEqual(['RepaymentDeclared']);
    // Only the borrower is answered: an official repeating it is refused, not told it was recorded.
    given(once).when(declare(), as(fundReviewer)).thenThrows('forbidden', '登记还款');
  });

  it('a reference the fund has recorded is told so: the repayment needs no declaration; the disbursement’s reference is not a repayment', () => {
    const recorded = [...history.repaying, event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }], d('2026-02-27'))]; // reference PAY-2026-02-27
    const error = given(recorded).when(declare({ reference: 'pay-2026-02-27', amountFen: 100_000 }), as(applicant)).thenThrows('conflict', '银行流水号 PAY-2026-02-27 的还款已由杨浦区 V聚场基金于', '登记入账（2026年2月27日还款 1,000.00元），无需再申报');
    expect(error.code).toBe('repayment-already-recorded');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'reference' })]);
    const disbursement = given(history.repaying).when(declare({ reference: 'BANK-0001' }), as(applicant)).thenThrows('conflict', '是本笔借款放款的流水号');
    expect(disbursement.issues).toEqual([expect.objectContaining({ field: 'reference', message: '这是放款的流水号，请填写还款转账的流水号' })]);
  });

  it('the disbursement’s reference with an amount and a day that are wrong too: all three told at once, not the reference first and alone', () => {
    const all = given(history.repaying).when(declare({ reference: 'BANK-0001', amountFen: PRINCIPAL + 1, paidOn: d('2026-03-03') }), as(applicant)).thenThrows('validation', '请修改以下 3 处', '是本笔借款放款的流水号', '超过尚欠的 500,000.00元', '晚于今天');
    expect(all.issues.map((i) => i.field)).toEqual(['reference', 'amountFen', 'paidOn']);
  });

  it('the amount is above 0 and not above what is still owed, at its field', () => {
    const above = given(history.repaying).when(declare({ amountFen: PRINCIPAL + 1 }), as(applicant)).thenThrows('validation', '申报的还款金额 500,000.01元超过尚欠的 500,000.00元');
    expect(above.issues).toEqual([{ field: 'amountFen', message: '不能超过尚欠的 500,000.00元', code: 'above-outstanding', english: 'at most 500,000.00' }]);
    const partlyPaid = [...history.repaying, event.repaymentRecorded(100_000, [{ number: 1, amountFen: 100_000 }])];
    given(partlyPaid).when(declare({ amountFen: PRINCIPAL - 100_000 + 1 }), as(applicant)).thenThrows('validation', '超过尚欠的 499,000.00元');
    expect(given(partlyPaid).when(declare({ amountFen: PRINCIPAL - 100_000 }), as(applicant)).events()).toHaveLength(1);
    for (const amountFen of [0, -100, 0.5]) {
      expect(given(history.repaying).when(declare({ amountFen }), as(applicant)).thenThrows('validation', '还款金额须大于 0 元').issues).toEqual([expect.objectContaining({ field: 'amountFen' })]);
    }
  });

  it('the day is from the disbursement to today (Shanghai), at its field; a wrong amount and day are told at once', () => {
    const future = given(history.repaying).when(declare({ paidOn: d('2026-03-03') }), as(applicant)).thenThrows('validation', '还款日期2026年3月3日晚于今天2026年3月2日');
    expect(future.issues).toEqual([expect.objectContaining({ field: 'paidOn', message: '须在2026年1月31日（放款日）至2026年3月2日（今天）之间' })]);
    given(history.repaying).when(declare({ paidOn: d('2026-01-30') }), as(applicant)).thenThrows('validation', '还款日期2026年1月30日早于放款日期2026年1月31日');
    expect(given(history.repaying).when(declare({ paidOn: DISBURSED_ON }), as(applicant)).events()).toHaveLength(1);
    expect(given(history.repaying).when(declare({ paidOn: d('2026-03-02') }), as(applicant)).events()).toHaveLength(1);
    const both = given(history.repaying).when(declare({ amountFen: PRINCIPAL + 1, paidOn: d('2026-03-03') }), as(applicant)).thenThrows('validation', '请修改以下 2 处');
    expect(both.issues.map((i) => i.field)).toEqual(['amountFen', 'paidOn']);
    // The validator refuses the same, before anything is recorded.
    expectRefusal(() => ensureActionAllowed(foldChuyingLoan(history.repaying), declare({ paidOn: d('2026-03-03') }), as(applicant)), 'validation', '晚于今天');
  });

  it('only while the loan is being repaid', () => {
    given(history.awaitingDisbursement).when(declare(), as(applicant)).thenThrows('illegal-state', '“报告已还款”', '“还款中”');
    given(history.completed).when(declare(), as(applicant)).thenThrows('illegal-state', '已结清');
  });

  it('the fund’s record under the declared reference confirms it: it leaves the unconfirmed ones', () => {
    const two = [...history.repaying, declared(), declared(REGULAR, d('2026-03-01'), 'TR-0301')];
    expect(unconfirmedDeclarations(foldChuyingLoan(two)).map((x) => x.reference)).toEqual(['TR-0227', 'TR-0301']);
    const confirmed = given(two).when({ type: 'RecordRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'tr-0227' }, as(fundReviewer)).events();
    const after = foldChuyingLoan([...two, ...confirmed]);
    expect(unconfirmedDeclarations(after).map((x) => x.reference)).toEqual(['TR-0301']);
    expect(outstandingFen(after)).toBe(PRINCIPAL - REGULAR);
  });

  it('a history recorded before the change (legacy) never took a declaration', () => {
    given(history.repaying).when(declare(), as(applicant, { legacy: true })).thenThrows('illegal-state', '尚不能由借款人报告还款');
  });
});

describe('the borrower withdraws a report the fund has not recorded (撤回还款申报)', () => {
  const declared = (amountFen = REGULAR, reference = 'TR-0227'): ChuyingLoanEvent => ({
    type: 'RepaymentDeclared',
    data: { by: ref(applicant), amountFen, paidOn: d('2026-02-27'), reference, note: '', declaredAt: AT },
  });
  const withdraw = (reference = 'TR-0227', reason = '金额填错'): ChuyingLoanAction => ({ type: 'WithdrawRepaymentDeclaration', reference, reason });
  const withdrawn = (amountFen = REGULAR, reference = 'TR-0227', reason = '金额填错'): ChuyingLoanEvent => ({
    type: 'RepaymentDeclarationWithdrawn',
    data: { by: ref(applicant), reference, amountFen, paidOn: d('2026-02-27'), reason, withdrawnAt: AT },
  });
  const wrong = [...history.repaying, declared(REGULAR * 10)];

  it('records the withdrawal of the report as declared (typed in any case or width): it is no longer 待核对, and nothing of the loan’s money moves', () => {
    given(wrong).when(withdraw(' ｔｒ-0227 ', ' 金额填错 '), as(applicant)).then([withdrawn(REGULAR * 10)]);
    const after = foldChuyingLoan([...wrong, withdrawn(REGULAR * 10)]);
    expect(unconfirmedDeclarations(after)).toEqual([]);
    expect(after.repaymentDeclarations).toEqual([expect.objectContaining({ reference: 'TR-0227', amountFen: REGULAR * 10, withdrawal: { at: AT, reason: '金额填错', version: 7 } })]);
    expect(outstandingFen(after)).toBe(PRINCIPAL);
  });

  it('then the same reference may be reported again, with the right amount, and is 待核对 once more', () => {
    const corrected = [...wrong, withdrawn(REGULAR * 10)];
    given(corrected).when({ type: 'DeclareRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-0227', note: '' }, as(applicant)).then([declared()]);
    const after = foldChuyingLoan([...corrected, declared()]);
    expect(unconfirmedDeclarations(after).map((x) => x.amountFen)).toEqual([REGULAR]);
    // Before the withdrawal the same reference with another amount was refused.
    given(wrong).when({ type: 'DeclareRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-0227', note: '' }, as(applicant)).thenThrows('conflict', '请先撤回原申报');
    // The second report is the one withdrawn next; the first stays withdrawn.
    given([...corrected, declared()]).when(withdraw(), as(applicant)).then([withdrawn()]);
  });

  it('a withdrawal sent again is answered with the first and records nothing', () => {
    const done = [...wrong, withdrawn(REGULAR * 10)];
    given(done).when(withdraw(), as(applicant)).then([]);
    expect(withdrawnAgain(foldChuyingLoan(done), withdraw())).toEqual({ type: 'RepaymentDeclarationWithdrawn', version: 7, reference: 'TR-0227', amountFen: REGULAR * 10, date: d('2026-02-27'), recordedAt: AT });
    expect(() => ensureActionAllowed(foldChuyingLoan(done), withdraw(), as(applicant))).not.toThrow();
  });

  it('is refused (409, at the reference) once the fund recorded the repayment, and where no report waits under the reference, naming those that do', () => {
    const paid = event.repaymentRecorded(REGULAR * 10, Array.from({ length: 10 }, (_, i) => ({ number: i + 1, amountFen: REGULAR })));
    const recorded: ChuyingLoanEvent[] = [...wrong, { ...paid, data: { ...paid.data, reference: 'TR-0227' } }];
    const error = given(recorded).when(withdraw(), as(applicant)).thenThrows('conflict', '银行流水号 TR-0227 的还款已由杨浦区 V聚场基金于', '申报不能再撤回');
    expect(error.code).toBe('repayment-already-recorded');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'reference', message: expect.stringContaining('不能撤回') })]);
    const unknown = given(wrong).when(withdraw('TR-9999'), as(applicant)).thenThrows('conflict', '没有银行流水号为 TR-9999 的待核对还款申报可撤回', '待基金核对的申报：TR-0227（2026年2月27日还款 138,888.90元）');
    expect(unknown.issues).toEqual([expect.objectContaining({ field: 'reference', message: '请填写待核对申报的流水号：TR-0227' })]);
  });

  it('offered to the borrower only while a report of theirs waits; disabled with the reason otherwise', () => {
    expect(loanUnavailableNow(foldChuyingLoan(history.repaying), 'WithdrawRepaymentDeclaration', applicant, NOW)).toContain('您没有待基金核对的还款申报');
    expect(loanUnavailableNow(foldChuyingLoan(wrong), 'WithdrawRepaymentDeclaration', applicant, NOW)).toBeUndefined();
    expect(loanUnavailableNow(foldChuyingLoan(wrong), 'WithdrawRepaymentDeclaration', fundReviewer, NOW)).toContain('由本案借款人（申请人）办理');
  });

  it('a report withdrawn whose transfer the fund records afterwards reads 已核对入账 on the case page, its withdrawal kept; reported again since, the new report answers', () => {
    const paid = event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }]);
    const recordedAfterwards = foldChuyingLoan([...history.repaying, declared(), withdrawn(), { ...paid, data: { ...paid.data, reference: 'TR-0227' } }]);
    expect(chuyingLoanReadModel(recordedAfterwards).details.repaymentDeclarations).toEqual([
      expect.objectContaining({ reference: 'TR-0227', status: 'confirmed', confirmed: expect.objectContaining({ amountFen: REGULAR }), withdrawn: { at: AT, reason: '金额填错' } }),
    ]);
    const stillWithdrawn = foldChuyingLoan([...history.repaying, declared(), withdrawn()]);
    expect(chuyingLoanReadModel(stillWithdrawn).details.repaymentDeclarations).toEqual([expect.objectContaining({ status: 'withdrawn', confirmed: null })]);
    const reportedAgain = foldChuyingLoan([...history.repaying, declared(), withdrawn(), declared(), { ...paid, data: { ...paid.data, reference: 'TR-0227' } }]);
    expect((chuyingLoanReadModel(reportedAgain).details.repaymentDeclarations as { status: string }[]).map((x) => x.status)).toEqual(['withdrawn', 'confirmed']);
  });

  it('a history recorded before the change (legacy) never took a withdrawal', () => {
    given(wrong).when(withdraw(), as(applicant, { legacy: true })).thenThrows('illegal-state', '尚不能撤回还款申报');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the fund returns a report it finds no transfer for (退回还款申报)', () => {
  const declared = (amountFen = REGULAR, reference = 'TR-0227'): ChuyingLoanEvent => ({
    type: 'RepaymentDeclared',
    data: { by: ref(applicant), amountFen, paidOn: d('2026-02-27'), reference, note: '', declaredAt: AT },
  });
  const reject = (reference = 'TR-0227', reason = '截至 3 月 2 日未查到该笔到账'): ChuyingLoanAction => ({ type: 'RejectRepaymentDeclaration', reference, reason });
  const rejected = (amountFen = REGULAR, reference = 'TR-0227', reason = '截至 3 月 2 日未查到该笔到账'): ChuyingLoanEvent => ({
    type: 'RepaymentDeclarationRejected',
    data: { by: ref(fundReviewer), reference, amountFen, paidOn: d('2026-02-27'), reason, rejectedAt: AT },
  });
  const reported = [...history.repaying, declared()];

  it('records the return of the report as declared, with its reason: it is no longer 待核对, and nothing of the loan’s money moves', () => {
    given(reported).when(reject(' ｔｒ-0227 ', ' 截至 3 月 2 日未查到该笔到账 '), as(fundReviewer)).then([rejected()]);
    const after = foldChuyingLoan([...reported, rejected()]);
    expect(unconfirmedDeclarations(after)).toEqual([]);
    expect(after.repaymentDeclarations).toEqual([expect.objectContaining({ reference: 'TR-0227', rejection: { at: AT, reason: '截至 3 月 2 日未查到该笔到账', version: 7 } })]);
    expect(outstandingFen(after)).toBe(PRINCIPAL);
    expect(after.repayments).toEqual([]);
  });

  it('then the borrower may report the same reference again, and it is 待核对 once more; the first stays returned', () => {
    const returned = [...reported, rejected()];
    given(returned).when({ type: 'DeclareRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-0227', note: '已补转' }, as(applicant)).then([
      { type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR-0227', note: '已补转', declaredAt: AT } },
    ]);
    const again = foldChuyingLoan([...returned, declared()]);
    expect(unconfirmedDeclarations(again)).toHaveLength(1);
    expect(again.repaymentDeclarations?.[0]?.rejection).toBeDefined();
    // The second report is the one a withdrawal or a return takes next.
    given([...returned, declared()]).when(reject(), as(fundReviewer)).then([rejected()]);
  });

  it('needs its reason: the borrower is told why', () => {
    const error = given(reported).when(reject('TR-0227', '  '), as(fundReviewer)).thenThrows('validation', '退回还款申报须写明理由');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'reason' })]);
  });

  it('a return sent again (a second official, a lost answer) is answered with the first and records nothing', () => {
    const done = [...reported, rejected()];
    given(done).when(reject(), as(fundApprover)).then([]);
    expect(rejectedAgain(foldChuyingLoan(done), reject())).toEqual({ type: 'RepaymentDeclarationRejected', version: 7, reference: 'TR-0227', amountFen: REGULAR, date: d('2026-02-27'), recordedAt: AT });
  });

  it('is refused (409, at the reference) once recorded, once withdrawn, and where no report waits under it, naming those that do', () => {
    const paid = event.repaymentRecorded(REGULAR, [{ number: 1, amountFen: REGULAR }]);
    const recorded: ChuyingLoanEvent[] = [...reported, { ...paid, data: { ...paid.data, reference: 'TR-0227' } }];
    expect(given(recorded).when(reject(), as(fundReviewer)).thenThrows('conflict', '已于', '登记入账', '不能再退回').code).toBe('repayment-already-recorded');
    const withdrawal: ChuyingLoanEvent = { type: 'RepaymentDeclarationWithdrawn', data: { by: ref(applicant), reference: 'TR-0227', amountFen: REGULAR, paidOn: d('2026-02-27'), reason: '', withdrawnAt: AT } };
    expect(given([...reported, withdrawal]).when(reject(), as(fundReviewer)).thenThrows('conflict', '借款人已于', '撤回').code).toBe('declaration-withdrawn');
    const unknown = given(reported).when(reject('TR-9999'), as(fundReviewer)).thenThrows('conflict', '没有银行流水号为 TR-9999 的待核对还款申报可退回', '待核对的申报：TR-0227');
    expect(unknown.issues).toEqual([expect.objectContaining({ field: 'reference', message: '请填写待核对申报的流水号：TR-0227' })]);
  });

  it('the borrower withdrawing a report the fund returned is told it was returned, not that none exists', () => {
    const error = given([...reported, rejected()]).when({ type: 'WithdrawRepaymentDeclaration', reference: 'TR-0227', reason: '' }, as(applicant)).thenThrows('conflict', '已由杨浦区 V聚场基金于', '退回（截至 3 月 2 日未查到该笔到账）');
    expect(error.code).toBe('declaration-returned');
  });

  it('a report the fund returned is not what 登记还款 starts from, nor one a record under an alike reference must follow', () => {
    const alike: ChuyingLoanAction = { type: 'RecordRepayment', amountFen: REGULAR, paidOn: d('2026-02-27'), reference: 'TR0227' };
    expect(recordedAlikeReport(foldChuyingLoan(reported), alike)?.code).toBe('declared-reference-alike');
    const after = foldChuyingLoan([...reported, rejected()]);
    expect(unconfirmedDeclarations(after)).toEqual([]);
    expect(recordedAlikeReport(after, alike)).toBeUndefined();
  });

  it('offered to the fund only while a report waits; disabled with the reason otherwise', () => {
    expect(loanUnavailableNow(foldChuyingLoan(history.repaying), 'RejectRepaymentDeclaration', fundReviewer, NOW)).toContain('本案没有待核对的还款申报');
    expect(loanUnavailableNow(foldChuyingLoan(reported), 'RejectRepaymentDeclaration', fundReviewer, NOW)).toBeUndefined();
    expect(loanUnavailableNow(foldChuyingLoan(reported), 'RejectRepaymentDeclaration', applicant, NOW)).toContain('杨浦区 V聚场基金');
  });

  it('a history recorded before the change (legacy) never took a return', () => {
    given(reported).when(reject(), as(fundReviewer, { legacy: true })).thenThrows('illegal-state', '尚不能退回还款申报');
  });
});

// ---------------------------------------------------------------------------------------------
describe('an approval undone before the money goes out: cancelled by the fund (撤销资助决定), or declined by the borrower', () => {
  const drawn = history.awaitingDisbursement.map((e) => (e.type === 'FundingApproved' ? { ...e, data: { ...e.data, budgetMovements: [fromPool(PRINCIPAL)] } } : e));
  const release = { callId: 'chuying-fund', kind: 'release', amountFen: PRINCIPAL };

  it('the fund cancels with its reasons: the case ends 已撤销资助 and the pool’s commitment is given back', () => {
    const cancelled = given(drawn).when({ type: 'CancelFunding', reasons: [' 企业已注销 '] }, as(fundDirector)).events();
    expect(cancelled).toEqual([{ type: 'FundingCancelled', data: { by: ref(fundDirector), reasons: ['企业已注销'], cancelledAt: AT, budgetMovements: [release] } }]);
    const after = foldChuyingLoan([...drawn, ...cancelled]);
    expect(after).toMatchObject({ status: 'cancelled', closingReasons: ['企业已注销'], closedAt: AT });
    expect(STATUS_LABELS.cancelled).toBe('已撤销资助');
    // The company's one loan is free again.
    expect(holdsTheCompanysLoan(after.status)).toBe(false);
    // An approval from before the pool gives back nothing it never took.
    expect(given(history.awaitingDisbursement).when({ type: 'CancelFunding', reasons: ['企业已注销'] }, as(fundDirector)).events()[0]!.data).not.toHaveProperty('budgetMovements');
  });

  it('needs its reasons, a fund official, the step before the disbursement, and a history that ran with the change', () => {
    given(drawn).when({ type: 'CancelFunding', reasons: [' '] }, as(fundDirector)).thenThrows('validation', '撤销资助决定须写明理由');
    given(drawn).when({ type: 'CancelFunding', reasons: ['x'] }, as(applicant)).thenThrows('forbidden', '杨浦区 V聚场基金');
    given(drawn).when({ type: 'CancelFunding', reasons: ['x'] }, as(cacReviewer)).thenThrows('forbidden', '杨浦区 V聚场基金');
    given([...drawn, event.disbursed()]).when({ type: 'CancelFunding', reasons: ['x'] }, as(fundDirector)).thenThrows('illegal-state', '只在“待放款”时办理');
    given(drawn).when({ type: 'CancelFunding', reasons: ['x'] }, as(fundDirector, { legacy: true })).thenThrows('illegal-state', '尚不能撤销资助决定');
  });

  it('the borrower declines an approved loan before its disbursement: withdrawn, the pool given back, marked as after the approval', () => {
    const declined = given(drawn).when({ type: 'Withdraw', reason: '' }, as(applicant)).events();
    expect(declined).toEqual([{ type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: '申请人放弃借款', withdrawnAt: AT, afterApproval: true, budgetMovements: [release] } }]);
    expect(foldChuyingLoan([...drawn, ...declined]).status).toBe('withdrawn');
    // Before the decision a withdrawal is as it was: no movement, no mark.
    expect(given(history.fundingDecision).when({ type: 'Withdraw', reason: '' }, as(applicant)).events()[0]!.data).toEqual({ reason: 'applicant-withdrew', detail: '申请人撤回', withdrawnAt: AT });
    // Once disbursed it is a loan to repay, not an application to withdraw.
    given([...drawn, event.disbursed()]).when({ type: 'Withdraw', reason: '' }, as(applicant)).thenThrows('illegal-state', '撤回申请');
  });
});

// ---------------------------------------------------------------------------------------------
describe('four-eyes: whoever approved the funding does not record its repayments', () => {
  const approvedBy = (approver: Actor) => [event.submitted(), event.materialsAccepted(fundReviewer), event.compliancePassed(), event.fundingApproved(PRINCIPAL, approver), event.disbursed()];
  const repay: ChuyingLoanAction = { type: 'RecordRepayment', amountFen: REGULAR, paidOn: d('2026-03-02'), reference: 'R-9' };

  it('the approver is refused, told why; another official records it; the UI says the same beside the action', () => {
    expect(given(approvedBy(fundDirector)).when(repay, as(fundDirector)).thenThrows('forbidden', '四眼原则：您批准了本案的资助，不能再登记本案的还款').code).toBe('four-eyes');
    expect(given(approvedBy(fundDirector)).when(repay, as(fundApprover)).events().map((e) => e.type)).toContain('RepaymentRecorded');
    expect(loanUnavailableNow(foldChuyingLoan(approvedBy(fundDirector)), 'RecordRepayment', fundDirector, NOW)).toContain('请由基金其他工作人员办理');
    expect(loanUnavailableNow(foldChuyingLoan(approvedBy(fundDirector)), 'RecordRepayment', fundReviewer, NOW)).toBeUndefined();
  });

  it('a history recorded before the rule replays as it was decided; the change is asked only of the approver', () => {
    const asked: string[] = [];
    const before = (changeId: string) => (asked.push(changeId), false);
    expect(given(approvedBy(fundDirector)).when(repay, as(fundDirector, { patched: before })).events().map((e) => e.type)).toContain('RepaymentRecorded');
    expect(new Set(asked)).toEqual(new Set([REPAYMENTS_APART_FROM_APPROVAL]));
    asked.length = 0;
    given(approvedBy(fundDirector)).when(repay, as(fundReviewer, { patched: before })).events();
    expect(asked).toEqual([]);
  });
});

describe('a repayment recorded otherwise than the borrower reported it', () => {
  it('carries the report, so the borrower is told the difference; one recorded as reported carries nothing more', () => {
    const reported: ChuyingLoanEvent = { type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: 900_000, paidOn: d('2026-02-27'), reference: 'TR-9', note: '', declaredAt: AT } };
    const short = given([...history.repaying, reported]).when({ type: 'RecordRepayment', amountFen: 800_000, paidOn: d('2026-02-28'), reference: 'TR-9' }, as(fundReviewer)).events();
    expect(short[0]!.data).toMatchObject({ amountFen: 800_000, reported: { amountFen: 900_000, paidOn: d('2026-02-27') } });
    const asReported = given([...history.repaying, reported]).when({ type: 'RecordRepayment', amountFen: 900_000, paidOn: d('2026-02-27'), reference: 'TR-9' }, as(fundReviewer)).events();
    expect(asReported[0]!.data).not.toHaveProperty('reported');
  });
});

describe('a report that, with those still waiting, is more than the loan owes', () => {
  const reported = (amountFen: number, reference: string): ChuyingLoanEvent => ({ type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen, paidOn: d('2026-02-27'), reference, note: '', declaredAt: AT } });
  const report = (amountFen: number, reference: string) => ({ type: 'DeclareRepayment' as const, amountFen, paidOn: d('2026-02-27'), reference, note: '' });
  const waiting = foldChuyingLoan([...history.repaying, reported(REGULAR, 'TR-1')]);

  it('is refused at the amount, naming what waits; up to what is owed passes, and so does the waiting one sent again', () => {
    expect(declaredBeyondOwed(waiting, report(PRINCIPAL - REGULAR, 'TR-2'))).toBeUndefined();
    const refusal = declaredBeyondOwed(waiting, report(PRINCIPAL - REGULAR + 1, 'TR-2'))!;
    expect(refusal).toMatchObject({ kind: 'validation', code: 'declared-beyond-outstanding' });
    expect(refusal.message).toContain('流水号 TR-1，2026年2月27日还款');
    expect(refusal.issues).toEqual([expect.objectContaining({ field: 'amountFen' })]);
    expect(declaredBeyondOwed(waiting, report(REGULAR, 'tr-1'))).toBeUndefined();
    // Nothing waiting: the amount alone is checked against what is owed, as before.
    expect(declaredBeyondOwed(foldChuyingLoan(history.repaying), report(PRINCIPAL + 1, 'TR-2'))).toBeUndefined();
  });
});
