import { sql, type Kysely } from 'kysely';

/**
 * One open filing per account, filing type and title (domain/drama-filing/one-open-filing.ts): the
 * title is claimed by the filing that opens first, in one transaction, so that thirty openings at
 * the same moment make one filing. The claim passes to a later filing once its holder is decided.
 * The title is kept folded: width (NFKC), spaces and typed separators aside, letter case folded.
 *
 * Filings open now (awaiting a claim, in review, returned for revision) claim their titles here.
 * Where an account already has several open filings of one title (the thirty the outside tester
 * made), the first filed holds the claim and the others are left as they are, to be decided one by
 * one: a later one is not refused for what was filed before the rule.
 */
// The separators a title is typed with or without, as domain/text/typed-separators.ts, and the invisible
// characters filingTitleKey drops: a frozen copy.
const SEPARATORS = '[\\u200B-\\u200D\\u2060\\uFEFF\\s\\u00B7\\u2010-\\u2015\\u2018\\u2019\\u201C\\u201D\\u2026\\u2212\\u3000-\\u3004\\u3008-\\u303F\\uFE58\\uFE63()#./:_~-]+';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('filing_claims')
    .addColumn('applicant_account_id', 'text', (c) => c.notNull())
    .addColumn('filing_type', 'text', (c) => c.notNull())
    .addColumn('title_key', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('filing_claims_pkey', ['applicant_account_id', 'filing_type', 'title_key'])
    .execute();
  await sql`
    INSERT INTO filing_claims (applicant_account_id, filing_type, title_key, case_id, reference_no, claimed_at)
    SELECT DISTINCT ON (f.applicant_account_id, f.case_type, f.title_key) f.applicant_account_id, f.case_type, f.title_key, f.case_id, f.reference_no, f.opened_at
      FROM (SELECT c.applicant_account_id, c.case_type, c.case_id::text AS case_id, c.reference_no, c.opened_at,
                   coalesce(nullif(upper(regexp_replace(normalize(c.state->'submission'->>'title', NFKC), ${sql.lit(SEPARATORS)}, '', 'g')), ''),
                            c.state->'submission'->>'title') AS title_key
              FROM cases c
             WHERE c.case_type IN ('drama-planning-filing', 'drama-release-filing')
               AND c.status IN ('awaiting-claim', 'in-review', 'returned')
               AND coalesce(c.applicant_account_id, '') <> ''
               AND c.state->'submission'->>'title' IS NOT NULL) f
     ORDER BY f.applicant_account_id, f.case_type, f.title_key, f.opened_at, f.reference_no
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('filing_claims').execute();
}
