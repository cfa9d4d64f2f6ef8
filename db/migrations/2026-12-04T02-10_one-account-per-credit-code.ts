import { sql, type Kysely } from 'kysely';

/**
 * One 统一社会信用代码, one account: the code an administrator records for a company applicant's
 * account (`profile.company.unifiedSocialCreditCode`) is held by no other account. Two
 * administrators registering the same company at once get one account and a refusal, not two.
 * Accounts recorded before with the same code are named, rather than the index failing unexplained.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ code: string; usernames: string }>`
    SELECT profile->'company'->>'unifiedSocialCreditCode' AS code, string_agg(username, ', ' ORDER BY username) AS usernames
    FROM accounts
    WHERE profile->'company'->>'unifiedSocialCreditCode' IS NOT NULL
    GROUP BY 1 HAVING count(*) > 1`.execute(db);
  if (rows.length) {
    throw new Error(`these accounts are registered under the same credit code; correct their profiles before migrating: ${rows.map((r) => `${r.code} (${r.usernames})`).join('; ')}`);
  }
  await sql`
    CREATE UNIQUE INDEX accounts_company_credit_code_key ON accounts ((profile->'company'->>'unifiedSocialCreditCode'))
    WHERE profile->'company'->>'unifiedSocialCreditCode' IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX accounts_company_credit_code_key`.execute(db);
}
