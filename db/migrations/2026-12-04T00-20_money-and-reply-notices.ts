import type { Kysely } from 'kysely';

/**
 * Since 2026-12-04 the applicant is told of a loan's money (放款, a repayment recorded, 结清, the
 * reminder and the 30-day mark of an overdue instalment) and the department of an applicant's answer
 * (a 补正 reply, a filing resubmitted): domain/notices/notices.ts. No table changes. Applying this
 * migration has db/notices/backfill.ts read the events recorded before into the inbox (not mailed),
 * so that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
