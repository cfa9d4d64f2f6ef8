import type { Kysely } from 'kysely';

/**
 * Since this migration the notice that the fund recorded a repayment names its bank reference and
 * the instalments it settled (您于…的还款10,000.00元（银行流水号 ICBC-H2-R1）已登记，计入第3期): two
 * repayments of one amount on one day read alike before. No table changes. Applying it has
 * db/notices/backfill.ts write the notices already in the inbox again in these words (not mailed
 * again), so that the inbox matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
