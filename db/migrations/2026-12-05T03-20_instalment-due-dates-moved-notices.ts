import type { Kysely } from 'kysely';

/**
 * Since this migration a 雏鹰 borrower is told when the due dates of their instalments are counted
 * again (InstalmentDueDatesRecomputed: a year's holiday arrangement loaded or corrected): which
 * instalment moved from which day to which, and which were made final unchanged (domain/notices/notices.ts,
 * kind deadline-moved). The notices of migration 2026-12-04T06-20 told of officials' deadlines only,
 * so a due date moved off a holiday reached the borrower only on the schedule. No table changes.
 * Applying it has db/notices/backfill.ts give the recounts recorded before their notices, into the
 * inbox and not mailed, so that it matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
