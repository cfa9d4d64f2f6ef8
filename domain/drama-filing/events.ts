import type { DocumentReference } from '../documents/document-reference.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { ActorRef } from '../chuying/events.js';
import type { OfficialDocumentsAttachedEvent } from '../documents/official-attachments.js';
import type { LocalDate } from '../time/local-date.js';
import type { DramaCategory, DramaFilingTerms, DramaFilingType } from './terms.js';

/** What a producer files: the zod schema at the API edge checks the same shape. */
export interface DramaSubmission {
  title: string;
  producer: string;
  episodeCount: number;
  /** Average length of one episode, in minutes. */
  episodeLengthMinutes: number;
  aiGenerated: boolean;
  synopsis: string;
  /** Where it will be shown (e.g. 抖音, 快手, 红果短剧). */
  platform: string;
  /** 普通 or 重点 (since issue 14); a filing without it was recorded before and is 普通. */
  category?: DramaCategory;
  /**
   * Since 2026-12-07: the files filed with it (a script, episode outlines, a licence), each with its
   * SHA-256 as the route resolved it; a resubmission after a return carries what the reviewer asked
   * for. Absent in filings recorded before, and where none was filed.
   */
  documents?: DocumentReference[];
}

/**
 * One review clock: computed by an activity from the calendar (so it lands in workflow history)
 * and kept in the event that starts the clock. `deadlineAt` is 24:00 Shanghai at the end of
 * `lastWorkingDay`, as an ISO instant.
 */
export interface ReviewDeadline {
  workingDays: number;
  /** The Shanghai date of the (re)submission: counting starts on the first working day after it. */
  startedOn: LocalDate;
  lastWorkingDay: LocalDate;
  deadlineAt: string;
  /** The count reached a year whose holiday arrangement is not loaded (weekends only). */
  provisional: boolean;
}

export type { RecomputeReason };

export type DramaFilingEvent =
  | {
      type: 'FilingSubmitted';
      data: {
        caseId: string;
        referenceNo: string;
        filingType: DramaFilingType;
        applicant: ActorRef;
        submission: DramaSubmission;
        submittedAt: string;
        submittedOn: LocalDate;
        terms: DramaFilingTerms;
        /** Absent for a 重点 drama: source 004 promises no time for its review. */
        deadline?: ReviewDeadline;
      };
    }
  | {
      type: 'FilingClaimed';
      /**
       * `claimedAs`: the department's supervising official (分管领导) claimed the filing unclaimed (since
       * `filing-claim-records-duty`; claims recorded before carry none). A take-over, which only the
       * supervisor makes, says so by `takenOverFrom`.
       */
      data: { by: ActorRef; round: number; claimedAt: string; takenOverFrom?: ActorRef; claimedAs?: 'supervisor' };
    }
  /**
   * Since 2026-12-07: the claim handed back to the department's queue (交回待认领) by its holder, or by
   * the supervising official (`from` is whom it was taken from); the review clock runs on unchanged.
   */
  | { type: 'FilingClaimReleased'; data: { by: ActorRef; round: number; from: ActorRef; reason: string; releasedAt: string } }
  | { type: 'FilingApproved'; data: { by: ActorRef; round: number; notes: string; decidedAt: string } }
  | { type: 'FilingReturnedForRevision'; data: { by: ActorRef; round: number; reasons: string[]; returnedAt: string } }
  | { type: 'FilingRejected'; data: { by: ActorRef; round: number; reasons: string[]; decidedAt: string } }
  | {
      type: 'FilingResubmitted';
      data: { by: ActorRef; round: number; submission: DramaSubmission; changeNote: string; resubmittedAt: string; submittedOn: LocalDate; deadline?: ReviewDeadline };
    }
  | { type: 'ReviewReminderSent'; data: { round: number; to: ActorRef | null; department: string; lastWorkingDay: LocalDate; deadlineAt: string; at: string } }
  | { type: 'ReviewSlaBreached'; data: { round: number; reviewer: ActorRef | null; lastWorkingDay: LocalDate; deadlineAt: string; at: string } }
  | { type: 'FilingEscalated'; data: { round: number; to: { role: 'official'; department: string; duty: 'supervisor' }; reason: string; at: string } }
  /** Since issue 14: an official's own documents (附加材料), which change nothing of the filing's course. */
  | OfficialDocumentsAttachedEvent
  | { type: 'DeadlineRecomputed'; data: { round: number; previous: ReviewDeadline; current: ReviewDeadline; reason: RecomputeReason; at: string } };

export type DramaFilingEventType = DramaFilingEvent['type'];
