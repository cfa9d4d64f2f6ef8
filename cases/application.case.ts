import { z } from 'zod';
import type { ApplicationCommand } from '../domain/applications/commands.js';
import {
  APPLICATION_STATUS_LABELS,
  applicationNextStep,
  type ApplicationNextStep,
  applicationUnavailableNow,
  hasScored,
  awardCheckFacts,
  batchAwardCheckFacts,
  decideApplicationAction,
  decideApplicationSubmission,
  decideApplicationTimeElapsed,
  decideCompletenessRecomputed,
  grantsPaidOnRecord,
  oldestDuePayout,
  ensureApplicationActionAllowed,
  limitedStepAfter,
  stepAfterCompleteness,
  applicationStepLimit,
  nextApplicationTimeThreshold,
  STEP_FOR_ACTION,
  APPLICATION_ACTION_LABELS,
} from '../domain/applications/decide.js';
import type { ApplicationAssessment, ApplicationCall, ApplicationDetails, ApplicationEvent, SupplementResponse, VerifiedFact, WorkingDayWindow } from '../domain/applications/events.js';
import { clausesAsSentence, joinClauses } from '../domain/cases/clauses.js';
import { referenceUsedRefusal } from '../domain/chuying/money.js';
import { APPLICATION_CALLS_PATCH, callOfSubmission, panelLimitRecountOnClose, panelReviewLimitOnArrival, recordedBatch } from '../domain/applications/in-call.js';
import { APPLICATION_PANEL_EVENT_LABELS, type ApplicationPanelEvent } from '../domain/panels/application-record.js';
import { ANSWER_MAX_LENGTH, decidePublicityWindowRecomputed, publicityRecount } from '../domain/publicity/decide.js';
import { PUBLICITY_EVENT_LABELS } from '../domain/publicity/events.js';
import { pendingObjections, publicEntry, repeatedObjection, type PublicEntry } from '../domain/publicity/state.js';
import type { PublicityWindow } from '../domain/publicity/window.js';
import { amountFollowsFromRule, describePlan, waivedYears } from '../domain/applications/payouts.js';
import { evolveApplication, initialApplicationState, isApplicationTerminal, type ApplicationState, type DuePayout, type IssuedPayout } from '../domain/applications/state.js';
import type { ApplicationTerms } from '../domain/applications/terms.js';
import { DEPARTMENTS, isDirectorOf, type Actor, type Department } from '../domain/cases/actor.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import type { AmountRule, ApplicationFacts, PayoutShape } from '../domain/programmes/programme.js';
import { chineseDate, chineseInstant, shanghaiDateOf, type LocalDate } from '../domain/time/local-date.js';
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
import { letterForApplication } from '../domain/decisions/case-letters.js';
import { validationError } from '../domain/errors.js';
import { factLabel, factNamed } from '../domain/programmes/fact-sources.js';
import { unverifiedClaims, type FactSource } from '../domain/registers/answer-facts.js';
import { findProgrammeAt, fundsTheApplicant } from '../domain/applications/terms.js';
import { supportInWords, type SupportTerms } from '../domain/programmes/amount-words.js';
import type { YearlyCapUse } from '../domain/programmes/stacking.js';
import type { ActionFormContext, CaseAction, CaseModule, CaseReadModel, CaseRow, DecisionSupport } from './case-module.js';
import { bankReferenceText, fen, localDate, moneyField, notes, optionalText, reasonLines, supplementAnswersWithDocuments, supplementItems, text, yuan } from './fields.js';
import { extendTimeLimitDeclaration } from './time-limit-action.js';
import { recountSupplementReply, SUPPLEMENT_ANSWERS_AS_REQUESTED_PATCH, SUPPLEMENT_REPLY_RECOMPUTED_LABEL, supplementReplyBodyIssues, supplementReplyHint, supplementReplyPeriod } from './supplement-reply.js';
import type { DayPeriod } from '../domain/time/day-periods.js';
import { countingFor } from '../domain/time/deadline-counting.js';
import { recountDue } from '../domain/time/recount.js';
import { claimedComplaint, claimedItem, claimKey, ONE_OPEN_APPLICATION_PATCH, ONE_OPEN_COMPLAINT_PATCH, secondApplicationRefusal, secondComplaintRefusal } from '../domain/applications/one-open-application.js';
import { openStatuses, withAttachedDocuments } from './attach-documents-action.js';
import { APPLICATION_TERMINAL_STATUSES } from '../domain/applications/state.js';

/**
 * A programme application: an award or a service of the catalogue, from submission through the
 * completeness check with 补正, the 网信 content review where the programme requires it, scored
 * review and a four-eyes decision, to the award and its payouts in the programme's shape. The
 * programme, and with it the department that acts, is in the case's terms.
 */

export interface ApplicationInput {
  caseId: string;
  referenceNo: string;
  applicant: Actor;
  /** The programme as the catalogue version of the day defines it: the case keeps it for life. */
  terms: ApplicationTerms;
  /** As stated by the applicant; the assessment activity puts the facts the system knows better in their place. */
  facts: ApplicationFacts;
  details: ApplicationDetails;
  requestId: string;
  /** Since issue 14: the live-streaming venue the application names, looked up in the published list. */
  venue?: string;
}

/** Since issue 14: the facts a department's register holds are looked up at opening, and each fact's source recorded. */

/** Since 2026-12-07 an anonymous objection that repeats one still waiting for its answer is that objection, not another (domain/publicity/state.ts repeatedObjection). */
export const OBJECTION_ONCE_PATCH = 'objection-once';
export const REGISTER_FACTS_PATCH = 'register-facts';

/** A claimed fact the official verified, as the form sends it: rows left blank are facts not verified this time. */
const verifiedFactsField = () =>
  z
    .array(z.strictObject({ fact: text(60).meta({ title: '事实' }), against: optionalText(500).meta({ title: '核对依据', description: '例如：营业执照原件、租赁合同第 3 页、人社部门认定文件' }) }))
    .min(1)
    .max(50)
    .meta({ title: '核验申请人声明的事实', description: '逐项填写核对的依据；留空的事项视为本次未核验' });

/** The rows the official filled in, each fact by its name or its Chinese label (the form shows the label). */
const verifiedRows = (rows: unknown): VerifiedFact[] =>
  ((rows as VerifiedFact[] | undefined) ?? []).filter((r) => r.against.trim() !== '').map((r) => ({ fact: factNamed(r.fact), against: r.against }));

/** The claimed facts not yet verified, as the form's rows. */
function claimRows(state: ApplicationState): Record<string, unknown> {
  return { verifiedFacts: unverifiedClaims(state.factSources, state.verifiedFacts).map((fact) => ({ fact: factLabel(fact), against: '' })) };
}

function claimsInWords(state: ApplicationState): string | undefined {
  const open = unverifiedClaims(state.factSources, state.verifiedFacts);
  return open.length === 0 ? undefined : `待核验的申请人声明：${open.map(factLabel).join('、')}。未核验的事实不能据以决定资助。`;
}

/** Since issue 12: the day of leaving 杨浦 is not before the subsidy started. Reports in histories before it decide as then. */
export const LEFT_YANGPU_DATE_BOUNDED_PATCH = 'left-yangpu-date-bounded';

/**
 * Since this patch the programme's department records that the applicant left 杨浦 (RecordLeftYangpu),
 * as the applicant reports it: before, only the applicant could, and an office that learnt of a move
 * from the market regulation register went on paying. Asked by its own name (workflows/support/changes.ts).
 */
export const LEFT_YANGPU_RECORDED_BY_DEPARTMENT_PATCH = 'left-yangpu-recorded-by-department';

/**
 * Since this patch a one-off award and each month of a monthly subsidy fall due (待拨付) and count as
 * paid only once an official of the department, not the approver, records the payment with its bank
 * reference (RecordPayout, 登记拨付): before, the calendar alone issued them, and nobody recorded that
 * the money left. Asked by its own name (workflows/support/changes.ts), only where such an award is
 * granted: at the approval, or when time grants it after its 公示.
 */
export const PAYOUTS_RECORDED_PATCH = 'payouts-recorded-by-official';

const STREAM_TYPE = 'application';

type Type = ApplicationCommand['type'];
type ApplicationCaseAction = CaseAction<ApplicationState, ApplicationCommand>;


/** An action of an application: its step table and who may take it come from the decider (domain/applications/decide.ts). */
function action(type: Type, declaration: Omit<ApplicationCaseAction, 'type' | 'at' | 'availability'>): ApplicationCaseAction {
  return {
    ...declaration,
    type,
    at: STEP_FOR_ACTION[type],
    availability: (state, actor, now) => applicationUnavailableNow(state, type, actor, now),
  };
}

/** The working days of a step's limit, counted by the look-up from today, where the case's terms promise one. */
async function countStepLimit(workingDays: number, ask: DecisionSupport): Promise<WorkingDayCount> {
  return ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(ask.now()), workingDays });
}

/** The 公示 window from today, for the call's working days: computed by the activity from the calendar, so it is in history. */
async function publicityWindowFrom(now: number, call: ApplicationCall, ask: DecisionSupport): Promise<PublicityWindow> {
  return ask.lookups.computePublicityWindow({ publishedOn: shanghaiDateOf(now), workingDays: call.publicityWorkingDays });
}

/** Since the 公示's recount: a provisional 公示 window is counted again when its year's holiday arrangement is loaded. */
export const PUBLICITY_RECOUNT_PATCH = 'publicity-recount';

/** Since the batch award check: a selection in a batch is checked against the awards ledger as an approval is. */
export const BATCH_AWARD_CHECK_PATCH = 'batch-award-check';

/**
 * The facts with the registers' answers in place of the typed ones, and where each came from. The
 * funded item of a measure that funds the applicant is the server's own, no claim. Histories before
 * the patch assessed the typed facts and record no sources.
 */
async function registerFacts(input: ApplicationInput, on: LocalDate, ask: DecisionSupport): Promise<{ facts: ApplicationFacts; factSources?: Partial<Record<string, FactSource>> }> {
  if (!ask.patched(REGISTER_FACTS_PATCH)) return { facts: input.facts };
  const { terms, facts } = input;
  const creditCode = facts.unifiedSocialCreditCode;
  const answer = await ask.lookups.lookUpRegisterFacts({
    catalogueVersion: terms.catalogueVersion,
    programmeId: terms.programmeId,
    facts,
    keys: { applicantAccountId: input.applicant.accountId, ...(creditCode ? { creditCode } : {}), ...(input.venue ? { venue: input.venue } : {}) },
    on,
  });
  if (!answer.ok) throw validationError(answer.message, answer.issues);
  const { itemId: _derived, ...sources } = answer.sources;
  return { facts: answer.facts, factSources: fundsTheApplicant(terms.fundedItem) ? sources : answer.sources };
}

/** Whether this case looks its time limits up: its terms promise them, and it runs (or first ran there) with the change. */
function limitsApply(terms: ApplicationTerms | undefined, ask: DecisionSupport): boolean {
  return terms?.timeLimits !== undefined && ask.patched(STEP_TIME_LIMITS_PATCH);
}

/** The limit of the step after the completeness check, counted from the window's last day, for when the window closes unanswered. */
async function limitIfDeemedComplete(terms: ApplicationTerms, window: WorkingDayWindow, ask: DecisionSupport, call: ApplicationCall | undefined): Promise<WorkingDayCount | undefined> {
  const next = applicationStepLimit(terms, stepAfterCompleteness(terms, call));
  return next ? ask.lookups.computeWorkingDayWindow({ startedOn: window.lastWorkingDay, workingDays: next.workingDays }) : undefined;
}

const reviewer = { official: { duties: ['reviewer'] } } as const;
// The supervising official takes an overdue step over once it is escalated (the decider's rule).
const cacReviewer = { official: { duties: ['reviewer', 'supervisor'], departments: ['cac'] } } as const;
const decider = { official: { duties: ['approver', 'director', 'supervisor'] } } as const;

/** What a case pays, as the catalogue words it: the amount rule, cap period and payout of the terms it opened under. */
function supportOf(terms: Pick<ApplicationTerms, 'amount' | 'capPeriod' | 'payout' | 'fundedItem'>): SupportTerms {
  return { amount: terms.amount, capPeriod: terms.capPeriod, payout: terms.payout, fundedItem: terms.fundedItem };
}

/**
 * What an approval may grant, in words: the maximum the case was assessed at (each year's, where the
 * cap counts per year, with what the applicant was already awarded this year and what is left of it,
 * from the ledger as the API read it); for a subsidy whose amount the sources leave to the decision,
 * that it is paid and the amount is to be set; nothing only for a service. What the ledger would
 * refuse the approval for is said too: the form warns early, the decider refuses.
 */
function approvalExplain(state: ApplicationState, actor?: Actor, context?: ActionFormContext): string {
  const refusals = context?.ledger?.refusals.length ? `按资助台账，同意将被拒绝：${context.ledger.refusals.join('；')}。` : '';
  // Told before sending: the other measure's subsidy of the loan, approved since this application, lowers what is left.
  const interest = context?.ledger?.interestLeft ? `${context.ledger.interestLeft.inWords}。` : '';
  // A first-come call's budget left, which this approval commits against: said before sending, not only in the refusal.
  const budget = context?.ledger?.callBudget;
  const asked = state.requestedAmountFen ?? 0;
  const callBudget = budget ? `申报批次「${budget.title}」预算余额 ${formatFen(budget.remainingFen)} 元${budget.remainingFen < asked ? `，不足以核定所申请的 ${formatFen(asked)} 元` : ''}。` : '';
  return `${approvalAmountExplain(state, actor, context?.ledger?.yearlyCap)}${interest}${callBudget}${refusals}`;
}

function approvalAmountExplain(state: ApplicationState, actor: Actor | undefined, yearly: YearlyCapUse | undefined): string {
  const terms = state.terms;
  const payout = terms?.payout;
  if (payout && amountFollowsFromRule(payout)) return `金额按规则确定（${state.amountRule}），无需填写核定金额。`;
  // Said before the form is sent: an outsider's approver was offered 同意 on 4,500,000.00 and refused only after sending it.
  const directorOnly =
    actor && terms && (state.requestedAmountFen ?? 0) > terms.directorThresholdFen && !isDirectorOf(actor, terms.department)
      ? `超过 ${formatFen(terms.directorThresholdFen)} 元须由${DEPARTMENTS[terms.department]}处长审批：您可核定不超过 ${formatFen(terms.directorThresholdFen)} 元，或留待处长决定。`
      : '';
  if (state.maxAmountFen) {
    // An outsider's approver read the bare yearly cap on a company already awarded all of it this year, and was refused only after sending.
    const soFar = yearly && yearly.awardedFen > 0 ? `；本年度已获 ${formatFen(yearly.awardedFen)} 元，尚可核定 ${formatFen(Math.min(yearly.remainingFen, state.maxAmountFen))} 元` : '';
    // Nothing left: no amount to approve, so nothing for the director either.
    const none = yearly && yearly.awardedFen > 0 && yearly.remainingFen === 0 ? '本年度已达每年最高额，不能再核定资助。' : undefined;
    // The decision grants at most what was asked: an outside tester's approver read the measure's 1,000,000.00 on a request of 100,000.00, and 100,000.01 was refused only after sending.
    const asked = typeof state.requestedAmountFen === 'number' && state.requestedAmountFen < state.maxAmountFen ? state.requestedAmountFen : undefined;
    const perYear = terms?.capPeriod === 'per-year';
    const ceiling =
      asked !== undefined
        ? `核定金额不超过申请金额 ${formatFen(asked)} 元（本措施${perYear ? '每年' : ''}最高 ${formatFen(state.maxAmountFen)} 元）`
        : `核定金额上限 ${formatFen(state.maxAmountFen)} 元${perYear ? '（每年最高额）' : ''}`;
    return `${ceiling}${soFar}。${none ?? directorOnly}`;
  }
  if (directorOnly) return directorOnly;
  if (terms && terms.payout.kind !== 'none') return `${supportInWords(supportOf(terms))}：请填写核定金额。`;
  return '本事项为服务，不发放资金，无需填写金额。';
}

/** Measures whose amount follows from the loan's interest: what the rule gives is the entitlement, not a ceiling to decide under. */
const INTEREST_RULES: ReadonlySet<AmountRule['kind']> = new Set(['interest-subsidy', 'interest-paid-subsidy']);

/**
 * The amount an approval form starts with: the amount asked, or what is left of the yearly cap this
 * year where that is less; nothing where nothing is left (any amount would be refused), nor where
 * the amount asked is above what this official may approve (the form then says to lower it or leave
 * it to the director: an amount of theirs, not one filled in, and not one only refused after sending).
 * An interest subsidy asked without an amount asks for what its rule gives on the interest paid.
 */
function approvalPrefill(state: ApplicationState, context?: ActionFormContext): Record<string, unknown> {
  const terms = state.terms;
  const requested = state.requestedAmountFen ?? (terms && INTEREST_RULES.has(terms.amount.kind) ? (state.maxAmountFen ?? undefined) : undefined);
  if (!requested) return {};
  if (context?.actor && terms && requested > terms.directorThresholdFen && !isDirectorOf(context.actor, terms.department)) return {};
  const yearly = context?.ledger?.yearlyCap;
  const interest = context?.ledger?.interestLeft;
  const budget = context?.ledger?.callBudget;
  // The least of what was asked, what the yearly cap leaves, what the loan's interest leaves and what the call's budget leaves.
  const left = Math.min(requested, ...(yearly && yearly.awardedFen > 0 ? [yearly.remainingFen] : []), ...(interest ? [interest.remainingFen] : []), ...(budget ? [budget.remainingFen] : []));
  return left > 0 ? { approvedAmountFen: left } : {};
}

/** Leaving 杨浦 stops only 杨浦's monthly subsidies. */
const paidMonthlyInYangpu = (state: ApplicationState): boolean => state.award?.plan.kind === 'monthly' && state.terms?.family === 'yangpu';

/** A payment waiting to be recorded, in words: which, how much, since when. */
function payoutDueInWords(due: DuePayout): string {
  return `待拨付第 ${due.number} 笔${due.of > 1 ? `（共 ${due.of} 笔）` : ''} ${yuan(due.amountFen)}，自${chineseDate(due.dueOn)}起`;
}

function firstPendingObjection(state: ApplicationState): Record<string, unknown> {
  const pending = state.publicity ? pendingObjections(state.publicity) : [];
  return pending[0] ? { objectionId: pending[0].objectionId } : {};
}

/**
 * A monthly subsidy stopped: said beside the award, which otherwise read as 36 months still to come
 * (an outsider saw ¥234,018.00 … 共 36 个月 on a case paid nothing more).
 */
function stoppedInWords(stopped: ApplicationViewModel['stopped']): string {
  if (!stopped) return '';
  // Who said so: the department, with how it knows, or the applicant (the only one who could before).
  const who = stopped.recordedBy ? `，${DEPARTMENTS[stopped.recordedBy.department]}登记，依据：${stopped.recordedBy.note}` : '，申请人报告';
  const left = `（${stopped.leftOn ? chineseDate(stopped.leftOn) : ''}迁离杨浦${who}）`;
  // Paid on record: what was due by the day of leaving and not yet recorded is still to be paid.
  const owed = stopped.owedFen ? `，迁离前到期的 ${yuan(stopped.owedFen)} 待拨付` : '';
  return `；已停止发放${left}，按迁离日应得 ${yuan(stopped.entitledFen)}${owed}${stopped.recoverableFen > 0 ? `，多发 ${yuan(stopped.recoverableFen)} 待追回` : ''}，其余 ${yuan(stopped.forgoneFen)} 不再发放`;
}

/** The decision as a case's view gives it: as recorded, and who lowered its amount since, answering an objection. */
type DecisionView = NonNullable<ApplicationViewModel['decision']> & { reducedBy?: string; reducedOn?: LocalDate };

/**
 * The decision, and who lowered its amount since: an objection upheld during the 公示 of an award
 * not withdrawn lowered it (the only other remedy withdraws it). The amount is the award's now; an
 * outsider read the director's name on an amount another official had set.
 */
function decisionOf(d: ApplicationViewModel, status: string): DecisionView | null {
  if (!d.decision) return null;
  const lowered = status === 'withdrawn-after-publicity' ? undefined : (d.objections ?? []).filter((o) => o.answer?.outcome === 'upheld').at(-1)?.answer;
  return lowered ? { ...d.decision, reducedBy: lowered.by, reducedOn: shanghaiDateOf(Date.parse(lowered.answeredAt)) } : d.decision;
}

/**
 * The 决定 line: who decided, when, the amount, and what the decider wrote with it (决定意见) — the
 * letter's reasons, which the page and the applicant read here too (a service's notes reached only its letter).
 */
function decisionInWords(decision: DecisionView): string {
  const decided = `${decision.by}${decision.on ? `，${chineseDate(decision.on)}` : ''}`;
  const amount = decision.approvedAmountFen ? yuan(decision.approvedAmountFen) : '';
  const notes = decision.notes ? `决定意见：${decision.notes}` : '';
  // Parted by ；, each part without its own full stop: notes ending in 。 ran into the answer as 。；.
  if (decision.reducedBy) return joinClauses([`${decided}批准${decision.byDirector ? '（处长审批）' : ''}`, notes, `${decision.reducedBy}于${decision.reducedOn ? chineseDate(decision.reducedOn) : ''}答复异议，核定金额调减为 ${amount}`]);
  return joinClauses([`${decided}${amount ? ` 核定 ${amount}` : ''}${decision.byDirector ? '（处长审批）' : ''}`, notes]);
}

function objectionsInWords(state: ApplicationState): string | undefined {
  const pending = state.publicity ? pendingObjections(state.publicity) : [];
  if (pending.length === 0) return undefined;
  // Each by when it came and what it says; the form's 答复哪项异议 names them the same way (objectionChoices), never by id.
  const listed = pending.map((o, i) => objectionLine(o, i, pending.length, o.reasons));
  // The last objection's own full stop ends the list: "申报金额明显偏高。。答复前" had read doubled.
  return `待答复的异议 ${pending.length} 项：${clausesAsSentence(listed)}答复前资助不能确定。`;
}

/** The objections waiting for an answer, as the form offers them: by when each came and the start of what it says. */
function objectionChoices(state: ApplicationState): Record<string, { value: string; label: string }[]> {
  const pending = state.publicity ? pendingObjections(state.publicity) : [];
  const gist = (reasons: string) => (reasons.length > 30 ? `${reasons.slice(0, 30)}…` : reasons);
  return { objectionId: pending.map((o, i) => ({ value: o.objectionId, label: objectionLine(o, i, pending.length, gist(o.reasons)) })) };
}

/** An objection waiting for its answer, by when it came and what it says (numbered where there are several). */
function objectionLine(objection: { lodgedAt: string }, index: number, of: number, said: string): string {
  return `${of > 1 ? `${index + 1}. ` : ''}${chineseInstant(objection.lodgedAt)}收到：${said}`;
}

export const APPLICATION_ACTIONS: readonly ApplicationCaseAction[] = [
  action('RequestSupplement', {
    name: 'request-supplement',
    update: 'requestSupplement',
    label: APPLICATION_ACTION_LABELS.RequestSupplement,
    submit: '发出补正通知',
    done: '已发出补正通知，申请人有 30 天答复。',
    summary: "Official of the programme's department: request 补正 once, listing every missing item, within the completeness window",
    body: z.strictObject({ missingItems: supplementItems('需补正的材料', '每行一项，例如：营业执照副本') }),
    toCommand: (b) => ({ type: 'RequestSupplement', missingItems: b.missingItems as string[] }),
    who: reviewer,
  }),
  action('ProvideSupplement', {
    name: 'provide-supplement',
    update: 'provideSupplement',
    label: APPLICATION_ACTION_LABELS.ProvideSupplement,
    submit: '提交补正',
    done: '补正材料已提交，工作人员将继续审查。',
    summary: 'Applicant: answer the 补正 request, item by item (a new completeness window opens)',
    // Each answer may carry its files; the action route resolves them to their hashes before the update.
    body: z.strictObject({
      responses: supplementAnswersWithDocuments(),
    }),
    toCommand: (b) => ({ type: 'ProvideSupplement', responses: b.responses as SupplementResponse[] }),
    who: { applicant: true },
    prefill: (state) => ({ responses: (state.supplement?.missingItems ?? []).map((item) => ({ item, response: '' })) }),
    explain: (state) =>
      state.supplement ? supplementReplyHint(state.supplementRounds, state.supplement) : undefined,
    // Since this patch an answer names only the items the request listed; replays before it take what they took.
    legacyBeforePatch: SUPPLEMENT_ANSWERS_AS_REQUESTED_PATCH,
    // Items missing or not asked for are told with the body's own problems, at once.
    caseBodyIssues: (state, body) => supplementReplyBodyIssues(state.supplement, body),
  }),
  action('AcceptMaterials', {
    name: 'accept-materials',
    update: 'acceptMaterials',
    label: APPLICATION_ACTION_LABELS.AcceptMaterials,
    submit: '确认材料齐全',
    done: '材料审查通过。',
    summary: "Official of the programme's department: the materials are complete",
    // The body stays the loan's (one action route, one body per name): claims are verified by 核验事实 at the same step.
    body: z.strictObject({}),
    toCommand: () => ({ type: 'AcceptMaterials' }),
    who: reviewer,
    explain: claimsInWords,
  }),
  action('VerifyFacts', {
    name: 'verify-facts',
    update: 'verifyFacts',
    label: APPLICATION_ACTION_LABELS.VerifyFacts,
    submit: '确认核验',
    done: '已记录核验结果。',
    summary: "Official of the programme's department: verify facts the applicant claimed, each against what it was checked (before money is decided on them)",
    body: z.strictObject({ verifiedFacts: verifiedFactsField() }),
    toCommand: (b) => ({ type: 'VerifyFacts', verifiedFacts: verifiedRows(b.verifiedFacts) }),
    who: reviewer,
    prefill: claimRows,
    explain: claimsInWords,
  }),
  action('PassComplianceReview', {
    name: 'pass-compliance-review',
    update: 'passComplianceReview',
    label: APPLICATION_ACTION_LABELS.PassComplianceReview,
    submit: '审查通过',
    done: '内容审查通过，已转评审。',
    summary: '网信 reviewer: content compliance passed',
    body: z.strictObject({ notes: notes('审查意见（可选）') }),
    toCommand: (b) => ({ type: 'PassComplianceReview', notes: b.notes as string }),
    who: cacReviewer,
  }),
  action('FailComplianceReview', {
    name: 'fail-compliance-review',
    update: 'failComplianceReview',
    label: APPLICATION_ACTION_LABELS.FailComplianceReview,
    submit: '审查不通过',
    done: '已记录审查不通过及理由。',
    tone: 'danger',
    summary: '网信 reviewer: content compliance failed, with reasons',
    body: z.strictObject({ reasons: reasonLines('不通过的理由') }),
    toCommand: (b) => ({ type: 'FailComplianceReview', reasons: b.reasons as string[] }),
    who: cacReviewer,
  }),
  action('ScoreApplication', {
    name: 'score-application',
    update: 'scoreApplication',
    label: APPLICATION_ACTION_LABELS.ScoreApplication,
    submit: '提交打分',
    done: '已提交评审打分。',
    summary: "Reviewer of the programme's department: score the application once, 0 to 100",
    body: z.strictObject({
      score: z.int('分数应为 0 至 100 的整数').min(0, '分数不能小于 0').max(100, '分数不能大于 100').meta({ title: '分数（0–100）' }),
      comments: optionalText(2000).meta({ title: '评审意见（可选）' }),
    }),
    toCommand: (b) => ({ type: 'ScoreApplication', score: b.score as number, comments: b.comments as string }),
    who: reviewer,
    alreadyTaken: hasScored,
  }),
  action('ApproveApplication', {
    name: 'approve-application',
    update: 'approveApplication',
    label: APPLICATION_ACTION_LABELS.ApproveApplication,
    submit: '同意',
    done: '已决定给予支持。',
    summary: "Decider of the programme's department (not a reviewer of this case; a director above the threshold): approve, granting the award",
    body: z.strictObject({ approvedAmountFen: fen.optional().meta({ title: '核定金额（元，可选）', unit: 'fen' }), notes: notes('决定意见（可选）') }),
    toCommand: (b) => ({
      type: 'ApproveApplication',
      ...(b.approvedAmountFen === undefined ? {} : { approvedAmountFen: b.approvedAmountFen as number }),
      notes: b.notes as string,
    }),
    who: decider,
    prefill: approvalPrefill,
    // A service pays nothing: an amount would only be refused (an outsider entered one and was).
    notAsked: (state) => (state.terms?.payout.kind === 'none' ? ['approvedAmountFen'] : []),
    fieldLimits: (state) => Object.fromEntries(state.requestedAmountFen === null ? [] : [['approvedAmountFen', { maximum: state.requestedAmountFen }]]),
    explain: approvalExplain,
  }),
  action('RejectApplication', {
    name: 'reject-application',
    update: 'rejectApplication',
    label: APPLICATION_ACTION_LABELS.RejectApplication,
    done: '已记录不予支持及理由。',
    tone: 'danger',
    summary: "Decider of the programme's department (not a reviewer of this case): reject, with reasons",
    body: z.strictObject({ reasons: reasonLines('不予支持的理由') }),
    toCommand: (b) => ({ type: 'RejectApplication', reasons: b.reasons as string[] }),
    who: decider,
  }),
  action('ReportLeftYangpu', {
    name: 'report-left-yangpu',
    update: 'reportLeftYangpu',
    label: APPLICATION_ACTION_LABELS.ReportLeftYangpu,
    submit: '登记迁离',
    done: '已登记迁离，停止后续发放。',
    tone: 'danger',
    summary: 'Applicant: report leaving 杨浦; monthly 杨浦 payments stop, and those due after the day are recoverable',
    body: z.strictObject({ leftOn: localDate.meta({ title: '迁离日期', format: 'date' }), note: optionalText(500).meta({ title: '说明（可选）' }) }),
    toCommand: (b) => ({ type: 'ReportLeftYangpu', leftOn: b.leftOn as LocalDate, note: b.note as string }),
    who: { applicant: true },
    // Since awards wait to be paid (待拨付), a one-off award is at this step too: leaving 杨浦 does not concern it.
    concerns: paidMonthlyInYangpu,
    explain: (state) => (state.award?.plan.kind === 'monthly' ? `迁离日期须在补贴起始日 ${state.award.plan.startOn} 至今天之间；登记后停止后续发放。` : undefined),
    legacyBeforePatch: LEFT_YANGPU_DATE_BOUNDED_PATCH,
  }),
  // The department's side of the same fact: learnt from outside the case, said how, and told to the applicant.
  action('RecordLeftYangpu', {
    name: 'record-left-yangpu',
    update: 'recordLeftYangpu',
    label: APPLICATION_ACTION_LABELS.RecordLeftYangpu,
    submit: '登记迁离，停止发放',
    done: '已登记申请人迁离杨浦，停止后续发放，并已通知申请人。',
    tone: 'danger',
    summary: "Decider of the programme's department: record that the applicant left 杨浦 (learnt from the market regulation register, a site visit), saying how; the same effects as the applicant's report, and the applicant is told",
    body: z.strictObject({
      leftOn: localDate.meta({ title: '迁离日期', format: 'date' }),
      note: text(500).meta({ title: '如何得知', description: '例如：市场监管登记迁出、实地走访核实；将告知申请人' }),
    }),
    toCommand: (b) => ({ type: 'RecordLeftYangpu', leftOn: b.leftOn as LocalDate, note: b.note as string }),
    who: decider,
    concerns: paidMonthlyInYangpu,
    explain: (state) =>
      state.award?.plan.kind === 'monthly'
        ? `申请人未报告、本局从其他渠道得知其已迁离杨浦时登记。迁离日期须在补贴起始日 ${state.award.plan.startOn} 至今天之间；登记后停止后续发放，迁离日后已发的款项待追回，申请人将收到通知。`
        : undefined,
    legacyBeforePatch: LEFT_YANGPU_RECORDED_BY_DEPARTMENT_PATCH,
  }),
  // The money leaving the account, recorded by the department's official who paid it, not by the calendar.
  action('RecordPayout', {
    name: 'record-payout',
    asksFirst: true,
    update: 'recordPayout',
    label: APPLICATION_ACTION_LABELS.RecordPayout,
    submit: '登记拨付',
    done: '已登记拨付，该笔款项计为已发放，并已通知申请人。',
    summary: "Official of the programme's department, not the one who approved the award (four-eyes): record that the oldest payment due (待拨付) was paid — the day, the bank reference of the transfer (unique across all money recorded) and the amount due",
    body: z.strictObject({
      paidOn: localDate.meta({ title: '拨付日期', format: 'date', description: '款项从账户转出的日期，不能晚于今天' }),
      bankReference: bankReferenceText(100).meta({ title: '银行流水号（转账凭证号）', description: '见银行转账回单' }),
      amountFen: moneyField('拨付金额（元）'),
    }),
    toCommand: (b) => ({ type: 'RecordPayout', paidOn: b.paidOn as LocalDate, bankReference: b.bankReference as string, amountFen: b.amountFen as number }),
    who: { official: { duties: ['reviewer', 'approver', 'director', 'supervisor'] } },
    prefill: (state) => {
      const due = oldestDuePayout(state);
      return due ? { amountFen: due.amountFen } : {};
    },
    // Offered while a payment waits, and to the department only then: a monthly subsidy between payments has none to record.
    concerns: (state) => oldestDuePayout(state) !== undefined,
    explain: (state) => {
      const due = oldestDuePayout(state);
      if (!due) return undefined;
      return `${payoutDueInWords(due)}；拨付金额须等于应拨付金额，拨付日期不能早于${chineseDate(due.dueOn)}、不能晚于今天，银行流水号不能与已登记的任何款项重复。登记后计为已发放，并通知申请人。批准本案的人员不能登记。`;
    },
  }),
  action('Withdraw', {
    name: 'withdraw',
    update: 'withdraw',
    label: APPLICATION_ACTION_LABELS.Withdraw,
    done: '申请已撤回。',
    tone: 'danger',
    summary: 'Applicant: withdraw before the decision',
    body: z.strictObject({ reason: optionalText(500).meta({ title: '撤回原因（可选）' }) }),
    toCommand: (b) => ({ type: 'Withdraw', reason: b.reason as string }),
    who: { applicant: true },
    explain: () => '撤回后本案办结，如需支持可重新申请。',
  }),
  action('RecordBatchDecision', {
    name: 'record-batch-decision',
    update: 'recordBatchDecision',
    label: APPLICATION_ACTION_LABELS.RecordBatchDecision,
    done: '已记录评审结果和批次决定。',
    summary: "System only (the call's batch approval): record the panel's result on this application and the director's batch decision — selected: approved at the batch's amount and published (公示); not selected: rejected with the reason",
    body: z.strictObject({
      callId: text(100).meta({ title: '申报批次' }),
      batchId: text(200).meta({ title: '批次决定' }),
      records: z.array(z.record(z.string(), z.unknown())).min(1).max(50).meta({ title: '评审记录' }),
    }),
    toCommand: (b) => ({ type: 'RecordBatchDecision', callId: b.callId as string, batchId: b.batchId as string, records: b.records as ApplicationPanelEvent[] }),
    // Nobody takes it through the action route: the system delivers it from the call's batch approval.
    who: {},
  }),
  action('RecordCallClose', {
    name: 'record-call-close',
    update: 'recordCallClose',
    label: APPLICATION_ACTION_LABELS.RecordCallClose,
    done: '已记录申报截止时间变更。',
    summary:
      "System only (the call's close moved: closed early, or changed while it takes applications): record the new close; a panel limit counted from the previous close is counted from the new one's day",
    body: z.strictObject({
      callId: text(100).meta({ title: '申报批次' }),
      closesAt: text(40).meta({ title: '截止时间' }),
      closedEarly: z.boolean().meta({ title: '提前截止' }),
    }),
    toCommand: (b) => ({ type: 'RecordCallClose', callId: b.callId as string, closesAt: b.closesAt as string, closedEarly: b.closedEarly === true }),
    // Nobody takes it through the action route: the system delivers it from the call's close (CALL_CLOSE_REACHES_APPLICATIONS_PATCH).
    who: {},
  }),
  action('LodgeObjection', {
    name: 'lodge-objection',
    update: 'lodgeObjection',
    label: APPLICATION_ACTION_LABELS.LodgeObjection,
    done: '异议已受理，主管部门将书面答复。',
    summary: 'Anyone during the 公示 (through POST /api/publicity/:caseId/objections): object to the award, with reasons',
    body: z.strictObject({ reasons: text(1000).meta({ title: '异议理由' }) }),
    toCommand: (b) => ({ type: 'LodgeObjection', reasons: b.reasons as string }),
    // Lodged through the public 公示 route, which keeps the contact in the personal-data vault.
    who: {},
    // Since this change an anonymous objection repeating one still unanswered is answered with it (repeatedObjection); histories before replay as they ran.
    legacyBeforePatch: OBJECTION_ONCE_PATCH,
  }),
  action('UpholdObjection', {
    name: 'uphold-objection',
    update: 'upholdObjection',
    label: APPLICATION_ACTION_LABELS.UpholdObjection,
    submit: '答复：异议成立',
    done: '已书面答复，异议成立。',
    tone: 'danger',
    summary: "Decider of the programme's department: answer an objection in writing as upheld — the award is withdrawn, or lowered",
    body: z
      .strictObject({
        objectionId: text(100).meta({ title: '答复哪项异议' }),
        answer: text(ANSWER_MAX_LENGTH).meta({ title: '书面答复' }),
        remedy: z.enum(['withdraw', 'reduce']).meta({ title: '处理', enumLabels: { withdraw: '撤销资助', reduce: '调低资助金额' } }),
        reducedAmountFen: fen.optional().meta({ title: '调整后的金额（元，调低时填写）', unit: 'fen' }),
      })
      // The amount goes with the remedy that lowers the award, and only with it: said at the field, before the decider sees it.
      .superRefine((body, ctx) => {
        if (body.remedy === 'reduce' && body.reducedAmountFen === undefined) {
          ctx.addIssue({ code: 'custom', path: ['reducedAmountFen'], message: '调低资助金额时，请填写调整后的金额', params: { code: 'required', english: 'required when remedy is reduce' } });
        }
        if (body.remedy === 'withdraw' && body.reducedAmountFen !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['reducedAmountFen'], message: '撤销资助时不填写调整后的金额；如只是调低，请选择“调低资助金额”', params: { code: 'not-with-withdraw', english: 'only with remedy reduce' } });
        }
      }),
    toCommand: (b) => ({
      type: 'UpholdObjection',
      objectionId: b.objectionId as string,
      answer: b.answer as string,
      remedy: b.remedy === 'reduce' ? { kind: 'reduce', amountFen: (b.reducedAmountFen as number | undefined) ?? 0 } : { kind: 'withdraw' },
    }),
    who: decider,
    prefill: firstPendingObjection,
    // Asked with 调低 only, said at the field before the answer asks to be confirmed (it was told after the confirmation of a step that cannot be undone).
    fieldLimits: () => ({ reducedAmountFen: { requiredWhen: { field: 'remedy', equals: 'reduce' } } }),
    choices: objectionChoices,
    explain: objectionsInWords,
  }),
  action('DismissObjection', {
    name: 'dismiss-objection',
    update: 'dismissObjection',
    label: APPLICATION_ACTION_LABELS.DismissObjection,
    submit: '答复：异议不成立',
    done: '已书面答复，异议不成立，资助维持。',
    summary: "Decider of the programme's department: answer an objection in writing as dismissed — the award stands",
    body: z.strictObject({ objectionId: text(100).meta({ title: '答复哪项异议' }), answer: text(ANSWER_MAX_LENGTH).meta({ title: '书面答复' }) }),
    toCommand: (b) => ({ type: 'DismissObjection', objectionId: b.objectionId as string, answer: b.answer as string }),
    who: decider,
    prefill: firstPendingObjection,
    choices: objectionChoices,
    explain: objectionsInWords,
  }),
  action(
    'ExtendTimeLimit',
    extendTimeLimitDeclaration((state: ApplicationState) => {
      const limit = runningLimit(state.timeLimit, state.status);
      return limit ? `${limit.stepLabel}办理时限至 ${limit.lastWorkingDay} 24:00（${limit.workingDays} 个工作日）；延长理由将告知申请人。` : undefined;
    }),
  ),
];

/**
 * What people see of an application beyond its read-model columns: the `details` column of its row,
 * written by db/projections/application.projection.ts and read by `applicationCaseView` alone.
 */
export interface ApplicationViewModel {
  programme: { id: string; zh: string; en: string; catalogueVersion: string; department: Department; payout: PayoutShape } | null;
  priority: ApplicationTerms['priority'];
  waitingFor: ApplicationNextStep['waitingFor'];
  deadline: NonNullable<ApplicationNextStep['deadline']> | null;
  /** The title and summary the applicant gave (today's `details` field of the case view). */
  titleAndSummary: ApplicationDetails | null;
  facts: ApplicationFacts;
  /** Null for a service without an amount (the `requested_fen` column holds 0 then). */
  requestedAmountFen: Fen | null;
  maxAmountFen: Fen | null;
  amountRule: string;
  completeness: WorkingDayWindow | null;
  deemedCompleteAt: string | null;
  /** The promised time limit of the step the case is at (none before issue 13, or at steps without one). */
  timeLimit: TimeLimitView | null;
  supplement: ApplicationState['supplement'] | null;
  /**
   * Each reviewer's score. Who scored, the points and the comments are the office's: absent as the
   * applicant or an expert reads the case, who read only that it was scored (api/views/panel-confidentiality.ts).
   */
  scores: ({ scoredAt: string } & Partial<{ by: string; score: number; comments: string }>)[];
  /** `notes`: what the decider wrote with an approval (决定意见), as the letter gives it; absent when none was written. */
  decision: { by: string; on: LocalDate | null; approvedAmountFen: Fen | null; byDirector: boolean; notes?: string } | null;
  award: (NonNullable<ApplicationState['award']> & { planInWords: string }) | null;
  payouts: IssuedPayout[];
  /** Since PAYOUTS_RECORDED_PATCH, on awards paid on record only: the payments due and not yet recorded (待拨付). */
  duePayouts?: DuePayout[];
  rentWaiverYears: ApplicationState['waiverYears'];
  vouchers: ApplicationState['vouchers'] | null;
  /** `recordedBy` only where the department recorded the leaving (rows of an applicant's report, before and since, have none). */
  stopped: (NonNullable<ApplicationState['stopped']> & { leftOn: LocalDate | null; recordedBy?: { department: Department; note: string } }) | null;
  totalPaidFen: Fen;
  closingReasons: string[];
  /** Since issue 13: the call it was submitted under (null for programmes not run by calls). */
  call?: ApplicationCall | null;
  /** The award's line on the public 公示 list, while and after it is published (masked recipient). */
  publicEntry?: PublicEntry | null;
  /** The objections to the award and their answers (the objector's contact stays in the vault). */
  objections?: { objectionId: string; reasons: string; lodgedAt: string; answer: { outcome: 'upheld' | 'dismissed' | 'closed-with-award'; by: string; text: string; answeredAt: string } | null }[];
  /**
   * The panel's result on it (competitive calls). `excluded` (who recused) is the office's: absent as
   * the applicant or an expert reads the case (api/views/panel-confidentiality.ts).
   */
  panel?: { aggregate: number; method: string; rank: number; rankedOf: number; excluded?: string[]; decision: 'selected' | 'not-selected' | null; reason: string | null } | null;
  /** Since issue 14: each fact, and whether a register answered it, an official verified it, or it is the applicant's claim. */
  factChecks?: FactCheck[];
  /** Since issue 15: the version of the programme's terms the case opened under, for the case page (0: the catalogue's own terms). */
  termsOpenedUnder?: { programmeId: string; catalogueVersion: string; version: number; effectiveFrom: LocalDate | null };
}

/** One fact as the case page shows it: 已核验 (by whom, against what: the register's entry or the official's note) or 申请人声明. */
export interface FactCheck {
  fact: string;
  label: string;
  value: unknown;
  status: 'register' | 'verified' | 'claimed';
  /** Who: the register (and its entry), or the official who verified it. */
  by: string | null;
  /** Against what: the register's entry in words, or the official's note. */
  against: string | null;
  at: string | null;
  /** True where the register's answer replaced what the applicant typed. */
  registerAnswered: boolean;
}

/**
 * A fact answered by a register, as people read it: by the register (its name and what it holds are in
 * `against`), not its entry's id. An outside tester's applicant read 登记名录（条目 RE-d184af00-…）. The
 * read model keeps the id, as its rows were written; the events keep it for the auditor.
 */
function factCheckInWords(check: FactCheck): FactCheck {
  return check.status === 'register' && typeof check.by === 'string' ? { ...check, by: check.by.replace(/^登记名录（条目 [^）]*）$/, '登记名录') } : check;
}

function factChecksOf(state: ApplicationState): FactCheck[] {
  const sources = state.factSources ?? {};
  // In the facts' name order: the keys' order is not kept through jsonb, and a rebuild must show the same list.
  return Object.keys(sources)
    .sort()
    .map((fact) => {
    const source = sources[fact]!;
    const value = (state.facts as Record<string, unknown>)[fact] ?? null;
    const base = { fact, label: factLabel(fact), value };
    if (source.source === 'register') {
      // A 备案号 is answered by the system's own filing (domain/drama-filing/filing-number.ts), named by its 备案编号.
      const by = source.register === 'drama-filings' ? `本系统微短剧备案（备案编号 ${source.entryId}）` : `登记名录（${source.entryId ? `条目 ${source.entryId}` : '无对应条目'}）`;
      return { ...base, status: 'register' as const, by, against: source.describe, at: source.asOf, registerAnswered: true };
    }
    const verified = state.verifiedFacts?.[fact];
    return verified
      ? { ...base, status: 'verified' as const, by: verified.by.displayName, against: verified.against, at: verified.verifiedAt, registerAnswered: false }
      : { ...base, status: 'claimed' as const, by: null, against: null, at: null, registerAnswered: false };
  });
}

/**
 * The Shanghai date of the decision: an approval records it; a rejection records the instant it was
 * decided (its decidedAt, kept as closedAt), whose date it is. (Rows written before this carried no
 * date for a rejection: migration 2026-12-04T01-00 gives them theirs.)
 */
function decisionDateOf(state: ApplicationState): LocalDate | null {
  if (state.decidedOn) return state.decidedOn;
  return state.decidedBy && state.status === 'rejected' && state.closedAt ? shanghaiDateOf(Date.parse(state.closedAt)) : null;
}

/** Who recorded the leaving, where the department did: absent for the applicant's own report, so rows written before are as a rebuild writes them. */
function recordedByOf(state: ApplicationState): { recordedBy?: { department: Department; note: string } } {
  const recorded = state.leftYangpu?.recordedBy;
  return recorded ? { recordedBy: { department: recorded.department, note: recorded.note } } : {};
}

/** The application's read-model row: its columns and its view model (the awards ledger is written by its projection, event by event). */
export function applicationReadModel(state: ApplicationState): CaseReadModel {
  const step = applicationNextStep(state);
  const decidedOn = decisionDateOf(state);
  const terms = state.terms;
  const details: ApplicationViewModel = {
    programme: terms ? { id: terms.programmeId, zh: terms.name.zh, en: terms.name.en, catalogueVersion: terms.catalogueVersion, department: terms.department, payout: terms.payout } : null,
    priority: terms?.priority ?? 'normal',
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    titleAndSummary: state.details ?? null,
    facts: state.facts,
    requestedAmountFen: state.requestedAmountFen,
    maxAmountFen: state.maxAmountFen,
    amountRule: state.amountRule,
    completeness: state.completeness ?? null,
    deemedCompleteAt: state.deemedCompleteAt ?? null,
    timeLimit: timeLimitView(runningLimit(state.timeLimit, state.status)),
    supplement: state.supplement ?? null,
    scores: state.scores.map((s) => ({ by: s.by.displayName, score: s.score, comments: s.comments, scoredAt: s.scoredAt })),
    decision: state.decidedBy
      ? { by: state.decidedBy.displayName, on: decidedOn, approvedAmountFen: state.approvedAmountFen, byDirector: state.byDirector ?? false, ...(state.decisionNotes ? { notes: state.decisionNotes } : {}) }
      : null,
    award: state.award ? { ...state.award, planInWords: describePlan(state.award.plan) } : null,
    payouts: state.payouts,
    // Only awards paid on record carry it: the rows of every other case stay as they were written.
    ...(state.award?.paidOnRecord ? { duePayouts: state.duePayouts ?? [] } : {}),
    rentWaiverYears: state.waiverYears,
    vouchers: state.vouchers ?? null,
    stopped: state.stopped ? { ...state.stopped, leftOn: state.leftYangpu?.leftOn ?? null, ...recordedByOf(state) } : null,
    totalPaidFen: state.totalPaidFen,
    closingReasons: state.closingReasons,
    // Only cases opened since facts have sources carry them.
    ...(state.factSources ? { factChecks: factChecksOf(state) } : {}),
    ...(terms ? { termsOpenedUnder: { programmeId: terms.programmeId, catalogueVersion: terms.catalogueVersion, version: terms.termsVersion?.version ?? 0, effectiveFrom: terms.termsVersion?.effectiveFrom ?? null } } : {}),
    // Only cases in a call carry these: the read model of every other case stays as it was.
    ...(state.call
      ? {
          call: state.call,
          publicEntry: state.publicity ? (publicEntry(state.publicity) ?? null) : null,
          objections: (state.publicity?.objections ?? []).map((o) => ({
            objectionId: o.objectionId,
            reasons: o.reasons,
            lodgedAt: o.lodgedAt,
            answer: o.answer ? { outcome: o.answer.outcome, by: o.answer.by.displayName, text: o.answer.text, answeredAt: o.answer.answeredAt } : null,
          })),
          panel: state.panel?.review
            ? {
                aggregate: state.panel.review.aggregate,
                method: state.panel.review.method,
                rank: state.panel.review.rank,
                rankedOf: state.panel.review.rankedOf,
                excluded: state.panel.review.excluded.map((x) => x.member.displayName),
                decision: state.panel.decision?.decision ?? null,
                reason: state.panel.decision?.reason ?? null,
              }
            : null,
        }
      : {}),
  };
  return {
    referenceNo: state.referenceNo,
    applicantAccountId: state.applicant?.accountId ?? '',
    applicantName: state.applicant?.displayName ?? '',
    status: state.status,
    statusLabel: step.label,
    waitingFor: step.waitingFor,
    requestedFen: state.requestedAmountFen ?? 0,
    approvedFen: state.approvedAmountFen,
    outstandingFen: 0,
    nextDeadlineAt: step.deadline?.at ?? null,
    programmeId: terms?.programmeId ?? null,
    department: terms?.department ?? null,
    departments: !terms ? [] : terms.requiresContentReview && terms.department !== 'cac' ? [terms.department, 'cac'] : [terms.department],
    sourceCaseId: null,
    decidedOn,
    details: { ...details },
  };
}

/**
 * The 奖补 line, and for a rent waiver what the tenant pays each contract year. A waiver pays nothing
 * out: it is rent not charged, 已减免, and its next date the next contract year's start (an outside
 * tester read 下一笔发放 and 已发放 ¥399,999.96 on a waiver, and nowhere what the tenant pays).
 */
function awardLines(d: ApplicationViewModel): { label: string; value: string }[] {
  const award = d.award!;
  if (award.plan.kind !== 'rent-waiver-years') {
    // Paid on record: what waits to be paid is said beside what was paid, with since when (an award read 已发放 with nobody paying it).
    const due = d.duePayouts ?? [];
    const waiting = due.length > 0 ? `；待拨付 ${yuan(due.reduce((sum, p) => sum + p.amountFen, 0))}（${due.map((p) => `第 ${p.number} 笔自${chineseDate(p.dueOn)}起`).join('、')}）` : '';
    const lines = [{ label: '奖补', value: `${yuan(award.amountFen)}：${award.planInWords}；已发放 ${yuan(d.totalPaidFen)}${waiting}${stoppedInWords(d.stopped)}` }];
    const recorded = d.payouts.filter((p) => p.bankReference !== undefined);
    if (recorded.length > 0) {
      lines.push({ label: '拨付记录', value: recorded.map((p) => `第 ${p.number} 笔 ${yuan(p.amountFen)}，${chineseDate(p.paidOn!)}拨付，流水号 ${p.bankReference}${p.recordedBy ? `，${p.recordedBy.displayName}登记` : ''}`).join('；') });
    }
    return lines;
  }
  const plan = award.plan;
  const years = waivedYears(plan);
  const started = new Set(d.rentWaiverYears.map((y) => y.year));
  return [
    { label: '奖补', value: `租金减免合计 ${yuan(award.amountFen)}：${award.planInWords}；已减免 ${yuan(d.totalPaidFen)}${stoppedInWords(d.stopped)}` },
    {
      label: '各合同年度租金',
      value: years
        .map((y) => `第 ${y.year} 年（${chineseDate(y.from)}至${chineseDate(y.until)}）减免 ${y.waivedBasisPoints / 100}%（${yuan(y.waivedFen)}），承租方支付 ${yuan(y.tenantPaysFen)}${started.has(y.year) ? '' : '（尚未开始）'}`)
        .join('；'),
    },
  ];
}

/** What each kind of deadline an application shows is the deadline of. */
const DEADLINE_WHAT: Readonly<Record<string, string>> = {
  'completeness-check': '材料审查，逾期未告知补正的视为材料齐全',
  'supplement-reply': '申请人提交补正材料',
  // The last day of the 公示: an award no objection has stopped takes effect after it.
  publicity: '公示期满',
  'next-payout': '下一笔发放',
};

/** The 办理时限 line: the step's promised limit, else the deadline the step shows (the completeness window, the 补正 reply, the 公示, the next payout). */
function deadlineLine(d: ApplicationViewModel): { label: string; value: string }[] {
  if (d.timeLimit) return [{ label: '办理时限', value: describeTimeLimit(d.timeLimit) }];
  if (!d.deadline) return [];
  // A payout's day is a date by the award's schedule, not a time limit: no 办理时限, no （含）前, no 暂定.
  if (countingFor(null, d.deadline.kind) === 'payout-date') {
    // A waiver's next date is when its next contract year's reduction starts: nothing is paid out.
    if (d.award?.plan.kind === 'rent-waiver-years') return [{ label: '下一合同年度', value: `${chineseDate(d.deadline.dueOn)}起按下一年度比例减免租金` }];
    return [{ label: '下一笔发放', value: `${chineseDate(d.deadline.dueOn)}发放` }];
  }
  const what = DEADLINE_WHAT[d.deadline.kind] ?? '下一笔发放';
  return [{ label: '办理时限', value: describeDeadline(d.deadline, what) }];
}

/**
 * 可获上限 in the catalogue's words (supportInWords): a plain cap as 最高, or 每年最高 where it counts
 * per year; a computed maximum with its computation; a subsidy the sources leave uncapped as such.
 */
function maxAmountLine(d: ApplicationViewModel): string {
  // From the catalogue version the case opened under, read here rather than stored in the row: rows
  // projected before would otherwise differ from the auditor's rebuild. (A published version of the
  // terms may lower a cap, never change its kind or period: the amount itself is the row's.)
  const fromCatalogue = d.programme ? findProgrammeAt(d.programme.catalogueVersion, d.programme.id) : undefined;
  const support = fromCatalogue ? supportOf({ ...fromCatalogue, payout: d.programme!.payout }) : undefined;
  if (d.maxAmountFen) {
    // The case's own maximum, in the words of its cap.
    if (support?.amount.kind === 'cap') return supportInWords({ ...support, amount: { kind: 'cap', capFen: d.maxAmountFen } }, yuan);
    return `${yuan(d.maxAmountFen)}${d.amountRule ? `（${d.amountRule}）` : ''}`;
  }
  if (support && support.amount.kind === 'none' && support.payout?.kind !== 'none') return supportInWords(support, yuan);
  return '—';
}

/** 评审打分: who scored and how many points, as the office reads it; that it was scored, as the applicant does (no names, no points). */
function scoresInWords(scores: ApplicationViewModel['scores']): string {
  if (scores.some((s) => s.by === undefined || s.score === undefined)) return '已打分';
  return scores.map((s) => `${s.by} ${s.score} 分`).join('；');
}

/** An application as its applicant and the officials see it, from its read-model row alone. */
export function applicationCaseView(row: CaseRow): Record<string, unknown> {
  const d = row.details as unknown as ApplicationViewModel;
  const decision = decisionOf(d, row.status);
  return {
    programme: d.programme,
    priority: d.priority,
    waitingFor: d.waitingFor,
    deadline: d.deadline,
    details: d.titleAndSummary,
    facts: d.facts,
    requestedAmountFen: d.requestedAmountFen,
    maxAmountFen: d.maxAmountFen,
    amountRule: d.amountRule,
    completeness: d.completeness,
    deemedCompleteAt: d.deemedCompleteAt,
    timeLimit: d.timeLimit ?? null,
    supplement: d.supplement,
    scores: d.scores,
    decision,
    award: d.award,
    payouts: d.payouts,
    ...(d.duePayouts ? { duePayouts: d.duePayouts } : {}),
    rentWaiverYears: d.rentWaiverYears,
    vouchers: d.vouchers,
    stopped: d.stopped,
    totalPaidFen: d.totalPaidFen,
    closingReasons: d.closingReasons,
    ...(d.call ? { call: d.call, publicEntry: d.publicEntry ?? null, objections: d.objections ?? [], panel: d.panel ?? null } : {}),
    ...(d.factChecks ? { factChecks: d.factChecks.map(factCheckInWords) } : {}),
    ...(d.termsOpenedUnder ? { termsOpenedUnder: d.termsOpenedUnder } : {}),
    // What the case is, in words: the case page's facts card.
    overview: [
      ...(d.call ? [{ label: '申报批次', value: `${d.call.title}（${d.call.mode === 'competitive' ? '竞争性评审' : '先到先审'}，公示 ${d.call.publicityWorkingDays} 个工作日）` }] : []),
      { label: '申请事项', value: d.titleAndSummary?.title ?? '' },
      { label: '情况说明', value: d.titleAndSummary?.summary ?? '' },
      { label: '申请金额', value: d.requestedAmountFen ? yuan(d.requestedAmountFen) : '—' },
      { label: '可获上限', value: maxAmountLine(d) },
      ...deadlineLine(d),
      ...(d.scores.length ? [{ label: '评审打分', value: scoresInWords(d.scores) }] : []),
      ...(decision ? [{ label: '决定', value: decisionInWords(decision) }] : []),
      ...(d.panel ? [{ label: '评审结果', value: `第 ${d.panel.rank} 位（共 ${d.panel.rankedOf} 位），综合得分 ${(d.panel.aggregate / 100).toFixed(2)}${d.panel.excluded?.length ? `；回避：${d.panel.excluded.join('、')}` : ''}` }] : []),
      ...(d.publicEntry ? [{ label: '公示', value: `${d.publicEntry.publishedOn} 起至 ${d.publicEntry.lastWorkingDay} 24:00（${d.publicEntry.statusLabel}）` }] : []),
      ...(d.award ? awardLines(d) : []),
    ],
  };
}

const applicationModule: CaseModule<ApplicationState, ApplicationEvent, ApplicationCommand, ApplicationInput> = {
  caseType: 'application',
  streamTypes: [STREAM_TYPE],
  streamTypeOf: () => STREAM_TYPE,
  workflowType: 'applicationWorkflow',
  stateQuery: 'applicationState',
  name: '扶持项目申请',

  initialState: initialApplicationState,
  evolve: evolveApplication,
  isTerminal: isApplicationTerminal,

  async open(input, ask) {
    const { caseId, referenceNo, applicant, terms, details } = input;
    // The submission's instant is read before the look-ups, as the workflow before issue 11 did: recorded histories depend on it.
    const now = ask.now();
    const submittedOn = shanghaiDateOf(now);
    // Since issue 13: the call it belongs to, asked at the submission's instant; outside an open call it is refused, recording nothing.
    const call = ask.patched(APPLICATION_CALLS_PATCH) ? callOfSubmission(await ask.lookups.findOpenCall({ programmeId: terms.programmeId, at: now }), terms.name.zh) : undefined;
    // Since issue 14: what a department's register holds is looked up, whatever was typed for it.
    const { facts, factSources } = await registerFacts(input, submittedOn, ask);
    // Stacking against the whole ledger and the stays already taken: computed by the activity, so the answer is in history.
    const assessment = await ask.lookups.assessApplication({ caseId, catalogueVersion: terms.catalogueVersion, programmeId: terms.programmeId, applicantAccountId: applicant.accountId, facts, on: submittedOn });
    // Since ONE_OPEN_APPLICATION_PATCH: an application that passes the rules claims its item; a second while the first is open is refused.
    const item = assessment.eligible && assessment.violations.length === 0 ? claimedItem(terms, assessment.facts, applicant.accountId) : undefined;
    if (item !== undefined && ask.patched(ONE_OPEN_APPLICATION_PATCH)) {
      const claim = await ask.lookups.claimApplicationItem({ programmeId: terms.programmeId, applicantAccountId: applicant.accountId, item: claimKey(item.key), caseId, referenceNo });
      if (!claim.granted) throw secondApplicationRefusal(terms.name.zh, item, claim.heldBy);
    }
    // Since ONE_OPEN_COMPLAINT_PATCH: a complaint (盾牌行动), which names no item, claims its own words; the same again while it is open is refused.
    const complaint = item === undefined && assessment.eligible && assessment.violations.length === 0 ? claimedComplaint(terms.programmeId, details, input.facts) : undefined;
    if (complaint !== undefined && ask.patched(ONE_OPEN_COMPLAINT_PATCH)) {
      const claim = await ask.lookups.claimApplicationItem({ programmeId: terms.programmeId, applicantAccountId: applicant.accountId, item: complaint.key, caseId, referenceNo });
      if (!claim.granted) throw secondComplaintRefusal(terms.name.zh, claim.heldBy);
    }
    const completeness = assessment.eligible ? await ask.lookups.computeWorkingDayWindow({ startedOn: submittedOn, workingDays: terms.completenessWorkingDays }) : undefined;
    const following = completeness && limitsApply(terms, ask) ? await limitIfDeemedComplete(terms, completeness, ask, call) : undefined;
    return decideApplicationSubmission(
      { caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, terms, details, ...(call ? { call } : {}), ...(factSources ? { factSources } : {}) },
      assessment,
      completeness!,
      now,
      following,
    );
  },

  actions: APPLICATION_ACTIONS,
  check: (state, command, { actor, now, legacy }) => ensureApplicationActionAllowed(state, command, actor, now, legacy),
  decide: (command, state, { actor, now, legacy, prepared, patched }) =>
    decideApplicationAction(state, command, {
      // Outside a workflow (tests, the validator) the rules of now.
      paidOnRecord: () => (patched ? patched(PAYOUTS_RECORDED_PATCH) : true),
      actor,
      now,
      completeness: prepared.completeness as WorkingDayWindow | undefined,
      limitIfDeemedComplete: prepared.limitIfDeemedComplete as WorkingDayCount | undefined,
      nextStepLimit: prepared.nextStepLimit as WorkingDayCount | undefined,
      extension: prepared.extension as WorkingDayCount | undefined,
      awardCheck: prepared.awardCheck as ApplicationAssessment | undefined,
      awardId: prepared.awardId as string | undefined,
      legacy,
      publicityWindow: prepared.publicityWindow as PublicityWindow | undefined,
      objectionId: prepared.objectionId as string | undefined,
      supplementReply: prepared.supplementReply as DayPeriod | undefined,
      callCloseRecount: prepared.callCloseRecount as WorkingDayCount | undefined,
    }),
  async prepare(command, state, ask) {
    const now = ask.now();
    if (command.type === 'RecordCallClose') {
      const recount = panelLimitRecountOnClose(state, command);
      return recount ? { callCloseRecount: await ask.lookups.computeWorkingDayWindow(recount) } : {};
    }
    if (command.type === 'LodgeObjection') return { objectionId: ask.uuid() };
    if (command.type === 'RecordPayout') {
      // One bank transfer is one money movement, across every case that records money (db/money-references.ts).
      const held = await ask.lookups.findMoneyReference({ caseId: ask.caseId, reference: command.bankReference });
      if (held) throw referenceUsedRefusal(command.bankReference, 'bankReference', held);
      return {};
    }
    if (command.type === 'RequestSupplement') return state.terms ? supplementReplyPeriod(state.terms.supplementReplyDays, ask) : {};
    if (command.type === 'RecordBatchDecision') {
      const facts = batchAwardCheckFacts(state, command);
      if (!facts) return {};
      const publicityWindow = await publicityWindowFrom(now, state.call!, ask);
      if (!ask.patched(BATCH_AWARD_CHECK_PATCH)) return { publicityWindow };
      // The stacking rules again, against the ledger as it is now: an award elsewhere may have landed since the submission.
      const t = state.terms!;
      const awardCheck = await ask.lookups.assessApplication({ caseId: ask.caseId, catalogueVersion: t.catalogueVersion, programmeId: t.programmeId, applicantAccountId: state.applicant!.accountId, facts, on: shanghaiDateOf(now) });
      return { publicityWindow, awardCheck };
    }
    if (command.type === 'ProvideSupplement') {
      const completeness = await ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(now), workingDays: state.terms!.completenessWorkingDays });
      if (!limitsApply(state.terms, ask)) return { completeness };
      return { completeness, limitIfDeemedComplete: await limitIfDeemedComplete(state.terms!, completeness, ask, state.call) };
    }
    if (command.type === 'ExtendTimeLimit') {
      // Counted from the limit's last working day; refused by the checks before this look-up when there is no limit to extend.
      const limit = runningLimit(state.timeLimit, state.status)!;
      return { extension: await ask.lookups.computeWorkingDayWindow({ startedOn: limit.lastWorkingDay, workingDays: command.extraWorkingDays }) };
    }
    const next = limitedStepAfter(state, command.type);
    if (next && limitsApply(state.terms, ask)) return { nextStepLimit: await countStepLimit(next.workingDays, ask) };
    if (command.type !== 'ApproveApplication') return {};
    // The award step: the rules again, against the ledger as it is now (another award may have landed).
    const awardCheck = await ask.lookups.assessApplication({
      caseId: ask.caseId,
      catalogueVersion: state.terms!.catalogueVersion,
      programmeId: state.terms!.programmeId,
      applicantAccountId: state.applicant!.accountId,
      facts: awardCheckFacts(state, command, now),
      on: shanghaiDateOf(now),
    });
    // Drawn after the look-up, where the workflow before issue 11 drew it: the workflow's ids follow one sequence.
    const awardId = `AW-${ask.uuid()}`;
    // An award in a call is published from today; a service pays nothing and is not.
    if (state.call && state.terms!.payout.kind !== 'none') return { awardCheck, awardId, publicityWindow: await publicityWindowFrom(now, state.call, ask) };
    return { awardCheck, awardId };
  },

  repeatOf: (state, command) => recordedBatch(state, command as Parameters<typeof recordedBatch>[1]) ?? (command.type === 'LodgeObjection' ? repeatedObjection(state.publicity, command) : undefined),

  nextThreshold: nextApplicationTimeThreshold,
  onThreshold: (state, now, prepared) => decideApplicationTimeElapsed(state, now, prepared ? () => prepared.paidOnRecord === true : undefined),
  // Asked only where time grants an award whose payments an official records (after its 公示): histories before keep theirs.
  prepareThreshold(state, now, ask) {
    if (!grantsPaidOnRecord(state, now)) return undefined;
    return Promise.resolve({ paidOnRecord: ask.patched(PAYOUTS_RECORDED_PATCH) });
  },
  limitOnArrival: panelReviewLimitOnArrival,
  calendar: {
    async recompute(state, reason, ask, corrections) {
      // A 公示 counted on weekends only (since PUBLICITY_RECOUNT_PATCH): counted again by the activity, its answer in history.
      const notice = state.status === 'publicity' && state.publicity ? publicityRecount(state.publicity) : undefined;
      if (notice && ask.patched(PUBLICITY_RECOUNT_PATCH)) {
        const recounted = await ask.lookups.computePublicityWindow({ publishedOn: notice.publishedOn as LocalDate, workingDays: notice.workingDays });
        return decidePublicityWindowRecomputed(state.publicity!, recounted, reason, ask.now());
      }
      const limit = runningLimit(state.timeLimit, state.status);
      const recount = recountOf(limit, reason, corrections);
      if (recount) return decideLimitRecomputed(limit, await ask.lookups.computeWorkingDayWindow(recount), reason, ask.now(), corrections);
      if (state.status === 'awaiting-supplement') return recountSupplementReply(state.supplement, reason, ask, corrections);
      const window = state.completeness;
      if (state.status !== 'completeness-check' || !window || !recountDue(window, reason, corrections)) return [];
      // The calendar is read by the activity; its answer lands in history.
      const recomputed = await ask.lookups.computeWorkingDayWindow({ startedOn: window.startedOn, workingDays: window.workingDays });
      // The next step's limit starts where the window ends: counted again when the window moved (cases that keep one).
      const moved = recomputed.lastWorkingDay !== window.lastWorkingDay || recomputed.provisional !== window.provisional;
      const following = state.limitIfDeemedComplete && moved ? await limitIfDeemedComplete(state.terms!, recomputed, ask, state.call) : undefined;
      return decideCompletenessRecomputed(state, recomputed, reason, ask.now(), following, corrections);
    },
  },

  // 待拨付 is the 'paying' step's label while a payment waits to be recorded: the queue's filter names it too.
  statuses: APPLICATION_STATUS_LABELS,
  // Types before issue 11 keep their titles in web/src/events-text.ts; the time-limit events are named here.
  eventLabels: {
    ...TIME_LIMIT_EVENT_LABELS,
    ...APPLICATION_PANEL_EVENT_LABELS,
    ...PUBLICITY_EVENT_LABELS,
    AwardWithdrawnAfterPublicity: '撤销资助（异议成立）',
    FactsVerified: '核验申请人声明的事实',
    ApprovedAmountReduced: '调整资助金额（异议成立）',
    SupplementReplyRecomputed: SUPPLEMENT_REPLY_RECOMPUTED_LABEL,
    CallCloseRecorded: '申报截止时间变更',
    PayoutFellDue: '款项待拨付',
    PayoutRecorded: '登记拨付',
  },
  nextStep: applicationNextStep,
  searchView: (state, input) => ({
    caseType: STREAM_TYPE,
    status: state.status,
    referenceNo: state.referenceNo ?? input.referenceNo,
    department: input.terms.department,
    programmeId: input.terms.programmeId,
    nextDeadline: nextApplicationTimeThreshold(state),
  }),
  describe: (state) => ({ zh: `办件 ${state.referenceNo}`, en: `case ${state.referenceNo}` }),

  decisionLetter: letterForApplication,
  readModel: applicationReadModel,
  view: applicationCaseView,
};

/** 附加材料 (issue 14): officials of the measure's department (and 网信 where it reviews the content), while the case is open. */
export const applicationCase = withAttachedDocuments(applicationModule, {
  at: openStatuses(APPLICATION_STATUS_LABELS, [...APPLICATION_TERMINAL_STATUSES, 'not-submitted']),
  departmentsOf: (state) => applicationReadModel(state).departments as Department[],
});
