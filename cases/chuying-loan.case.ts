import { z } from 'zod';
import type { Actor } from '../domain/cases/actor.js';
import type { ChuyingLoanCommand } from '../domain/chuying/commands.js';
import {
  checkLoanApplication,
  decideAction,
  decideSubmission,
  ensureActionAllowed,
  instalmentStatus,
  limitedStepAfter,
  loanStepLimit,
  loanUnavailableNow,
  nextStep,
  nextTimeThreshold,
  disbursementLimitOnArrival,
  decideTimeElapsed,
  STATUS_LABELS,
  STEP_FOR_ACTION,
  type InstalmentDisplayStatus,
  type LoanApplication,
  type NextStep as LoanNextStep,
  LOAN_ACTION_LABELS,
} from '../domain/chuying/decide.js';
import type { ChuyingLoanEvent, CompanyDetails, ProjectDetails, SupplementResponse } from '../domain/chuying/events.js';
import { confirmationOf, declaredAgain, declaredAlike, declaredBeyondOwed, declaredDisbursementAlike, recordedAlikeReport, rejectedAgain, unconfirmedDeclarations, withdrawnAgain } from '../domain/chuying/declarations.js';
import { alikeReferenceInCase, alreadyRecordedMoney, declaredReferenceRecordedElsewhere, MoneyAlreadyRecordedError, moneyReferenceOf, referenceAlreadyUsed, referenceHeldInCase, sameReference, type MoneyReferenceHeld } from '../domain/chuying/money.js';
import { ONE_LOAN_PER_COMPANY_PATCH, secondLoanRefusal } from '../domain/chuying/one-loan.js';
import { decideCompletenessWindowRecomputed, decideInstalmentDueDatesRecomputed, finalOpenInstalmentsIn, provisionalOpenInstalments } from '../domain/chuying/recompute.js';
import { evolveChuyingLoan, initialChuyingLoanState, isTerminal, outstandingFen, type ChuyingLoanState } from '../domain/chuying/state.js';
import { CHUYING_LOAN_DEPARTMENT, type ChuyingLoanTerms } from '../domain/chuying/terms.js';
import { creditCodeDistrictMismatch } from '../domain/companies/shanghai-districts.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import type { LocalDate } from '../domain/time/local-date.js';
import type { ScheduledInstalment } from '../domain/chuying/repayment-schedule.js';
import {
  describeDeadline,
  describeTimeLimit,
  decideLimitRecomputed,
  recountOf,
  runningLimit,
  STEP_TIME_LIMITS_PATCH,
  TIME_LIMIT_EVENT_LABELS,
  timeLimitView,
  type TimeLimitView,
  type WorkingDayCount,
} from '../domain/time-limits/step-time-limit.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import { extendTimeLimitDeclaration } from './time-limit-action.js';
import { recountSupplementReply, SUPPLEMENT_ANSWERS_AS_REQUESTED_PATCH, SUPPLEMENT_REPLY_RECOMPUTED_LABEL, supplementReplyBodyIssues, supplementReplyHint, supplementReplyPeriod } from './supplement-reply.js';
import type { DayPeriod } from '../domain/time/day-periods.js';
import { recountDue } from '../domain/time/recount.js';
import { openStatuses, withAttachedDocuments } from './attach-documents-action.js';
import { TERMINAL_STATUSES } from '../domain/chuying/state.js';
import type { Department } from '../domain/cases/actor.js';
import { letterForChuyingLoan } from '../domain/decisions/case-letters.js';
import { loanDetailsOutsideTheFund, loanEventOutsideTheFund, WITHHELD_IN_WORDS } from '../domain/chuying/fund-business.js';
import type { CaseAction, CaseModule, CaseReadModel, CaseRow, DecisionSupport } from './case-module.js';
import { localDate, moneyField, notes, optionalText, text, reasonLines, bankReferenceText, referenceText, supplementAnswersWithDocuments, supplementItems, yuan } from './fields.js';

/**
 * 雏鹰计划（V聚场基金）创业借款: a loan of at most 500,000.00 to a company registered in 杨浦, from
 * submission through 材料审查 (with 补正), the 网信 content review and the fund committee's decision
 * (four-eyes: no reviewer of the case decides it) to the disbursement and 36 monthly repayments.
 */

export interface ChuyingLoanInput {
  caseId: string;
  referenceNo: string;
  applicant: Actor;
  company: CompanyDetails;
  project: ProjectDetails;
  requestedAmountFen: number;
  terms: ChuyingLoanTerms;
  requestId: string;
}

/** The catalogue's programme and its department (domain/programmes/catalogue.ts): 杨浦区 V聚场基金. */
const PROGRAMME_ID = 'chuying-loan';
const DEPARTMENT = CHUYING_LOAN_DEPARTMENT;
const FUND = { departments: [CHUYING_LOAN_DEPARTMENT] } as const;
/** As the case list and the case page have always named it. */
const PROGRAMME = { zh: '雏鹰计划（V聚场基金）创业借款', en: 'Chuying start-up loan (V-Space fund)' } as const;

/** Since issue 12: a bank reference records money once, and money dates are bounded by the case's facts. */
export const MONEY_RECORDED_ONCE_PATCH = 'money-recorded-once';
/**
 * Since 2026-12-04: a bank reference is one transaction of the fund, recorded on one loan as one kind
 * of money (a look-up across loans before the money is recorded). Histories before it replay without.
 */
export const BANK_REFERENCE_ONCE_PATCH = 'bank-reference-once';
/**
 * Since this patch the borrower reports a repayment made by bank transfer (DeclareRepayment, 报告已还款):
 * before, a 雏鹰 borrower could do nothing about repaying on the case. Asked by its own name
 * (workflows/support/changes.ts); a history from before never took a declaration.
 */
export const DECLARE_REPAYMENT_PATCH = 'declare-repayment';
/**
 * Since 2026-12-05: a borrower's report of a transfer whose reference the fund has recorded as money of
 * another loan is refused when it is made (a look-up across loans),
 * not left waiting for a record the fund could never make. Histories before it replay without.
 */
export const DECLARED_REFERENCE_CHECKED_PATCH = 'declared-reference-checked';
/**
 * Since 2026-12-06: a report under the disbursement's reference typed with other separators is refused as
 * the disbursement's (domain/chuying/declarations.ts declaredDisbursementAlike). Asked only where it
 * refuses: histories with such a report recorded replay as decided.
 */
export const DECLARED_DISBURSEMENT_ALIKE_PATCH = 'declared-disbursement-reference-folded';
/**
 * Since 2026-12-06: a report that, with the reports still waiting, is more than the loan owes is refused
 * (declarations.ts declaredBeyondOwed). Asked only where it refuses.
 */
export const DECLARED_BEYOND_OWED_PATCH = 'declared-beyond-outstanding';
/**
 * Since 2026-12-05: a reference that is one this loan recorded but for its separators (ICBCH2R1 or
 * ICBC〜H2〜R1 after ICBC-H2-R1; domain/chuying/money.ts looseReferenceKey) is refused as the same
 * transaction, not recorded as a second one; a borrower's report under one the loan has reported
 * or recorded is not a second report; and the fund records a report under the report's spelling.
 * Histories before it, which may hold both, replay without. (Its id keeps the name it was given.)
 */
export const REFERENCE_SEPARATORS_FOLDED_PATCH = 'bank-reference-dashes-folded';
/**
 * Since this patch the borrower withdraws a report the fund has not recorded (WithdrawRepaymentDeclaration,
 * 撤回还款申报): before, a report with a wrong amount, day or reference stood 待核对 for good. Asked by
 * its own name; a history from before never took a withdrawal.
 */
export const WITHDRAW_REPAYMENT_DECLARATION_PATCH = 'withdraw-repayment-declaration';
/**
 * Since this patch the fund returns a report it cannot match to a transfer in its account
 * (RejectRepaymentDeclaration, 退回还款申报), with its reason: before, such a report stood 待核对 until the
 * borrower withdrew it. Asked by its own name; a history from before never took a return.
 */
export const REJECT_REPAYMENT_DECLARATION_PATCH = 'reject-repayment-declaration';
/**
 * Since this patch the fund cancels its approval before the disbursement (CancelFunding, 撤销资助决定),
 * giving back the pool's commitment: before, an approved loan that could not be disbursed waited at
 * 待放款 for good, holding the pool and the company's one loan. Asked by its own name.
 */
export const CANCEL_FUNDING_PATCH = 'cancel-funding';
/** Since issue 3: a loaded calendar year recomputes provisional instalment due dates. */
export const RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH = 'recompute-provisional-instalments';
/** Since this change a correction of a year moves a loan's final open due dates in it later where the contract's rule puts them; histories before kept them. */
export const LOAN_DUE_DATES_FOLLOW_CORRECTIONS_PATCH = 'loan-due-dates-follow-corrections';

type Type = ChuyingLoanCommand['type'];
type LoanAction = CaseAction<ChuyingLoanState, ChuyingLoanCommand>;

/** An action of the loan: its step table and who may take it come from the decider (domain/chuying/decide.ts). */
function action(type: Type, declaration: Omit<LoanAction, 'type' | 'at' | 'availability'>): LoanAction {
  return {
    ...declaration,
    type,
    at: STEP_FOR_ACTION[type],
    availability: (state, actor, now) => loanUnavailableNow(state, type, actor, now),
  };
}

// The supervising official takes an overdue step over once it is escalated (the decider's rule).
const officialDuties = (...duties: ('reviewer' | 'approver' | 'director' | 'supervisor')[]) => ({ official: { duties, ...FUND } });

/** Whether this case looks its time limits up: its terms promise them, and it runs (or first ran there) with the change. */
function limitsApply(terms: ChuyingLoanTerms | undefined, ask: DecisionSupport): boolean {
  return terms?.timeLimits !== undefined && ask.patched(STEP_TIME_LIMITS_PATCH);
}

/** This loan's money recorded under the action's reference but for its separators, as held by this case (asked of cases with the change). */
function alikeHeldInCase(state: ChuyingLoanState, command: ChuyingLoanCommand, ask: DecisionSupport): MoneyReferenceHeld | undefined {
  const alike = alikeReferenceInCase(state, command);
  if (!alike || !ask.patched(REFERENCE_SEPARATORS_FOLDED_PATCH)) return undefined;
  return { caseId: '', referenceNo: state.referenceNo, own: true, ...alike };
}

/** The completeness window from today, and the 网信 review's limit from its last day should it close unanswered. */
async function completenessWindows(terms: ChuyingLoanTerms, now: number, ask: DecisionSupport): Promise<{ completeness: WorkingDayCount; limitIfDeemedComplete?: WorkingDayCount }> {
  const limits = terms.timeLimits!;
  const completeness = await ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(now), workingDays: limits.completenessWorkingDays });
  const review = loanStepLimit(terms, 'compliance-review');
  const limitIfDeemedComplete = review ? await ask.lookups.computeWorkingDayWindow({ startedOn: completeness.lastWorkingDay, workingDays: review.workingDays }) : undefined;
  return { completeness, ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}) };
}

/** The reports waiting to be checked, as the forms that act on one list them: ICBC-1（2026-03-02 10,000.00 元）、…; empty when none waits. */
function pendingInWords(state: ChuyingLoanState): string {
  return unconfirmedDeclarations(state)
    .map((d) => `${d.reference}（${d.paidOn} ${formatFen(d.amountFen)} 元）`)
    .join('、');
}

export const CHUYING_LOAN_ACTIONS: readonly LoanAction[] = [
  action('RequestSupplement', {
    name: 'request-supplement',
    update: 'requestSupplement',
    label: LOAN_ACTION_LABELS.RequestSupplement,
    submit: '发出补正通知',
    done: '已发出补正通知，申请人有 30 天答复。',
    summary: 'Official: request 补正, listing every missing item (the applicant has 30 days)',
    body: z.strictObject({ missingItems: supplementItems('需补正的材料', '每行一项，例如：营业执照副本') }),
    toCommand: (b) => ({ type: 'RequestSupplement', missingItems: b.missingItems as string[] }),
    who: { official: { duties: ['reviewer'] } },
  }),
  action('ProvideSupplement', {
    name: 'provide-supplement',
    update: 'provideSupplement',
    label: LOAN_ACTION_LABELS.ProvideSupplement,
    submit: '提交补正',
    done: '补正材料已提交，基金工作人员将继续审查。',
    summary: 'Applicant: answer the 补正 request, item by item',
    // Each answer may carry its files; the action route resolves them to their hashes before the update.
    body: z.strictObject({
      responses: supplementAnswersWithDocuments(),
    }),
    toCommand: (b) => ({ type: 'ProvideSupplement', responses: b.responses as SupplementResponse[] }),
    who: { applicant: true },
    prefill: (state) => ({ responses: (state.supplement?.missingItems ?? []).map((item) => ({ item, response: '' })) }),
    explain: (state) =>
      state.supplement ? supplementReplyHint(state.supplement.round, state.supplement) : undefined,
    // Since this patch an answer names only the items the request listed; replays before it take what they took.
    legacyBeforePatch: SUPPLEMENT_ANSWERS_AS_REQUESTED_PATCH,
    // Items missing or not asked for are told with the body's own problems, at once.
    caseBodyIssues: (state, body) => supplementReplyBodyIssues(state.supplement, body),
  }),
  action('AcceptMaterials', {
    name: 'accept-materials',
    update: 'acceptMaterials',
    label: LOAN_ACTION_LABELS.AcceptMaterials,
    submit: '确认材料齐全',
    done: '材料审查通过，已转市委网信办内容合规审查。',
    summary: 'Official: the materials are complete',
    body: z.strictObject({}),
    toCommand: () => ({ type: 'AcceptMaterials' }),
    who: { official: { duties: ['reviewer'] } },
  }),
  action('PassComplianceReview', {
    name: 'pass-compliance-review',
    update: 'passComplianceReview',
    label: LOAN_ACTION_LABELS.PassComplianceReview,
    submit: '审查通过',
    done: '内容合规审查通过，已转基金评审决策。',
    summary: '网信 reviewer: content compliance passed',
    body: z.strictObject({ notes: notes('审查意见（可选）') }),
    toCommand: (b) => ({ type: 'PassComplianceReview', notes: b.notes as string }),
    who: { official: { duties: ['reviewer', 'supervisor'], departments: ['cac'] } },
  }),
  action('FailComplianceReview', {
    name: 'fail-compliance-review',
    update: 'failComplianceReview',
    label: LOAN_ACTION_LABELS.FailComplianceReview,
    submit: '审查不通过',
    done: '已记录审查不通过及理由。',
    tone: 'danger',
    summary: '网信 reviewer: content compliance failed, with reasons',
    body: z.strictObject({ reasons: reasonLines('不通过的理由') }),
    toCommand: (b) => ({ type: 'FailComplianceReview', reasons: b.reasons as string[] }),
    who: { official: { duties: ['reviewer', 'supervisor'], departments: ['cac'] } },
  }),
  action('ApproveFunding', {
    name: 'approve-funding',
    update: 'approveFunding',
    label: LOAN_ACTION_LABELS.ApproveFunding,
    done: '已同意资助，待登记放款。',
    summary: 'Fund committee (not a reviewer of this case): approve, for the requested amount or less',
    body: z.strictObject({ approvedAmountFen: moneyField('核定金额（元）'), notes: notes('决策意见（核减金额时必填）').meta({ description: '核定金额少于申请金额时，须写明核减理由（决定书将载明）' }) }),
    toCommand: (b) => ({ type: 'ApproveFunding', approvedAmountFen: b.approvedAmountFen as number, notes: b.notes as string }),
    who: officialDuties('approver', 'director', 'supervisor'),
    prefill: (state) => ({ approvedAmountFen: state.requestedAmountFen }),
    fieldLimits: (state) => ({ approvedAmountFen: { maximum: state.requestedAmountFen }, notes: { requiredBelow: { field: 'approvedAmountFen', fen: state.requestedAmountFen } } }),
    explain: (state) => `核定金额不超过申请金额 ${formatFen(state.requestedAmountFen)} 元。`,
  }),
  action('RejectFunding', {
    name: 'reject-funding',
    update: 'rejectFunding',
    label: LOAN_ACTION_LABELS.RejectFunding,
    done: '已记录不予资助及理由。',
    tone: 'danger',
    summary: 'Fund committee (not a reviewer of this case): reject, with reasons',
    body: z.strictObject({ reasons: reasonLines('不予资助的理由') }),
    toCommand: (b) => ({ type: 'RejectFunding', reasons: b.reasons as string[] }),
    who: officialDuties('approver', 'director', 'supervisor'),
  }),
  action('CancelFunding', {
    name: 'cancel-funding',
    update: 'cancelFunding',
    label: LOAN_ACTION_LABELS.CancelFunding,
    submit: '撤销资助决定',
    done: '已撤销资助决定，资金池额度已释放，本案办结。',
    tone: 'danger',
    summary: 'Fund committee: cancel the approval before the disbursement, with reasons; the pool commitment is released and the case ends',
    body: z.strictObject({ reasons: reasonLines('撤销理由') }),
    toCommand: (b) => ({ type: 'CancelFunding', reasons: b.reasons as string[] }),
    who: officialDuties('approver', 'director'),
    explain: (state) => `撤销后不予放款，核定金额 ${formatFen(state.approvedAmountFen ?? 0)} 元退回资金池，本案办结；理由将告知申请人。`,
    legacyBeforePatch: CANCEL_FUNDING_PATCH,
  }),
  action('RecordDisbursement', {
    name: 'record-disbursement',
    asksFirst: true,
    update: 'recordDisbursement',
    label: LOAN_ACTION_LABELS.RecordDisbursement,
    done: '已登记放款，还款计划已生成。',
    summary: 'Official: record the disbursement; the 36-instalment schedule starts',
    body: z.strictObject({ disbursedOn: localDate.meta({ title: '放款日期', format: 'date' }), bankReference: bankReferenceText(100).meta({ title: '银行流水号' }) }),
    toCommand: (b) => ({ type: 'RecordDisbursement', disbursedOn: b.disbursedOn as LocalDate, bankReference: b.bankReference as string }),
    who: officialDuties('reviewer', 'approver'),
    explain: (state) => `放款金额为核定金额 ${formatFen(state.approvedAmountFen ?? 0)} 元；登记后生成 ${state.terms?.instalmentCount ?? 36} 期还款计划。`,
    legacyBeforePatch: MONEY_RECORDED_ONCE_PATCH,
  }),
  action('RecordRepayment', {
    name: 'record-repayment',
    asksFirst: true,
    update: 'recordRepayment',
    label: LOAN_ACTION_LABELS.RecordRepayment,
    done: '已登记还款。',
    summary: 'Official: record a repayment received (partial payments allowed)',
    body: z.strictObject({
      amountFen: moneyField('还款金额（元）'),
      paidOn: localDate.meta({ title: '还款日期', format: 'date' }),
      reference: bankReferenceText(100).meta({ title: '还款凭证号' }),
    }),
    toCommand: (b) => ({ type: 'RecordRepayment', amountFen: b.amountFen as number, paidOn: b.paidOn as LocalDate, reference: b.reference as string }),
    who: officialDuties('reviewer', 'approver'),
    // The oldest declaration not yet recorded, as the borrower gave it (to be checked against the bank); else the next instalment's amount.
    prefill: (state) => {
      const declared = unconfirmedDeclarations(state)[0];
      if (declared) return { amountFen: declared.amountFen, paidOn: declared.paidOn, reference: declared.reference };
      const next = state.instalments.find((i) => i.paidFen < i.amountFen);
      return next ? { amountFen: next.amountFen - next.paidFen } : {};
    },
    explain: (state) => {
      const pending = unconfirmedDeclarations(state);
      const declared = pending[0]
        ? `借款人申报的还款有 ${pending.length} 笔待核对，表单已按最早一笔（流水号 ${pending[0].reference}）填写：请与银行到账核对后登记。`
        : '';
      return `尚欠 ${formatFen(outstandingFen(state))} 元；先冲抵最早未还的一期。${declared}`;
    },
    legacyBeforePatch: MONEY_RECORDED_ONCE_PATCH,
  }),
  action('DeclareRepayment', {
    name: 'declare-repayment',
    update: 'declareRepayment',
    label: LOAN_ACTION_LABELS.DeclareRepayment,
    submit: '提交还款报告',
    done: '已报告还款，杨浦区 V聚场基金核对到账后登记入账。',
    summary: 'Applicant: report a repayment made by bank transfer (day, amount, bank reference); the fund confirms it by recording the repayment',
    body: z.strictObject({
      amountFen: moneyField('还款金额（元）'),
      paidOn: localDate.meta({ title: '还款日期', format: 'date', description: '转账的日期' }),
      reference: bankReferenceText(100).meta({ title: '银行流水号（转账凭证号）', description: '见银行转账回单' }),
      note: optionalText(500).meta({ title: '备注（可选）' }),
    }),
    toCommand: (b) => ({ type: 'DeclareRepayment', amountFen: b.amountFen as number, paidOn: b.paidOn as LocalDate, reference: b.reference as string, note: b.note as string }),
    who: { applicant: true },
    prefill: (state) => {
      const next = state.instalments.find((i) => i.paidFen < i.amountFen);
      return next ? { amountFen: next.amountFen - next.paidFen } : {};
    },
    explain: (state) => {
      const next = state.instalments.find((i) => i.paidFen < i.amountFen);
      const due = next ? `下一期：第 ${next.number} 期 ${formatFen(next.amountFen - next.paidFen)} 元，应还日 ${next.dueOn}${next.provisional ? '（暂定）' : ''}。` : '';
      return `尚欠 ${formatFen(outstandingFen(state))} 元；${due}通过银行转账还款后，请在此报告，基金核对到账后登记入账、冲抵欠款。`;
    },
    legacyBeforePatch: DECLARE_REPAYMENT_PATCH,
  }),
  action('WithdrawRepaymentDeclaration', {
    name: 'withdraw-repayment-declaration',
    update: 'withdrawRepaymentDeclaration',
    label: LOAN_ACTION_LABELS.WithdrawRepaymentDeclaration,
    submit: '撤回该申报',
    done: '还款申报已撤回，基金不再核对该笔；如需要，可重新报告已还款。',
    summary: 'Applicant: withdraw a report of a repayment the fund has not recorded yet (by its bank reference), to report it again correctly',
    body: z.strictObject({
      reference: referenceText(100).meta({ title: '要撤回的申报的银行流水号', description: '见“我的还款报告”中待基金核对的一笔' }),
      reason: optionalText(500).meta({ title: '撤回原因（可选）', description: '例如：金额填错' }),
    }),
    toCommand: (b) => ({ type: 'WithdrawRepaymentDeclaration', reference: b.reference as string, reason: b.reason as string }),
    who: { applicant: true },
    // The newest report waiting for the fund: the one most likely just sent with a mistake.
    prefill: (state) => {
      const pending = unconfirmedDeclarations(state);
      const newest = pending[pending.length - 1];
      return newest ? { reference: newest.reference } : {};
    },
    explain: (state) => {
      const pending = pendingInWords(state);
      return pending ? `待基金核对的申报：${pending}。报告有误（金额、日期或流水号填错）时，撤回后可重新报告；基金已登记入账的不能撤回。` : '报告已还款后、基金登记入账前，报告有误的可在此撤回。';
    },
    legacyBeforePatch: WITHDRAW_REPAYMENT_DECLARATION_PATCH,
  }),
  action('RejectRepaymentDeclaration', {
    name: 'reject-repayment-declaration',
    update: 'rejectRepaymentDeclaration',
    label: LOAN_ACTION_LABELS.RejectRepaymentDeclaration,
    submit: '退回该申报',
    done: '已退回该还款申报，借款人将收到退回理由。',
    summary: 'Official: return a report of a repayment the fund finds no matching transfer for (by its bank reference), with the reason; the borrower may report again',
    body: z.strictObject({
      reference: referenceText(100).meta({ title: '要退回的申报的银行流水号', description: '见上方“还款申报”中待核对的一笔' }),
      reason: text(500).meta({ title: '退回理由', description: '例如：截至今日未查到该笔到账；到账金额与申报不符。将告知借款人' }),
    }),
    toCommand: (b) => ({ type: 'RejectRepaymentDeclaration', reference: b.reference as string, reason: b.reason as string }),
    who: officialDuties('reviewer', 'approver'),
    // The oldest report waiting: the one the form of 登记还款 starts from too.
    prefill: (state) => {
      const oldest = unconfirmedDeclarations(state)[0];
      return oldest ? { reference: oldest.reference } : {};
    },
    explain: (state) => {
      const pending = pendingInWords(state);
      return pending
        ? `待核对的申报：${pending}。与银行到账核对不符（未到账或金额不同）的，写明理由退回，借款人可核对后重新报告；已到账的请用“登记还款”。`
        : '借款人报告的还款与银行到账核对不符时，可在此写明理由退回。';
    },
    legacyBeforePatch: REJECT_REPAYMENT_DECLARATION_PATCH,
  }),
  action('Withdraw', {
    name: 'withdraw',
    update: 'withdraw',
    label: LOAN_ACTION_LABELS.Withdraw,
    done: '申请已撤回。',
    tone: 'danger',
    summary: 'Applicant: withdraw before the funding decision, or decline an approved loan before its disbursement',
    body: z.strictObject({ reason: optionalText(500).meta({ title: '撤回原因（可选）' }) }),
    toCommand: (b) => ({ type: 'Withdraw', reason: b.reason as string }),
    who: { applicant: true },
    // Once approved, what the borrower does is decline the loan: the fund is told so (loan-declined). So it is
    // named too on a loan whose approval was undone before the money went out (a refusal on a cancelled loan).
    wordedAt: (state) => (state.approvedOn !== undefined && !state.disbursement ? { label: '放弃借款', submit: '确认放弃本笔借款', done: '已放弃本笔借款，本案办结；基金会收到通知，不再放款。', fieldTitles: { reason: '放弃原因（可选）' } } : undefined),
    explain: (state) => (state.status === 'awaiting-disbursement' ? '资助已批准、尚未放款：放弃后本案办结，不再放款，核定额度退回资金池。' : '撤回后本案办结，如需支持可重新申请。'),
  }),
  action(
    'ExtendTimeLimit',
    extendTimeLimitDeclaration((state: ChuyingLoanState) => {
      const limit = runningLimit(state.timeLimit, state.status);
      return limit ? `${limit.stepLabel}办理时限至 ${limit.lastWorkingDay} 24:00（${limit.workingDays} 个工作日）；延长理由将告知申请人。` : undefined;
    }),
  ),
];

/**
 * What people see of a loan beyond its `cases` columns: the loan's `details`, written by its
 * projection and read by its `view`. The instalments are also the rows of `loan_instalments`
 * (the repayment page and the reports read those); here they are the schedule the case page shows.
 */
export type ChuyingLoanDetails = {
  waitingFor: LoanNextStep['waitingFor'];
  deadline: NonNullable<LoanNextStep['deadline']> | null;
  company: CompanyDetails | null;
  project: ProjectDetails | null;
  supplement: { missingItems: string[]; requestedAt: string; replyDueOn: LocalDate; round: number } | null;
  /** The promised time limit of the step the case is at (cases opened under terms 2026-12 and later). */
  timeLimit?: TimeLimitView | null;
  /** Without `version` and `recordedAt` only when read from a state stored before issue 12 (a row not projected since). */
  disbursement: { amountFen: Fen; disbursedOn: LocalDate; bankReference: string; version?: number; recordedAt?: string } | null;
  closingReasons: string[];
  schedule: { number: number; dueOn: LocalDate; amountFen: Fen; paidFen: Fen; status: InstalmentDisplayStatus; provisional: boolean }[];
  /** The borrower's declarations of repayments, only once there is one: rows of loans without any are as they were. */
  repaymentDeclarations?: RepaymentDeclarationView[];
  /** Only as an official of another department reads it (domain/chuying/fund-business.ts): the money lent and repaid is left out. */
  moneyWithheld?: true;
};

/** A repayment the borrower declared, and whether the fund has recorded it (已核对入账), not yet (待核对), the borrower withdrew it, or the fund returned it. */
export interface RepaymentDeclarationView {
  reference: string;
  amountFen: Fen;
  paidOn: LocalDate;
  note: string;
  declaredAt: string;
  status: 'pending' | 'confirmed' | 'withdrawn' | 'rejected';
  /** The repayment the fund recorded under the same reference (never for a withdrawn or returned one). */
  confirmed: { amountFen: Fen; paidOn: LocalDate; recordedAt: string } | null;
  /** Only on a withdrawn one: when and why (kept where the fund recorded the transfer afterwards: confirmed). */
  withdrawn?: { at: string; reason: string };
  /** Only on one the fund returned: when and why (kept where the fund recorded the transfer afterwards: confirmed). */
  rejected?: { at: string; reason: string };
}

function declarationsOf(state: ChuyingLoanState): { repaymentDeclarations?: RepaymentDeclarationView[] } {
  const declarations = state.repaymentDeclarations ?? [];
  if (declarations.length === 0) return {};
  return {
    repaymentDeclarations: declarations.map((d, i): RepaymentDeclarationView => {
      // A report withdrawn or returned whose transfer the fund recorded afterwards all the same: the report was
      // right, and reads 已核对入账 with its withdrawal or return kept (unless reported again since, which that one answers).
      const recordedSince = () => (declarations.every((later, j) => j <= i || !sameReference(later.reference, d.reference)) ? confirmationOf(state, d) : undefined);
      const confirmedAs = (r: NonNullable<ReturnType<typeof confirmationOf>>) => ({ amountFen: r.amountFen, paidOn: r.paidOn, recordedAt: r.recordedAt });
      if (d.withdrawal) {
        const { reference, amountFen, paidOn, note, declaredAt } = d;
        const withdrawn = { at: d.withdrawal.at, reason: d.withdrawal.reason };
        const recorded = recordedSince();
        if (recorded) return { reference, amountFen, paidOn, note, declaredAt, status: 'confirmed', confirmed: confirmedAs(recorded), withdrawn };
        return { reference, amountFen, paidOn, note, declaredAt, status: 'withdrawn', confirmed: null, withdrawn };
      }
      if (d.rejection) {
        const { reference, amountFen, paidOn, note, declaredAt } = d;
        const rejected = { at: d.rejection.at, reason: d.rejection.reason };
        const recorded = recordedSince();
        if (recorded) return { reference, amountFen, paidOn, note, declaredAt, status: 'confirmed', confirmed: confirmedAs(recorded), rejected };
        return { reference, amountFen, paidOn, note, declaredAt, status: 'rejected', confirmed: null, rejected };
      }
      const recorded = confirmationOf(state, d);
      return {
        reference: d.reference,
        amountFen: d.amountFen,
        paidOn: d.paidOn,
        note: d.note,
        declaredAt: d.declaredAt,
        status: recorded ? 'confirmed' : 'pending',
        confirmed: recorded ? { amountFen: recorded.amountFen, paidOn: recorded.paidOn, recordedAt: recorded.recordedAt } : null,
      };
    }),
  };
}

/** The loan's row in the read model; `programme_id` and `decided_on` stay empty, as loans have always left them. */
export function chuyingLoanReadModel(state: ChuyingLoanState): CaseReadModel {
  const step = nextStep(state);
  const { supplement, disbursement } = state;
  const details: ChuyingLoanDetails = {
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    company: state.company ?? null,
    project: state.project ?? null,
    timeLimit: timeLimitView(runningLimit(state.timeLimit, state.status)),
    supplement: supplement ? { missingItems: supplement.missingItems, requestedAt: supplement.requestedAt, replyDueOn: supplement.replyDueOn, round: supplement.round } : null,
    disbursement: disbursement
      ? { amountFen: disbursement.amountFen, disbursedOn: disbursement.disbursedOn, bankReference: disbursement.bankReference, version: disbursement.version, recordedAt: disbursement.recordedAt }
      : null,
    closingReasons: state.closingReasons,
    schedule: state.instalments.map((i) => ({ number: i.number, dueOn: i.dueOn, amountFen: i.amountFen, paidFen: i.paidFen, status: instalmentStatus(i), provisional: i.provisional })),
    ...declarationsOf(state),
  };
  return {
    referenceNo: state.referenceNo,
    applicantAccountId: state.applicant?.accountId ?? '',
    applicantName: state.company?.name ?? state.applicant?.displayName ?? '',
    status: state.status,
    statusLabel: step.label,
    waitingFor: step.waitingFor,
    requestedFen: state.requestedAmountFen,
    approvedFen: state.approvedAmountFen ?? null,
    outstandingFen: outstandingFen(state),
    nextDeadlineAt: step.deadline?.at ?? null,
    programmeId: null,
    department: DEPARTMENT,
    // The fund acts on it; 网信 reviews its content.
    departments: [DEPARTMENT, 'cac'],
    sourceCaseId: null,
    decidedOn: null,
    details,
  };
}

const LOAN_DEADLINE_WORDS: Readonly<Record<string, string>> = {
  'completeness-check': '材料审查，逾期未告知补正的视为材料齐全',
  'supplement-reply': '申请人提交补正材料',
  instalment: '本期还款',
};

/** The 办理时限 line: the step's promised limit, else the deadline the step shows. */
function loanDeadlineLine(d: ChuyingLoanDetails): { label: string; value: string }[] {
  if (d.timeLimit) return [{ label: '办理时限', value: describeTimeLimit(d.timeLimit) }];
  if (!d.deadline) return [];
  return [{ label: '办理时限', value: describeDeadline(d.deadline, LOAN_DEADLINE_WORDS[d.deadline.kind] ?? d.deadline.kind) }];
}

/** A 雏鹰 loan as people see it: the step, who acts next, deadlines, money and the schedule. */
function loanView(row: CaseRow): Record<string, unknown> {
  const d = row.details as ChuyingLoanDetails;
  return {
    programme: PROGRAMME,
    waitingFor: d.waitingFor,
    deadline: d.deadline,
    company: d.company,
    project: d.project,
    requestedAmountFen: row.requested_fen,
    approvedAmountFen: row.approved_fen,
    // Repaid or not is the fund's business (domain/chuying/fund-business.ts).
    outstandingFen: d.moneyWithheld ? null : row.outstanding_fen,
    // Only where the case promises one (terms 2026-12 and later): the view of older loans is as it was.
    ...(d.timeLimit ? { timeLimit: d.timeLimit } : {}),
    supplement: d.supplement,
    disbursement: d.disbursement,
    closingReasons: d.closingReasons,
    schedule: d.schedule,
    // The borrower's reports of repayments and whether the fund has recorded each: only where there are any (most loans have none, and their view is as it was).
    ...(d.repaymentDeclarations ? { repaymentDeclarations: d.repaymentDeclarations } : {}),
    // Fields of the types added since issue 11 that a loan's view never had.
    department: undefined,
    sourceCaseId: undefined,
    // What the case is, in words: the case page's facts card.
    overview: [
      { label: '申请企业', value: d.company?.name ?? row.applicant_name },
      { label: '统一社会信用代码', value: d.company?.unifiedSocialCreditCode ?? '' },
      { label: '注册区', value: districtLine(d.company) },
      { label: '项目', value: `${d.project?.name ?? ''}（${d.project?.contentTrack ?? ''}）` },
      { label: '项目简介', value: d.project?.summary ?? '' },
      { label: '申请金额', value: yuan(row.requested_fen) },
      { label: '核定金额', value: row.approved_fen ? yuan(row.approved_fen) : '—' },
      ...(d.disbursement ? [{ label: '放款', value: `${yuan(d.disbursement.amountFen)}，${d.disbursement.disbursedOn}` }] : []),
      ...(d.moneyWithheld ? [{ label: '放款与还款', value: WITHHELD_IN_WORDS }] : []),
      ...loanDeadlineLine(d),
    ],
  };
}

const chuyingLoanModule: CaseModule<ChuyingLoanState, ChuyingLoanEvent, ChuyingLoanCommand, ChuyingLoanInput> = {
  caseType: 'chuying-loan',
  streamTypes: ['chuying-loan'],
  streamTypeOf: () => 'chuying-loan',
  workflowType: 'chuyingLoanWorkflow',
  stateQuery: 'chuyingLoanState',
  name: '雏鹰计划（V聚场基金）创业借款',

  initialState: initialChuyingLoanState,
  evolve: evolveChuyingLoan,
  isTerminal,

  async open(input, ask) {
    const { caseId, referenceNo, applicant, company, project, requestedAmountFen, terms } = input;
    const application: LoanApplication = { caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, company, project, requestedAmountFen };
    const now = ask.now();
    // Refused before any look-up when the application breaks the programme's rules.
    checkLoanApplication(application, terms);
    if (ask.patched(ONE_LOAN_PER_COMPANY_PATCH)) {
      const claim = await ask.lookups.claimChuyingLoan({ companyCode: company.unifiedSocialCreditCode, caseId, referenceNo });
      if (!claim.granted) throw secondLoanRefusal(company, claim.heldBy);
    }
    if (!limitsApply(terms, ask)) return decideSubmission(application, terms, now);
    return decideSubmission(application, terms, now, await completenessWindows(terms, now, ask));
  },

  actions: CHUYING_LOAN_ACTIONS,
  check: (state, command, { actor, now, legacy, patched }) => ensureActionAllowed(state, command, { actor, now, legacy, patched }),
  decide: (command, state, { actor, now, legacy, prepared, patched }) =>
    decideAction(state, command, {
      actor,
      now,
      patched,
      schedule: prepared.schedule as ScheduledInstalment[] | undefined,
      legacy,
      completeness: prepared.completeness as WorkingDayCount | undefined,
      limitIfDeemedComplete: prepared.limitIfDeemedComplete as WorkingDayCount | undefined,
      nextStepLimit: prepared.nextStepLimit as WorkingDayCount | undefined,
      extension: prepared.extension as WorkingDayCount | undefined,
      supplementReply: prepared.supplementReply as DayPeriod | undefined,
    }),
  async prepare(command, state, ask) {
    if (command.type === 'RequestSupplement') return supplementReplyPeriod(state.terms?.supplementReplyDays ?? 30, ask);
    if (command.type === 'ProvideSupplement') return limitsApply(state.terms, ask) ? completenessWindows(state.terms!, ask.now(), ask) : {};
    if (command.type === 'ExtendTimeLimit') {
      // Counted from the limit's last working day; the checks refused the command before this when there is no limit to extend.
      const limit = runningLimit(state.timeLimit, state.status)!;
      return { extension: await ask.lookups.computeWorkingDayWindow({ startedOn: limit.lastWorkingDay, workingDays: command.extraWorkingDays }) };
    }
    // The same transfer reported again, or recorded from a report, under another spelling is not a second transfer.
    const alike = declaredAlike(state, command) ?? recordedAlikeReport(state, command);
    if (alike && ask.patched(REFERENCE_SEPARATORS_FOLDED_PATCH)) throw alike;
    const disbursed = declaredDisbursementAlike(state, command);
    if (disbursed && ask.patched(DECLARED_DISBURSEMENT_ALIKE_PATCH)) throw disbursed;
    const beyond = declaredBeyondOwed(state, command);
    if (beyond && ask.patched(DECLARED_BEYOND_OWED_PATCH)) throw beyond;
    // A transfer the fund has recorded elsewhere is not this loan's repayment: said to the borrower now.
    if (command.type === 'DeclareRepayment' && ask.patched(DECLARED_REFERENCE_CHECKED_PATCH)) {
      if (await ask.lookups.findMoneyReference({ caseId: ask.caseId, reference: command.reference })) throw declaredReferenceRecordedElsewhere(command);
    }
    // One bank transaction, one money movement of the fund: a reference on this loan's other kind of money, or on another loan, is refused.
    const reference = moneyReferenceOf(command);
    if (reference !== undefined && ask.patched(BANK_REFERENCE_ONCE_PATCH)) {
      const held = referenceHeldInCase(state, command) ?? alikeHeldInCase(state, command, ask) ?? (await ask.lookups.findMoneyReference({ caseId: ask.caseId, reference }));
      if (held) throw referenceAlreadyUsed(command, held);
    }
    const next = limitedStepAfter(state, command.type);
    if (next) return limitsApply(state.terms, ask) ? { nextStepLimit: await ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(ask.now()), workingDays: next.workingDays }) } : {};
    if (command.type !== 'RecordDisbursement') return {};
    const schedule = await ask.lookups.computeRepaymentSchedule({ principalFen: state.approvedAmountFen ?? 0, disbursedOn: command.disbursedOn, instalmentCount: state.terms!.instalmentCount });
    return { schedule };
  },
  // A repeated declaration is answered as a repeated payment is: with the first, recording nothing.
  repeatOf: (state, command) => declaredAgain(state, command) ?? withdrawnAgain(state, command) ?? rejectedAgain(state, command) ?? alreadyRecordedMoney(state, command),

  nextThreshold: nextTimeThreshold,
  onThreshold: decideTimeElapsed,
  limitOnArrival: disbursementLimitOnArrival,
  calendar: {
    sincePatch: RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH,
    async recompute(state, reason, ask, corrections) {
      const limit = runningLimit(state.timeLimit, state.status);
      const recount = recountOf(limit, reason, corrections);
      if (recount) return decideLimitRecomputed(limit, await ask.lookups.computeWorkingDayWindow(recount), reason, ask.now(), corrections);
      if (state.status === 'awaiting-supplement') return recountSupplementReply(state.supplement, reason, ask, corrections);
      const window = state.completeness;
      if (state.status === 'completeness-check' && window && recountDue(window, reason, corrections)) {
        const recomputed = await ask.lookups.computeWorkingDayWindow({ startedOn: window.startedOn, workingDays: window.workingDays });
        const review = loanStepLimit(state.terms, 'compliance-review');
        const moved = recomputed.lastWorkingDay !== window.lastWorkingDay || recomputed.provisional !== window.provisional;
        const following = review && moved ? await ask.lookups.computeWorkingDayWindow({ startedOn: recomputed.lastWorkingDay, workingDays: review.workingDays }) : undefined;
        return decideCompletenessWindowRecomputed(state, recomputed, following, reason, ask.now(), corrections);
      }
      const disbursement = state.disbursement;
      // A correction of a year may put a final due date in it later (the contract's next-working-day rule).
      const finalsLaterIn = corrections && finalOpenInstalmentsIn(state, reason.calendarYear).length > 0 && ask.patched(LOAN_DUE_DATES_FOLLOW_CORRECTIONS_PATCH) ? reason.calendarYear : undefined;
      if (!disbursement || !state.terms || (provisionalOpenInstalments(state).length === 0 && finalsLaterIn === undefined)) return [];
      const schedule = await ask.lookups.computeRepaymentSchedule({ principalFen: disbursement.amountFen, disbursedOn: disbursement.disbursedOn, instalmentCount: state.terms.instalmentCount });
      return decideInstalmentDueDatesRecomputed(state, schedule, reason, ask.now(), finalsLaterIn);
    },
  },

  statuses: STATUS_LABELS,
  // Types before issue 11 keep their titles in web/src/events-text.ts; the events since issue 13 are named here.
  eventLabels: { ...TIME_LIMIT_EVENT_LABELS, MaterialsDeemedComplete: '材料视为齐全（告知补正期限届满）', CompletenessWindowRecomputed: '重新计算材料审查期限', SupplementReplyRecomputed: SUPPLEMENT_REPLY_RECOMPUTED_LABEL },
  nextStep,
  searchView: (state, input) => ({
    caseType: 'chuying-loan',
    status: state.status,
    referenceNo: state.referenceNo ?? input.referenceNo,
    department: DEPARTMENT,
    programmeId: PROGRAMME_ID,
    nextDeadline: nextTimeThreshold(state),
  }),
  describe: (state) => ({ zh: `办件 ${state.referenceNo}`, en: `case ${state.referenceNo}` }),
  decisionLetter: letterForChuyingLoan,
  readModel: chuyingLoanReadModel,
  view: loanView,
  outsideTheOffice: { details: loanDetailsOutsideTheFund, event: loanEventOutsideTheFund, internalAttachmentsStayInTheOffice: true },
  refusalDetails: (error) => (error instanceof MoneyAlreadyRecordedError ? { alreadyRecorded: error.first } : undefined),
};

/** 附加材料 (issue 14): the fund's and 网信's officials, while the loan is open. */
export const chuyingLoanCase = withAttachedDocuments(chuyingLoanModule, {
  at: openStatuses(STATUS_LABELS, [...TERMINAL_STATUSES, 'not-submitted']),
  departmentsOf: (state) => chuyingLoanReadModel(state).departments as Department[],
});

/**
 * The 注册区 the company stated, with what its 统一社会信用代码 says where the two disagree (issued in
 * another district: the company may have moved, so the reviewer checks the licence). From the
 * case's own details when shown: no row changes.
 */
function districtLine(company: CompanyDetails | null | undefined): string {
  const district = company?.registeredDistrict ?? '';
  const mismatch = company && district ? creditCodeDistrictMismatch(company.unifiedSocialCreditCode, district) : undefined;
  return mismatch ? `${district}（${mismatch}）` : district;
}
