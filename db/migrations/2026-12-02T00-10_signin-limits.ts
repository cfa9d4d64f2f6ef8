import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Sign-in limits that punish only the guesser: besides the username ('username', now only
  // browsers without that username's device cookie) and the address ('address'), a browser's own
  // device cookie ('device') and an address's failures at one username ('address-username').
  await sql`ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_scope_check`.execute(db);
  await sql`ALTER TABLE login_throttle ADD CONSTRAINT login_throttle_scope_check
    CHECK (scope IN ('username', 'device', 'address', 'address-username'))`.execute(db);
  // Rows whose window and lock have passed are deleted a few at a time, oldest first.
  await db.schema.createIndex('login_throttle_window_idx').on('login_throttle').column('window_started_at').execute();

  // Keys the API makes for itself on first use (the device cookies' HMAC key), shared by every API process.
  await db.schema
    .createTable('sign_in_keys')
    .addColumn('purpose', 'text', (c) => c.primaryKey().check(sql`purpose IN ('device-cookie')`))
    .addColumn('secret', 'bytea', (c) => c.notNull().check(sql`octet_length(secret) >= 32`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_keys').execute();
  await db.schema.dropIndex('login_throttle_window_idx').execute();
  await sql`DELETE FROM login_throttle WHERE scope NOT IN ('username', 'address')`.execute(db);
  await sql`ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_scope_check`.execute(db);
  await sql`ALTER TABLE login_throttle ADD CONSTRAINT login_throttle_scope_check CHECK (scope IN ('username', 'address'))`.execute(db);
}
