import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A case's count of working days read from the calendar and not yet recorded (db/calendar/counts-in-flight.ts):
  // a year loaded meanwhile signals the case, which its read model does not show yet.
  await sql`
    CREATE TABLE calendar_counts_in_flight (
      workflow_id text PRIMARY KEY,
      token text NOT NULL,
      since timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE calendar_counts_in_flight`.execute(db);
}
