import type { Kysely } from 'kysely';

/**
 * Since this migration a notice's 理由 parts its reasons by ； without each reason's own 。 before the
 * next, and ends in one 。 (理由：材料不全；金额超限。), where it read 理由：材料不全。；金额超限。。
 * (domain/notices/notices.ts, domain/cases/clauses.ts). No table changes. Applying it has
 * db/notices/backfill.ts write the notices already in the inbox again in these words (not mailed),
 * so that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
