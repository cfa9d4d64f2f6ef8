import { sql, type Kysely } from 'kysely';

/**
 * Registers kept by departments (issue 14): the read model of the 'register' streams, one row per
 * entry with who added it and, once ended, who ended it and why. The events are the record; the
 * row is what look-ups and the registers page read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('register_entries')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('ended', 'jsonb')
    .addColumn('added_by', 'jsonb', (c) => c.notNull())
    .addColumn('last_change', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('register_entries_pk', ['kind', 'entry_id'])
    .execute();
  await db.schema.createIndex('register_entries_subject').on('register_entries').columns(['kind', 'subject']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('register_entries').execute();
}
