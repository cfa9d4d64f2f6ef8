import type { Fen } from '../money/fen.js';
import type { ApplicationFacts } from '../programmes/programme.js';
import type { LocalDate } from '../time/local-date.js';
import type { ActorRef, ApplicationDetails, ApplicationEvent, WorkingDayWindow } from './events.js';
import type { PayoutPlan } from './payouts.js';
import type { ApplicationTerms } from './terms.js';
import { evolveTimeLimit, type StepTimeLimit, type WorkingDayCount } from '../time-limits/step-time-limit.js';

export type ApplicationStatus =
  | 'not-submitted'
  | 'completeness-check'
  | 'awaiting-supplement'
  | 'compliance-review'
  | 'review'
  | 'paying'
  | 'completed'
  | 'withdrawn'
  | 'rejected';

export const APPLICATION_TERMINAL_STATUSES: readonly ApplicationStatus[] = ['completed', 'withdrawn', 'rejected'];

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
  issuedAt: string;
}

export interface ApplicationState {
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
  supplement?: { missingItems: string[]; requestedAt: string; replyDueOn: LocalDate };
  supplementRounds: number;
  /** Every official who reviewed the case (completeness, content, scores): none of them may decide it (four-eyes). */
  reviewerIds: string[];
  scores: ApplicationScore[];
  approvedAmountFen: Fen | null;
  decidedBy?: ActorRef;
  decidedOn?: LocalDate;
  byDirector?: boolean;
  award?: { awardId: string; itemId: string; amountFen: Fen; awardedOn: LocalDate; plan: PayoutPlan };
  payouts: IssuedPayout[];
  waiverYears: { year: number; from: LocalDate; until: LocalDate; waivedBasisPoints: number; waivedFen: Fen; tenantPaysFen: Fen }[];
  vouchers?: { amountFen: Fen; voucherBatch: string; issuedAt: string };
  leftYangpu?: { leftOn: LocalDate; reportedAt: string };
  stopped?: { paidCount: number; paidFen: Fen; entitledFen: Fen; recoverableFen: Fen; forgoneFen: Fen; stoppedAt: string };
  totalPaidFen: Fen;
  closingReasons: string[];
  closedAt?: string;
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
  return state.terms?.requiresContentReview ? 'compliance-review' : 'review';
}

/** Pure fold of one event into the state; used live, in projections and in the auditor's replay. */
export function evolveApplication(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  const next: ApplicationState = { ...state, version: state.version + 1 };
  switch (event.type) {
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
      };
    }
    case 'SupplementRequested': {
      const { completeness: _stopped, ...rest } = next;
      return {
        ...rest,
        status: 'awaiting-supplement',
        supplementRounds: state.supplementRounds + 1,
        supplement: { missingItems: event.data.missingItems, requestedAt: event.data.requestedAt, replyDueOn: event.data.replyDueOn },
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
    case 'CompletenessWindowRecomputed': {
      const following = event.data.limitIfDeemedComplete;
      return { ...next, completeness: event.data.current, ...(following ? { limitIfDeemedComplete: following } : {}) };
    }
    case 'ComplianceReviewPassed':
      return { ...next, status: 'review', reviewerIds: addReviewer(state.reviewerIds, event.data.by) };
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
      };
    case 'ApplicationRejected':
      return { ...next, status: 'rejected', decidedBy: event.data.by, closingReasons: event.data.reasons, closedAt: event.data.decidedAt };
    case 'AwardGranted': {
      const { awardId, itemId, amountFen, awardedOn, plan } = event.data;
      return { ...next, status: 'paying', award: { awardId, itemId, amountFen, awardedOn, plan } };
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
    case 'PayoutsStopped': {
      const { reason: _reason, ...stopped } = event.data;
      return { ...next, stopped };
    }
    case 'ApplicationCompleted':
      return { ...next, status: 'completed', closedAt: event.data.completedAt };
    case 'ApplicationWithdrawn': {
      const { completeness: _closed, ...rest } = next;
      return { ...rest, status: 'withdrawn', closingReasons: [event.data.detail], closedAt: event.data.withdrawnAt };
    }
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
