import { sql, type Kysely } from 'kysely';

/**
 * append_events keeps its plans for the connection again, each on an index (issue 17).
 *
 * Since 2026-12-03T03-10 it planned every statement on every call (force_custom_plan): PL/pgSQL's
 * cached generic plans had made 100-event appends on a pooled connection a third as fast. What
 * went wrong with them was a plan made while the tables were small: the look-up of the appended
 * event ids among the stored ones, planned as a scan of the whole table when the table held a few
 * hundred events, stayed that plan as the table grew (on one connection, 0.35 ms a call over the
 * first 100 cases of single appends, 2.3 ms over the fourth 100, and rising). Every statement in the function, and in the read-model writes it
 * calls, reads or writes by key, so sequential scans are now priced out of its plans
 * (enable_seqscan = off) and the plans kept (force_generic_plan): no statement is planned per call
 * any more. `npm run bench -- --only=event-append`, alternating without and with this migration:
 * PostgreSQL's CPU an event, single appends 588–601 µs → 408–413 without read models and
 * 1,440–1,460 → 1,230–1,260 with them, 100-event appends 81–83 → 65–67; single appends without read
 * models ÷ plain INSERT 0.38–0.42 → 0.50–0.52. test/db/append-plans.test.ts grows a store under a
 * connection's kept plans and counts the events table's scans.
 *
 * Only the function the application calls now (the database hashes) is changed; the older
 * signature, which a process started before 2026-12-05T07-00 may still call, keeps its setting.
 */
const APPEND_EVENTS = sql.raw('append_events(text, text, integer, text, timestamptz, uuid[], jsonb, jsonb, boolean)');

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION ${APPEND_EVENTS} SET plan_cache_mode = force_generic_plan`.execute(db);
  await sql`ALTER FUNCTION ${APPEND_EVENTS} SET enable_seqscan = off`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION ${APPEND_EVENTS} RESET enable_seqscan`.execute(db);
  await sql`ALTER FUNCTION ${APPEND_EVENTS} SET plan_cache_mode = force_custom_plan`.execute(db);
}
