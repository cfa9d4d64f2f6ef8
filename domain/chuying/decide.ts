import { isOfficialOf, type Actor } from '../cases/actor.js';
import { forbidden, internalCheck, illegalState, refusal as asRefusal, refuseProblems, validationError, type FieldProblem, type Refusal } from '../errors.js';
import { chineseAmount, formatFen, type Fen } from '../money/fen.js';
import { addDays, chineseDate, endOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../time/local-date.js';
import { dayPeriodEndsOn } from '../time/day-periods.js';
import { checkSupplementReply, provisionalReplyPeriod, replyPeriodRecorded } from '../cases/supplement-reply.js';
import { CHUYING_FUND_CALL_ID, type BudgetMovement } from '../calls/ledger.js';
import type { ActionContext, ChuyingLoanCommand } from './commands.js';
import {
  breachThreshold,
  checkExtension,
  decideBreach,
  decideExtension,
  extensionRefusal,
  limitDeadline,
  runningLimit,
  startTimeLimit,
  supervisorRefusal,
  type TimeLimitEvent,
  type WorkingDayCount,
} from '../time-limits/step-time-limit.js';
import type { ActorRef, ChuyingLoanEvent, CompanyDetails, ProjectDetails } from './events.js';
import { outstandingFen, type ChuyingLoanState, type ChuyingLoanStatus } from './state.js';
import { CHUYING_LOAN_DEPARTMENT, CHUYING_LOAN_TERMS, type ChuyingLoanTerms } from './terms.js';
import { tooSmallToRepay } from './repayment-schedule.js';
import { alreadyRecordedMoney, checkMoneyDate, sameReference } from './money.js';
import { checkDeclaration, declarationToReject, declarationToWithdraw, declaredAgain, rejectedAgain, unconfirmedDeclarations, withdrawnAgain } from './declarations.js';

const FUND = CHUYING_LOAN_DEPARTMENT;
const CAC = 'cac' as const;

export interface LoanApplication {
  caseId: string;
  referenceNo: string;
  applicant: ActorRef;
  company: CompanyDetails;
  project: ProjectDetails;
  requestedAmountFen: Fen;
}

/** One of the programme's rules broken by an application: its wording and the field it concerns. */
export type LoanApplicationProblem = FieldProblem;

/**
 * Every rule of the programme an application breaks (all of them, so that one answer names every
 * problem: 一次告知). The API also runs this beside its schema checks, where the fields it reads are sound.
 */
export function loanApplicationProblems(application: Pick<LoanApplication, 'company' | 'requestedAmountFen'>, terms: ChuyingLoanTerms): LoanApplicationProblem[] {
  const { company, requestedAmountFen } = application;
  const problems: LoanApplicationProblem[] = [];
  if (company.registeredDistrict !== terms.requiredDistrict) {
    problems.push({
      wording: {
        code: 'district-required',
        zh: `雏鹰计划只面向注册在${terms.requiredDistrict}的企业；本企业注册在${company.registeredDistrict}。`,
        en: `雏鹰计划 is open to companies registered in ${terms.requiredDistrict}; this company is registered in ${company.registeredDistrict}`,
        params: { requiredDistrict: terms.requiredDistrict, registeredDistrict: company.registeredDistrict },
      },
      issue: { field: 'company.registeredDistrict', message: `须为${terms.requiredDistrict}`, code: 'district-required', english: `must be ${terms.requiredDistrict}` },
    });
  }
  if (!Number.isSafeInteger(requestedAmountFen) || requestedAmountFen <= 0) {
    problems.push({
      wording: { code: 'requested-amount-invalid', zh: '申请金额须大于 0 元，最多精确到分。', en: 'the requested amount must be a positive whole number of fen' },
      issue: { field: 'requestedAmountFen', message: '须大于 0 元，最多精确到分', code: 'requested-amount-invalid', english: 'must be a positive integer (fen)' },
    });
  } else if (requestedAmountFen > terms.capFen) {
    problems.push({
      wording: {
        code: 'above-cap',
        zh: `申请金额 ${chineseAmount(requestedAmountFen)}超过雏鹰计划的上限 ${chineseAmount(terms.capFen)}。`,
        en: `requested ${formatFen(requestedAmountFen)} exceeds the 雏鹰计划 cap of ${formatFen(terms.capFen)}`,
        params: { requestedAmountFen, capFen: terms.capFen },
      },
      issue: { field: 'requestedAmountFen', message: `不能超过 ${chineseAmount(terms.capFen)}`, code: 'above-cap', english: `at most ${terms.capFen} fen (${formatFen(terms.capFen)})` },
    });
  }
  return problems;
}

/**
 * Since this change an approval is refused for a principal too small to split into the loan's
 * instalments (repayment-schedule.ts tooSmallToRepay); recorded approvals decide as they did.
 */
export const PRINCIPAL_REPAYABLE_PATCH = 'chuying-principal-repayable';

/** Since this change an approval of less than was asked gives its reasons in its notes; recorded approvals decide as they did. */
export const CUT_GIVES_REASONS_PATCH = 'chuying-cut-gives-reasons';

/** The programme's own rules on an application, every broken one in one refusal; the API checks the same before starting a case. */
export function checkLoanApplication(application: Pick<LoanApplication, 'company' | 'requestedAmountFen'>, terms: ChuyingLoanTerms): void {
  refuseProblems('loan-rules', loanApplicationProblems(application, terms));
}

/**
 * The submission. Under terms with time limits the completeness window is counted first (by the
 * look-up, from the day of submission), with the 网信 review's limit should the window close unanswered.
 */
export function decideSubmission(
  application: LoanApplication,
  terms: ChuyingLoanTerms,
  now: number,
  windows?: { completeness: WorkingDayCount; limitIfDeemedComplete?: WorkingDayCount },
): ChuyingLoanEvent[] {
  checkLoanApplication(application, terms);
  const submittedAt = new Date(now).toISOString();
  if (windows && windows.completeness.startedOn !== shanghaiDateOf(now)) throw internalCheck(`the completeness window must be counted from ${shanghaiDateOf(now)}, the day of submission`);
  return [
    {
      type: 'LoanApplicationSubmitted',
      data: { ...application, submittedAt, submittedOn: shanghaiDateOf(now), terms, ...(windows?.completeness ? windows : {}) },
    },
  ];
}

/** The official steps after the completeness check that carry a promised time limit. */
export type LimitedLoanStep = 'compliance-review' | 'funding-decision';

/** The limit of a step, whose officials act there and for how many working days; none where the case's terms promise none. */
export function loanStepLimit(terms: ChuyingLoanTerms | undefined, step: ChuyingLoanStatus): { step: LimitedLoanStep; stepLabel: string; department: 'cac' | 'yangpu-fund'; workingDays: number } | undefined {
  const limits = terms?.timeLimits;
  if (!limits) return undefined;
  if (step === 'compliance-review') return { step, stepLabel: STATUS_LABELS[step], department: CAC, workingDays: limits.contentReviewWorkingDays };
  if (step === 'funding-decision') return { step, stepLabel: STATUS_LABELS[step], department: FUND, workingDays: limits.decisionWorkingDays };
  return undefined;
}

/** The limited step an action moves the case to, whose limit is looked up before it is decided. */
export function limitedStepAfter(state: ChuyingLoanState, type: ChuyingLoanCommand['type']): ReturnType<typeof loanStepLimit> {
  if (type === 'AcceptMaterials') return loanStepLimit(state.terms, 'compliance-review');
  if (type === 'PassComplianceReview') return loanStepLimit(state.terms, 'funding-decision');
  return undefined;
}

function nextStepLimitStarted(state: ChuyingLoanState, type: ChuyingLoanCommand['type'], counted: WorkingDayCount | undefined, now: number): TimeLimitEvent[] {
  const step = limitedStepAfter(state, type);
  if (!step || !counted) return [];
  // Counted from the day the look-up ran, just before this decision (a decision across midnight keeps it).
  if (counted.workingDays !== step.workingDays || counted.startedOn > shanghaiDateOf(now)) {
    throw internalCheck(`the time limit of ${step.step} must be counted for ${step.workingDays} working days, from no later than ${shanghaiDateOf(now)}`);
  }
  return [startTimeLimit(step, counted, now)];
}

export const STEP_FOR_ACTION: Record<ChuyingLoanCommand['type'], readonly ChuyingLoanStatus[]> = {
  ExtendTimeLimit: ['compliance-review', 'funding-decision', 'awaiting-disbursement'],
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
  // Until the money goes out: an approved loan the borrower no longer wants is declined (放弃借款).
  Withdraw: ['completeness-check', 'awaiting-supplement', 'compliance-review', 'funding-decision', 'awaiting-disbursement'],
};

/** What each action is called: the case page's label for it (the module's action reads it here) and the refusals that name it. */
export const LOAN_ACTION_LABELS: Record<ChuyingLoanCommand['type'], string> = {
  ExtendTimeLimit: '延长办理时限',
  RequestSupplement: '要求补正',
  AcceptMaterials: '材料齐全，转网信审查',
  ProvideSupplement: '提交补正材料',
  PassComplianceReview: '内容合规审查通过',
  FailComplianceReview: '内容合规审查不通过',
  ApproveFunding: '同意资助',
  RejectFunding: '不予资助',
  RecordDisbursement: '登记放款',
  RecordRepayment: '登记还款',
  DeclareRepayment: '报告已还款',
  WithdrawRepaymentDeclaration: '撤回还款申报',
  RejectRepaymentDeclaration: '退回还款申报',
  CancelFunding: '撤销资助决定',
  Withdraw: '撤回申请',
};

const AUDITOR_READS_ONLY = { code: 'auditor-read-only', zh: '审计人员只能查看案件，不能办理。', en: 'auditors read cases and change nothing' };

/** The 补正 window has closed: what the applicant sent is deemed complete. */
function supplementWindowEnded(window: { workingDays: number; lastWorkingDay: LocalDate }) {
  return {
    code: 'supplement-window-ended',
    zh: `告知补正的 ${window.workingDays} 个工作日已于${chineseDate(window.lastWorkingDay)}24时届满，材料视为齐全。`,
    en: `the ${window.workingDays} working days to list missing items ended at 24:00 on ${window.lastWorkingDay}; the materials are deemed complete`,
    params: { workingDays: window.workingDays, lastWorkingDay: window.lastWorkingDay },
  };
}

export const STATUS_LABELS: Record<ChuyingLoanStatus, string> = {
  'not-submitted': '未提交',
  'completeness-check': '材料审查',
  'awaiting-supplement': '待补正',
  'compliance-review': '网信内容合规审查',
  'funding-decision': '基金评审决策',
  'awaiting-disbursement': '待放款',
  repaying: '还款中',
  completed: '已结清',
  withdrawn: '已撤回',
  rejected: '未通过',
  cancelled: '已撤销资助',
};

/**
 * Throws unless the action is allowed now, by this actor. Used by update validators (which must
 * not record anything) and by `decideAction` before it produces events.
 *
 * Money already recorded under the action's bank reference is looked up before the step: a
 * repeated disbursement arrives when the case is already 还款中, and is answered, not refused.
 */
export function ensureActionAllowed(state: ChuyingLoanState, action: ChuyingLoanCommand, context: Pick<ActionContext, 'actor' | 'now' | 'legacy' | 'patched'>): void {
  const { actor } = context;
  if (actor.role === 'auditor') throw forbidden(AUDITOR_READS_ONLY);
  if (!context.legacy && recordsMoneyAgain(state, action)) {
    requireOfficial(actor, FUND, action.type);
    // A repeat is allowed (it records nothing); a conflicting reference throws here.
    if (alreadyRecordedMoney(state, action)) return;
  }
  // A declaration sent again (a lost answer, a second tab) is answered with the first, whatever the step; another under its reference throws here.
  if (!context.legacy && action.type === 'DeclareRepayment' && (state.repaymentDeclarations ?? []).length > 0) {
    const refusal = actorRefusal(state, action.type, actor);
    if (refusal) throw refusal.error;
    if (declaredAgain(state, action)) return;
  }
  // A withdrawal sent again is answered with the first, as a repeated declaration is.
  if (!context.legacy && action.type === 'WithdrawRepaymentDeclaration' && (state.repaymentDeclarations ?? []).length > 0) {
    const refusal = actorRefusal(state, action.type, actor);
    if (refusal) throw refusal.error;
    if (withdrawnAgain(state, action)) return;
  }
  // A return sent again (a second official, a lost answer) is answered with the first.
  if (!context.legacy && action.type === 'RejectRepaymentDeclaration' && (state.repaymentDeclarations ?? []).length > 0) {
    const refusal = actorRefusal(state, action.type, actor);
    if (refusal) throw refusal.error;
    if (rejectedAgain(state, action)) return;
  }
  const allowed = STEP_FOR_ACTION[action.type];
  if (!allowed.includes(state.status)) {
    throw illegalState({
      code: 'not-at-this-step',
      zh: `${state.referenceNo ? `办件 ${state.referenceNo} ` : '本案'}目前处于“${STATUS_LABELS[state.status]}”，不能办理“${LOAN_ACTION_LABELS[action.type]}”：此项只在${allowed.map((s) => `“${STATUS_LABELS[s]}”`).join('、')}时办理。`,
      en: `${action.type} is not allowed while the case is at step "${state.status}" (${STATUS_LABELS[state.status]}); allowed at: ${allowed.join(', ')}`,
      params: { action: action.type, status: state.status, allowed: allowed.join(',') },
    });
  }
  const refusal = actorRefusal(state, action.type, actor, context.patched);
  if (refusal) throw refusal.error;
  checkActionContent(state, action, context.legacy === true, context.patched);
  if (action.type === 'ExtendTimeLimit') checkExtension(runningLimit(state.timeLimit, state.status), action, actor, context.now);
  if (action.type === 'RequestSupplement' && state.completeness && context.now >= Date.parse(state.completeness.deadlineAt)) {
    throw illegalState(supplementWindowEnded(state.completeness));
  }
  if (!context.legacy) checkMoneyDate(state, action, shanghaiDateOf(context.now));
  if (action.type === 'DeclareRepayment') checkDeclaration(state, action, shanghaiDateOf(context.now));
}


/** Why this actor may not take the action now, the clock included (the extension's window, the completeness window): for the UI. */
export function loanUnavailableNow(state: ChuyingLoanState, type: ChuyingLoanCommand['type'], actor: Actor, now: number): string | undefined {
  const refusal = actorRefusal(state, type, actor);
  if (refusal) return refusal.zh;
  if (type === 'ExtendTimeLimit') return extensionRefusal(runningLimit(state.timeLimit, state.status), actor, now)?.zh;
  if (type === 'WithdrawRepaymentDeclaration' && unconfirmedDeclarations(state).length === 0) {
    return '您没有待基金核对的还款申报：报告已还款后、基金登记入账前，可在此撤回。';
  }
  if (type === 'RejectRepaymentDeclaration' && unconfirmedDeclarations(state).length === 0) {
    return '本案没有待核对的还款申报：借款人报告的还款与到账核对不符时，可在此退回。';
  }
  if (type === 'RequestSupplement' && state.completeness && now >= Date.parse(state.completeness.deadlineAt)) {
    return supplementWindowEnded(state.completeness).zh;
  }
  return undefined;
}

/**
 * The change since which the official who approved a loan does not also record its disbursement:
 * the decision to pay and the record that the money went out are two people's (four-eyes, as the
 * review and the decision are). Before it, a history may hold the approver's own disbursement.
 */
export const DISBURSEMENT_APART_FROM_APPROVAL = 'disbursement-apart-from-approval';
/**
 * The same for the repayments (since 2026-12-06): the official who approved a loan does not record the
 * money said to come back on it, which could hide a loan they approved going bad. Asked only where
 * the rule would refuse; a history before it may hold the approver's own records.
 */
export const REPAYMENTS_APART_FROM_APPROVAL = 'repayments-apart-from-approval';

/** The money whoever approved the loan does not record, each with the change since which the rule holds. */
const MONEY_APART_FROM_APPROVAL = {
  RecordDisbursement: { change: DISBURSEMENT_APART_FROM_APPROVAL, zh: '放款', en: 'disbursement' },
  RecordRepayment: { change: REPAYMENTS_APART_FROM_APPROVAL, zh: '还款', en: 'repayments' },
} as const;

/**
 * Who may take an action of this type on this case (the step aside): the applicant of the case, an
 * official of the department that acts, never the reviewer of a case deciding its funding, and never
 * the official who approved it recording its disbursement (four-eyes). One rule, in two languages:
 * the error the workflow refuses with, and the reason the UI shows beside a disabled action.
 * `patched` is the workflow's, for the rule that came later (ActionContext).
 */
export function actorRefusal(state: ChuyingLoanState, type: ChuyingLoanCommand['type'], actor: Actor, patched?: (changeId: string) => boolean): Refusal | undefined {
  if (actor.role === 'auditor') return asRefusal('forbidden', AUDITOR_READS_ONLY);
  switch (type) {
    case 'ProvideSupplement':
    case 'Withdraw':
      if (actor.role !== 'applicant' || actor.accountId !== state.applicant?.accountId) {
        return asRefusal('forbidden', {
          code: 'applicant-only',
          zh: type === 'Withdraw' ? '只有本案申请人可以撤回申请。' : '只有本案申请人可以答复补正。',
          en: `only the applicant of case ${state.referenceNo} may ${type === 'Withdraw' ? 'withdraw it' : 'answer its 补正 request'}`,
          params: { action: type },
        });
      }
      return undefined;
    case 'DeclareRepayment':
      // The borrower says they paid; the fund records what reached its account (RecordRepayment).
      if (actor.role === 'applicant' && actor.accountId === state.applicant?.accountId) return undefined;
      return asRefusal('forbidden', {
        code: 'applicant-only',
        zh: actor.role === 'official' ? '报告已还款由本案借款人（申请人）办理；基金工作人员核对到账后请用“登记还款”。' : '只有本案申请人可以报告本案的还款。',
        en: `only the applicant of case ${state.referenceNo} may declare a repayment; the fund records repayments with RecordRepayment`,
        params: { action: type },
      });
    case 'WithdrawRepaymentDeclaration':
      // The borrower takes back their own report; the fund corrects its own records.
      if (actor.role === 'applicant' && actor.accountId === state.applicant?.accountId) return undefined;
      return asRefusal('forbidden', {
        code: 'applicant-only',
        zh: actor.role === 'official' ? '撤回还款申报由本案借款人（申请人）办理；基金工作人员不代为撤回。' : '只有本案申请人可以撤回本案的还款申报。',
        en: `only the applicant of case ${state.referenceNo} may withdraw a declaration of a repayment`,
        params: { action: type },
      });
    case 'PassComplianceReview':
    case 'FailComplianceReview':
      return officialRefusal(actor, CAC, '网信 content-compliance review') ?? supervisorRefusal(runningLimit(state.timeLimit, state.status), actor, CAC);
    case 'ExtendTimeLimit':
      // A director of the step's department, with the clock: extensionRefusal (loanUnavailableNow, ensureActionAllowed).
      return undefined;
    case 'ApproveFunding':
    case 'RejectFunding': {
      const refusal = officialRefusal(actor, FUND, 'the fund-committee decision') ?? supervisorRefusal(runningLimit(state.timeLimit, state.status), actor, FUND);
      if (refusal) return refusal;
      if (state.reviewerIds.includes(actor.accountId)) {
        return asRefusal('forbidden', {
          code: 'four-eyes',
          zh: '四眼原则：您审查过本案，不能再作评审决策，请由基金其他决策人办理。',
          en: `four-eyes rule: ${actor.displayName} reviewed case ${state.referenceNo} and may not also decide its funding`,
          params: { department: FUND },
        });
      }
      return undefined;
    }
    case 'RecordDisbursement':
    case 'RecordRepayment': {
      const refusal = officialRefusal(actor, FUND, type);
      if (refusal) return refusal;
      const money = MONEY_APART_FROM_APPROVAL[type];
      if (state.decidedBy?.accountId === actor.accountId && (patched?.(money.change) ?? true)) {
        return asRefusal('forbidden', {
          code: 'four-eyes',
          zh: `四眼原则：您批准了本案的资助，不能再登记本案的${money.zh}，请由基金其他工作人员办理。`,
          en: `four-eyes rule: ${actor.displayName} approved the funding of case ${state.referenceNo} and may not also record its ${money.en}`,
          params: { department: FUND },
        });
      }
      return undefined;
    }
    default:
      return officialRefusal(actor, FUND, type);
  }
}

function officialRefusal(actor: Actor, department: 'cac' | 'yangpu-fund', what: string): Refusal | undefined {
  if (isOfficialOf(actor, department)) return undefined;
  return asRefusal('forbidden', officialOnly(department, what));
}

function officialOnly(department: 'cac' | 'yangpu-fund', what: string) {
  const name = department === CAC ? '市委网信办' : '杨浦区 V聚场基金';
  return { code: 'department-official-only', zh: `此步骤由${name}工作人员办理。`, en: `${what} is done by an official of ${name}`, params: { department } };
}

/** Whether the case already holds money of the kind this action records (a disbursement, or repayments). */
function recordsMoneyAgain(state: ChuyingLoanState, action: ChuyingLoanCommand): boolean {
  return (action.type === 'RecordDisbursement' && state.disbursement !== undefined) || (action.type === 'RecordRepayment' && state.repayments.length > 0);
}

function requireOfficial(actor: Actor, department: 'cac' | 'yangpu-fund', what: string): void {
  if (!isOfficialOf(actor, department)) {
    throw forbidden(officialOnly(department, what));
  }
}

function nonEmptyList(field: string, values: readonly string[], what: { zh: string; en: string }): void {
  if (values.length === 0 || values.some((v) => v.trim() === '')) {
    throw validationError({ code: 'list-required', zh: `${what.zh}：至少填写一项，且每一项都不能空白。`, en: `${what.en}: give at least one, none blank`, params: { field } }, [
      { field, message: '至少填写一项，且每一项都不能空白', code: 'list-required', english: 'at least one non-blank entry' },
    ]);
  }
}

function checkActionContent(state: ChuyingLoanState, action: ChuyingLoanCommand, legacy: boolean, patched?: (changeId: string) => boolean): void {
  switch (action.type) {
    case 'RequestSupplement':
      nonEmptyList('missingItems', action.missingItems, { zh: '补正通知须列明全部缺件', en: 'a 补正 request lists every missing item' });
      return;
    case 'ProvideSupplement':
      checkSupplementReply(state.supplement?.missingItems ?? [], action.responses, legacy);
      return;
    case 'FailComplianceReview':
    case 'RejectFunding':
      nonEmptyList('reasons', action.reasons, { zh: '不予通过须写明理由', en: 'a refusal gives its reasons' });
      return;
    case 'ApproveFunding':
      if (!Number.isSafeInteger(action.approvedAmountFen) || action.approvedAmountFen <= 0) {
        throw validationError({ code: 'approved-amount-invalid', zh: '批准金额须大于 0 元，最多精确到分。', en: 'the approved amount must be a positive whole number of fen' }, [
          { field: 'approvedAmountFen', message: '须大于 0 元，最多精确到分', code: 'approved-amount-invalid', english: 'positive integer (fen)' },
        ]);
      }
      if (action.approvedAmountFen > state.requestedAmountFen) {
        throw validationError(
          {
            code: 'above-requested',
            zh: `批准金额 ${chineseAmount(action.approvedAmountFen)}超过申请金额 ${chineseAmount(state.requestedAmountFen)}：基金只能批准申请的金额或更少。`,
            en: `approved ${formatFen(action.approvedAmountFen)} exceeds the requested ${formatFen(state.requestedAmountFen)}; the committee may approve the same or less`,
            params: { amountFen: action.approvedAmountFen, requestedAmountFen: state.requestedAmountFen },
          },
          [{ field: 'approvedAmountFen', message: `不能超过申请金额 ${chineseAmount(state.requestedAmountFen)}`, code: 'above-requested', english: `at most ${formatFen(state.requestedAmountFen)}` }],
        );
      }
      {
        // A loan that cannot be split into its instalments can never be disbursed: it would wait at 待放款 for good.
        // The change is asked about only for such an amount, which the update's validator now refuses first:
        // so only a replayed approval from before it ever asks, and no other case records its marker.
        const tooSmall = tooSmallToRepay(action.approvedAmountFen, state.terms?.instalmentCount ?? CHUYING_LOAN_TERMS.instalmentCount);
        if (tooSmall && (patched?.(PRINCIPAL_REPAYABLE_PATCH) ?? true)) {
          throw validationError(tooSmall, [{ field: 'approvedAmountFen', message: tooSmall.zh.replace(/。$/, ''), code: tooSmall.code, english: tooSmall.en }]);
        }
        // Less than was asked is in part a refusal: the 决定书 gives the notes as its reasons, so a cut says why.
        // Asked about in the same way: only for a cut without notes, which the validator now refuses first.
        const cutFen = state.requestedAmountFen - action.approvedAmountFen;
        if (cutFen > 0 && action.notes.trim() === '' && (patched?.(CUT_GIVES_REASONS_PATCH) ?? true)) {
          throw validationError(
            {
              code: 'cut-needs-reasons',
              zh: `批准金额少于申请金额（核减 ${chineseAmount(cutFen)}），请在决定意见中写明核减的理由，决定书将载明。`,
              en: `the approval cuts ${formatFen(cutFen)} from the amount requested: give the reasons in the notes (the decision letter states them)`,
              params: { cutFen },
            },
            [{ field: 'notes', message: '核减金额须写明理由', code: 'cut-needs-reasons', english: 'give the reasons for the cut' }],
          );
        }
      }
      return;
    case 'RecordDisbursement':
      if (action.bankReference.trim() === '') {
        throw validationError({ code: 'bank-reference-required', zh: '登记放款须填写银行流水号。', en: 'a disbursement needs the bank reference' }, [
          { field: 'bankReference', message: '请填写银行流水号', code: 'bank-reference-required', english: 'required' },
        ]);
      }
      return;
    case 'RecordRepayment': {
      const outstanding = outstandingFen(state);
      if (!Number.isSafeInteger(action.amountFen) || action.amountFen <= 0) {
        throw validationError({ code: 'repayment-amount-invalid', zh: '还款金额须大于 0 元，最多精确到分。', en: 'a repayment must be a positive whole number of fen' }, [
          { field: 'amountFen', message: '须大于 0 元，最多精确到分', code: 'repayment-amount-invalid', english: 'positive integer (fen)' },
        ]);
      }
      if (action.amountFen > outstanding) {
        throw validationError(
          {
            code: 'above-outstanding',
            zh: `还款金额 ${chineseAmount(action.amountFen)}超过尚欠的 ${chineseAmount(outstanding)}。`,
            en: `repayment ${formatFen(action.amountFen)} exceeds the outstanding ${formatFen(outstanding)}`,
            params: { amountFen: action.amountFen, outstandingFen: outstanding },
          },
          [{ field: 'amountFen', message: `不能超过尚欠的 ${chineseAmount(outstanding)}`, code: 'above-outstanding', english: `at most ${formatFen(outstanding)}` }],
        );
      }
      return;
    }
    case 'DeclareRepayment':
      // A history recorded before the borrower could declare never took one: nothing to decide as then.
      if (legacy) throw illegalState({ code: 'declared-repayment-later', zh: '本案此时尚不能由借款人报告还款，请联系杨浦区 V聚场基金。', en: `case ${state.referenceNo} ran before a borrower could declare a repayment` });
      // Its reference is checked with the rest of what it says (checkDeclaration), so that every problem is told at once.
      return;
    case 'WithdrawRepaymentDeclaration':
      // A history recorded before the borrower could withdraw a declaration never took one.
      if (legacy) throw illegalState({ code: 'withdrew-declaration-later', zh: '本案此时尚不能撤回还款申报，请联系杨浦区 V聚场基金。', en: `case ${state.referenceNo} ran before a borrower could withdraw a declaration` });
      declarationToWithdraw(state, action);
      return;
    case 'CancelFunding':
      // A history recorded before the fund could cancel an approval never took one.
      if (legacy) throw illegalState({ code: 'cancelled-funding-later', zh: '本案此时尚不能撤销资助决定。', en: `case ${state.referenceNo} ran before the fund could cancel an approval` });
      nonEmptyList('reasons', action.reasons, { zh: '撤销资助决定须写明理由', en: 'a cancellation gives its reasons' });
      return;
    case 'RejectRepaymentDeclaration':
      // A history recorded before the fund could return a declaration never took one.
      if (legacy) throw illegalState({ code: 'rejected-declaration-later', zh: '本案此时尚不能退回还款申报。', en: `case ${state.referenceNo} ran before the fund could return a declaration` });
      // The borrower is told why: a return without its reason leaves them guessing what to put right.
      if (action.reason.trim() === '') {
        throw validationError({ code: 'reason-required', zh: '退回还款申报须写明理由，例如：未查到该笔到账、到账金额与申报不符。', en: 'a returned declaration gives its reason' }, [
          { field: 'reason', message: '请写明退回的理由', code: 'reason-required', english: 'give the reason' },
        ]);
      }
      declarationToReject(state, action);
      return;
    default:
      return;
  }
}

export function decideAction(state: ChuyingLoanState, action: ChuyingLoanCommand, context: ActionContext): ChuyingLoanEvent[] {
  const { actor, now } = context;
  ensureActionAllowed(state, action, context);
  // Money recorded once: the repeat of a recorded payment or disbursement records nothing.
  if (!context.legacy && (alreadyRecordedMoney(state, action) || declaredAgain(state, action) || withdrawnAgain(state, action) || rejectedAgain(state, action))) return [];
  const at = new Date(now).toISOString();
  const today = shanghaiDateOf(now);
  const by: ActorRef = { accountId: actor.accountId, displayName: actor.displayName };
  switch (action.type) {
    case 'RequestSupplement':
      return [
        {
          type: 'SupplementRequested',
          data: { by, missingItems: action.missingItems, requestedAt: at, replyDueOn: dayPeriodEndsOn(today, state.terms?.supplementReplyDays ?? 30, context.supplementReply), ...replyPeriodRecorded(context.supplementReply) },
        },
      ];
    case 'ProvideSupplement': {
      const { completeness, limitIfDeemedComplete } = context;
      if (completeness && completeness.startedOn > today) throw internalCheck(`the completeness window must be counted from the day of the reply, ${today} at the latest`);
      return [
        {
          type: 'SupplementProvided',
          data: { by, responses: action.responses, providedAt: at, ...(completeness ? { completeness } : {}), ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}) },
        },
      ];
    }
    case 'AcceptMaterials':
      return [{ type: 'MaterialsAccepted', data: { by, acceptedAt: at } }, ...nextStepLimitStarted(state, action.type, context.nextStepLimit, now)];
    case 'PassComplianceReview':
      return [{ type: 'ComplianceReviewPassed', data: { by, notes: action.notes, reviewedAt: at } }, ...nextStepLimitStarted(state, action.type, context.nextStepLimit, now)];
    case 'ExtendTimeLimit':
      return decideExtension(runningLimit(state.timeLimit, state.status), action, actor, now, context.extension);
    case 'FailComplianceReview':
      return [{ type: 'ComplianceReviewFailed', data: { by, reasons: action.reasons, reviewedAt: at } }];
    case 'ApproveFunding':
      // The pool is drawn as the approval is recorded, exactly: one beyond what remains is refused with the remaining amount (db/budget-ledger.ts).
      return [
        {
          type: 'FundingApproved',
          data: { by, approvedAmountFen: action.approvedAmountFen, notes: action.notes, decidedAt: at, budgetMovements: [fromPool('commit', action.approvedAmountFen)] },
        },
      ];
    case 'RejectFunding':
      return [{ type: 'FundingRejected', data: { by, reasons: action.reasons, decidedAt: at } }];
    case 'Withdraw': {
      // Declined once approved: the pool's commitment is given back, as the fund's own cancellation gives it.
      const released = state.status === 'awaiting-disbursement' ? { afterApproval: true as const, ...commitmentReleased(state) } : {};
      return [{ type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: action.reason || (state.status === 'awaiting-disbursement' ? '申请人放弃借款' : '申请人撤回'), withdrawnAt: at, ...released } }];
    }
    case 'CancelFunding':
      return [{ type: 'FundingCancelled', data: { by, reasons: action.reasons.map((r) => r.trim()), cancelledAt: at, ...commitmentReleased(state) } }];
    case 'RecordDisbursement': {
      if (action.disbursedOn > today) {
        throw validationError(
          { code: 'disbursed-on-in-future', zh: `放款日期${chineseDate(action.disbursedOn)}晚于今天（${chineseDate(today)}）。`, en: `disbursement date ${action.disbursedOn} is in the future (today is ${today})`, params: { disbursedOn: action.disbursedOn, today } },
          [{ field: 'disbursedOn', message: '不能晚于今天', code: 'disbursed-on-in-future', english: 'not after today' }],
        );
      }
      const schedule = context.schedule;
      const amountFen = state.approvedAmountFen ?? 0;
      if (!schedule || schedule.reduce((sum, i) => sum + i.amountFen, 0) !== amountFen) {
        throw internalCheck('the repayment schedule must be computed for the approved amount before the disbursement is recorded');
      }
      const paidFromPool = state.drawnFromPool ? { budgetMovements: [fromPool('pay', amountFen)] } : {};
      return [{ type: 'LoanDisbursed', data: { by, amountFen, disbursedOn: action.disbursedOn, bankReference: action.bankReference, schedule, recordedAt: at, ...paidFromPool } }];
    }
    case 'DeclareRepayment':
      // Told to the fund, which records the repayment once the transfer is in its account: nothing is settled here.
      return [{ type: 'RepaymentDeclared', data: { by, amountFen: action.amountFen, paidOn: action.paidOn, reference: action.reference.trim(), note: action.note.trim(), declaredAt: at } }];
    case 'WithdrawRepaymentDeclaration': {
      // Named as it was declared: no longer 待核对, and its reference free to be declared again.
      const declared = declarationToWithdraw(state, action);
      return [
        {
          type: 'RepaymentDeclarationWithdrawn',
          data: { by, reference: declared.reference, amountFen: declared.amountFen, paidOn: declared.paidOn, reason: action.reason.trim(), withdrawnAt: at },
        },
      ];
    }
    case 'RejectRepaymentDeclaration': {
      // Named as it was declared: no longer 待核对, and the borrower told why, to report it again if they did pay.
      const declared = declarationToReject(state, action);
      return [
        {
          type: 'RepaymentDeclarationRejected',
          data: { by, reference: declared.reference, amountFen: declared.amountFen, paidOn: declared.paidOn, reason: action.reason.trim(), rejectedAt: at },
        },
      ];
    }
    case 'RecordRepayment': {
      const allocations = allocateRepayment(state, action.amountFen);
      // Recorded otherwise than the borrower reported it: said in the record, so the notice tells them the difference.
      const report = unconfirmedDeclarations(state).find((d) => sameReference(d.reference, action.reference));
      const reported = report && (report.amountFen !== action.amountFen || report.paidOn !== action.paidOn) ? { reported: { amountFen: report.amountFen, paidOn: report.paidOn } } : {};
      const events: ChuyingLoanEvent[] = [
        {
          type: 'RepaymentRecorded',
          data: {
            by,
            amountFen: action.amountFen,
            paidOn: action.paidOn,
            reference: action.reference,
            allocations,
            recordedAt: at,
            ...reported,
            // Interest-free: all of a repayment is principal, lent again from the revolving pool.
            ...(state.drawnFromPool ? { budgetMovements: [fromPool('recover', action.amountFen)] } : {}),
          },
        },
      ];
      if (action.amountFen === outstandingFen(state)) {
        events.push({ type: 'LoanRepaid', data: { totalRepaidFen: state.repaidFen + action.amountFen, completedAt: at } });
      }
      return events;
    }
  }
}

/** A payment settles the oldest unpaid instalments first; a partial payment stays on the oldest. */
export function allocateRepayment(state: ChuyingLoanState, amountFen: Fen): { number: number; amountFen: Fen }[] {
  let left = amountFen;
  const allocations: { number: number; amountFen: Fen }[] = [];
  for (const instalment of state.instalments) {
    if (left === 0) break;
    const open = instalment.amountFen - instalment.paidFen;
    if (open <= 0) continue;
    const amount = Math.min(open, left);
    allocations.push({ number: instalment.number, amountFen: amount });
    left -= amount;
  }
  return allocations;
}

/** The instants at which the passing of time changes this case (deadlines, overdue thresholds). */
function timeThresholds(state: ChuyingLoanState): { at: number; event: (iso: string) => ChuyingLoanEvent | ChuyingLoanEvent[] }[] {
  const terms = state.terms;
  if (!terms) return [];
  if (state.status === 'completeness-check' && state.completeness) {
    const window = state.completeness;
    return [{ at: Date.parse(window.deadlineAt), event: (at) => [{ type: 'MaterialsDeemedComplete', data: { window, at } }, ...limitWhenDeemedComplete(state, at)] }];
  }
  const limit = runningLimit(state.timeLimit, state.status);
  const breachAt = breachThreshold(limit);
  if (breachAt !== undefined) return [{ at: breachAt, event: (at) => decideBreach(limit, Date.parse(at)) }];
  if (state.status === 'awaiting-supplement' && state.supplement) {
    const dueOn = state.supplement.replyDueOn;
    return [
      {
        at: endOfShanghaiDay(dueOn),
        event: (at) => ({
          type: 'ApplicationWithdrawn',
          data: { reason: 'supplement-not-provided', detail: `补正材料未在 ${dueOn} 前提交，视为撤回`, withdrawnAt: at },
        }),
      },
    ];
  }
  if (state.status !== 'repaying') return [];
  const thresholds: { at: number; event: (iso: string) => ChuyingLoanEvent }[] = [];
  for (const i of state.instalments) {
    const outstanding = i.amountFen - i.paidFen;
    if (outstanding <= 0) continue;
    const base = { number: i.number, dueOn: i.dueOn, outstandingFen: outstanding };
    if (!i.overdueSince) thresholds.push({ at: endOfShanghaiDay(i.dueOn), event: (at) => ({ type: 'InstalmentOverdue', data: { ...base, at } }) });
    if (!i.remindedAt) thresholds.push({ at: endOfShanghaiDay(addDays(i.dueOn, terms.reminderAfterDays)), event: (at) => ({ type: 'RepaymentReminderSent', data: { ...base, at } }) });
    if (!i.delinquentSince) thresholds.push({ at: endOfShanghaiDay(addDays(i.dueOn, terms.delinquentAfterDays)), event: (at) => ({ type: 'InstalmentDelinquent', data: { ...base, at } }) });
  }
  return thresholds;
}

/** The 网信 review's limit, counted when the completeness window was (the timer that deems the case complete looks nothing up). */
function limitWhenDeemedComplete(state: ChuyingLoanState, at: string): ChuyingLoanEvent[] {
  const counted = state.limitIfDeemedComplete;
  const step = loanStepLimit(state.terms, 'compliance-review');
  return counted && step ? [startTimeLimit(step, counted, Date.parse(at))] : [];
}

/** The next instant at which time alone will change the case, if any. */
export function nextTimeThreshold(state: ChuyingLoanState): number | undefined {
  const instants = timeThresholds(state).map((t) => t.at);
  return instants.length === 0 ? undefined : Math.min(...instants);
}

/** Events caused by time having reached `now`, in the order their thresholds passed. */
export function decideTimeElapsed(state: ChuyingLoanState, now: number): ChuyingLoanEvent[] {
  const at = new Date(now).toISOString();
  return timeThresholds(state)
    .filter((t) => t.at <= now)
    .sort((a, b) => a.at - b.at)
    .flatMap((t) => t.event(at));
}

/** Working days the fund promises to disburse an approved loan in (no source sets it: the office's own promise). */
export const DISBURSEMENT_WORKING_DAYS = 10;

/**
 * The disbursement's limit, started when an approved loan reaches 待放款 (the driver's
 * `limitOnArrival`), for loans whose terms promise limits at all.
 */
export function disbursementLimitOnArrival(state: ChuyingLoanState) {
  if (state.status !== 'awaiting-disbursement' || !state.terms?.timeLimits || runningLimit(state.timeLimit, state.status)) return undefined;
  return { step: { step: 'awaiting-disbursement', stepLabel: STATUS_LABELS['awaiting-disbursement'], department: FUND }, workingDays: DISBURSEMENT_WORKING_DAYS };
}

export interface NextStep {
  status: ChuyingLoanStatus;
  label: string;
  /** Whose move it is: 'applicant', an official's department, or nobody once the case is closed. */
  waitingFor: { role: 'applicant' | 'official'; department?: 'cac' | 'yangpu-fund'; note: string } | null;
  /** `provisional` when the date falls in a year whose holiday arrangement is not loaded. */
  deadline?: { kind: string; dueOn: LocalDate; at: string; provisional: boolean };
}

export function nextStep(state: ChuyingLoanState): NextStep {
  const label = STATUS_LABELS[state.status];
  const base = { status: state.status, label };
  const limit = runningLimit(state.timeLimit, state.status);
  const limited = limit ? { deadline: limitDeadline(limit) } : {};
  const overdue = limit?.escalatedAt ? '；已超期，已上报分管领导' : '';
  switch (state.status) {
    case 'completeness-check': {
      const window = state.completeness;
      return {
        ...base,
        waitingFor: { role: 'official', department: FUND, note: '基金工作人员审查材料完整性' },
        ...(window ? { deadline: { kind: 'completeness-check', dueOn: window.lastWorkingDay, at: window.deadlineAt, provisional: window.provisional } } : {}),
      };
    }
    case 'awaiting-supplement': {
      const dueOn = state.supplement!.replyDueOn;
      return {
        ...base,
        waitingFor: { role: 'applicant', note: `申请人补正：${state.supplement!.missingItems.join('、')}` },
        // Calendar days, their last day moved off a rest day: provisional while that day's year is not loaded.
        deadline: { kind: 'supplement-reply', dueOn, at: new Date(endOfShanghaiDay(dueOn)).toISOString(), provisional: Boolean(provisionalReplyPeriod(state.supplement)) },
      };
    }
    case 'compliance-review':
      return { ...base, ...limited, waitingFor: { role: 'official', department: CAC, note: `网信办内容合规审查${overdue}` } };
    case 'funding-decision':
      return { ...base, ...limited, waitingFor: { role: 'official', department: FUND, note: `基金评审委员会决策（不得由审查人担任）${overdue}` } };
    case 'awaiting-disbursement':
      return { ...base, ...limited, waitingFor: { role: 'official', department: FUND, note: `登记放款${overdue}` } };
    case 'repaying': {
      const next = state.instalments.find((i) => i.paidFen < i.amountFen);
      const owed = next ? `第 ${next.number} 期还款 ${formatFen(next.amountFen - next.paidFen)} 元` : '还款';
      // The instalment's day stays the loan's deadline, whoever moves next (counted in calendar days: domain/time/deadline-counting.ts).
      const deadline = next ? { deadline: { kind: 'instalment', dueOn: next.dueOn, at: new Date(endOfShanghaiDay(next.dueOn)).toISOString(), provisional: next.provisional } } : {};
      // A report of a repayment waiting to be checked is the fund's move: the loan is in its queue until each is recorded or withdrawn.
      const pending = unconfirmedDeclarations(state).length;
      if (pending > 0) {
        return { ...base, label: `${label}${DECLARATIONS_PENDING}`, waitingFor: { role: 'official', department: FUND, note: declarationsPendingNote(pending, owed) }, ...deadline };
      }
      return { ...base, waitingFor: { role: 'applicant', note: owed }, ...deadline };
    }
    default:
      return { ...base, waitingFor: null };
  }
}

/** What a repaying loan's step is called while a borrower's report waits for the fund (its queue line, its page). */
export const DECLARATIONS_PENDING = '，待核对还款申报';

/**
 * The fund's move while reports wait, with what the borrower owes next. Frozen in words in migration
 * 2026-12-05T03-10, which wrote it into the rows of loans with reports waiting: change both together.
 */
export function declarationsPendingNote(pending: number, owed: string): string {
  return `待核对还款申报 ${pending} 笔：与银行到账核对后登记还款（借款人下一期：${owed}）`;
}

export type InstalmentDisplayStatus = 'paid' | 'partially-paid' | 'due' | 'overdue' | 'delinquent';

export function instalmentStatus(i: { amountFen: Fen; paidFen: Fen; overdueSince?: string; delinquentSince?: string }): InstalmentDisplayStatus {
  if (i.paidFen >= i.amountFen) return 'paid';
  if (i.delinquentSince) return 'delinquent';
  if (i.overdueSince) return 'overdue';
  return i.paidFen > 0 ? 'partially-paid' : 'due';
}

/** The approval's reservation of the pool given back, where the approval drew it: the loan will not be disbursed. */
function commitmentReleased(state: ChuyingLoanState): { budgetMovements?: BudgetMovement[] } {
  return state.drawnFromPool && state.approvedAmountFen !== undefined ? { budgetMovements: [fromPool('release', state.approvedAmountFen)] } : {};
}

/** A movement of the 雏鹰 fund's revolving pool, by this loan. */
function fromPool(kind: BudgetMovement['kind'], amountFen: Fen): BudgetMovement {
  return { callId: CHUYING_FUND_CALL_ID, kind, amountFen };
}
