import { sql, type Kysely } from 'kysely';

/**
 * The case page of an application names the terms it opened under (issue 15): the projection now
 * writes `termsOpenedUnder` into the row's `details` from the folded state's `terms`. Rows projected
 * before have it written once here, as the projection writes it, so that the auditor's drift check
 * (a rebuild compared with the stored rows) finds no difference on a deployment that upgrades.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = details || jsonb_build_object('termsOpenedUnder', jsonb_build_object(
             'programmeId', state->'terms'->'programmeId',
             'catalogueVersion', state->'terms'->'catalogueVersion',
             'version', coalesce(state->'terms'->'termsVersion'->'version', '0'::jsonb),
             'effectiveFrom', coalesce(state->'terms'->'termsVersion'->'effectiveFrom', 'null'::jsonb)))
     WHERE case_type = 'application'
       AND jsonb_typeof(details) = 'object'
       AND jsonb_typeof(state->'terms') = 'object'
       AND NOT details ? 'termsOpenedUnder'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE cases SET details = details - 'termsOpenedUnder' WHERE case_type = 'application' AND jsonb_typeof(details) = 'object'`.execute(db);
}
