import type { Transaction } from 'kysely';
import type { RatingEvent } from '../../domain/ratings/rating.js';
import type { Database } from '../database.js';
import type { StoredEvent } from '../event-store.js';

export { RATING_STREAM } from '../../domain/ratings/rating.js';

/** The rating row and its follow-up task, written in the transaction that appends the events. */
export async function projectRating(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
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
        await trx.insertInto('case_ratings').values(row).onConflict((oc) => oc.column('case_id').doUpdateSet(row)).execute();
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
        await trx.insertInto('follow_up_tasks').values(row).onConflict((oc) => oc.column('task_id').doUpdateSet(row)).execute();
        break;
      }
      case 'FollowUpTaskClosed': {
        const d = event.data;
        await trx
          .updateTable('follow_up_tasks')
          .set({ status: 'closed', closed_at: new Date(d.closedAt), closed_by_name: d.by.displayName, note: d.note })
          .where('task_id', '=', d.taskId)
          .execute();
        break;
      }
    }
  }
}
