import type { Kysely } from 'kysely';

/**
 * Since this migration the 雏鹰 fund cancels an approval before the disbursement (cancel-funding,
 * FundingCancelled), told to the applicant with its reasons and letter, and a borrower may decline an
 * approved loan (ApplicationWithdrawn with afterApproval), told to the fund (domain/notices/notices.ts,
 * kinds decision and loan-declined). No table changes. Applying it has db/notices/backfill.ts read the
 * inbox again from the events, so that it matches what the auditors' rebuild makes of them (a store
 * from before holds neither: nothing new is written).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
