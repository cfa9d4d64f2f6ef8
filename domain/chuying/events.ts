import type { BudgetMovement } from '../calls/ledger.js';
import type { Actor } from '../cases/actor.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';
import type { ScheduledInstalment } from './repayment-schedule.js';
import type { ChuyingLoanTerms } from './terms.js';
import type { TimeLimitEvent, WorkingDayCount } from '../time-limits/step-time-limit.js';
import type { OfficialDocumentsAttachedEvent } from '../documents/official-attachments.js';
import type { DocumentReference } from '../documents/document-reference.js';
import type { ReplyPeriod, SupplementReplyRecomputed } from '../cases/supplement-reply.js';

/** Who decided, as kept inside a decision's payload (the full actor is in the event metadata). */
export type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

export interface CompanyDetails {
  name: string;
  /** 统一社会信用代码, 18 characters. */
  unifiedSocialCreditCode: string;
  /** 注册区, e.g. 杨浦区. */
  registeredDistrict: string;
}

export interface ProjectDetails {
  name: string;
  summary: string;
  contentTrack: string;
}

/** Instants are ISO-8601 strings from the workflow clock; dates are Asia/Shanghai calendar dates. */
export type ChuyingLoanEvent =
  | {
      type: 'LoanApplicationSubmitted';
      data: {
        caseId: string;
        referenceNo: string;
        applicant: ActorRef;
        company: CompanyDetails;
        project: ProjectDetails;
        requestedAmountFen: Fen;
        submittedAt: string;
        submittedOn: LocalDate;
        terms: ChuyingLoanTerms;
        /** Under terms with time limits: the working days in which the fund lists every missing item (一次性告知). */
        completeness?: WorkingDayCount;
        /** …and the 网信 review's limit, counted from the window's last day, should the case be deemed complete then. */
        limitIfDeemedComplete?: WorkingDayCount;
      };
    }
  /** `replyPeriod`: since the reply's last day is marked provisional, what a loaded year counts again (absent before). */
  | { type: 'SupplementRequested'; data: { by: ActorRef; missingItems: string[]; requestedAt: string; replyDueOn: LocalDate; replyPeriod?: ReplyPeriod } }
  | SupplementReplyRecomputed
  | { type: 'SupplementProvided'; data: { by: ActorRef; responses: SupplementResponse[]; providedAt: string; completeness?: WorkingDayCount; limitIfDeemedComplete?: WorkingDayCount } }
  | { type: 'MaterialsAccepted'; data: { by: ActorRef; acceptedAt: string } }
  /** A provisional completeness window counted again once its year's arrangement is loaded, with the 网信 review's limit from its new last day. */
  | { type: 'CompletenessWindowRecomputed'; data: { previous: WorkingDayCount; current: WorkingDayCount; limitIfDeemedComplete?: WorkingDayCount; reason: RecomputeReason; at: string } }
  /** The completeness window closed without a 补正 request: the materials are deemed complete (since issue 13). */
  | { type: 'MaterialsDeemedComplete'; data: { window: WorkingDayCount; at: string } }
  /**
   * Since 2026-12-06 the borrower may also decline a loan approved and not yet disbursed (`afterApproval`):
   * its pool commitment is given back (`budgetMovements`, release), and the fund is told.
   */
  | { type: 'ApplicationWithdrawn'; data: { reason: 'supplement-not-provided' | 'applicant-withdrew'; detail: string; withdrawnAt: string; afterApproval?: true; budgetMovements?: BudgetMovement[] } }
  | { type: 'ComplianceReviewPassed'; data: { by: ActorRef; notes: string; reviewedAt: string } }
  | { type: 'ComplianceReviewFailed'; data: { by: ActorRef; reasons: string[]; reviewedAt: string } }
  /** Since issue 13 the approval draws the 雏鹰 fund's pool (`budgetMovements`); approvals before it carry none. */
  | { type: 'FundingApproved'; data: { by: ActorRef; approvedAmountFen: Fen; notes: string; decidedAt: string; budgetMovements?: BudgetMovement[] } }
  | { type: 'FundingRejected'; data: { by: ActorRef; reasons: string[]; decidedAt: string } }
  /**
   * Since 2026-12-06 (CancelFunding): the fund cancels its approval before the disbursement, with its
   * reasons; the pool's commitment is given back (`budgetMovements`, release) and the case ends.
   */
  | { type: 'FundingCancelled'; data: { by: ActorRef; reasons: string[]; cancelledAt: string; budgetMovements?: BudgetMovement[] } }
  | {
      type: 'LoanDisbursed';
      data: { by: ActorRef; amountFen: Fen; disbursedOn: LocalDate; bankReference: string; schedule: ScheduledInstalment[]; recordedAt: string; budgetMovements?: BudgetMovement[] };
    }
  | {
      type: 'RepaymentRecorded';
      data: {
        by: ActorRef;
        amountFen: Fen;
        paidOn: LocalDate;
        reference: string;
        allocations: { number: number; amountFen: Fen }[];
        recordedAt: string;
        /** Since 2026-12-06: what the borrower reported under the same reference, where the fund recorded another amount or day. */
        reported?: { amountFen: Fen; paidOn: LocalDate };
        budgetMovements?: BudgetMovement[];
      };
    }
  /**
   * Since 2026-12-04 (DeclareRepayment): the borrower says they paid, by bank transfer. Nothing is
   * settled by it; the fund's RepaymentRecorded under the same reference confirms it (已核对入账).
   */
  | { type: 'RepaymentDeclared'; data: { by: ActorRef; amountFen: Fen; paidOn: LocalDate; reference: string; note: string; declaredAt: string } }
  /**
   * Since 2026-12-05 (WithdrawRepaymentDeclaration): the borrower withdraws a declaration the fund has
   * not recorded (named by its reference; its amount and day as declared, for the timeline and the
   * fund's notice). It is no longer 待核对, and the same reference may be declared again.
   */
  | { type: 'RepaymentDeclarationWithdrawn'; data: { by: ActorRef; reference: string; amountFen: Fen; paidOn: LocalDate; reason: string; withdrawnAt: string } }
  /**
   * Since 2026-12-06 (RejectRepaymentDeclaration): the fund returns a declaration it could not match to a
   * transfer in its account, with the reason (named by its reference; its amount and day as declared).
   * It is no longer 待核对, and the borrower may declare the reference again.
   */
  | { type: 'RepaymentDeclarationRejected'; data: { by: ActorRef; reference: string; amountFen: Fen; paidOn: LocalDate; reason: string; rejectedAt: string } }
  | { type: 'InstalmentOverdue'; data: { number: number; dueOn: LocalDate; outstandingFen: Fen; at: string } }
  | { type: 'RepaymentReminderSent'; data: { number: number; dueOn: LocalDate; outstandingFen: Fen; at: string } }
  | { type: 'InstalmentDelinquent'; data: { number: number; dueOn: LocalDate; outstandingFen: Fen; at: string } }
  | { type: 'LoanRepaid'; data: { totalRepaidFen: Fen; completedAt: string } }
  | {
      type: 'InstalmentDueDatesRecomputed';
      data: { changes: InstalmentDueDateChange[]; reason: RecomputeReason; at: string };
    }
  /** Since issue 14: an official's own documents (附加材料), which change nothing of the case's course. */
  | OfficialDocumentsAttachedEvent
  /** Since issue 13: the promised time limit of the step (domain/time-limits). */
  | TimeLimitEvent;

/** A provisional due date made final (and possibly moved) once its year's arrangement is loaded. */
export interface InstalmentDueDateChange {
  number: number;
  previous: { dueOn: LocalDate; provisional: boolean };
  current: { dueOn: LocalDate; provisional: boolean };
}

export interface SupplementResponse {
  item: string;
  response: string;
  /** The files that answer the item, each with its SHA-256 (since issue 14; absent in earlier events). */
  documents?: DocumentReference[];
}

export type ChuyingLoanEventType = ChuyingLoanEvent['type'];
