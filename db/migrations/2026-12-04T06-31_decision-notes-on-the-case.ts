import { sql, type Kysely } from 'kysely';

/**
 * What the decider wrote with an approval (决定意见) is shown where the decision is: on the case page's
 * 决定 line, to the officials and the applicant alike (cases/application.case.ts decisionInWords), and
 * no longer in the decision letter alone — a service's notes, its whole decision, reached nobody else.
 * The fold keeps them (`decisionNotes` in the state) and the view model carries them (`decision.notes`).
 * Rows projected before get them here from their ApplicationApproved event, as the projection now
 * writes them, so that the auditor's rebuild of the read models finds no difference. A frozen copy:
 * nothing of domain/ is read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET state = c.state || jsonb_build_object('decisionNotes', e.payload->'notes'),
           details = CASE WHEN jsonb_typeof(c.details->'decision') = 'object'
                          THEN jsonb_set(c.details, '{decision,notes}', e.payload->'notes')
                          ELSE c.details END
      FROM events e
     WHERE e.stream_id = c.case_id::text
       AND e.event_type = 'ApplicationApproved'
       AND jsonb_typeof(e.payload->'notes') = 'string'
       AND e.payload->>'notes' <> ''
       AND c.case_type = 'application'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET state = state - 'decisionNotes',
           details = CASE WHEN jsonb_typeof(details->'decision') = 'object' THEN details #- '{decision,notes}' ELSE details END
     WHERE case_type = 'application'
       AND state ? 'decisionNotes'`.execute(db);
}
