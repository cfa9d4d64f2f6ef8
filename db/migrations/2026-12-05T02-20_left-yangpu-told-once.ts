import { sql, type Kysely } from 'kysely';

/**
 * Since this migration the applicant whose leaving 杨浦 the department recorded (LeftYangpuRecorded) is
 * told once, by the notice of the stop it causes (PayoutsStopped: the office, the day, on what, and the
 * amounts paid and to recover), no longer by a notice of the record and another of the stop, which said
 * the same thing twice. The record's own notices are no longer written: they are removed here with
 * their read marks and any copy not yet mailed. Applying it also has db/notices/backfill.ts write the
 * stops' notices again in these words (not mailed), so that the inbox again matches what the auditors'
 * rebuild makes of the events. A frozen copy: nothing of domain/ is read.
 */
const RECORDED = sql`(SELECT e.event_id FROM events e WHERE e.event_type = 'LeftYangpuRecorded')`;

export async function up(db: Kysely<any>): Promise<void> {
  const gone = sql`(SELECT n.notice_id FROM notices n WHERE n.event_id IN ${RECORDED})`;
  await sql`DELETE FROM notice_deliveries WHERE sent_at IS NULL AND notice_id IN ${gone}`.execute(db);
  await sql`DELETE FROM notice_reads WHERE notice_id IN ${gone}`.execute(db);
  await sql`DELETE FROM notices WHERE event_id IN ${RECORDED}`.execute(db);
}

/** The removed notices are not written back: the code before this migration wrote them, and its backfill would. */
export async function down(_db: Kysely<any>): Promise<void> {}
