import type { Kysely } from 'kysely';

/**
 * Since this migration the applicant is told when the official's deadline they are shown on their
 * case page moves: a step's 办理时限 extended by the director (with the reason), or counted again once
 * a year's holiday arrangement is loaded or corrected; the completeness check's window counted again;
 * a filing's review deadline counted again; the panel's limit moved with its call's close
 * (domain/notices/notices.ts). An outsider's applicant saw the date change without a word. A call's
 * own limits, which no applicant sees, tell nobody. No table changes. Applying it has
 * db/notices/backfill.ts read the moves recorded before into the inbox (not mailed), so that the
 * inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
