import { sql, type Kysely } from 'kysely';

/**
 * The public 公示 list (GET /api/publicity, db/queries/awards-on-notice.ts) read every application's
 * `details` on every request to find the few on notice. This index holds only those, in the list's
 * order, so the public page reads them alone however many cases the year brings. Rows of other types
 * are left out by `case_type`, before their `details` are looked at.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX cases_on_notice_idx ON cases ((details->'publicEntry'->>'publishedOn'), reference_no)
    WHERE case_type = 'application' AND details->'publicEntry'->>'status' IN ('in-publicity', 'objection-pending')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX cases_on_notice_idx`.execute(db);
}
