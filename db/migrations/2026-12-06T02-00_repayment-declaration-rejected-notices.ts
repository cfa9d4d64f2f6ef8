import type { Kysely } from 'kysely';

/**
 * Since this migration the 雏鹰 fund returns a borrower's report of a repayment it finds no transfer
 * for (reject-repayment-declaration, RepaymentDeclarationRejected), and the borrower is told why
 * (domain/notices/notices.ts, kind repayment-declaration-rejected). No table changes. Applying it has
 * db/notices/backfill.ts read the inbox again from the events, so that it matches what the auditors'
 * rebuild makes of them (a store from before holds no return: nothing new is written).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
