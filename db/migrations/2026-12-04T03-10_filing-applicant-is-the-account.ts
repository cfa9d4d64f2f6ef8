import { sql, type Kysely } from 'kysely';

/**
 * A drama filing's applicant in the case lists is the account that filed (cases/drama-filing.case.ts
 * read model), no longer the 制作机构 typed in the filing: the rows projected before are written as
 * the read model now writes them, so that the auditor's rebuild finds them as they are. The
 * filing queue's producer (`filing_reviews.applicant_name`) stays the producer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases SET applicant_name = state->'applicant'->>'displayName'
     WHERE case_type IN ('drama-planning-filing', 'drama-release-filing')
       AND coalesce(state->'applicant'->>'displayName', '') <> ''
       AND applicant_name IS DISTINCT FROM state->'applicant'->>'displayName'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases SET applicant_name = state->'submission'->>'producer'
     WHERE case_type IN ('drama-planning-filing', 'drama-release-filing')
       AND coalesce(state->'submission'->>'producer', '') <> ''`.execute(db);
}
