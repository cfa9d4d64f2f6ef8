import type { Kysely } from 'kysely';

/**
 * Since this migration the notice of a favourable decision on a service that handles a matter rather
 * than grants something — a 盾牌行动 complaint, the 网信 fast channel, 合规引擎 guidance, a 众智平台
 * suggestion, a 成长小助手 risk warning (domain/programmes/decision-words.ts) — says 已受理并办结, no longer
 * 已获批准, which read as if the complaint were approved. Awards and the other services keep their words.
 * No table changes. Applying it has db/notices/backfill.ts write the notices already in the inbox again
 * in these words (not mailed), so that the inbox again matches what the auditors' rebuild makes of the events.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
