import type { Kysely } from 'kysely';

/**
 * Since this migration the applicant's notice of an upheld objection says what it did to the award:
 * withdrawn (with the amount it had), or cut from one amount to another, and the letter that says so
 * (domain/notices/notices.ts upheldOutcome); an outside tester's applicant read only "奖励按答复撤销或
 * 调整". No table changes. Applying it has db/notices/backfill.ts write the inbox again in these words
 * from the events, so that it matches what the auditors' rebuild makes of them (not mailed).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
