import { sql, type Kysely } from 'kysely';

/**
 * An application on 公示 with objections waiting for the department's answer reads 异议待答复 as its
 * step (domain/applications/decide.ts), as the public 公示 page says it: an outside tester's queue read
 * 公示中 on a case with three objections unanswered. Rows projected before are given the label here, from
 * the 公示's status in the stored state, so that the auditors' rebuild finds no difference.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases SET status_label = '异议待答复'
     WHERE case_type = 'application' AND status = 'publicity' AND state->'publicity'->>'status' = 'objection-pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases SET status_label = '公示中'
     WHERE case_type = 'application' AND status = 'publicity' AND status_label = '异议待答复'`.execute(db);
}
