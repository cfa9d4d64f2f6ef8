import type { Kysely } from 'kysely';

/**
 * Since this migration the applicant is told of a recovery (追回) and of the answer to their objection
 * to it, and of a monthly subsidy stopped; the department, of what a stop leaves to recover
 * (domain/notices/notices.ts). An outsider's applicant was told of none of them, and so of no day to
 * object by. No table changes. Applying it has db/notices/backfill.ts read the ones recorded before
 * into the inbox (not mailed), so that the inbox again matches what the auditors' rebuild makes of
 * the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
