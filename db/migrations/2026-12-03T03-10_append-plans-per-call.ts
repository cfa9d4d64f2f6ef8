import { sql, type Kysely } from 'kysely';

/**
 * append_events plans its statements for each call (issue 17). PL/pgSQL otherwise settles, per
 * session, on a generic plan for each statement after its first executions, and keeps it for the
 * life of the connection. A pooled connection that started with one-event appends then ran
 * 100-event appends at a third of the speed of a fresh connection: in the benchmark, 6,200–6,400
 * events/s against 18,550–20,370 on a new pool, with everything else the same. Planned per call,
 * the same runs gave 16,460 events/s for the batches and 849 instead of 692 for single appends.
 * (apply_read_model_writes keeps its generic plans: its statements are prepared per shape on purpose.)
 */
const APPEND_EVENTS = sql.raw('append_events(text, text, integer, timestamptz, uuid[], jsonb, jsonb, boolean)');

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION ${APPEND_EVENTS} SET plan_cache_mode = force_custom_plan`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION ${APPEND_EVENTS} RESET plan_cache_mode`.execute(db);
}
