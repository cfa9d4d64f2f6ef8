import type { Kysely } from 'kysely';

/**
 * Since this migration a 雏鹰 borrower reports a repayment made by bank transfer (declare-repayment,
 * RepaymentDeclared), and the fund's officials are told of it, to check it against the bank and record
 * it (domain/notices/notices.ts, kind repayment-declared). No table changes. Applying it has
 * db/notices/backfill.ts read the inbox again from the events, so that it matches what the auditors'
 * rebuild makes of them (a store from before holds no such report: nothing new is written).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
