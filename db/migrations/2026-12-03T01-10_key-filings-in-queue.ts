import { sql, type Kysely } from 'kysely';

/**
 * 重点 micro-drama filings in the review queue and the SLA statistics (issue 14). Source 004 promises
 * the 2/5 working days for 普通 dramas only, so a 重点 filing's review round has no deadline; the
 * deadline columns were NOT NULL, and the projection wrote no row for such a round: the queue and the
 * statistics never saw it. Each round now records its category; only a 重点 round may leave the
 * deadline empty, and a 普通 one must still have all three. The rounds of 重点 filings recorded
 * before are written once from the filings' folded state, as the projection now writes them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE filing_reviews ADD COLUMN category text NOT NULL DEFAULT 'ordinary' CHECK (category IN ('ordinary', 'key'))`.execute(db);
  await sql`ALTER TABLE filing_reviews ALTER COLUMN working_days DROP NOT NULL, ALTER COLUMN last_working_day DROP NOT NULL, ALTER COLUMN deadline_at DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE filing_reviews ADD CONSTRAINT filing_reviews_deadline_unless_key CHECK (
    category = 'key' OR (working_days IS NOT NULL AND last_working_day IS NOT NULL AND deadline_at IS NOT NULL)
  )`.execute(db);
  await sql`
    INSERT INTO filing_reviews (case_id, round, filing_type, reference_no, title, applicant_name, submitted_at, submitted_on,
                                working_days, last_working_day, deadline_at, provisional, reviewer_account_id, reviewer_name,
                                claimed_at, reminded_at, breached_at, escalated_at, decided_at, decided_on, outcome, category)
    SELECT c.case_id, (r->>'round')::int, c.case_type, c.reference_no, coalesce(c.state->'submission'->>'title', ''), c.applicant_name,
           (r->>'submittedAt')::timestamptz, (r->>'submittedOn')::date,
           NULL, NULL, NULL, false, r->'reviewer'->>'accountId', r->'reviewer'->>'displayName',
           (r->>'claimedAt')::timestamptz, (r->>'remindedAt')::timestamptz, (r->>'breachedAt')::timestamptz, (r->>'escalatedAt')::timestamptz,
           (r->>'endedAt')::timestamptz, ((r->>'endedAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, r->>'outcome', 'key'
      FROM cases c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.state->'rounds', '[]'::jsonb)) AS r
     WHERE c.case_type IN ('drama-planning-filing', 'drama-release-filing')
       AND c.state->'submission'->>'category' = 'key'
       AND r->'deadline' IS NULL
    ON CONFLICT (case_id, round) DO NOTHING`.execute(db);
  // The queue reads open rounds, the 普通 ones by deadline and the 重点 ones by submission.
  await sql`CREATE INDEX filing_reviews_open_key_idx ON filing_reviews (submitted_at) WHERE outcome IS NULL AND category = 'key'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS filing_reviews_open_key_idx`.execute(db);
  await sql`DELETE FROM filing_reviews WHERE category = 'key' AND deadline_at IS NULL`.execute(db);
  await sql`ALTER TABLE filing_reviews DROP CONSTRAINT filing_reviews_deadline_unless_key`.execute(db);
  await sql`ALTER TABLE filing_reviews ALTER COLUMN working_days SET NOT NULL, ALTER COLUMN last_working_day SET NOT NULL, ALTER COLUMN deadline_at SET NOT NULL`.execute(db);
  await sql`ALTER TABLE filing_reviews DROP COLUMN category`.execute(db);
}
