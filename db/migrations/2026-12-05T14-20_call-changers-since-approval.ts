import { sql, type Kysely } from 'kysely';

/**
 * A call's folded state keeps who opened or changed it since its budget was last approved
 * (domain/calls/state.ts `changedSinceApprovalBy`): none of them approves the budget. Before, only
 * the last to change it was refused, and an official who raised the quota approved it themself once
 * a colleague had changed the title after them. The rows folded before lack the list: the events
 * give it here as the fold now writes it (each official once, first change first, the object as the
 * event recorded it; none after an approval), so that the auditor's rebuild finds no difference.
 * A frozen copy: nothing of domain/ is read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    WITH since AS (
      SELECT e.stream_id, CASE e.event_type WHEN 'CallOpened' THEN e.payload -> 'openedBy' ELSE e.payload -> 'by' END AS actor, e.global_position AS at
        FROM events e
       WHERE e.event_type IN ('CallOpened', 'CallChanged')
         AND e.global_position > coalesce((SELECT max(a.global_position) FROM events a WHERE a.stream_id = e.stream_id AND a.event_type = 'CallBudgetApproved'), 0)
    ), firsts AS (
      SELECT DISTINCT ON (stream_id, actor ->> 'accountId') stream_id, actor, at FROM since ORDER BY stream_id, actor ->> 'accountId', at
    ), lists AS (
      SELECT stream_id, jsonb_agg(actor ORDER BY at) AS changers FROM firsts GROUP BY stream_id
    )
    UPDATE cases c
       SET state = c.state || jsonb_build_object('changedSinceApprovalBy', l.changers)
      FROM lists l
     WHERE c.case_type = 'call' AND l.stream_id = c.case_id::text AND NOT c.state ? 'changedSinceApprovalBy'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE cases SET state = state - 'changedSinceApprovalBy' WHERE case_type = 'call' AND state ? 'changedSinceApprovalBy'`.execute(db);
}
