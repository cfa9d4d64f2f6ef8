import type { Kysely } from 'kysely';

/**
 * Since this migration the department of a monthly 杨浦 subsidy records that the applicant left 杨浦
 * (record-left-yangpu), and the applicant is told that it did, the day and how the office knows
 * (domain/notices/notices.ts, LeftYangpuRecorded). No table changes. Applying it has
 * db/notices/backfill.ts read the inbox again from the events, so that it matches what the auditors'
 * rebuild makes of them (a store from before holds no such record: nothing new is written).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
