import { DEPARTMENTS, isDirectorOf, isOfficialOf, type Actor, type Department } from '../cases/actor.js';
import { decidePublicity, decidePublicityStart, decidePublicityTimeElapsed, ensurePublicityCommandAllowed, nextPublicityThreshold, objectionUnavailable, publicityNextStep } from '../publicity/decide.js';
import { initialPublicityState, pendingObjections } from '../publicity/state.js';
import { awardForPublicity, batchDecisionOf, callCloseOf, decideCallClose, isPublicObjector, isSystemActor, moves, publicityCommandOf, recordedBatch } from './in-call.js';
import { refusal as asRefusal, conflict, forbidden, illegalState, internalCheck, validationError, type Refusal, type Wording } from '../errors.js';
import { chineseAmount, formatFen, type Fen } from '../money/fen.js';
import { chineseDate, endOfShanghaiDay, shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import { looseReferenceKey, referenceUsedRefusal } from '../chuying/money.js';
import type { FieldIssue } from '../errors.js';
import { dayPeriodEndsOn } from '../time/day-periods.js';
import { checkSupplementReply, provisionalReplyPeriod, replyPeriodRecorded } from '../cases/supplement-reply.js';
import type { ApplicationFacts } from '../programmes/programme.js';
import { factLabel } from '../programmes/fact-sources.js';
import { unverifiedClaims, type FactSource } from '../registers/answer-facts.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { ApplicationActionContext, ApplicationCommand, ApplicationCommandType } from './commands.js';
import type { ActorRef, ApplicationAssessment, ApplicationCall, ApplicationDetails, ApplicationEvent, VerifiedFact, WorkingDayWindow } from './events.js';
import { amountFollowsFromRule, monthlyPaymentDueOn, planFor, planTotalFen, waiverEndsOn, waiverYear, type PayoutPlan } from './payouts.js';
import { evolveApplication, type ApplicationState, type ApplicationStatus, type DuePayout } from './state.js';
import { recountDue, recountReplaces } from '../time/recount.js';
import { ledgerItemId, type ApplicationTerms } from './terms.js';
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

export interface NewApplication {
  caseId: string;
  referenceNo: string;
  applicant: ActorRef;
  terms: ApplicationTerms;
  details: ApplicationDetails;
  /** The call it is submitted under (issue 13); absent for programmes not run by calls. */
  call?: ApplicationCall;
  /** Since issue 14: where each fact came from (the look-up of the registers). */
  factSources?: Partial<Record<string, FactSource>>;
}

/**
 * The submission, decided on the assessment the activity made against the catalogue version and
 * the whole awards ledger: any violation refuses it with the rules' own messages (the stacking one
 * names the existing award), and nothing is recorded.
 */
export function decideApplicationSubmission(
  application: NewApplication,
  assessment: ApplicationAssessment,
  completeness: WorkingDayWindow,
  now: number,
  limitIfDeemedComplete?: WorkingDayCount,
): ApplicationEvent[] {
  if (!assessment.eligible || assessment.violations.length > 0) {
    throw validationError(
      {
        code: 'not-eligible',
        zh: `${application.terms.name.zh}不予受理：${assessment.violations.map((v) => v.message).join('；')}`,
        en: `${application.terms.name.en} cannot be accepted: rules not met: ${assessment.violations.map((v) => v.rule).join(', ')}`,
        params: { programmeId: application.terms.programmeId },
      },
      assessment.violations.map((v) => ({ field: v.rule, message: v.message, code: v.rule })),
    );
  }
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        ...application,
        facts: assessment.facts,
        requestedAmountFen: assessment.facts.requestedAmountFen ?? null,
        maxAmountFen: assessment.maxAmountFen,
        amountRule: assessment.amountRule,
        submittedAt: new Date(now).toISOString(),
        submittedOn: shanghaiDateOf(now),
        completeness,
        ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}),
      },
    },
  ];
}

export const STEP_FOR_ACTION: Record<ApplicationCommandType, readonly ApplicationStatus[]> = {
  RequestSupplement: ['completeness-check'],
  AcceptMaterials: ['completeness-check'],
  VerifyFacts: ['completeness-check', 'compliance-review', 'review', 'panel-review'],
  ProvideSupplement: ['awaiting-supplement'],
  PassComplianceReview: ['compliance-review'],
  FailComplianceReview: ['compliance-review'],
  ScoreApplication: ['review'],
  ApproveApplication: ['review'],
  RejectApplication: ['review'],
  ReportLeftYangpu: ['paying'],
  RecordLeftYangpu: ['paying'],
  RecordPayout: ['paying'],
  Withdraw: ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review', 'panel-review'],
  ExtendTimeLimit: ['compliance-review', 'review', 'panel-review'],
  RecordBatchDecision: ['panel-review'],
  // Every step before the decision: a case at any of them counts from its call's close.
  RecordCallClose: ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review', 'panel-review'],
  LodgeObjection: ['publicity'],
  UpholdObjection: ['publicity'],
  DismissObjection: ['publicity'],
};

/** The official steps after the completeness check that carry a promised time limit, under terms that promise them. */
export type LimitedApplicationStep = 'compliance-review' | 'review';

/**
 * The step a case at `step` is limited at, whose officials act there and for how many working days,
 * or undefined where the case's terms promise no limits (cases opened before issue 13).
 */
export function applicationStepLimit(terms: ApplicationTerms | undefined, step: ApplicationStatus): { step: LimitedApplicationStep; stepLabel: string; department: Department; workingDays: number } | undefined {
  const limits = terms?.timeLimits;
  if (!terms || !limits) return undefined;
  if (step === 'compliance-review') return { step, stepLabel: APPLICATION_STATUS_LABELS[step], department: 'cac', workingDays: limits.contentReviewWorkingDays };
  if (step === 'review') return { step, stepLabel: APPLICATION_STATUS_LABELS[step], department: terms.department, workingDays: limits.decisionWorkingDays };
  return undefined;
}

/** The step a complete application goes to: the 网信 content review if its programme requires one, else review (the panel's, in a competitive call). */
export function stepAfterCompleteness(terms: ApplicationTerms, call?: ApplicationCall): ApplicationStatus {
  return terms.requiresContentReview ? 'compliance-review' : reviewStepOf(call);
}

/** A competitive call's panel reviews its applications, on the call's own timetable: the step promises no limit of its own. */
function reviewStepOf(call: ApplicationCall | undefined): ApplicationStatus {
  return call?.mode === 'competitive' ? 'panel-review' : 'review';
}

/** The step an action moves the case to, when that step has a time limit to look up first. */
export function limitedStepAfter(state: ApplicationState, type: ApplicationCommandType): ReturnType<typeof applicationStepLimit> {
  if (!state.terms) return undefined;
  if (type === 'AcceptMaterials') return applicationStepLimit(state.terms, stepAfterCompleteness(state.terms, state.call));
  if (type === 'PassComplianceReview') return applicationStepLimit(state.terms, reviewStepOf(state.call));
  return undefined;
}

/** The step's label while a payment is due and not yet recorded (the status stays 'paying'). */
export const PAYOUT_DUE_LABEL = '待拨付';

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  'not-submitted': '未提交',
  'completeness-check': '材料审查',
  'awaiting-supplement': '待补正',
  'compliance-review': '网信内容审查',
  review: '评审',
  'panel-review': '评审委员会评审',
  publicity: '公示中',
  paying: '发放中',
  completed: '已办结',
  withdrawn: '已撤回',
  rejected: '未通过',
  'withdrawn-after-publicity': '异议成立，资助撤销',
};

/** What each action is called: the case page's label for it (the module's action reads it here) and the refusals that name it. */
export const APPLICATION_ACTION_LABELS: Record<ApplicationCommandType, string> = {
  RequestSupplement: '要求补正',
  AcceptMaterials: '材料齐全，转网信审查',
  VerifyFacts: '核验事实',
  ProvideSupplement: '提交补正材料',
  PassComplianceReview: '内容合规审查通过',
  FailComplianceReview: '内容合规审查不通过',
  ScoreApplication: '评审打分',
  ApproveApplication: '给予支持',
  RejectApplication: '不予支持',
  ReportLeftYangpu: '报告迁离杨浦',
  RecordLeftYangpu: '登记申请人迁离杨浦',
  RecordPayout: '登记拨付',
  Withdraw: '撤回申请',
  ExtendTimeLimit: '延长办理时限',
  RecordBatchDecision: '记录批次决定',
  RecordCallClose: '记录申报截止时间变更',
  LodgeObjection: '提出异议',
  UpholdObjection: '异议成立',
  DismissObjection: '异议不成立',
};

const NOT_SUBMITTED = { code: 'not-submitted', zh: '本申请尚未提交。', en: 'the application has not been submitted' };
const AUDITOR_READS_ONLY = { code: 'auditor-read-only', zh: '审计人员只能查看案件，不能办理。', en: 'auditors read cases and change nothing' };

const terms = (state: ApplicationState): ApplicationTerms => {
  if (!state.terms) throw illegalState(NOT_SUBMITTED);
  return state.terms;
};
const departmentName = (department: Department) => DEPARTMENTS[department];

/**
 * Throws unless the action is allowed now, by this actor. Used by update validators (which must
 * not record anything) and by `decideApplicationAction` before it produces events.
 */
export function ensureApplicationActionAllowed(state: ApplicationState, action: ApplicationCommand, actor: Actor, now: number, legacy = false): void {
  if (actor.role === 'auditor') throw forbidden(AUDITOR_READS_ONLY);
  // The same batch delivered again is answered with what was recorded, at whatever step the case has reached.
  if (action.type === 'RecordBatchDecision' && isSystemActor(actor) && recordedBatch(state, action)) return;
  const allowed = STEP_FOR_ACTION[action.type];
  if (!allowed.includes(state.status)) {
    throw illegalState({
      code: 'not-at-this-step',
      zh: `${state.referenceNo ? `办件 ${state.referenceNo} ` : '本案'}目前处于“${APPLICATION_STATUS_LABELS[state.status]}”，不能办理“${APPLICATION_ACTION_LABELS[action.type]}”：此项只在${allowed.map((s) => `“${APPLICATION_STATUS_LABELS[s]}”`).join('、')}时办理。`,
      en: `${action.type} is not allowed while case ${state.referenceNo} is at step "${state.status}" (${APPLICATION_STATUS_LABELS[state.status]}); allowed at: ${allowed.join(', ')}`,
      params: { action: action.type, status: state.status, allowed: allowed.join(',') },
    });
  }
  const refusal = actorRefusal(state, action.type, actor);
  if (refusal) throw refusal.error;
  checkActionContent(state, action, actor, now, legacy);
}

export type { Refusal };

/**
 * Who may take an action of this type on this case (the step aside): the applicant of the case, an
 * official of the programme's department (of 市委网信办 for the content review), and never a reviewer
 * of the case deciding it (four-eyes). One rule, in two languages: the error the workflow refuses
 * with, and the reason the UI shows beside a disabled action.
 */
export function actorRefusal(state: ApplicationState, type: ApplicationCommandType, actor: Actor): Refusal | undefined {
  if (actor.role === 'auditor') return asRefusal('forbidden', AUDITOR_READS_ONLY);
  if (!state.terms) return asRefusal('illegal-state', NOT_SUBMITTED);
  const t = state.terms;
  switch (type) {
    case 'ProvideSupplement':
    case 'Withdraw':
    case 'ReportLeftYangpu':
      if (actor.role !== 'applicant' || actor.accountId !== state.applicant?.accountId) {
        return asRefusal('forbidden', { code: 'applicant-only', zh: `只有本案申请人可以${APPLICANT_ACTIONS_ZH[type]}。`, en: `only the applicant of case ${state.referenceNo} may ${APPLICANT_ACTIONS[type]}`, params: { action: type } });
      }
      return undefined;
    case 'PassComplianceReview':
    case 'FailComplianceReview':
      return officialRefusal(actor, 'cac', '网信 content review') ?? supervisorRefusal(runningLimit(state.timeLimit, state.status), actor, 'cac');
    case 'ExtendTimeLimit':
      // The director's own rules, with the clock, are extensionRefusal's (applicationUnavailableNow, checkActionContent).
      return undefined;
    case 'RecordBatchDecision':
      if (isSystemActor(actor)) return undefined;
      return asRefusal('forbidden', {
        code: 'recorded-by-system',
        zh: '评审结果和批次决定由系统根据处长批准的批次自动记录，不能手工办理。',
        en: `the panel's result and the director's batch decision on case ${state.referenceNo} are recorded by the system from the call, not by a person`,
      });
    case 'RecordCallClose':
      if (isSystemActor(actor)) return undefined;
      return asRefusal('forbidden', {
        code: 'recorded-by-system',
        zh: '申报截止时间的变更由系统根据申报批次自动记录，不能手工办理。',
        en: `a change of its call's close is recorded on case ${state.referenceNo} by the system, not by a person`,
      });
    case 'LodgeObjection':
      // Anyone may object during the 公示: the public without an account, and anyone signed in.
      return undefined;
    case 'UpholdObjection':
    case 'DismissObjection':
      return officialRefusal(actor, t.department, `the written answer to an objection on ${t.name.zh}`);
    case 'RecordLeftYangpu':
      // The officials who may decide the case (the module's grant names their duties): the applicant reports it with ReportLeftYangpu.
      return officialRefusal(actor, t.department, `recording that the applicant of ${t.name.zh} left 杨浦`);
    case 'RecordPayout': {
      const refusal = officialRefusal(actor, t.department, `recording a payment of ${t.name.zh}`);
      if (refusal) return refusal;
      // Four-eyes on the money: the one who approved the award does not also say it was paid.
      if (state.decidedBy?.accountId === actor.accountId) {
        return asRefusal('forbidden', {
          code: 'four-eyes-payout',
          zh: `四眼原则：您批准了本案的资助，不能再登记拨付，请由${departmentName(t.department)}其他工作人员登记。`,
          en: `four-eyes rule: ${actor.displayName} approved the award on case ${state.referenceNo} and may not also record its payment; another official of ${departmentName(t.department)} records it`,
          params: { department: t.department },
        });
      }
      return undefined;
    }
    case 'ApproveApplication':
    case 'RejectApplication': {
      const refusal = officialRefusal(actor, t.department, `the decision on ${t.name.zh}`) ?? supervisorRefusal(runningLimit(state.timeLimit, state.status), actor, t.department);
      if (refusal) return refusal;
      if (state.reviewerIds.includes(actor.accountId)) {
        return asRefusal('forbidden', {
          code: 'four-eyes',
          zh: `四眼原则：您审查过本案，不能再作决定，请由${departmentName(t.department)}其他未参与审查的人员决定。`,
          en: `four-eyes rule: ${actor.displayName} reviewed case ${state.referenceNo} and may not also decide it; another official of ${departmentName(t.department)} decides`,
          params: { department: t.department },
        });
      }
      return undefined;
    }
    default:
      return officialRefusal(actor, t.department, `${type} on ${t.name.zh}`);
  }
}

/** Whether this reviewer has scored the case: each scores once, so scoring is nothing left to do. */
export function hasScored(state: ApplicationState, actor: Actor): boolean {
  return state.scores.some((s) => s.by.accountId === actor.accountId);
}

const alreadyScored = (state: ApplicationState, actor: Actor): Wording => ({
  code: 'already-scored',
  zh: '您已为本案打分，每位评审只打一次分。',
  en: `${actor.displayName} has already scored case ${state.referenceNo}; each reviewer scores once`,
});

/**
 * Why an action the actor may take at this step still cannot be taken now, whatever the form says:
 * the rules of `checkActionContent` that read only the case (one 补正 request, its window, one
 * score per reviewer, the scores a decision needs, monthly 杨浦 payments). Undefined when the form decides.
 */
export function applicationUnavailableNow(state: ApplicationState, type: ApplicationCommandType, actor: Actor, now: number): string | undefined {
  const refusal = actorRefusal(state, type, actor);
  if (refusal) return refusal.zh;
  const t = state.terms!;
  switch (type) {
    case 'RequestSupplement': {
      if (state.supplementRounds > 0) return '补正须一次性告知：本案已发出过补正通知，请确认材料齐全，或待审查期限届满视为齐全。';
      const window = state.completeness;
      if (window && now >= Date.parse(window.deadlineAt)) return supplementWindowEnded(window).zh;
      return undefined;
    }
    case 'ScoreApplication':
      return hasScored(state, actor) ? alreadyScored(state, actor).zh : undefined;
    case 'ApproveApplication':
      if (state.scores.length < t.scoresRequired) return `须至少 ${t.scoresRequired} 位评审打分后才能决定，本案目前 ${state.scores.length} 位。`;
      return unverifiedRefusal(state);
    case 'VerifyFacts':
      return unverifiedClaims(state.factSources, state.verifiedFacts).length === 0 ? '本案没有待核验的申请人声明事实。' : undefined;
    case 'ReportLeftYangpu':
    case 'RecordLeftYangpu':
      if (state.stopped) return PAYOUTS_ALREADY_STOPPED.zh;
      return state.award?.plan.kind !== 'monthly' || t.family !== 'yangpu' ? '迁离杨浦只停止杨浦按月发放的补贴，本案不涉及。' : undefined;
    case 'RecordPayout':
      return state.duePayouts?.length ? undefined : NOTHING_DUE.zh;
    case 'ExtendTimeLimit':
      return extensionRefusal(runningLimit(state.timeLimit, state.status), actor, now)?.zh;
    case 'LodgeObjection':
      return objectionUnavailable(state.publicity ?? initialPublicityState(), now);
    case 'UpholdObjection':
    case 'DismissObjection':
      return state.publicity && pendingObjections(state.publicity).length > 0 ? undefined : '本案没有待答复的异议。';
    default:
      return undefined;
  }
}

const NOTHING_DUE = { code: 'no-payout-due', zh: '本案没有待拨付的款项。', en: 'no payment of this award is due and unrecorded' };
const PAYOUTS_ALREADY_STOPPED = { code: 'payouts-already-stopped', zh: '本案已因迁离杨浦停止发放，不能再次登记迁离。', en: 'the payments of this award already stopped on leaving 杨浦' };

/** The oldest payment due and not yet recorded: the only one that can be recorded now (payments are recorded in order). */
export function oldestDuePayout(state: ApplicationState): DuePayout | undefined {
  return state.duePayouts?.[0];
}

/**
 * A payment recorded (登记拨付): the amount is the one due, the day the money left is not before the
 * payment fell due (the plan pays nothing in advance) nor after today, and the transfer's bank reference
 * is given and not already one of this case's payments. Every problem at once, each at its field.
 * Another case's use of the reference is the look-up's (db/money-references.ts), before this runs.
 */
function checkPayoutRecord(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'RecordPayout' }>, today: LocalDate): void {
  const due = oldestDuePayout(state);
  if (!due) throw illegalState(NOTHING_DUE);
  const issues: FieldIssue[] = [];
  const what = `第 ${due.number} 笔${due.of > 1 ? `（共 ${due.of} 笔）` : ''}`;
  if (action.amountFen !== due.amountFen) {
    issues.push({ field: 'amountFen', message: `须等于应拨付的${what}金额 ${chineseAmount(due.amountFen)}`, code: 'payout-amount-not-due', english: `must equal the ${formatFen(due.amountFen)} due` });
  }
  if (action.paidOn > today) {
    issues.push({ field: 'paidOn', message: `不能晚于今天（${chineseDate(today)}）`, code: 'paid-on-in-future', english: `not after today, ${today}` });
  } else if (action.paidOn < due.dueOn) {
    issues.push({ field: 'paidOn', message: `不能早于该笔款项的应拨付日期${chineseDate(due.dueOn)}`, code: 'paid-on-before-due', english: `not before the payment fell due, ${due.dueOn}` });
  }
  if (action.bankReference.trim() === '') {
    issues.push({ field: 'bankReference', message: '请填写银行流水号（转账凭证号）', code: 'bank-reference-required', english: 'required: the bank reference of the transfer' });
  }
  if (issues.length > 0) {
    throw validationError({ code: 'payout-record-invalid', zh: `登记拨付有误：${issues.map((i) => i.message).join('；')}。`, en: `the payment record of case ${state.referenceNo} is not valid: ${issues.map((i) => i.english).join('; ')}`, params: { number: due.number } }, issues);
  }
  // This case's own earlier payment under the same reference (as the loan folds them): one transfer pays one payment.
  const key = looseReferenceKey(action.bankReference);
  const own = state.payouts.find((p) => p.bankReference !== undefined && looseReferenceKey(p.bankReference) === key);
  if (own) throw referenceUsedRefusal(action.bankReference, 'bankReference', { caseId: state.caseId, referenceNo: state.referenceNo, kind: 'payout', reference: own.bankReference!, own: true });
}

const APPLICANT_ACTIONS = {
  ProvideSupplement: 'answer its 补正 request',
  Withdraw: 'withdraw it',
  ReportLeftYangpu: 'report leaving 杨浦',
} as const;

const APPLICANT_ACTIONS_ZH = {
  ProvideSupplement: '答复补正',
  Withdraw: '撤回申请',
  ReportLeftYangpu: '报告迁离杨浦',
} as const;

function officialRefusal(actor: Actor, department: Department, what: string): Refusal | undefined {
  if (isOfficialOf(actor, department)) return undefined;
  return asRefusal('forbidden', { code: 'department-official-only', zh: `此步骤由${departmentName(department)}工作人员办理。`, en: `${what} is done by an official of ${departmentName(department)}`, params: { department } });
}

function nonEmptyList(field: string, values: readonly string[], what: { zh: string; en: string }): void {
  if (values.length === 0 || values.some((v) => v.trim() === '')) {
    throw validationError({ code: 'list-required', zh: `${what.zh}：至少填写一项，且每一项都不能空白。`, en: `${what.en}: give at least one, none blank`, params: { field } }, [
      { field, message: '至少填写一项，且每一项都不能空白', code: 'list-required', english: 'at least one non-blank entry' },
    ]);
  }
}

/** The 补正 window has closed: what the applicant sent is deemed complete. */
function supplementWindowEnded(window: WorkingDayWindow) {
  return {
    code: 'supplement-window-ended',
    zh: `告知补正的 ${window.workingDays} 个工作日已于${chineseDate(window.lastWorkingDay)}24时届满，材料视为齐全。`,
    en: `the ${window.workingDays} working days to list missing items ended at 24:00 on ${window.lastWorkingDay}; the application is deemed complete`,
    params: { workingDays: window.workingDays, lastWorkingDay: window.lastWorkingDay },
  };
}

/**
 * Why money may not yet be decided on the case: the claimed facts no official has verified, named
 * (since issue 14; a case opened before has no fact sources and none).
 */
export function unverifiedRefusal(state: ApplicationState): string | undefined {
  const open = unverifiedClaims(state.factSources, state.verifiedFacts);
  if (open.length === 0) return undefined;
  return `以下申请人声明的事实尚未核验，不能据以决定资助：${open.map(factLabel).join('、')}。请先由审查人员核验（“核验事实”），注明核对的依据。`;
}

/** Verified facts must be the case's own claims, not yet verified, each with what it was checked against. */
function checkVerifiedFacts(state: ApplicationState, verified: readonly VerifiedFact[]): void {
  if (verified.length === 0) throw validationError('请至少核验一项申请人声明的事实。', [{ field: 'verifiedFacts', message: '至少一项' }]);
  // Every fact sent verified already (a form sent twice): a repeat, answered as other repeats are (409), saying by whom and on what.
  const done = verified.map((v) => state.verifiedFacts?.[v.fact]);
  if (done.every((d) => d !== undefined)) {
    const said = verified.map((v, i) => `${factLabel(v.fact)}已由${done[i]!.by.displayName}于${chineseDate(shanghaiDateOf(Date.parse(done[i]!.verifiedAt)))}核验（依据：${done[i]!.against}）`);
    throw illegalState({
      code: 'facts-verified-already',
      zh: `${said.join('；')}，无需再次核验。`,
      en: `already verified: ${verified.map((v) => v.fact).join(', ')}`,
      params: { facts: verified.map((v) => v.fact).join(',') },
    });
  }
  const open = unverifiedClaims(state.factSources, state.verifiedFacts);
  const issues = verified.flatMap((v, i) => {
    if (!open.includes(v.fact)) {
      const source = state.factSources?.[v.fact];
      const why = source?.source === 'register' ? '已由登记名录核对' : state.verifiedFacts?.[v.fact] ? '已核验' : '不是本案申请人声明的事实';
      return [{ field: `verifiedFacts.${i}.fact`, message: `${factLabel(v.fact)}${why}` }];
    }
    return v.against.trim() === '' ? [{ field: `verifiedFacts.${i}.against`, message: `请说明${factLabel(v.fact)}核对的依据` }] : [];
  });
  if (new Set(verified.map((v) => v.fact)).size !== verified.length) issues.push({ field: 'verifiedFacts', message: '同一事实只核验一次' });
  if (issues.length > 0) throw validationError(`核验事实有误：${issues.map((i) => i.message).join('；')}`, issues);
}

function checkActionContent(state: ApplicationState, action: ApplicationCommand, actor: Actor, now: number, legacy: boolean): void {
  const t = terms(state);
  switch (action.type) {
    case 'VerifyFacts':
      checkVerifiedFacts(state, action.verifiedFacts);
      return;
    case 'RequestSupplement': {
      nonEmptyList('missingItems', action.missingItems, { zh: '补正通知须列明全部缺件', en: 'a 补正 request lists every missing item' });
      if (state.supplementRounds > 0) {
        throw illegalState({
          code: 'supplement-once',
          zh: '补正须一次性告知：本案已发出过补正通知，请确认材料齐全，或待审查期限届满视为齐全。',
          en: `a 补正 request lists every missing item at once (一次性告知): case ${state.referenceNo} already had its request; accept the materials, or the case is deemed complete when the window closes`,
        });
      }
      const window = state.completeness;
      if (window && now >= Date.parse(window.deadlineAt)) throw illegalState(supplementWindowEnded(window));
      return;
    }
    case 'ProvideSupplement':
      checkSupplementReply(state.supplement?.missingItems ?? [], action.responses, legacy);
      return;
    case 'FailComplianceReview':
    case 'RejectApplication':
      nonEmptyList('reasons', action.reasons, { zh: '不予通过须写明理由', en: 'a refusal gives its reasons' });
      return;
    case 'ExtendTimeLimit':
      checkExtension(runningLimit(state.timeLimit, state.status), action, actor, now);
      return;
    case 'RecordBatchDecision':
      batchDecisionOf(state, action);
      return;
    case 'RecordCallClose':
      callCloseOf(state, action);
      return;
    case 'LodgeObjection':
    case 'UpholdObjection':
    case 'DismissObjection': {
      // The objection's id and the contact's vault reference are the workflow's and the route's: checked here as present.
      ensurePublicityCommandAllowed(state.publicity ?? initialPublicityState(), publicityCommandOf(action), { actor: isPublicObjector(actor) ? undefined : actor, now, objectionId: 'to-be-assigned', ...(action.type === 'LodgeObjection' && action.contactRef ? { contactRef: action.contactRef } : {}) });
      if (action.type === 'UpholdObjection' && action.remedy.kind === 'reduce' && amountFollowsFromRule(t.payout)) {
        throw validationError(
          { code: 'remedy-withdraw-only', zh: `${t.name.zh}的金额按规则确定（${state.amountRule}），异议成立时只能撤销资助，不能调整金额。`, en: `the amount of ${t.name.en} follows from its rule: an upheld objection withdraws the award, it cannot lower it` },
          [{ field: 'remedy', message: '只能撤销', code: 'remedy-withdraw-only', english: 'withdraw only' }],
        );
      }
      return;
    }
    case 'ScoreApplication':
      if (!Number.isInteger(action.score) || action.score < 0 || action.score > 100) {
        throw validationError(
          { code: 'score-out-of-range', zh: `评分须为 0 至 100 的整数，填写的是 ${action.score}。`, en: `a score is a whole number from 0 to 100; got ${action.score}`, params: { score: action.score } },
          [{ field: 'score', message: '须为 0 至 100 的整数', code: 'score-out-of-range', english: '0–100' }],
        );
      }
      if (hasScored(state, actor)) throw illegalState(alreadyScored(state, actor));
      return;
    case 'ApproveApplication': {
      if (state.scores.length < t.scoresRequired) {
        throw illegalState({
          code: 'scores-required',
          zh: `须至少 ${t.scoresRequired} 位评审打分后才能决定，本案目前 ${state.scores.length} 位。`,
          en: `${t.name.en} is decided after at least ${t.scoresRequired} reviewer score(s); case ${state.referenceNo} has ${state.scores.length}`,
          params: { scoresRequired: t.scoresRequired, scores: state.scores.length },
        });
      }
      const unverified = unverifiedRefusal(state);
      if (unverified) {
        const open = unverifiedClaims(state.factSources, state.verifiedFacts);
        throw illegalState({ code: 'facts-unverified', zh: unverified, en: `claimed facts not yet verified (VerifyFacts first): ${open.join(', ')}`, params: { facts: open.join(',') } });
      }
      const amount = approvedAmount(state, action, shanghaiDateOf(now));
      if (amount !== null && amount > t.directorThresholdFen && !isDirectorOf(actor, t.department)) {
        throw forbidden({
          code: 'director-approval-required',
          zh: `批准金额 ${chineseAmount(amount)}超过 ${chineseAmount(t.directorThresholdFen)}，须由${departmentName(t.department)}处长审批；${actor.displayName}不是处长。`,
          en: `approving ${formatFen(amount)} is above ${formatFen(t.directorThresholdFen)}: it needs a director of ${departmentName(t.department)}; ${actor.displayName} is not one`,
          params: { amountFen: amount, thresholdFen: t.directorThresholdFen, department: t.department },
        });
      }
      return;
    }
    case 'RecordPayout':
      checkPayoutRecord(state, action, shanghaiDateOf(now));
      return;
    case 'ReportLeftYangpu':
    case 'RecordLeftYangpu': {
      if (state.stopped) throw illegalState(PAYOUTS_ALREADY_STOPPED);
      if (state.award?.plan.kind !== 'monthly' || t.family !== 'yangpu') {
        throw illegalState({ code: 'not-monthly-yangpu', zh: '迁离杨浦只停止杨浦按月发放的补贴，本案不涉及。', en: `leaving 杨浦 stops monthly 杨浦 payments; ${t.name.en} pays ${state.award?.plan.kind ?? 'nothing'}` });
      }
      const today = shanghaiDateOf(now);
      if (action.type === 'RecordLeftYangpu') {
        // A history recorded before the department could record it never took one: nothing to decide as then.
        if (legacy) throw illegalState({ code: 'recorded-by-department-later', zh: '本案此时尚不能由主管部门登记迁离杨浦，请由申请人报告。', en: `case ${state.referenceNo} ran before a department could record the applicant leaving 杨浦` });
        if (action.note.trim() === '') {
          throw validationError(
            { code: 'note-required', zh: '请写明本局如何得知申请人已迁离杨浦，例如：市场监管登记迁出、实地走访核实。', en: 'say how the office knows the applicant left 杨浦 (the market regulation register, a site visit)' },
            [{ field: 'note', message: '请写明如何得知，例如：市场监管登记迁出', code: 'note-required', english: 'required: how the office knows' }],
          );
        }
      } else if (legacy) {
        if (action.leftOn > today) {
          throw validationError(
            { code: 'left-on-in-future', zh: `迁离日期${chineseDate(action.leftOn)}晚于今天（${chineseDate(today)}）：请在迁离后再报告。`, en: `the day of leaving, ${action.leftOn}, is in the future (today is ${today}); report it once it has happened`, params: { leftOn: action.leftOn, today } },
            [{ field: 'leftOn', message: '不能晚于今天', code: 'left-on-in-future', english: 'not after today' }],
          );
        }
        return;
      }
      checkLeftOn(state.award.plan.startOn, action.leftOn, today);
      return;
    }
    default:
      return;
  }
}

/**
 * The day of leaving, whoever reports it: from the subsidy's first day to today. Leaving before the
 * subsidy started would make payments recoverable that were never due.
 */
function checkLeftOn(startOn: LocalDate, leftOn: LocalDate, today: LocalDate): void {
  const allowed = `迁离日期须在补贴起始日（含）至今天（含）之间，即${chineseDate(startOn)}至${chineseDate(today)}`;
  const english = `the day of leaving must be from the subsidy's first day, ${startOn}, to today, ${today}`;
  const issue = { field: 'leftOn', message: `须在${chineseDate(startOn)}（补贴起始日）至${chineseDate(today)}（今天）之间`, code: 'left-on-out-of-range', english };
  const params = { leftOn, startOn, today };
  if (leftOn < startOn) throw validationError({ code: 'left-on-out-of-range', zh: `迁离日期${chineseDate(leftOn)}早于补贴起始日${chineseDate(startOn)}：${allowed}`, en: `${english}; ${leftOn} is before it`, params }, [issue]);
  if (leftOn > today) throw validationError({ code: 'left-on-out-of-range', zh: `迁离日期${chineseDate(leftOn)}晚于今天${chineseDate(today)}：请在迁离后再报告；${allowed}`, en: `${english}; ${leftOn} is in the future`, params }, [issue]);
}

/**
 * The amount an approval grants: the approver's for one-off payments and vouchers (at most the
 * request and the rule's maximum), the rule's own for monthly subsidies and rent waivers, and none
 * for services. Null where nothing is paid.
 */
export function approvedAmount(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'ApproveApplication' }>, today: LocalDate): Fen | null {
  const t = terms(state);
  const given = action.approvedAmountFen;
  if (t.payout.kind === 'none') {
    if (given !== undefined) {
      throw validationError({ code: 'amount-not-paid', zh: `${t.name.zh}不发放资金：批准时不填写批准金额。`, en: `${t.name.en} is a ${t.caseKind} and pays no money; approve it without approvedAmountFen` }, [
        { field: 'approvedAmountFen', message: '本事项不发放资金，不填写', code: 'amount-not-paid', english: 'not allowed: nothing is paid' },
      ]);
    }
    return null;
  }
  if (amountFollowsFromRule(t.payout)) {
    if (given !== undefined) {
      throw validationError({ code: 'amount-set-by-rule', zh: `${t.name.zh}的金额按规则确定（${state.amountRule}）：批准时不填写批准金额。`, en: `the amount of ${t.name.en} follows from its rule (${state.amountRule}); approve it without approvedAmountFen` }, [
        { field: 'approvedAmountFen', message: '金额按规则确定，不填写', code: 'amount-set-by-rule', english: 'not allowed: the rule sets the amount' },
      ]);
    }
    return planTotalFen(payoutPlan(state, null, today));
  }
  const amount = given ?? state.requestedAmountFen ?? (t.amount.kind === 'fixed' ? t.amount.amountFen : state.maxAmountFen);
  if (amount === null) {
    throw validationError({ code: 'approved-amount-required', zh: `${t.name.zh}没有申请金额：请填写批准金额。`, en: `${t.name.en} has no requested amount: give approvedAmountFen` }, [
      { field: 'approvedAmountFen', message: '请填写批准金额', code: 'approved-amount-required', english: 'required: a positive whole number of fen' },
    ]);
  }
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw validationError({ code: 'approved-amount-invalid', zh: '批准金额须大于 0 元，最多精确到分。', en: 'the approved amount must be a positive whole number of fen' }, [
      { field: 'approvedAmountFen', message: '须大于 0 元，最多精确到分', code: 'approved-amount-invalid', english: 'positive integer (fen)' },
    ]);
  }
  if (state.requestedAmountFen !== null && amount > state.requestedAmountFen) {
    throw validationError(
      {
        code: 'above-requested',
        zh: `批准金额 ${chineseAmount(amount)}超过申请金额 ${chineseAmount(state.requestedAmountFen)}：只能批准申请的金额或更少。`,
        en: `approved ${formatFen(amount)} exceeds the requested ${formatFen(state.requestedAmountFen)}; the approver may approve the same or less`,
        params: { amountFen: amount, requestedAmountFen: state.requestedAmountFen },
      },
      [{ field: 'approvedAmountFen', message: `不能超过申请金额 ${chineseAmount(state.requestedAmountFen)}`, code: 'above-requested', english: `at most ${formatFen(state.requestedAmountFen)}` }],
    );
  }
  if (state.maxAmountFen !== null && amount > state.maxAmountFen) {
    throw validationError(
      {
        code: 'above-programme-maximum',
        zh: `批准金额 ${chineseAmount(amount)}超过${t.name.zh}的上限：${state.amountRule}`,
        en: `approved ${formatFen(amount)} exceeds what ${t.name.en} allows: ${state.amountRule}`,
        params: { amountFen: amount, maxAmountFen: state.maxAmountFen },
      },
      [{ field: 'approvedAmountFen', message: `不能超过 ${chineseAmount(state.maxAmountFen)}`, code: 'above-programme-maximum', english: `at most ${formatFen(state.maxAmountFen)}` }],
    );
  }
  return amount;
}

function payoutPlan(state: ApplicationState, amount: Fen | null, startOn: LocalDate): PayoutPlan {
  const t = terms(state);
  const plan = planFor(t.payout, t.amount, state.facts, amount ?? undefined, startOn);
  if (!plan) throw internalCheck(`the payout plan of ${t.name.en} needs facts this case does not hold (${t.payout.kind})`);
  return plan;
}

/**
 * The facts an approval is re-checked with against the ledger as it is now: the same facts, the
 * approved amount as the amount asked for. The workflow sends them to the assessment activity.
 */
export function awardCheckFacts(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'ApproveApplication' }>, now: number): ApplicationFacts {
  const amount = approvedAmount(state, action, shanghaiDateOf(now));
  const approverSetsAmount = amount !== null && !amountFollowsFromRule(terms(state).payout);
  return approverSetsAmount ? { ...state.facts, requestedAmountFen: amount } : { ...state.facts };
}

/**
 * The facts a batch's selection is re-checked with against the ledger as it is now: the amount the
 * list awards it as the amount asked for (where an approver sets amounts), as for an approval.
 */
export function batchAwardCheckFacts(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'RecordBatchDecision' }>): ApplicationFacts | undefined {
  const decision = action.records.find((r) => r.type === 'BatchDecisionRecorded');
  if (decision?.data.decision !== 'selected') return undefined;
  const amount = decision.data.amountFen;
  return amount && !amountFollowsFromRule(terms(state).payout) ? { ...state.facts, requestedAmountFen: amount } : { ...state.facts };
}

export function decideApplicationAction(state: ApplicationState, action: ApplicationCommand, context: ApplicationActionContext): ApplicationEvent[] {
  const { actor, now } = context;
  ensureApplicationActionAllowed(state, action, actor, now, context.legacy);
  const at = new Date(now).toISOString();
  const today = shanghaiDateOf(now);
  const by: ActorRef = { accountId: actor.accountId, displayName: actor.displayName };
  const t = terms(state);
  switch (action.type) {
    case 'RequestSupplement':
      return [{ type: 'SupplementRequested', data: { by, missingItems: action.missingItems, requestedAt: at, replyDueOn: dayPeriodEndsOn(today, t.supplementReplyDays, context.supplementReply), ...replyPeriodRecorded(context.supplementReply) } }];
    case 'ProvideSupplement': {
      if (!context.completeness) throw internalCheck('the completeness window must be computed before the reply is recorded');
      const following = context.limitIfDeemedComplete;
      return [{ type: 'SupplementProvided', data: { by, responses: action.responses, providedAt: at, completeness: context.completeness, ...(following ? { limitIfDeemedComplete: following } : {}) } }];
    }
    case 'AcceptMaterials':
      return [{ type: 'MaterialsAccepted', data: { by, acceptedAt: at } }, ...nextStepLimitStarted(state, action.type, context.nextStepLimit, now)];
    case 'VerifyFacts':
      return [factsVerified(by, action.verifiedFacts, at)];
    case 'PassComplianceReview':
      return [{ type: 'ComplianceReviewPassed', data: { by, notes: action.notes, reviewedAt: at } }, ...nextStepLimitStarted(state, action.type, context.nextStepLimit, now)];
    case 'ExtendTimeLimit':
      return decideExtension(runningLimit(state.timeLimit, state.status), action, actor, now, context.extension);
    case 'FailComplianceReview':
      return [{ type: 'ComplianceReviewFailed', data: { by, reasons: action.reasons, reviewedAt: at } }];
    case 'ScoreApplication':
      return [{ type: 'ApplicationScored', data: { by, score: action.score, comments: action.comments, scoredAt: at } }];
    case 'RejectApplication':
      return [{ type: 'ApplicationRejected', data: { by, reasons: action.reasons, decidedAt: at } }];
    case 'Withdraw':
      return [{ type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: action.reason || '申请人撤回', withdrawnAt: at } }];
    case 'ApproveApplication':
      return decideApproval(state, action, context);
    case 'ReportLeftYangpu':
      return decideLeftYangpu(state, action.leftOn, { type: 'LeftYangpuReported', data: { by, leftOn: action.leftOn, note: action.note, reportedAt: at } }, at);
    case 'RecordLeftYangpu':
      return decideLeftYangpu(state, action.leftOn, { type: 'LeftYangpuRecorded', data: { by, department: t.department, leftOn: action.leftOn, note: action.note.trim(), recordedAt: at } }, at);
    case 'RecordPayout':
      return decidePayoutRecorded(state, action, by, at);
    case 'RecordBatchDecision':
      return decideBatchDecision(state, action, context);
    case 'RecordCallClose':
      return decideCallClose(state, action, now, context.callCloseRecount);
    case 'LodgeObjection':
      if (!context.objectionId) throw internalCheck('an objection needs its id from the workflow');
      return decidePublicity(publicityCommandOf(action), state.publicity!, {
        now,
        objectionId: context.objectionId,
        ...(isPublicObjector(actor) ? {} : { actor }),
        ...(action.contactRef ? { contactRef: action.contactRef } : {}),
      });
    case 'UpholdObjection':
    case 'DismissObjection':
      return decideObjectionAnswer(state, action, actor, now, context.paidOnRecord);
  }
}

/**
 * The oldest due payment recorded as paid: it counts as paid from here (已发放), and the money moves
 * against the call's budget here, once. The case completes with the last payment it is to make.
 */
function decidePayoutRecorded(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'RecordPayout' }>, by: ActorRef, at: string): ApplicationEvent[] {
  const due = oldestDuePayout(state)!;
  const recorded: ApplicationEvent = {
    type: 'PayoutRecorded',
    data: { number: due.number, of: due.of, amountFen: due.amountFen, dueOn: due.dueOn, paidOn: action.paidOn, bankReference: action.bankReference.trim(), by, recordedAt: at, ...moves(state, 'pay', due.amountFen) },
  };
  const after = evolveApplication(state, recorded);
  return allPaid(after) ? [recorded, { type: 'ApplicationCompleted', data: { completedAt: at, totalPaidFen: after.totalPaidFen } }] : [recorded];
}

/** Whether an award paid on record has nothing more to pay: every payment recorded, or stopped with none owed. */
function allPaid(state: ApplicationState): boolean {
  const plan = state.award?.plan;
  if ((state.duePayouts?.length ?? 0) > 0 || !plan) return false;
  if (state.stopped) return true;
  if (plan.kind === 'one-off') return state.payouts.length >= 1;
  return plan.kind === 'monthly' && state.payouts.length >= plan.months;
}

/** Plans whose payments an official records (since PAYOUTS_RECORDED_PATCH): money paid out. Vouchers are issued, waivers pay nothing. */
const paidOnRecordKinds: ReadonlySet<PayoutPlan['kind']> = new Set(['one-off', 'monthly']);

/** Whether an award of this plan is paid on record: asked (the workflow's patched()) only for a plan whose payments an official records. */
function paidOnRecordFor(plan: PayoutPlan, ask: (() => boolean) | undefined): { paidOnRecord?: true } {
  if (!paidOnRecordKinds.has(plan.kind)) return {};
  return (ask ? ask() : true) ? { paidOnRecord: true } : {};
}

function factsVerified(by: ActorRef, facts: readonly VerifiedFact[], at: string): ApplicationEvent {
  return { type: 'FactsVerified', data: { by, facts: facts.map((f) => ({ fact: f.fact, against: f.against.trim() })), verifiedAt: at } };
}

/**
 * The director's batch decision on a competitive call, delivered to each case in it: the panel's
 * records first, then the decision itself — selected: the approval at the batch's amount (its
 * commitment against the call's budget) and the 公示; not selected: the rejection with the reason.
 */
function decideBatchDecision(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'RecordBatchDecision' }>, context: ApplicationActionContext): ApplicationEvent[] {
  const decision = batchDecisionOf(state, action).data;
  const records: ApplicationEvent[] = action.records;
  if (decision.decision === 'not-selected') {
    return [...records, { type: 'ApplicationRejected', data: { by: decision.by, reasons: [decision.reason ?? '未入选本批次资助名单。'], decidedAt: decision.decidedAt, batchId: action.batchId } }];
  }
  const t = terms(state);
  // Since issue 14: a selection cannot award money on facts the applicant claimed and nobody verified.
  const unverified = unverifiedRefusal(state);
  if (unverified) {
    return [...records, { type: 'ApplicationRejected', data: { by: decision.by, reasons: [`经评审列入资助名单，但${unverified}`], decidedAt: decision.decidedAt, batchId: action.batchId } }];
  }
  const conflicts = context.awardCheck?.violations ?? [];
  if (conflicts.length > 0) {
    // Selected by the panel, but an award that does not stack with it landed since the application was accepted: the list cannot change the rules.
    const reason = `经评审列入资助名单，但${conflicts.map((v) => v.message).join('；')}，依规不予支持。`;
    return [...records, { type: 'ApplicationRejected', data: { by: decision.by, reasons: [reason], decidedAt: decision.decidedAt, batchId: action.batchId } }];
  }
  const amount = amountFollowsFromRule(t.payout) ? planTotalFen(payoutPlan(state, null, decision.decidedOn as LocalDate)) : decision.amountFen!;
  const rank = action.records.find((r) => r.type === 'PanelReviewRecorded')?.data;
  const approved: ApplicationEvent = {
    type: 'ApplicationApproved',
    data: {
      by: decision.by,
      approvedAmountFen: amount,
      notes: rank && 'rank' in rank ? `经评审委员会评审，排名第 ${rank.rank} 位（共 ${rank.rankedOf} 位），列入资助名单，经处长批准。` : '经评审委员会评审，列入资助名单，经处长批准。',
      decidedAt: decision.decidedAt,
      decidedOn: decision.decidedOn as LocalDate,
      byDirector: true,
      batchId: action.batchId,
      ...moves(state, 'commit', amount),
    },
  };
  return [...records, approved, ...publicityStarted(state, amount, context)];
}

/** An award in a call goes on the 公示 list from the day of its approval, for the call's working days. */
function publicityStarted(state: ApplicationState, amountFen: Fen, context: ApplicationActionContext): ApplicationEvent[] {
  const window = context.publicityWindow;
  if (!window) throw internalCheck('the 公示 window must be computed before an award in a call is approved');
  if (window.workingDays !== state.call!.publicityWorkingDays) throw internalCheck(`the 公示 of call ${state.call!.callId} lasts ${state.call!.publicityWorkingDays} working days, not ${window.workingDays}`);
  return decidePublicityStart(initialPublicityState(), awardForPublicity(state, amountFen), window, context.now);
}

/**
 * The department's written answer to an objection. Upheld, the award is withdrawn (the case ends,
 * its commitment released) or lowered (the difference released); the last answer after the 公示
 * ended makes the award final at once, and it is granted and paid as any award.
 */
function decideObjectionAnswer(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'UpholdObjection' | 'DismissObjection' }>, actor: Actor, now: number, paidOnRecord?: () => boolean): ApplicationEvent[] {
  const answered = decidePublicity(publicityCommandOf(action), state.publicity!, { actor, now });
  const events: ApplicationEvent[] = [];
  for (const event of answered) {
    if (event.type === 'AwardFinalised') continue;
    events.push(event);
    if (event.type !== 'ObjectionUpheld') continue;
    const d = event.data;
    if (d.remedy.kind === 'withdraw') {
      events.push({ type: 'AwardWithdrawnAfterPublicity', data: { objectionId: d.objectionId, by: d.by, answer: d.answer, amountFen: d.previousAmountFen, withdrawnAt: d.answeredAt, ...moves(state, 'release', state.committedFen ?? 0) } });
    } else {
      const released = d.previousAmountFen - d.remedy.amountFen;
      events.push({ type: 'ApprovedAmountReduced', data: { objectionId: d.objectionId, by: d.by, answer: d.answer, fromFen: d.previousAmountFen, toFen: d.remedy.amountFen, reducedAt: d.answeredAt, ...moves(state, 'release', released) } });
    }
  }
  // Finalisation, the grant and what falls due at once follow from the answered case as time does.
  return [...events, ...decideApplicationTimeElapsed(events.reduce(evolveApplication, state), now, paidOnRecord)];
}

/**
 * The time limit the step an action moves the case to starts with, counted by the look-up from today.
 * None where the case's terms promise none; a case whose terms do must have it counted first.
 */
function nextStepLimitStarted(state: ApplicationState, type: ApplicationCommandType, counted: WorkingDayCount | undefined, now: number): TimeLimitEvent[] {
  const step = limitedStepAfter(state, type);
  if (!step || !counted) return [];
  // Counted from the day the look-up ran, just before this decision (a decision across midnight keeps it).
  if (counted.workingDays !== step.workingDays || counted.startedOn > shanghaiDateOf(now)) {
    throw internalCheck(`the time limit of ${step.step} must be counted for ${step.workingDays} working days, from no later than ${shanghaiDateOf(now)}`);
  }
  return [startTimeLimit(step, counted, now)];
}

function decideApproval(state: ApplicationState, action: Extract<ApplicationCommand, { type: 'ApproveApplication' }>, context: ApplicationActionContext): ApplicationEvent[] {
  const { actor, now } = context;
  const t = terms(state);
  const today = shanghaiDateOf(now);
  const at = new Date(now).toISOString();
  const check = context.awardCheck;
  if (!check) throw internalCheck('an approval is re-checked against the awards ledger first');
  if (check.violations.length > 0) {
    // Another award (or stay) landed after the submission was accepted.
    throw conflict(
      {
        code: 'award-conflicts-with-ledger',
        zh: `办件 ${state.referenceNo} 不能获得${t.name.zh}：${check.violations.map((v) => v.message).join('；')}。`,
        en: `${t.name.en} cannot be granted on case ${state.referenceNo}: ${check.violations.map((v) => v.rule).join(', ')}`,
        params: { rules: check.violations.map((v) => v.rule).join(',') },
      },
      check.violations.map((v) => ({ field: v.rule, message: v.message, code: v.rule })),
    );
  }
  const amount = approvedAmount(state, action, today);
  const approved: ApplicationEvent = {
    type: 'ApplicationApproved',
    data: { by: { accountId: actor.accountId, displayName: actor.displayName }, approvedAmountFen: amount, notes: action.notes, decidedAt: at, decidedOn: today, byDirector: actor.duty === 'director' },
  };
  if (t.payout.kind === 'none') return [approved, { type: 'ApplicationCompleted', data: { completedAt: at, totalPaidFen: 0 } }];
  if (state.call) {
    // In a call the approval commits the whole award against the call's budget (refused beyond what remains) and publishes it.
    const total = planTotalFen(payoutPlan(state, amount, today));
    const committed: ApplicationEvent = { ...approved, data: { ...approved.data, ...moves(state, 'commit', total) } } as ApplicationEvent;
    return [committed, ...publicityStarted(state, total, context)];
  }
  if (!context.awardId) throw internalCheck('an award needs its id from the workflow');
  const plan = payoutPlan(state, amount, today);
  const granted: ApplicationEvent = {
    type: 'AwardGranted',
    data: {
      awardId: context.awardId,
      programmeId: t.programmeId,
      catalogueVersion: t.catalogueVersion,
      applicantAccountId: state.applicant!.accountId,
      itemId: ledgerItemId(t, state.facts, state.applicant!.accountId, state.caseId),
      amountFen: planTotalFen(plan),
      awardedOn: today,
      plan,
      ...paidOnRecordFor(plan, context.paidOnRecord),
    },
  };
  // What falls due at once (a one-off payment, vouchers, the first contract year) falls due, or is issued, with the award.
  const afterAward = [approved, granted].reduce(evolveApplication, state);
  return [approved, granted, ...decideApplicationTimeElapsed(afterAward, now, context.paidOnRecord)];
}

/**
 * Leaving 杨浦, reported by the applicant or recorded by the department (`left`): the payments stop;
 * those paid for months after the day become recoverable, the rest are released.
 */
function decideLeftYangpu(state: ApplicationState, leftOn: LocalDate, left: Extract<ApplicationEvent, { type: 'LeftYangpuReported' | 'LeftYangpuRecorded' }>, at: string): ApplicationEvent[] {
  const plan = state.award!.plan as Extract<PayoutPlan, { kind: 'monthly' }>;
  const paidFen = state.payouts.reduce((sum, p) => sum + p.amountFen, 0);
  const recoverableFen = state.payouts.filter((p) => p.dueOn > leftOn).reduce((sum, p) => sum + p.amountFen, 0);
  let entitledFen = 0;
  for (let n = 1; n <= plan.months; n++) if (monthlyPaymentDueOn(plan, n) <= leftOn) entitledFen += plan.monthlyFen;
  // Paid on record: a payment due by the day of leaving and not yet recorded is still owed, and paid when
  // recorded; one due after it was never paid, so it is neither owed nor to recover — it is forgone.
  const owed = (state.duePayouts ?? []).filter((p) => p.dueOn <= leftOn);
  const owedFen = owed.reduce((sum, p) => sum + p.amountFen, 0);
  const forgoneFen = plan.monthlyFen * (plan.months - state.payouts.length - owed.length);
  const stopped: ApplicationEvent = {
    type: 'PayoutsStopped',
    data: {
      reason: 'left-yangpu',
      paidCount: state.payouts.length,
      paidFen,
      entitledFen: Math.min(entitledFen, paidFen + owedFen),
      recoverableFen,
      forgoneFen,
      ...(state.award!.paidOnRecord ? { owedFen } : {}),
      stoppedAt: at,
      ...moves(state, 'release', forgoneFen),
    },
  };
  // What is owed keeps the case open until it is recorded.
  if (owed.length > 0) return [left, stopped];
  return [left, stopped, { type: 'ApplicationCompleted', data: { completedAt: at, totalPaidFen: paidFen } }];
}

interface Threshold {
  at: number;
  events: (iso: string) => ApplicationEvent[];
}

/**
 * The next instant at which time alone changes the case, with what it records then. `paidOnRecord` is
 * asked only when an award whose payments an official records is granted by time (after its 公示).
 */
function nextThreshold(state: ApplicationState, paidOnRecord?: () => boolean): Threshold | undefined {
  if (state.status === 'completeness-check' && state.completeness) {
    const window = state.completeness;
    return { at: Date.parse(window.deadlineAt), events: (at) => [{ type: 'MaterialsDeemedComplete', data: { window, at } }, ...limitWhenDeemedComplete(state, at)] };
  }
  const breachAt = breachThreshold(runningLimit(state.timeLimit, state.status));
  if (breachAt !== undefined) return { at: breachAt, events: (at) => decideBreach(state.timeLimit, Date.parse(at)) };
  if (state.status === 'awaiting-supplement' && state.supplement) {
    const dueOn = state.supplement.replyDueOn;
    return {
      at: endOfShanghaiDay(dueOn),
      events: (at) => [{ type: 'ApplicationWithdrawn', data: { reason: 'supplement-not-provided', detail: `补正材料未在 ${dueOn} 前提交，视为撤回`, withdrawnAt: at } }],
    };
  }
  if (state.status === 'publicity' && state.publicity) return publicityThreshold(state, paidOnRecord);
  if (state.status !== 'paying' || !state.award) return undefined;
  const plan = state.award.plan;
  const completed = (at: string, paid: Fen): ApplicationEvent => ({ type: 'ApplicationCompleted', data: { completedAt: at, totalPaidFen: paid } });
  if (state.award.paidOnRecord) return paymentFallingDue(state, completed);
  switch (plan.kind) {
    case 'one-off':
      return {
        at: startOfShanghaiDay(state.award.awardedOn),
        events: (at) => [
          { type: 'PayoutIssued', data: { number: 1, of: 1, amountFen: plan.amountFen, dueOn: state.award!.awardedOn, issuedAt: at, ...moves(state, 'pay', plan.amountFen) } },
          completed(at, state.totalPaidFen + plan.amountFen),
        ],
      };
    case 'voucher':
      return {
        at: startOfShanghaiDay(state.award.awardedOn),
        events: (at) => [
          { type: 'VouchersIssued', data: { amountFen: plan.amountFen, voucherBatch: `${state.referenceNo}-V1`, issuedAt: at, ...moves(state, 'pay', plan.amountFen) } },
          completed(at, state.totalPaidFen + plan.amountFen),
        ],
      };
    case 'monthly': {
      const number = state.payouts.length + 1;
      if (number > plan.months) return { at: startOfShanghaiDay(state.award.awardedOn), events: (at) => [completed(at, state.totalPaidFen)] };
      const dueOn = monthlyPaymentDueOn(plan, number);
      return {
        at: startOfShanghaiDay(dueOn),
        events: (at) => [
          { type: 'PayoutIssued', data: { number, of: plan.months, amountFen: plan.monthlyFen, dueOn, issuedAt: at, ...moves(state, 'pay', plan.monthlyFen) } },
          ...(number === plan.months ? [completed(at, state.totalPaidFen + plan.monthlyFen)] : []),
        ],
      };
    }
    case 'rent-waiver-years': {
      // From the contract year in progress when it was decided (a plan counted from admission), else from year 1.
      const year = (plan.firstYear ?? 1) + state.waiverYears.length;
      const years = plan.waivedBasisPointsByYear.length;
      if (year > years) return { at: startOfShanghaiDay(waiverEndsOn(plan)), events: (at) => [completed(at, state.totalPaidFen)] };
      const tier = waiverYear(plan, year);
      return { at: startOfShanghaiDay(tier.from), events: (at) => [{ type: 'RentWaiverYearStarted', data: { ...tier, of: years, at, ...moves(state, 'pay', tier.waivedFen) } }] };
    }
    case 'none':
      return { at: startOfShanghaiDay(state.award.awardedOn), events: (at) => [completed(at, 0)] };
  }
}

/**
 * An award paid on record: its next payment falls due on its day and waits (待拨付) for an official to
 * record it; nothing is counted as paid here. Once every payment has fallen due, or the payments
 * stopped, only the officials' records move the case on.
 */
function paymentFallingDue(state: ApplicationState, completed: (at: string, paid: Fen) => ApplicationEvent): Threshold | undefined {
  const award = state.award!;
  const plan = award.plan;
  const due = state.duePayouts ?? [];
  if (state.stopped) return undefined;
  const number = state.payouts.length + due.length + 1;
  if (plan.kind === 'one-off') {
    if (number > 1) return undefined;
    return { at: startOfShanghaiDay(award.awardedOn), events: (at) => [{ type: 'PayoutFellDue', data: { number: 1, of: 1, amountFen: plan.amountFen, dueOn: award.awardedOn, at } }] };
  }
  if (plan.kind !== 'monthly') return undefined;
  if (number > plan.months) return due.length === 0 ? { at: startOfShanghaiDay(award.awardedOn), events: (at) => [completed(at, state.totalPaidFen)] } : undefined;
  const dueOn = monthlyPaymentDueOn(plan, number);
  return { at: startOfShanghaiDay(dueOn), events: (at) => [{ type: 'PayoutFellDue', data: { number, of: plan.months, amountFen: plan.monthlyFen, dueOn, at } }] };
}

/**
 * An award's 公示: at its end, with no objection pending, the award is final; once final it is
 * granted (on the day it became final, its id the case's own: one award per case) and paid as any award.
 */
function publicityThreshold(state: ApplicationState, paidOnRecord?: () => boolean): Threshold | undefined {
  const publicity = state.publicity!;
  if (publicity.status === 'final') {
    return { at: Date.parse(publicity.finalisedAt!), events: (at) => [awardGrantedAfterPublicity(state, publicity.amountFen, Date.parse(at), paidOnRecord)] };
  }
  const end = nextPublicityThreshold(publicity);
  if (end === undefined) return undefined;
  return { at: end, events: (at) => decidePublicityTimeElapsed(publicity, Date.parse(at)) };
}

function awardGrantedAfterPublicity(state: ApplicationState, amountFen: Fen, now: number, paidOnRecord?: () => boolean): ApplicationEvent {
  const t = terms(state);
  const today = shanghaiDateOf(now);
  const plan = payoutPlan(state, amountFollowsFromRule(t.payout) ? null : amountFen, today);
  return {
    type: 'AwardGranted',
    data: {
      awardId: `AW-${state.caseId}`,
      programmeId: t.programmeId,
      catalogueVersion: t.catalogueVersion,
      applicantAccountId: state.applicant!.accountId,
      itemId: ledgerItemId(t, state.facts, state.applicant!.accountId, state.caseId),
      amountFen: planTotalFen(plan),
      awardedOn: today,
      plan,
      ...paidOnRecordFor(plan, paidOnRecord),
    },
  };
}

/** The next step's limit, counted when the completeness window was (the timer that deems the case complete looks nothing up). */
function limitWhenDeemedComplete(state: ApplicationState, at: string): ApplicationEvent[] {
  const counted = state.limitIfDeemedComplete;
  const step = state.terms && applicationStepLimit(state.terms, stepAfterCompleteness(state.terms, state.call));
  return counted && step ? [startTimeLimit(step, counted, Date.parse(at))] : [];
}

/**
 * Whether time reaching `now` grants an award whose payments an official would record (after its
 * 公示): only then does the workflow ask whether the case runs with the change.
 */
export function grantsPaidOnRecord(state: ApplicationState, now: number): boolean {
  if (state.status !== 'publicity' || !state.terms || !paidOnRecordKinds.has(state.terms.payout.kind)) return false;
  return decideApplicationTimeElapsed(state, now, () => false).some((e) => e.type === 'AwardGranted');
}

/** The next instant at which time alone will change the case, if any. */
export function nextApplicationTimeThreshold(state: ApplicationState): number | undefined {
  return nextThreshold(state)?.at;
}

/** The decision step's note begins so: the rule after it (who may decide, above what amount the director) is the office's, and read outside it as the department deciding. */
export const DECISION_STEP_NOTE = '决策';

/**
 * Events caused by time having reached `now`, in the order their thresholds passed (several months at
 * once after an outage). `paidOnRecord`: whether an award granted now is paid on record (asked only then).
 */
export function decideApplicationTimeElapsed(state: ApplicationState, now: number, paidOnRecord?: () => boolean): ApplicationEvent[] {
  const at = new Date(now).toISOString();
  const events: ApplicationEvent[] = [];
  let current = state;
  for (let threshold = nextThreshold(current, paidOnRecord); threshold && threshold.at <= now; threshold = nextThreshold(current, paidOnRecord)) {
    const produced = threshold.events(at);
    // A threshold that records nothing would come round again at once.
    if (produced.length === 0) break;
    events.push(...produced);
    current = produced.reduce(evolveApplication, current);
  }
  return events;
}

export interface ApplicationNextStep {
  status: ApplicationStatus;
  label: string;
  /** Whose move it is: the applicant, an official of a department, or nobody (payouts run by the calendar, or the case is closed). */
  waitingFor: { role: 'applicant' | 'official'; department?: Department; note: string } | null;
  deadline?: { kind: string; dueOn: LocalDate; at: string; provisional: boolean };
}

export function applicationNextStep(state: ApplicationState): ApplicationNextStep {
  const base = { status: state.status, label: APPLICATION_STATUS_LABELS[state.status] };
  const t = state.terms;
  if (!t) return { ...base, waitingFor: null };
  const limit = runningLimit(state.timeLimit, state.status);
  const limitedDeadline = limit ? { deadline: limitDeadline(limit) } : {};
  const overdue = limit?.escalatedAt ? '；已超期，已上报分管领导' : '';
  switch (state.status) {
    case 'completeness-check': {
      const window = state.completeness;
      return {
        ...base,
        waitingFor: { role: 'official', department: t.department, note: state.supplementRounds === 0 ? '审查材料完整性：需补正的，一次性列明全部缺件' : '审查补正材料' },
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
      return { ...base, waitingFor: { role: 'official', department: 'cac', note: `网信办内容审查${overdue}` }, ...limitedDeadline };
    case 'review': {
      const needed = t.scoresRequired - state.scores.length;
      return {
        ...base,
        ...limitedDeadline,
        waitingFor: {
          role: 'official',
          department: t.department,
          note:
            needed > 0
              ? `评审打分（还需 ${needed} 位评审）`
              : `${DECISION_STEP_NOTE}（不得由本案评审人担任；超过 ${formatFen(t.directorThresholdFen)}元须处长审批）${overdue}`,
        },
      };
    }
    case 'panel-review':
      return { ...base, ...limitedDeadline, waitingFor: { role: 'official', department: t.department, note: `评审委员会评审（${state.call?.title ?? '申报批次'}），由处长批准批次决定${overdue}` } };
    case 'publicity': {
      const step = publicityNextStep(state.publicity ?? initialPublicityState());
      // With objections waiting, the step reads 异议待答复, as the public 公示 does: an outside tester's queue read 公示中 on three unanswered (migration 2026-12-06T12-30).
      const label = step.status === 'objection-pending' ? step.label : base.label;
      return { ...base, label, waitingFor: step.waitingFor, ...(step.deadline ? { deadline: { ...step.deadline, dueOn: step.deadline.dueOn as LocalDate } } : {}) };
    }
    case 'paying': {
      const due = oldestDuePayout(state);
      if (due) {
        // The department's move: the money is to be paid and recorded (登记拨付), by someone other than the approver.
        const more = state.duePayouts!.length > 1 ? `（共 ${state.duePayouts!.length} 笔待拨付，按顺序登记）` : '';
        return {
          ...base,
          label: PAYOUT_DUE_LABEL,
          waitingFor: {
            role: 'official',
            department: t.department,
            note: `登记拨付：第 ${due.number} 笔 ${chineseAmount(due.amountFen)}，自${chineseDate(due.dueOn)}起待拨付${more}；不得由批准本案的人员登记`,
          },
        };
      }
      const next = nextThreshold(state);
      return {
        ...base,
        waitingFor: null,
        ...(next ? { deadline: { kind: 'next-payout', dueOn: shanghaiDateOf(next.at), at: new Date(next.at).toISOString(), provisional: false } } : {}),
      };
    }
    default:
      return { ...base, waitingFor: null };
  }
}

/**
 * Once the holiday arrangement of a year the open completeness window counted on weekends only is
 * loaded, or a year it was counted through is corrected (domain/time/recount.ts), the window counted
 * again (by the activity) replaces it; the change is recorded, and a final window only moves later.
 */
export function decideCompletenessRecomputed(
  state: ApplicationState,
  recomputed: WorkingDayWindow,
  reason: RecomputeReason,
  now: number,
  limitIfDeemedComplete?: WorkingDayCount,
  corrections = false,
): ApplicationEvent[] {
  const previous = state.completeness;
  if (state.status !== 'completeness-check' || !previous || !recountDue(previous, reason, corrections)) return [];
  if (previous.lastWorkingDay === recomputed.lastWorkingDay && previous.deadlineAt === recomputed.deadlineAt && previous.provisional === recomputed.provisional) return [];
  if (!recountReplaces(previous, recomputed, corrections ? reason.calendarYear : undefined)) return [];
  if (limitIfDeemedComplete && limitIfDeemedComplete.startedOn !== recomputed.lastWorkingDay) {
    throw internalCheck(`the next step's limit must be counted from ${recomputed.lastWorkingDay}, the recomputed window's last working day`);
  }
  return [{ type: 'CompletenessWindowRecomputed', data: { previous, current: recomputed, ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}), reason, at: new Date(now).toISOString() } }];
}
