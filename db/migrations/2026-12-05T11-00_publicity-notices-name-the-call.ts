import type { Kysely } from 'kysely';

/**
 * Since this migration the notice that an award's 公示 has started names the call (申报批次) whose
 * list it is on (已列入“2026 年黄浦平台集聚补贴”拟资助名单): a measure runs several calls, and the
 * office publishes each call's list. No table changes. Applying it has db/notices/backfill.ts write
 * the notices already in the inbox again in these words (not mailed again), so that the inbox
 * matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
