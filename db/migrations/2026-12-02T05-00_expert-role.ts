import { sql, type Kysely } from 'kysely';

/** External experts (评审专家) sit on a call's panel (issue 13): a role of their own, beside officials. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_role_check`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('applicant', 'official', 'auditor', 'admin', 'expert'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_role_check`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('applicant', 'official', 'auditor', 'admin'))`.execute(db);
}
