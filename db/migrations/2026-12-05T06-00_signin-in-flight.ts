import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A username's or device's bucket counts the attempts whose password is being checked apart from
  // its failures, so that only failures lock it. A row written before counted both as failures: it
  // is left so (at worst a few attempts in flight at the upgrade stay counted until its window ends).
  await sql`ALTER TABLE login_throttle ADD COLUMN in_flight integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Attempts in flight were charged as failures before.
  await sql`UPDATE login_throttle SET failures = failures + in_flight WHERE in_flight > 0`.execute(db);
  await sql`ALTER TABLE login_throttle DROP COLUMN in_flight`.execute(db);
}
