import { sql } from 'kysely';
import { departmentOfCase, type RatingEvent } from '../../domain/ratings/rating.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';

export { RATING_STREAM } from '../../domain/ratings/rating.js';

/** What the rating's read model needs beside its events: the department of the case rated, from the case's row. */
interface RatedCaseContext {
  caseDepartment: string | null;
}

const caseIdOf = (streamId: string) => streamId.replace(/^rating-/, '');

/**
 * The rating row and its follow-up task, written in the transaction that appends the events. A
 * rating whose event names no department (one recorded before 2026-12-04T01-30, of a case no official
 * had acted on) goes to the case's own department (`departmentOfCase`), read from the case's row:
 * that read is the transaction's, so such a batch is projected there (the plan answers undefined
 * until the row has been read), live and in the auditors' rebuild alike.
 */
export const ratingPlanner: ProjectionPlanner = {
  load: async (trx, _streamType, streamId): Promise<RatedCaseContext> => {
    const row = await trx
      .selectFrom('cases')
      .select(['department', 'departments', sql<string | null>`state->'terms'->>'department'`.as('terms_department'), sql<string | null>`state->'terms'->>'reviewingDepartment'`.as('terms_reviewing_department')])
      .where('case_id', '=', caseIdOf(streamId))
      .executeTakeFirst();
    return {
      caseDepartment: row ? departmentOfCase({ department: row.department, departments: row.departments, termsDepartment: row.terms_department, termsReviewingDepartment: row.terms_reviewing_department }) : null,
    };
  },
  plan: (_streamType, before, events) => planRating(events, before as RatedCaseContext | undefined),
};

/** One write per event, in order: a task opened and closed in one batch is opened first. */
function planRating(events: readonly PlannedEvent[], context: RatedCaseContext | undefined): ProjectionPlan | undefined {
  const writes: ReadModelWrite[] = [];
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as RatingEvent;
    if ((event.type === 'CaseRated' || event.type === 'FollowUpTaskOpened') && event.data.department == null && context === undefined) return undefined;
    switch (event.type) {
      case 'CaseRated': {
        const d = event.data;
        const row = {
          case_id: d.caseId,
          reference_no: d.referenceNo,
          case_type: d.caseType,
          score: d.score,
          comment: d.comment,
          rated_by_account_id: d.by.accountId,
          rated_by_name: d.by.displayName,
          department: d.department ?? context?.caseDepartment ?? null,
          rated_at: new Date(d.ratedAt),
        };
        writes.push({ op: 'upsert', table: 'case_ratings', key: ['case_id'], rows: [row] });
        break;
      }
      case 'FollowUpTaskOpened': {
        const d = event.data;
        const row = {
          task_id: d.taskId,
          case_id: d.caseId,
          reference_no: d.referenceNo,
          department: d.department ?? context?.caseDepartment ?? null,
          duty: d.assignee.duty,
          score: d.score,
          reason: d.reason,
          status: 'open' as const,
          opened_at: new Date(d.openedAt),
          closed_at: null,
          closed_by_name: null,
          note: null,
        };
        writes.push({ op: 'upsert', table: 'follow_up_tasks', key: ['task_id'], rows: [row] });
        break;
      }
      case 'FollowUpTaskClosed': {
        const d = event.data;
        writes.push({
          op: 'update',
          table: 'follow_up_tasks',
          key: ['task_id'],
          rows: [{ task_id: d.taskId, status: 'closed', closed_at: new Date(d.closedAt), closed_by_name: d.by.displayName, note: d.note }],
        });
        break;
      }
    }
  }
  return { writes, after: context };
}
