import type { Kysely } from 'kysely';

/**
 * Since this migration an objection lodged against a 公示 is told to the department that answers it,
 * with what was said (domain/notices/notices.ts, ObjectionLodged, kind objection), as well as to the
 * applicant. No table changes. Applying it has db/notices/backfill.ts read the inbox again from the
 * events, so that it matches what the auditors' rebuild makes of them: an objection recorded before
 * gets its department notice in the inbox (not mailed: old news is not sent).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
