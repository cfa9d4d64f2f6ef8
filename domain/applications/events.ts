import type { Fen } from '../money/fen.js';
import type { ApplicationFacts } from '../programmes/programme.js';
import type { Violation } from '../programmes/stacking.js';
import type { LocalDate } from '../time/local-date.js';
import type { Actor, Department } from '../cases/actor.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { PayoutPlan } from './payouts.js';
import type { TimeLimitEvent, WorkingDayCount } from '../time-limits/step-time-limit.js';
import type { ApplicationTerms } from './terms.js';
import type { BudgetMovement } from '../calls/ledger.js';
import type { CallMode } from '../calls/events.js';
import type { ApplicationPanelEvent } from '../panels/application-record.js';
import type { OfficialDocumentsAttachedEvent } from '../documents/official-attachments.js';
import type { DocumentReference } from '../documents/document-reference.js';
import type { PublicityEvent } from '../publicity/events.js';
import type { FactSource } from '../registers/answer-facts.js';
import type { ReplyPeriod, SupplementReplyRecomputed } from '../cases/supplement-reply.js';

/** The call (申报批次) an application was submitted under, as the case keeps it for life (since issue 13). */
export interface ApplicationCall {
  callId: string;
  title: string;
  mode: CallMode;
  publicityWorkingDays: number;
  /** The call's close instant as the submission found it (ISO): a competitive call's panel starts there. */
  closesAt?: string;
}

/** Money an event moves against its call's budget (domain/calls/ledger.ts): present only on events of cases in a call. */
export interface MovesBudget {
  budgetMovements?: BudgetMovement[];
}

/** Who decided, as kept inside a decision's payload (the full actor is in the event metadata). */
export type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

/** A claimed fact the official verified, and what they checked it against, in their words. */
export interface VerifiedFact {
  fact: string;
  against: string;
}

export interface SupplementResponse {
  item: string;
  response: string;
  /** The files that answer the item, each with its SHA-256 (since issue 14; absent in earlier events). */
  documents?: DocumentReference[];
}

/** "Within N working days" of `startedOn`: the deadline is 24:00 Shanghai at the end of `lastWorkingDay`. */
export interface WorkingDayWindow {
  workingDays: number;
  startedOn: LocalDate;
  lastWorkingDay: LocalDate;
  /** ISO instant of 24:00 Shanghai at the end of `lastWorkingDay`. */
  deadlineAt: string;
  /** True where a year without a loaded holiday arrangement was counted on weekends only. */
  provisional: boolean;
}

/** What the applicant describes, beside the facts the rules read. */
export interface ApplicationDetails {
  title: string;
  summary: string;
  /** The files submitted with the application, each with its SHA-256 (since issue 14; absent before). */
  documents?: DocumentReference[];
}

/**
 * The answer of the rules to an application, computed in an activity against the catalogue version
 * and the whole awards ledger (and, for YOUNG人才公寓, the stays the read model holds), so that it
 * lands in workflow history.
 */
export interface ApplicationAssessment {
  eligible: boolean;
  maxAmountFen: Fen | null;
  amountRule: string;
  violations: Violation[];
  /** The facts as assessed: server-derived facts (the funded item, stays already taken) replace stated ones. */
  facts: ApplicationFacts;
}

/** Instants are ISO-8601 strings from the workflow clock; dates are Asia/Shanghai calendar dates. */
export type ApplicationEvent =
  | {
      type: 'ApplicationSubmitted';
      data: {
        caseId: string;
        referenceNo: string;
        applicant: ActorRef;
        terms: ApplicationTerms;
        facts: ApplicationFacts;
        details: ApplicationDetails;
        requestedAmountFen: Fen | null;
        maxAmountFen: Fen | null;
        amountRule: string;
        submittedAt: string;
        submittedOn: LocalDate;
        /** The 5 working days in which the official must list every missing item. */
        completeness: WorkingDayWindow;
        /** Under terms with time limits: the next step's limit, should the case be deemed complete when the window closes. */
        limitIfDeemedComplete?: WorkingDayCount;
        /** Since issue 13: the call it was submitted under, for a programme run by calls. */
        call?: ApplicationCall;
        /** Since issue 14: where each fact came from, a department's register or the applicant's claim (absent before). */
        factSources?: Partial<Record<string, FactSource>>;
      };
    }
  /** `replyPeriod`: since the reply's last day is marked provisional, what a loaded year counts again (absent before). */
  /**
   * Since CALL_CLOSE_REACHES_APPLICATIONS_PATCH: the call's close moved — it closed before its
   * planned close (`closedEarly`), or its close was changed while it took applications. The case
   * keeps the new close (an arrival at the panel counts from it), and `limit` is the panel limit
   * that had been counted from the previous close, counted again from the new one's day.
   */
  | {
      type: 'CallCloseRecorded';
      data: { callId: string; closesAt: string; previousClosesAt?: string; closedEarly: boolean; limit?: { previous: WorkingDayCount; current: WorkingDayCount }; at: string };
    }
  | { type: 'SupplementRequested'; data: { by: ActorRef; missingItems: string[]; requestedAt: string; replyDueOn: LocalDate; replyPeriod?: ReplyPeriod } }
  | SupplementReplyRecomputed
  /** The reply opens a new completeness window: accepted by the official, or deemed complete when it closes. */
  | { type: 'SupplementProvided'; data: { by: ActorRef; responses: SupplementResponse[]; providedAt: string; completeness: WorkingDayWindow; limitIfDeemedComplete?: WorkingDayCount } }
  | { type: 'MaterialsAccepted'; data: { by: ActorRef; acceptedAt: string } }
  /** Since issue 14: the official verified claimed facts, each against what they checked it (a document, a record). */
  | { type: 'FactsVerified'; data: { by: ActorRef; facts: VerifiedFact[]; verifiedAt: string } }
  | { type: 'MaterialsDeemedComplete'; data: { window: WorkingDayWindow; at: string } }
  /** A provisional window made final once its year's holiday arrangement is loaded. */
  | {
      type: 'CompletenessWindowRecomputed';
      /** `limitIfDeemedComplete`: the next step's limit counted again from the window's new last day (cases with time limits). */
      data: { previous: WorkingDayWindow; current: WorkingDayWindow; limitIfDeemedComplete?: WorkingDayCount; reason: RecomputeReason; at: string };
    }
  | { type: 'ComplianceReviewPassed'; data: { by: ActorRef; notes: string; reviewedAt: string } }
  | { type: 'ComplianceReviewFailed'; data: { by: ActorRef; reasons: string[]; reviewedAt: string } }
  | { type: 'ApplicationScored'; data: { by: ActorRef; score: number; comments: string; scoredAt: string } }
  | {
      type: 'ApplicationApproved';
      /** In a call: `budgetMovements` commits the award's whole amount; `batchId` where a director's batch decided it. */
      data: { by: ActorRef; approvedAmountFen: Fen | null; notes: string; decidedAt: string; decidedOn: LocalDate; byDirector: boolean; batchId?: string } & MovesBudget;
    }
  | { type: 'ApplicationRejected'; data: { by: ActorRef; reasons: string[]; decidedAt: string; batchId?: string } }
  | {
      type: 'AwardGranted';
      data: {
        awardId: string;
        programmeId: string;
        catalogueVersion: string;
        applicantAccountId: string;
        itemId: string;
        amountFen: Fen;
        awardedOn: LocalDate;
        plan: PayoutPlan;
        budgetMovements?: BudgetMovement[];
        /**
         * Since PAYOUTS_RECORDED_PATCH, for a one-off or monthly award: each payment falls due
         * (PayoutFellDue) and counts as paid only once an official records it (PayoutRecorded).
         * Absent before: the payments were issued by the calendar alone (PayoutIssued).
         */
        paidOnRecord?: true;
      };
    }
  /** Histories before PAYOUTS_RECORDED_PATCH: a payment counted as paid the moment it fell due, nobody recording it. */
  | { type: 'PayoutIssued'; data: { number: number; of: number; amountFen: Fen; dueOn: LocalDate; issuedAt: string } & MovesBudget }
  /** A payment of an award paid on record fell due: it waits (待拨付) for an official of the department to record it. Nothing moves yet. */
  | { type: 'PayoutFellDue'; data: { number: number; of: number; amountFen: Fen; dueOn: LocalDate; at: string } }
  /**
   * An official of the department (not the one who approved the award) recorded the oldest due
   * payment as paid (登记拨付): the day the money left, the bank reference of the transfer. The money
   * moves against the call's budget here, once.
   */
  | {
      type: 'PayoutRecorded';
      data: { number: number; of: number; amountFen: Fen; dueOn: LocalDate; paidOn: LocalDate; bankReference: string; by: ActorRef; recordedAt: string } & MovesBudget;
    }
  | {
      type: 'RentWaiverYearStarted';
      data: { year: number; of: number; from: LocalDate; until: LocalDate; waivedBasisPoints: number; waivedFen: Fen; tenantPaysFen: Fen; at: string } & MovesBudget;
    }
  | { type: 'VouchersIssued'; data: { amountFen: Fen; voucherBatch: string; issuedAt: string } & MovesBudget }
  | { type: 'LeftYangpuReported'; data: { by: ActorRef; leftOn: LocalDate; note: string; reportedAt: string } }
  /** The programme's department recorded the leaving (RecordLeftYangpu): `by` its official, `note` how the office knows. */
  | { type: 'LeftYangpuRecorded'; data: { by: ActorRef; department: Department; leftOn: LocalDate; note: string; recordedAt: string } }
  | {
      type: 'PayoutsStopped';
      data: {
        reason: 'left-yangpu';
        paidCount: number;
        paidFen: Fen;
        /** What the applicant was entitled to: the payments due on or before the day they left. */
        entitledFen: Fen;
        /** Paid for months after leaving (reported late): to be recovered. */
        recoverableFen: Fen;
        /** Payments that will not be made. */
        forgoneFen: Fen;
        /** An award paid on record: payments due on or before the day of leaving and not yet recorded, still to be paid (absent before). */
        owedFen?: Fen;
        stoppedAt: string;
        budgetMovements?: BudgetMovement[];
      };
    }
  | { type: 'ApplicationCompleted'; data: { completedAt: string; totalPaidFen: Fen } }
  | { type: 'ApplicationWithdrawn'; data: { reason: 'supplement-not-provided' | 'applicant-withdrew'; detail: string; withdrawnAt: string } }
  /** Since issue 14: an official's own documents (附加材料), which change nothing of the case's course. */
  | OfficialDocumentsAttachedEvent
  /** Since issue 13: the promised time limit of the step (domain/time-limits). */
  | TimeLimitEvent
  /** Since issue 13, for a case in a competitive call: the panel's work on it and the director's batch decision (domain/panels). */
  | ApplicationPanelEvent
  /** Since issue 13, for an award in a call: its 公示 and the objections to it (domain/publicity). */
  | PublicityEvent
  /** An objection upheld with the award withdrawn: the commitment goes back to the call's budget; the case ends. */
  | { type: 'AwardWithdrawnAfterPublicity'; data: { objectionId: string; by: ActorRef; answer: string; amountFen: Fen; withdrawnAt: string } & MovesBudget }
  /** An objection upheld with the award lowered: what is no longer awarded goes back to the call's budget. */
  | { type: 'ApprovedAmountReduced'; data: { objectionId: string; by: ActorRef; answer: string; fromFen: Fen; toFen: Fen; reducedAt: string } & MovesBudget };

export type ApplicationEventType = ApplicationEvent['type'];
