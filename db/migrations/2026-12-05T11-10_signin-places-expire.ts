import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // When the latest attempt of a bucket took its place. A password check takes a fraction of a
  // second: places still taken a minute after the latest was are an API process's that stopped
  // mid-check, and are freed then rather than at the end of the 15-minute window. Rows written
  // before have none and keep the old rule.
  await sql`ALTER TABLE login_throttle ADD COLUMN in_flight_since timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE login_throttle DROP COLUMN in_flight_since`.execute(db);
}
