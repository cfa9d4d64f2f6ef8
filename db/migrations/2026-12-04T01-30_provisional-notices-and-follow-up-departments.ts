import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.

/**
 * Two read models written before, rewritten as the projections now write them, so that the
 * auditors' rebuild of the read models finds no difference:
 *
 * - Notices: a date in a year whose holiday arrangement is not loaded is told as 暂定 (the first
 *   due date of a 放款, the last day of a 公示). No table changes: applying this migration has
 *   db/notices/backfill.ts write every event's notice again in today's words (inbox only, not mailed).
 * - 差评 follow-ups: a rating whose event names no department (a case no official had acted on, such
 *   as an application withdrawn before 受理) was projected with none, so its task reached nobody. The
 *   projection (db/projections/ratings.projection.ts) now takes the case's own department from its
 *   row (`department`, else the first of `departments`, else the programme's terms); rows written
 *   before get it here by the same rule.
 */
const CASE_DEPARTMENT = sql`coalesce(c.department, c.departments[1], c.state->'terms'->>'department', c.state->'terms'->>'reviewingDepartment')`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['follow_up_tasks', 'case_ratings']) {
    await sql`
      UPDATE ${sql.table(table)} AS t
         SET department = ${CASE_DEPARTMENT}
        FROM cases c
       WHERE c.case_id = t.case_id
         AND t.department IS NULL
         AND ${CASE_DEPARTMENT} IS NOT NULL`.execute(db);
  }
}

/** Back to what the events name: none where the rating's event names none. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE follow_up_tasks t SET department = NULL
     WHERE EXISTS (
       SELECT 1 FROM events e
        WHERE e.stream_id = 'rating-' || t.case_id::text
          AND e.event_type = 'FollowUpTaskOpened'
          AND e.payload->>'taskId' = t.task_id::text
          AND e.payload->>'department' IS NULL)`.execute(db);
  await sql`
    UPDATE case_ratings t SET department = NULL
     WHERE EXISTS (
       SELECT 1 FROM events e
        WHERE e.stream_id = 'rating-' || t.case_id::text
          AND e.event_type = 'CaseRated'
          AND e.payload->>'department' IS NULL)`.execute(db);
}
