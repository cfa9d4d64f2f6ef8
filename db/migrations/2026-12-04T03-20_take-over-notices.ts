import type { Kysely } from 'kysely';

/**
 * Since 2026-12-04 a reviewer whose claimed filing a supervisor takes over is told so
 * (domain/notices/notices.ts, FilingClaimed with takenOverFrom). No table changes. Applying this
 * migration has db/notices/backfill.ts read the events recorded before into the inbox (not mailed),
 * so that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
