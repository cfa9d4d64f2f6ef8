import type { RatingEvent } from '../../domain/ratings/rating.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';

export { RATING_STREAM } from '../../domain/ratings/rating.js';

/** The rating row and its follow-up task, written in the transaction that appends the events. */
export const ratingPlanner: ProjectionPlanner = {
  load: async () => undefined,
  plan: (_streamType, _before, events) => planRating(events),
};

/** One write per event, in order: a task opened and closed in one batch is opened first. */
function planRating(events: readonly PlannedEvent[]): ProjectionPlan {
  const writes: ReadModelWrite[] = [];
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as RatingEvent;
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
          department: d.department,
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
          department: d.department,
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
  return { writes, after: undefined };
}
