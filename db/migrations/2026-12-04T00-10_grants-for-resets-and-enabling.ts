import { sql, type Kysely } from 'kysely';

/**
 * A password reset or the enabling of a privileged account (official, auditor, admin, expert) waits
 * for a second administrator, as a role does: the administrator who asks holds the one-time code,
 * and an account enabled or reset by one administrator alone would be an account they could use.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE account_grants DROP CONSTRAINT IF EXISTS account_grants_kind_check`.execute(db);
  await sql`ALTER TABLE account_grants ADD CONSTRAINT account_grants_kind_check CHECK (kind IN ('creation', 'change', 'reset', 'enable'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE account_grants DROP CONSTRAINT IF EXISTS account_grants_kind_check`.execute(db);
  await sql`ALTER TABLE account_grants ADD CONSTRAINT account_grants_kind_check CHECK (kind IN ('creation', 'change'))`.execute(db);
}
