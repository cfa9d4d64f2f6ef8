import type { Kysely } from 'kysely';

/**
 * Since this migration a 雏鹰 repayment's notice names the instalments it settled as runs (计入第2至36期,
 * not thirty-five numbers one by one), and the settlement's notice no longer thanks the borrower for
 * paying 按期, which a loan settled early was not (domain/notices/notices.ts). No table changes.
 * Applying it has db/notices/backfill.ts write the inbox again in these words from the events, so
 * that it matches what the auditors' rebuild makes of them (not mailed: old news is not sent).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
