import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
/** Decision letters (决定书) as stored PDFs (issue 13): written once, never changed, never removed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decision_letters')
    // Generated in the case's workflow: a retried activity finds its own row.
    .addColumn('letter_id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull())
    .addColumn('letter_no', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    // The stream version of the event that records the decision (and the letter's hash).
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'date', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('pdf', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decision_letters_case_idx').on('decision_letters').columns(['case_id', 'position']).execute();
  await sql`
    CREATE FUNCTION refuse_decision_letter_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'decision_letters is append-only: a letter issued is never changed or removed';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER decision_letters_append_only BEFORE UPDATE OR DELETE ON decision_letters
    FOR EACH ROW EXECUTE FUNCTION refuse_decision_letter_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decision_letters').execute();
  await sql`DROP FUNCTION refuse_decision_letter_change()`.execute(db);
}
