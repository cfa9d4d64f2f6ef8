import type { Kysely } from 'kysely';

/**
 * Since this migration the notice of an approved application gives what the decider wrote with it
 * (决定意见：…), as the notice of a refusal gives its reasons (domain/notices/notices.ts): a service's
 * notes, its whole decision, reached only its letter. No table changes. Applying it has
 * db/notices/backfill.ts write the notices already in the inbox again in these words (not mailed), so
 * that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
