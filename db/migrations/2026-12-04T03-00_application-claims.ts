import type { Kysely } from 'kysely';

/**
 * One open application per account, measure and item (domain/applications/one-open-application.ts):
 * the item is claimed by the case that opens first, in one transaction, so that thirty openings at
 * the same moment make one case. The claim passes to a later case once its holder has ended.
 * The item is kept folded (claimKey): "DRAMA-001", "drama 001" and "ＤＲＡＭＡ００１" are one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('application_claims')
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('applicant_account_id', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_claims_pkey', ['programme_id', 'applicant_account_id', 'item_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('application_claims').execute();
}
