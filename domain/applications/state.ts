import type { Fen } from '../money/fen.js';
import { holdAttachment, type HoldsAttachments } from '../documents/official-attachments.js';
import type { ApplicationFacts } from '../programmes/programme.js';
import type { LocalDate } from '../time/local-date.js';
import type { Department } from '../cases/actor.js';
import { evolveSupplementReply, type ReplyPeriod } from '../cases/supplement-reply.js';
import type { ActorRef, ApplicationCall, ApplicationDetails, ApplicationEvent, WorkingDayWindow } from './events.js';
import type { ApplicationPanelEvent } from '../panels/application-record.js';
import { evolvePublicity, initialPublicityState, type PublicityState } from '../publicity/state.js';
import type { PayoutPlan } from './payouts.js';
import type { FactSource } from '../registers/answer-facts.js';
import type { ApplicationTerms } from './terms.js';
import { evolveTimeLimit, type StepTimeLimit, type WorkingDayCount } from '../time-limits/step-time-limit.js';

export type ApplicationStatus =
  | 'not-submitted'
  | 'completeness-check'
  | 'awaiting-supplement'
  | 'compliance-review'
  | 'review'
  /** Since issue 13: a case in a competitive call waits for the panel and the director's batch decision. */
  | 'panel-review'
  /** Since issue 13: an award in a call is published (公示) before it is final. */
  | 'publicity'
  | 'paying'
  | 'completed'
  | 'withdrawn'
  | 'rejected'
  /** An objection to the award was upheld during its 公示 and the award withdrawn. */
  | 'withdrawn-after-publicity';

export const APPLICATION_TERMINAL_STATUSES: readonly ApplicationStatus[] = ['completed', 'withdrawn', 'rejected', 'withdrawn-after-publicity'];

/** What the case keeps of the panel's work on it (competitive calls). */
export interface ApplicationPanelRecord {
  recusals: Extract<ApplicationPanelEvent, { type: 'PanelRecusalRecorded' }>['data'][];
  review?: Extract<ApplicationPanelEvent, { type: 'PanelReviewRecorded' }>['data'];
  decision?: Extract<ApplicationPanelEvent, { type: 'BatchDecisionRecorded' }>['data'];
}

export interface ApplicationScore {
  by: ActorRef;
  score: number;
  comments: string;
  scoredAt: string;
}

export interface IssuedPayout {
  number: number;
  amountFen: Fen;
  dueOn: LocalDate;
  /** When it counted as paid: issued by the calendar (before PAYOUTS_RECORDED_PATCH), or recorded by an official. */
  issuedAt: string;
  /** A payment recorded by an official (登记拨付): the day the money left, the transfer's bank reference, who recorded it. */
  paidOn?: LocalDate;
  bankReference?: string;
  recordedBy?: ActorRef;
}

/** A payment of an award paid on record that fell due and waits for an official to record it (待拨付). */
export interface DuePayout {
  number: number;
  of: number;
  amountFen: Fen;
  dueOn: LocalDate;
  fellDueAt: string;
}

export interface ApplicationState extends HoldsAttachments {
  status: ApplicationStatus;
  /** Number of events folded so far: the stream version. */
  version: number;
  caseId: string;
  referenceNo: string;
  applicant?: ActorRef;
  terms?: ApplicationTerms;
  facts: ApplicationFacts;
  details?: ApplicationDetails;
  requestedAmountFen: Fen | null;
  maxAmountFen: Fen | null;
  amountRule: string;
  submittedAt?: string;
  submittedOn?: LocalDate;
  /** The open completeness window (from submission, or from a 补正 reply). */
  completeness?: WorkingDayWindow;
  deemedCompleteAt?: string;
  /** Under terms with time limits: the limit the next step starts with if the completeness window closes unanswered. */
  limitIfDeemedComplete?: WorkingDayCount;
  /** The promised time limit of the official step the case is at (or was at last: see `runningLimit`). */
  timeLimit?: StepTimeLimit;
  supplement?: { missingItems: string[]; requestedAt: string; replyDueOn: LocalDate; replyPeriod?: ReplyPeriod };
  supplementRounds: number;
  /** Every official who reviewed the case (completeness, content, scores): none of them may decide it (four-eyes). */
  reviewerIds: string[];
  scores: ApplicationScore[];
  approvedAmountFen: Fen | null;
  decidedBy?: ActorRef;
  decidedOn?: LocalDate;
  byDirector?: boolean;
  /** What the decider wrote with an approval (决定意见): the letter's reasons, and the case page's 决定 line. Absent when none was written. */
  decisionNotes?: string;
  /** `paidOnRecord`: since PAYOUTS_RECORDED_PATCH, its payments count as paid only once recorded (absent before). */
  award?: { awardId: string; itemId: string; amountFen: Fen; awardedOn: LocalDate; plan: PayoutPlan; paidOnRecord?: true };
  /** The payments made: issued by the calendar, or recorded by an official. */
  payouts: IssuedPayout[];
  /** Payments fallen due and not yet recorded, oldest first (待拨付); absent on cases that never had one, so their stored state is as it was. */
  duePayouts?: DuePayout[];
  waiverYears: { year: number; from: LocalDate; until: LocalDate; waivedBasisPoints: number; waivedFen: Fen; tenantPaysFen: Fen }[];
  vouchers?: { amountFen: Fen; voucherBatch: string; issuedAt: string };
  /** The day the applicant left 杨浦: reported by them, or recorded by the department (`recordedBy`: who, and how the office knows). */
  leftYangpu?: { leftOn: LocalDate; reportedAt: string; recordedBy?: { department: Department; by: ActorRef; note: string } };
  stopped?: { paidCount: number; paidFen: Fen; entitledFen: Fen; recoverableFen: Fen; forgoneFen: Fen; owedFen?: Fen; stoppedAt: string };
  totalPaidFen: Fen;
  closingReasons: string[];
  closedAt?: string;
  /** Since issue 13: the call it was submitted under (none for a programme not run by calls). */
  call?: ApplicationCall;
  /** What the call's budget holds for this case now: committed at approval, given back by a withdrawal or reduction. */
  committedFen?: Fen;
  panel?: ApplicationPanelRecord;
  /** The award's 公示 (domain/publicity), from the approval on. */
  publicity?: PublicityState;
  /** Since issue 14: where each fact came from (a register's entry, or the applicant's claim). */
  factSources?: Partial<Record<string, FactSource>>;
  /** Since issue 14: the claimed facts an official verified, by whom and against what. */
  verifiedFacts?: Record<string, { by: ActorRef; against: string; verifiedAt: string }>;
}

export function initialApplicationState(): ApplicationState {
  return {
    status: 'not-submitted',
    version: 0,
    caseId: '',
    referenceNo: '',
    facts: {},
    requestedAmountFen: null,
    maxAmountFen: null,
    amountRule: '',
    supplementRounds: 0,
    reviewerIds: [],
    scores: [],
    approvedAmountFen: null,
    payouts: [],
    waiverYears: [],
    totalPaidFen: 0,
    closingReasons: [],
  };
}

/** Where a complete application goes next: the 网信 content review if the programme requires it, else review. */
function afterCompleteness(state: ApplicationState): ApplicationStatus {
  return state.terms?.requiresContentReview ? 'compliance-review' : reviewStep(state);
}

/** The review step: the panel's in a competitive call, else the department's own. */
function reviewStep(state: ApplicationState): ApplicationStatus {
  return state.call?.mode === 'competitive' ? 'panel-review' : 'review';
}

const committedBy = (data: { budgetMovements?: { kind: string; amountFen: Fen }[] }): Fen =>
  (data.budgetMovements ?? []).reduce((sum, m) => sum + (m.kind === 'commit' ? m.amountFen : m.kind === 'release' ? -m.amountFen : 0), 0);

function withPublicity(state: ApplicationState, event: Parameters<typeof evolvePublicity>[1]): ApplicationState {
  return { ...state, publicity: evolvePublicity(state.publicity ?? initialPublicityState(), event) };
}

/** Pure fold of one event into the state; used live, in projections and in the auditor's replay. */
export function evolveApplication(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  const next: ApplicationState = { ...state, version: state.version + 1 };
  switch (event.type) {
    // An official's own documents (issue 14): recorded for the file, they change nothing of the case's course.
    case 'OfficialDocumentsAttached':
      return holdAttachment(next, event);
    case 'ApplicationSubmitted': {
      const d = event.data;
      return {
        ...next,
        status: 'completeness-check',
        caseId: d.caseId,
        referenceNo: d.referenceNo,
        applicant: d.applicant,
        terms: d.terms,
        facts: d.facts,
        details: d.details,
        requestedAmountFen: d.requestedAmountFen,
        maxAmountFen: d.maxAmountFen,
        amountRule: d.amountRule,
        submittedAt: d.submittedAt,
        submittedOn: d.submittedOn,
        completeness: d.completeness,
        ...(d.limitIfDeemedComplete ? { limitIfDeemedComplete: d.limitIfDeemedComplete } : {}),
        ...(d.call ? { call: d.call } : {}),
        ...(d.factSources ? { factSources: d.factSources } : {}),
      };
    }
    case 'FactsVerified': {
      const verified = { ...(state.verifiedFacts ?? {}) };
      for (const f of event.data.facts) verified[f.fact] = { by: event.data.by, against: f.against, verifiedAt: event.data.verifiedAt };
      return { ...next, verifiedFacts: verified, reviewerIds: addReviewer(state.reviewerIds, event.data.by) };
    }
    case 'SupplementRequested': {
      const { completeness: _stopped, ...rest } = next;
      return {
        ...rest,
        status: 'awaiting-supplement',
        supplementRounds: state.supplementRounds + 1,
        supplement: {
          missingItems: event.data.missingItems,
          requestedAt: event.data.requestedAt,
          replyDueOn: event.data.replyDueOn,
          ...(event.data.replyPeriod ? { replyPeriod: event.data.replyPeriod } : {}),
        },
        reviewerIds: addReviewer(state.reviewerIds, event.data.by),
      };
    }
    case 'SupplementProvided': {
      const { supplement: _answered, limitIfDeemedComplete: _earlier, ...rest } = next;
      const following = event.data.limitIfDeemedComplete;
      return { ...rest, status: 'completeness-check', completeness: event.data.completeness, ...(following ? { limitIfDeemedComplete: following } : {}) };
    }
    case 'MaterialsAccepted': {
      const { completeness: _closed, ...rest } = next;
      return { ...rest, status: afterCompleteness(state), reviewerIds: addReviewer(state.reviewerIds, event.data.by) };
    }
    case 'MaterialsDeemedComplete': {
      const { completeness: _closed, ...rest } = next;
      return { ...rest, status: afterCompleteness(state), deemedCompleteAt: event.data.at };
    }
    case 'SupplementReplyRecomputed':
      return state.supplement ? { ...next, supplement: evolveSupplementReply(state.supplement, event) } : next;
    case 'CompletenessWindowRecomputed': {
      const following = event.data.limitIfDeemedComplete;
      return { ...next, completeness: event.data.current, ...(following ? { limitIfDeemedComplete: following } : {}) };
    }
    case 'ComplianceReviewPassed':
      return { ...next, status: reviewStep(state), reviewerIds: addReviewer(state.reviewerIds, event.data.by) };
    case 'ComplianceReviewFailed':
      return {
        ...next,
        status: 'rejected',
        reviewerIds: addReviewer(state.reviewerIds, event.data.by),
        closingReasons: event.data.reasons,
        closedAt: event.data.reviewedAt,
      };
    case 'ApplicationScored':
      return { ...next, scores: [...state.scores, event.data], reviewerIds: addReviewer(state.reviewerIds, event.data.by) };
    case 'ApplicationApproved':
      return {
        ...next,
        // An award with payouts to come is 'paying' once granted; until then (and for services) the decision stands here.
        approvedAmountFen: event.data.approvedAmountFen,
        decidedBy: event.data.by,
        decidedOn: event.data.decidedOn,
        byDirector: event.data.byDirector,
        ...(event.data.notes ? { decisionNotes: event.data.notes } : {}),
        ...(event.data.budgetMovements ? { committedFen: (state.committedFen ?? 0) + committedBy(event.data) } : {}),
      };
    case 'ApplicationRejected':
      return { ...next, status: 'rejected', decidedBy: event.data.by, closingReasons: event.data.reasons, closedAt: event.data.decidedAt };
    case 'AwardGranted': {
      const { awardId, itemId, amountFen, awardedOn, plan, paidOnRecord } = event.data;
      return { ...next, status: 'paying', award: { awardId, itemId, amountFen, awardedOn, plan, ...(paidOnRecord ? { paidOnRecord } : {}) } };
    }
    case 'PayoutFellDue': {
      const { number, of, amountFen, dueOn, at } = event.data;
      return { ...next, duePayouts: [...(state.duePayouts ?? []), { number, of, amountFen, dueOn, fellDueAt: at }] };
    }
    case 'PayoutRecorded': {
      const { number, amountFen, dueOn, paidOn, bankReference, by, recordedAt } = event.data;
      return {
        ...next,
        duePayouts: (state.duePayouts ?? []).filter((p) => p.number !== number),
        payouts: [...state.payouts, { number, amountFen, dueOn, issuedAt: recordedAt, paidOn, bankReference, recordedBy: by }],
        totalPaidFen: state.totalPaidFen + amountFen,
      };
    }
    case 'PayoutIssued': {
      const { number, amountFen, dueOn, issuedAt } = event.data;
      return { ...next, payouts: [...state.payouts, { number, amountFen, dueOn, issuedAt }], totalPaidFen: state.totalPaidFen + amountFen };
    }
    case 'RentWaiverYearStarted': {
      const { year, from, until, waivedBasisPoints, waivedFen, tenantPaysFen } = event.data;
      return { ...next, waiverYears: [...state.waiverYears, { year, from, until, waivedBasisPoints, waivedFen, tenantPaysFen }], totalPaidFen: state.totalPaidFen + waivedFen };
    }
    case 'VouchersIssued':
      return { ...next, vouchers: event.data, totalPaidFen: state.totalPaidFen + event.data.amountFen };
    case 'LeftYangpuReported':
      return { ...next, leftYangpu: { leftOn: event.data.leftOn, reportedAt: event.data.reportedAt } };
    case 'LeftYangpuRecorded': {
      const { by, department, leftOn, note, recordedAt } = event.data;
      return { ...next, leftYangpu: { leftOn, reportedAt: recordedAt, recordedBy: { department, by, note } } };
    }
    case 'PayoutsStopped': {
      const { reason: _reason, budgetMovements, ...stopped } = event.data;
      // A payment due after the day of leaving and never recorded is not paid: only those due by then stay owed.
      const leftOn = state.leftYangpu?.leftOn;
      const owed = state.duePayouts && leftOn ? { duePayouts: state.duePayouts.filter((p) => p.dueOn <= leftOn) } : {};
      return { ...next, stopped, ...owed, ...(budgetMovements ? { committedFen: (state.committedFen ?? 0) + committedBy(event.data) } : {}) };
    }
    case 'ApplicationCompleted':
      return { ...next, status: 'completed', closedAt: event.data.completedAt };
    case 'ApplicationWithdrawn': {
      const { completeness: _closed, ...rest } = next;
      return { ...rest, status: 'withdrawn', closingReasons: [event.data.detail], closedAt: event.data.withdrawnAt };
    }
    case 'PanelRecusalRecorded': {
      const panel = state.panel ?? { recusals: [] };
      return { ...next, panel: { ...panel, recusals: [...panel.recusals, event.data] } };
    }
    case 'PanelReviewRecorded':
      return { ...next, panel: { ...(state.panel ?? { recusals: [] }), review: event.data } };
    case 'CallCloseRecorded': {
      const { closesAt, limit } = event.data;
      return {
        ...next,
        ...(state.call ? { call: { ...state.call, closesAt } } : {}),
        ...(limit && state.timeLimit ? { timeLimit: { ...state.timeLimit, ...limit.current } } : {}),
      };
    }
    case 'BatchDecisionRecorded':
      return { ...next, panel: { ...(state.panel ?? { recusals: [] }), decision: event.data } };
    case 'PublicityStarted':
      return { ...withPublicity(next, event), status: 'publicity' };
    case 'ObjectionLodged':
    case 'ObjectionUpheld':
    case 'ObjectionDismissed':
    case 'ObjectionClosedWithAward':
    case 'AwardFinalised':
    case 'PublicityWindowRecomputed':
      return withPublicity(next, event);
    case 'AwardWithdrawnAfterPublicity':
      return {
        ...next,
        status: 'withdrawn-after-publicity',
        committedFen: (state.committedFen ?? 0) + committedBy(event.data),
        closingReasons: [event.data.answer],
        closedAt: event.data.withdrawnAt,
      };
    case 'ApprovedAmountReduced':
      return { ...next, approvedAmountFen: event.data.toFen, committedFen: (state.committedFen ?? 0) + committedBy(event.data) };
    case 'TimeLimitStarted':
    case 'TimeLimitExtended':
    case 'TimeLimitBreached':
    case 'TimeLimitEscalated':
    case 'TimeLimitRecomputed':
      return { ...next, timeLimit: evolveTimeLimit(state.timeLimit, event) };
  }
}

export function foldApplication(events: readonly ApplicationEvent[], from = initialApplicationState()): ApplicationState {
  return events.reduce(evolveApplication, from);
}

function addReviewer(reviewerIds: string[], by: ActorRef): string[] {
  return reviewerIds.includes(by.accountId) ? reviewerIds : [...reviewerIds, by.accountId];
}

export function isApplicationTerminal(state: ApplicationState): boolean {
  return APPLICATION_TERMINAL_STATUSES.includes(state.status);
}
