import { sql, type Kysely } from 'kysely';

/**
 * The contact an objector to a 公示 may leave (issue 13), encrypted like every personal datum
 * (db/personal-data-vault.ts). An objector needs no account, so the row is found by the reference
 * the objection's event keeps, not by an account; erasing it leaves the event's reference dangling,
 * as erasure should.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('objection_contacts')
    .addColumn('contact_ref', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'bytea', (c) => c.notNull())
    .addColumn('ciphertext', 'bytea', (c) => c.notNull())
    .addColumn('auth_tag', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('objection_contacts').execute();
}
