import { sql, type Kysely } from 'kysely';

/**
 * A rejected application's decision carries its date (cases/application.case.ts decisionDateOf):
 * the Shanghai date of the instant it was decided, which its state keeps as closedAt. Rows projected
 * before had none, in the `decided_on` column and in the view's `decision.on`; they get it here, as the
 * projection now writes it, so that the auditor's rebuild of the read models finds no difference.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET decided_on = ((state->>'closedAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
           details = jsonb_set(details, '{decision,on}', to_jsonb(to_char((state->>'closedAt')::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')))
     WHERE case_type = 'application'
       AND status = 'rejected'
       AND state ? 'decidedBy'
       AND NOT state ? 'decidedOn'
       AND state->>'closedAt' IS NOT NULL
       AND jsonb_typeof(details->'decision') = 'object'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET decided_on = NULL,
           details = jsonb_set(details, '{decision,on}', 'null'::jsonb)
     WHERE case_type = 'application'
       AND status = 'rejected'
       AND state ? 'decidedBy'
       AND NOT state ? 'decidedOn'
       AND jsonb_typeof(details->'decision') = 'object'`.execute(db);
}
