import type { Kysely } from 'kysely';

/**
 * Since this migration a notice that tells the applicant a last day says it is included, as the
 * case page does: 请于2027年1月7日（含）前, not 请于2027年1月7日前, which an outside tester read as
 * "by the 6th" (补正 deadlines asked and counted again, an objection to a 追回, the first 雏鹰
 * instalment; domain/notices/notices.ts dueByDay). No table changes. Applying it has
 * db/notices/backfill.ts write the inbox again in these words from the events, so that it matches
 * what the auditors' rebuild makes of them (not mailed: old news is not sent).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
