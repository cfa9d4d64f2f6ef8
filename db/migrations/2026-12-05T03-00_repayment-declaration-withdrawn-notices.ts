import type { Kysely } from 'kysely';

/**
 * Since this migration a 雏鹰 borrower withdraws a report of a repayment the fund has not recorded
 * (withdraw-repayment-declaration, RepaymentDeclarationWithdrawn), and the fund's officials, told of
 * the report, are told that it need not be checked (domain/notices/notices.ts, kind
 * repayment-declaration-withdrawn). No table changes. Applying it has db/notices/backfill.ts read the
 * inbox again from the events, so that it matches what the auditors' rebuild makes of them (a store
 * from before holds no withdrawal: nothing new is written).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
