import { sql } from 'kysely';
import type { Db } from '../client.js';

/**
 * Counts of working days between the calendar read and their record. A case counts a deadline in a
 * look-up (an activity reads the calendar) and records it in a later append, which writes the read
 * models a load of a year asks for the cases to count again. A year loaded between the two would
 * find the case in no read model, and its count, made on the calendar before the load, would stay
 * as it was (provisional) for good.
 *
 * So a look-up notes its case here before it reads the calendar, and the case's append clears the
 * note after its read models are written; a load reads the notes before the read models
 * (api/routes/calendar.routes.ts) and signals those cases too. Whatever the order, a count made on
 * the calendar before a load is in the notes or in the read models when the load asks: the note is
 * committed before the read, and cleared only after the read models are. A load does not clear the
 * notes of the cases it signals (a load of another year, made meanwhile, may need them), only those
 * of cases found closed; a note a count leaves without an append (a recount that moved nothing) only
 * has the next load signal its case once more, and the case decides that nothing moved.
 */

/**
 * The note and its clear are committed without waiting for the disk (synchronous_commit off for their
 * own one-statement transaction, set inside the statement so it costs no round trip). Each is
 * visible to a load the moment it commits, which is all the order above needs; what is given up is
 * only a note committed in the last fraction of a second before PostgreSQL itself crashes, and a
 * note is worth keeping only until the case's next append a moment later. A loan counts working days
 * about six times from submission to disbursement, and waiting on the disk for each note and its clear
 * was a measurable part of its time (bench/case-throughput).
 */
const WITHOUT_WAITING_FOR_THE_DISK = sql`durability AS (SELECT set_config('synchronous_commit', 'off', true))`;

/** Notes that the case of `workflowId` is about to read the calendar for a count; `token` names this read. */
export async function noteCountInFlight(db: Db, workflowId: string, token: string): Promise<void> {
  await sql`
    WITH ${WITHOUT_WAITING_FOR_THE_DISK}
    INSERT INTO calendar_counts_in_flight (workflow_id, token)
    SELECT ${workflowId}, ${token} FROM durability
    ON CONFLICT (workflow_id) DO UPDATE SET token = EXCLUDED.token, since = now()`.execute(db);
}

/** Clears the note of the read `token` once the count it made is recorded (a later read's note stays). */
export async function clearCountInFlight(db: Db, workflowId: string, token: string): Promise<void> {
  await sql`
    WITH ${WITHOUT_WAITING_FOR_THE_DISK}
    DELETE FROM calendar_counts_in_flight
    WHERE workflow_id = ${workflowId} AND token = ${token} AND EXISTS (SELECT FROM durability)`.execute(db);
}

export interface CountInFlight {
  workflowId: string;
  token: string;
}

/** The cases with a count read from the calendar and not recorded yet. */
export async function countsInFlight(db: Db): Promise<CountInFlight[]> {
  const rows = await db.selectFrom('calendar_counts_in_flight').select(['workflow_id', 'token']).orderBy('since').execute();
  return rows.map((r) => ({ workflowId: r.workflow_id, token: r.token }));
}

/** Clears the notes of cases a load found closed: they count nothing more. */
export async function clearCountsInFlight(db: Db, counts: readonly CountInFlight[]): Promise<void> {
  for (const { workflowId, token } of counts) await clearCountInFlight(db, workflowId, token);
}
