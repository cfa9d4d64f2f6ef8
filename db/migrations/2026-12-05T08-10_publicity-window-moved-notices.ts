import type { Kysely } from 'kysely';

/**
 * Since this migration an award's 公示 counted again once its year's holiday arrangement is loaded
 * (PublicityWindowRecomputed) tells the applicant and the department running the call: the case,
 * the old and new last day of the 公示 (公示截止日由2027年1月4日改为2027年1月5日) and why
 * (domain/notices/notices.ts, kind deadline-moved). Before, the new day was recorded and told to
 * nobody, though it is the day objections may be lodged until. No table changes. Applying it has
 * db/notices/backfill.ts give the recounts recorded before their notices, into the inbox and not
 * mailed, so that it matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
