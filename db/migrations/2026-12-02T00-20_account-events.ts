import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Account changes are events on account-<username> streams from now on; `accounts` stays their
  // read model. A disabled account signs nobody in. An account that has not activated yet (or
  // whose password was reset) has no password at all: administrators never choose one.
  await db.schema
    .alterTable('accounts')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_reason', 'text')
    .execute();
  await sql`ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_disabled_reason_check CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))`.execute(db);

  // Grants waiting for a second administrator (a privileged role, a duty, another department),
  // and what became of them. At most one waits per account, so an approval never applies on top
  // of another change it did not see.
  await db.schema
    .createTable('account_grants')
    .addColumn('grant_id', 'uuid', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('creation', 'change')`))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb', (c) => c.notNull())
    .addColumn('reasons', sql`text[]`, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'approved', 'refused')`))
    .addColumn('requested_by_account_id', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by_account_id', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('refusal_reason', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX account_grants_one_pending_idx ON account_grants (account_id) WHERE status = 'pending'`.execute(db);

  // One-time sign-in codes (activation of a new account, or a reset): only a SHA-256 of the code
  // is kept (the code is random, 192 bits, so a fast hash is enough), one live code per account.
  await db.schema
    .createTable('account_sign_in_codes')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.account_id'))
    .addColumn('code_hash', 'char(64)', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('activation', 'reset')`))
    .addColumn('issued_by_account_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_sign_in_codes').execute();
  await db.schema.dropTable('account_grants').execute();
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_disabled_reason_check`.execute(db);
  // Accounts that never activated cannot sign in either way; an impossible hash keeps them so.
  await sql`UPDATE accounts SET password_hash = 'none' WHERE password_hash IS NULL`.execute(db);
  await sql`ALTER TABLE accounts ALTER COLUMN password_hash SET NOT NULL`.execute(db);
  await db.schema.alterTable('accounts').dropColumn('disabled_reason').dropColumn('disabled_at').execute();
}
