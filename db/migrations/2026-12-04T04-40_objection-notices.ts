import type { Kysely } from 'kysely';

/**
 * Since this migration the applicant is told when their award is objected to during its 公示, and how
 * the department answered (domain/notices/notices.ts). No table changes. Applying it has
 * db/notices/backfill.ts read the objections recorded before into the inbox (not mailed), so that the
 * inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
