import type { Kysely } from 'kysely';

/**
 * Since this migration an application's notices name its measure (黄浦平台企业、MCN 机构扶持申请（AP-…）),
 * not 申请 alone (domain/notices/notices.ts caseName). No table changes. Applying it has
 * db/notices/backfill.ts read the events recorded before into the inbox again, in these words, so
 * that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
