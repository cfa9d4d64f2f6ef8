import { sql, type Kysely } from 'kysely';

/**
 * A browser's sign-in row ('device', keyed by its cookie's nonce) now says which username it counts
 * for, so that a new password set with the office's one-time code lifts that browser's lock too
 * (api/auth/login-throttle.ts `liftUsernameLock`). Rows from before say none: they end with their
 * window, 15 minutes at most.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE login_throttle ADD COLUMN username text`.execute(db);
  await sql`ALTER TABLE login_throttle ADD CONSTRAINT login_throttle_username_of_device CHECK (username IS NULL OR scope = 'device')`.execute(db);
  await sql`CREATE INDEX login_throttle_device_username_idx ON login_throttle (username) WHERE username IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE login_throttle DROP COLUMN username`.execute(db);
}
