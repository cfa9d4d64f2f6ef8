import type { Department } from '../cases/actor.js';
import type { ActorRef } from '../chuying/events.js';
import { forbidden, illegalState, validationError } from '../errors.js';

/**
 * 好差评: after a case ends its applicant rates the service once, 1 (很不满意) to 5 (非常满意), with a
 * comment. A rating of 1 or 2 (差评) opens a follow-up task for the supervising official of the
 * department that handled the case. Ratings live on a stream of their own, one per case.
 */
export const RATING_STREAM = 'case-rating';
export const ratingStreamId = (caseId: string) => `rating-${caseId}`;

/** Scores at or below this open a follow-up task (差评). */
export const FOLLOW_UP_AT_OR_BELOW = 2;

export const SCORE_LABELS: Record<number, string> = { 1: '很不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' };

export type RatingEvent =
  | {
      type: 'CaseRated';
      data: { caseId: string; referenceNo: string; caseType: string; score: number; comment: string; by: ActorRef; department: Department | null; ratedAt: string };
    }
  | {
      type: 'FollowUpTaskOpened';
      data: {
        taskId: string;
        caseId: string;
        referenceNo: string;
        department: Department | null;
        assignee: { role: 'official'; department: Department | null; duty: 'supervisor' };
        score: number;
        reason: string;
        openedAt: string;
      };
    }
  | { type: 'FollowUpTaskClosed'; data: { taskId: string; by: ActorRef; note: string; closedAt: string } };

export interface RatedCase {
  caseId: string;
  referenceNo: string;
  caseType: string;
  applicantAccountId: string;
  /** Whether the case has ended by its type's own rule (its terminal statuses): nothing more is to happen on it. */
  ended: boolean;
  /** The department that handled it: whose supervisor follows a 差评 up. */
  department: Department | null;
}

/** What a case's read-model row says of the department it belongs to. */
export interface CaseDepartmentRow {
  /** The department that acts on the case, where its module names one. */
  department: string | null;
  /** The departments whose officials see it, the acting one first. */
  departments: readonly string[] | null;
  /** The programme's terms in the case's state, for a row written before the columns above. */
  termsDepartment?: string | null;
  termsReviewingDepartment?: string | null;
}

/**
 * The department a case belongs to, whatever its status: its row's `department`, else the first of
 * its `departments`, else its programme's terms. A withdrawn application has it as a decided one
 * does. The projection of a rating whose event names no department reads it this way, and migration
 * 2026-12-04T01-30 wrote the rows projected before by the same rule (in SQL).
 */
export function departmentOfCase(row: CaseDepartmentRow): string | null {
  return row.department ?? row.departments?.[0] ?? row.termsDepartment ?? row.termsReviewingDepartment ?? null;
}

export interface RatingState {
  rated: boolean;
  followUp?: { taskId: string; department: Department | null; open: boolean };
}

export function ratingState(events: readonly RatingEvent[]): RatingState {
  const state: RatingState = { rated: false };
  for (const e of events) {
    if (e.type === 'CaseRated') state.rated = true;
    if (e.type === 'FollowUpTaskOpened') state.followUp = { taskId: e.data.taskId, department: e.data.department, open: true };
    if (e.type === 'FollowUpTaskClosed' && state.followUp) state.followUp = { ...state.followUp, open: false };
  }
  return state;
}

export function decideRating(
  subject: RatedCase,
  previous: RatingState,
  input: { score: number; comment: string; by: ActorRef & { role: string }; taskId: string; now: number },
): RatingEvent[] {
  if (input.by.role !== 'applicant' || input.by.accountId !== subject.applicantAccountId) {
    throw forbidden({ code: 'applicant-only', zh: '只有本案申请人可以评价本案。', en: `only the applicant of case ${subject.referenceNo} may rate it` });
  }
  if (!subject.ended) {
    throw illegalState({ code: 'case-not-ended', zh: `办件 ${subject.referenceNo} 尚未办结：办结后才能评价。`, en: `case ${subject.referenceNo} has not ended yet: it can be rated once nobody is to act on it` });
  }
  if (previous.rated) throw illegalState({ code: 'already-rated', zh: `办件 ${subject.referenceNo} 已评价过，每件只评价一次。`, en: `case ${subject.referenceNo} has already been rated; a rating is given once` });
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
    throw validationError({ code: 'rating-out-of-range', zh: '评价须为 1 至 5 星。', en: 'a rating is a whole number from 1 to 5' }, [
      { field: 'score', message: '请选择 1 至 5 星', code: 'rating-out-of-range', english: 'a whole number from 1 to 5' },
    ]);
  }
  const comment = input.comment.trim();
  if (input.score <= FOLLOW_UP_AT_OR_BELOW && comment === '') {
    throw validationError({ code: 'low-rating-reason-required', zh: '差评（1 或 2 星）请说明原因，以便跟进改进。', en: 'a rating of 1 or 2 says what went wrong, so that it can be followed up' }, [
      { field: 'comment', message: '差评请说明原因', code: 'low-rating-reason-required', english: 'say what went wrong' },
    ]);
  }
  const at = new Date(input.now).toISOString();
  const by: ActorRef = { accountId: input.by.accountId, displayName: input.by.displayName };
  const events: RatingEvent[] = [
    {
      type: 'CaseRated',
      data: { caseId: subject.caseId, referenceNo: subject.referenceNo, caseType: subject.caseType, score: input.score, comment, by, department: subject.department, ratedAt: at },
    },
  ];
  if (input.score <= FOLLOW_UP_AT_OR_BELOW) {
    events.push({
      type: 'FollowUpTaskOpened',
      data: {
        taskId: input.taskId,
        caseId: subject.caseId,
        referenceNo: subject.referenceNo,
        department: subject.department,
        assignee: { role: 'official', department: subject.department, duty: 'supervisor' },
        score: input.score,
        reason: `差评（${input.score} 分，${SCORE_LABELS[input.score]}）：${comment}`,
        openedAt: at,
      },
    });
  }
  return events;
}

export function decideCloseFollowUp(
  previous: RatingState,
  input: { by: ActorRef & { role: string; department?: string; duty?: string }; note: string; now: number },
): RatingEvent[] {
  const task = previous.followUp;
  if (!task) throw illegalState({ code: 'no-follow-up', zh: '这条评价没有需要跟进的事项。', en: 'this rating opened no follow-up task' });
  if (!task.open) throw illegalState({ code: 'follow-up-closed', zh: '这条跟进事项已办结。', en: 'the follow-up task is already closed' });
  if (input.by.role !== 'official' || input.by.duty !== 'supervisor' || input.by.department !== task.department) {
    throw forbidden({ code: 'supervisor-closes-follow-up', zh: '跟进事项由办理本案部门的分管领导办结。', en: 'a follow-up task is closed by the supervising official of the department that handled the case' });
  }
  const note = input.note.trim();
  if (note === '') {
    throw validationError({ code: 'follow-up-note-required', zh: '办结跟进事项须写明所做的处理。', en: 'closing a follow-up says what was done' }, [
      { field: 'note', message: '请写明所做的处理', code: 'follow-up-note-required', english: 'must not be blank' },
    ]);
  }
  return [{ type: 'FollowUpTaskClosed', data: { taskId: task.taskId, by: { accountId: input.by.accountId, displayName: input.by.displayName }, note, closedAt: new Date(input.now).toISOString() } }];
}
