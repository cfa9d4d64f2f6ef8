import type { ActorRef } from '../chuying/events.js';
import { holdAttachment, type HoldsAttachments } from '../documents/official-attachments.js';
import type { LocalDate } from '../time/local-date.js';
import type { DramaFilingEvent, DramaSubmission, ReviewDeadline } from './events.js';
import type { DramaFilingTerms, DramaFilingType } from './terms.js';

export type DramaFilingStatus = 'not-submitted' | 'awaiting-claim' | 'in-review' | 'returned' | 'approved' | 'rejected';

export const TERMINAL_FILING_STATUSES: readonly DramaFilingStatus[] = ['approved', 'rejected'];

/** Statuses in which the review clock runs. */
export const CLOCK_RUNNING_STATUSES: readonly DramaFilingStatus[] = ['awaiting-claim', 'in-review'];

export type ReviewOutcome = 'approved' | 'returned' | 'rejected';

/** One review clock: from a submission or resubmission to the decision that ends it. */
export interface ReviewRound {
  round: number;
  submittedAt: string;
  submittedOn: LocalDate;
  /** The promised review deadline; none for a 重点 drama (source 004 promises none). */
  deadline?: ReviewDeadline;
  reviewer?: ActorRef;
  claimedAt?: string;
  /** Whom the reviewer took the claim over from: only the supervising official (分管领导) takes a claimed filing over. */
  takenOverFrom?: ActorRef;
  /** The supervising official (分管领导) claimed it unclaimed; absent from claims recorded before that was recorded, and from a take-over (`takenOverFrom` says it). */
  claimedAs?: 'supervisor';
  remindedAt?: string;
  breachedAt?: string;
  escalatedAt?: string;
  endedAt?: string;
  outcome?: ReviewOutcome;
}

export interface DramaFilingState extends HoldsAttachments {
  status: DramaFilingStatus;
  version: number;
  caseId: string;
  referenceNo: string;
  filingType?: DramaFilingType;
  applicant?: ActorRef;
  submission?: DramaSubmission;
  terms?: DramaFilingTerms;
  rounds: ReviewRound[];
  /** Why the last decision returned or rejected the filing. */
  reasons: string[];
  decidedBy?: ActorRef;
  closedAt?: string;
}

export function initialDramaFilingState(): DramaFilingState {
  return { status: 'not-submitted', version: 0, caseId: '', referenceNo: '', rounds: [], reasons: [] };
}

export function currentRound(state: DramaFilingState): ReviewRound | undefined {
  return state.rounds.at(-1);
}

/**
 * Whether the round's claim is the supervising official's (分管领导): recorded so since
 * `filing-claim-records-duty`, and before it known for a take-over, which only the supervisor makes.
 */
export function heldBySupervisor(round: ReviewRound | undefined): boolean {
  return round?.reviewer !== undefined && (round.claimedAs === 'supervisor' || round.takenOverFrom !== undefined);
}

export function isClockRunning(state: DramaFilingState): boolean {
  return CLOCK_RUNNING_STATUSES.includes(state.status);
}

/** Open past its deadline and escalated: flagged until someone decides. */
export function isFlagged(state: DramaFilingState): boolean {
  return isClockRunning(state) && currentRound(state)?.breachedAt !== undefined;
}

export function isFilingTerminal(state: DramaFilingState): boolean {
  return TERMINAL_FILING_STATUSES.includes(state.status);
}

/** Pure fold of one event into the state; used live, in projections and in the auditor's replay. */
export function evolveDramaFiling(state: DramaFilingState, event: DramaFilingEvent): DramaFilingState {
  const next: DramaFilingState = { ...state, version: state.version + 1 };
  switch (event.type) {
    // An official's own documents (issue 14): recorded for the file, they change nothing of the case's course.
    case 'OfficialDocumentsAttached':
      return holdAttachment(next, event);
    case 'FilingSubmitted': {
      const d = event.data;
      return {
        ...next,
        status: 'awaiting-claim',
        caseId: d.caseId,
        referenceNo: d.referenceNo,
        filingType: d.filingType,
        applicant: d.applicant,
        submission: d.submission,
        terms: d.terms,
        rounds: [{ round: 1, submittedAt: d.submittedAt, submittedOn: d.submittedOn, ...(d.deadline ? { deadline: d.deadline } : {}) }],
      };
    }
    case 'FilingClaimed':
      return {
        ...next,
        status: 'in-review',
        rounds: patchRound(state, {
          reviewer: event.data.by,
          claimedAt: event.data.claimedAt,
          ...(event.data.takenOverFrom ? { takenOverFrom: event.data.takenOverFrom } : {}),
          ...(event.data.claimedAs ? { claimedAs: event.data.claimedAs } : {}),
        }),
      };
    case 'FilingClaimReleased': {
      // Back in the queue: nobody holds the round, and whoever claims it next claims it afresh.
      const rounds = state.rounds.map((r, i) => {
        if (i !== state.rounds.length - 1) return r;
        const { reviewer: _reviewer, claimedAt: _claimedAt, takenOverFrom: _takenOverFrom, claimedAs: _claimedAs, ...unclaimed } = r;
        return unclaimed;
      });
      return { ...next, status: 'awaiting-claim', rounds };
    }
    case 'FilingApproved':
      return {
        ...next,
        status: 'approved',
        decidedBy: event.data.by,
        reasons: [],
        closedAt: event.data.decidedAt,
        rounds: patchRound(state, { endedAt: event.data.decidedAt, outcome: 'approved' }),
      };
    case 'FilingRejected':
      return {
        ...next,
        status: 'rejected',
        decidedBy: event.data.by,
        reasons: event.data.reasons,
        closedAt: event.data.decidedAt,
        rounds: patchRound(state, { endedAt: event.data.decidedAt, outcome: 'rejected' }),
      };
    case 'FilingReturnedForRevision':
      return {
        ...next,
        status: 'returned',
        decidedBy: event.data.by,
        reasons: event.data.reasons,
        rounds: patchRound(state, { endedAt: event.data.returnedAt, outcome: 'returned' }),
      };
    case 'FilingResubmitted': {
      const d = event.data;
      return {
        ...next,
        status: 'awaiting-claim',
        submission: d.submission,
        reasons: [],
        rounds: [...state.rounds, { round: d.round, submittedAt: d.resubmittedAt, submittedOn: d.submittedOn, ...(d.deadline ? { deadline: d.deadline } : {}) }],
      };
    }
    case 'ReviewReminderSent':
      return { ...next, rounds: patchRound(state, { remindedAt: event.data.at }) };
    case 'ReviewSlaBreached':
      return { ...next, rounds: patchRound(state, { breachedAt: event.data.at }) };
    case 'FilingEscalated':
      return { ...next, rounds: patchRound(state, { escalatedAt: event.data.at }) };
    case 'DeadlineRecomputed':
      return { ...next, rounds: patchRound(state, { deadline: event.data.current }) };
  }
}

export function foldDramaFiling(events: readonly DramaFilingEvent[], from = initialDramaFilingState()): DramaFilingState {
  return events.reduce(evolveDramaFiling, from);
}

function patchRound(state: DramaFilingState, patch: Partial<ReviewRound>): ReviewRound[] {
  return state.rounds.map((r, i) => (i === state.rounds.length - 1 ? { ...r, ...patch } : r));
}
