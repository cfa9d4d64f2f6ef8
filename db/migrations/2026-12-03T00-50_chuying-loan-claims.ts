import { sql, type Kysely } from 'kysely';

/**
 * One 雏鹰 loan per company (issue 14): the company's 统一社会信用代码 is claimed by the case that
 * opens first, in one statement, so that two openings at the same moment cannot both pass the
 * look-up. The claim passes to a later case only once its holder was refused or withdrawn.
 * Loans also enter the awards ledger from their approval (db/projections/chuying-loan.projection.ts):
 * those approved before are written here once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chuying_loan_claims')
    .addColumn('company_code', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The same look-up of a company's earlier loans, in the read model (loans opened before claims were kept).
  await sql`CREATE INDEX cases_chuying_company_idx ON cases ((state->'company'->>'unifiedSocialCreditCode')) WHERE case_type = 'chuying-loan'`.execute(db);
  // Loans approved before they entered the awards ledger, as the loan projection now writes them.
  await sql`
    INSERT INTO awards (award_id, case_id, applicant_account_id, programme_id, catalogue_version, item_id, amount_fen, awarded_on, recorded_at)
    SELECT 'LOAN-' || c.case_id::text, c.case_id, c.applicant_account_id, 'chuying-loan', '2026-11-23',
           'company:' || (c.state->'company'->>'unifiedSocialCreditCode'), c.approved_fen, (c.state->>'approvedOn')::date, e.recorded_at
      FROM cases c
      JOIN events e ON e.stream_id::text = c.case_id::text AND e.event_type = 'FundingApproved'
     WHERE c.case_type = 'chuying-loan' AND c.approved_fen IS NOT NULL AND c.state->>'approvedOn' IS NOT NULL
    ON CONFLICT (award_id) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM awards WHERE award_id LIKE 'LOAN-%'`.execute(db);
  await sql`DROP INDEX IF EXISTS cases_chuying_company_idx`.execute(db);
  await db.schema.dropTable('chuying_loan_claims').execute();
}
